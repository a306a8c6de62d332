# One image for the API (the default command) and the job workers (compose.yaml runs
# `node --import tsx api/worker.ts`). tsx is a runtime dependency: the TypeScript runs as it is.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY models ./models
COPY src ./src
COPY api ./api
# The API's SQLite file (ALLOT_DB_PATH, default ./var/allot.db) lives here.
RUN mkdir -p var && chown node:node var
USER node
EXPOSE 3000
# node itself, not npm: SIGTERM must reach the process for a graceful drain.
CMD ["node", "--import", "tsx", "api/server.ts"]
