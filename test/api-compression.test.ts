/**
 * Compressed request bodies: gzip, deflate and br are read like plain JSON, the body limit counts
 * the decompressed bytes as they stream (a kilobyte that inflates past the limit is a 413, and the
 * service goes on serving), a corrupt stream is a 400, an unknown encoding a 415.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

// supertest would serialise a Buffer as JSON: these requests go over a real socket with fetch.
const service = startService({ ALLOT_BODY_LIMIT: "64kb" });
let server: Server;
let base = "";
beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = service.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await service.close();
});

interface Answer {
  status: number;
  type: string | null;
  text: string;
}

async function send(path: string, body: Buffer | string, encoding: string | null): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (encoding !== null) headers["content-encoding"] = encoding;
  const res = await fetch(`${base}${path}`, { method: "POST", headers, body });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const post = (body: Buffer, encoding: string) => send("/v1/solve", body, encoding);

describe("compressed request bodies", () => {
  it("reads gzip, deflate and br bodies exactly as the plain body", async () => {
    const text = JSON.stringify(tinyPlan);
    const plain = await send("/v1/solve", text, null);
    expect(plain.status).toBe(200);
    for (const [encoding, body] of [
      ["gzip", gzipSync(text)],
      ["deflate", deflateSync(text)],
      ["br", brotliCompressSync(text)],
      ["GZIP", gzipSync(text)],
    ] as const) {
      const res = await post(body, encoding);
      expect(res.status, encoding).toBe(200);
      expect(res.text, encoding).toBe(plain.text);
    }
  });

  it("refuses a zip bomb with 413 from the decompressed size, and keeps serving", async () => {
    // 8 MiB of spaces gzip to about 8 KB: 128 times the 64 KB limit.
    const bomb = gzipSync(Buffer.alloc(8 * 2 ** 20, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(16 * 1024);
    const res = await post(bomb, "gzip");
    expect(res.status).toBe(413);
    expect(res.type).toContain("application/problem+json");
    expect(JSON.parse(res.text)).toMatchObject({ type: "/docs#problem-payload-too-large" });
    // A body of its own declared length that decompresses under the limit is fine, and the service still answers.
    expect((await post(gzipSync(JSON.stringify(tinyPlan)), "gzip")).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("answers 400 for a corrupt stream and 415 for an unknown encoding", async () => {
    const corrupt = await post(Buffer.from("this is not gzip"), "gzip");
    expect(corrupt.status).toBe(400);
    expect(corrupt.type).toContain("application/problem+json");
    const unknown = await post(Buffer.from(JSON.stringify(tinyPlan)), "zstd");
    expect(unknown.status).toBe(415);
  });

  it("takes compressed bodies on POST /v1/jobs too", async () => {
    const res = await send("/v1/jobs", gzipSync(JSON.stringify({ kind: "solve", input: tinyPlan })), "gzip");
    expect(res.status).toBe(202);
  });
});
