import request from "supertest";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ROUTES } from "../api/app.ts";
import { loadConfig } from "../api/config.ts";
import { ENDPOINTS, isV1 } from "../api/endpoints.ts";
import { buildOpenApiDocument } from "../api/openapi.ts";
import { EXAMPLE_PLAN, type JsonSchema, type OpenApiDocument } from "../api/openapi-parts.ts";
import { PROBLEMS } from "../api/problem-details.ts";
import * as models from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { appWithStubPool, samplePlan } from "./api-test-service.ts";
import { checkSchema, type Schema } from "./json-schema-check.ts";

const config = loadConfig({ ALLOT_POOL_SIZE: "1" });

async function fetchDocument(env: Record<string, string> = {}): Promise<OpenApiDocument> {
  const res = await request(appWithStubPool(env).app).get("/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  return JSON.parse(res.text) as OpenApiDocument;
}

function validator(document: OpenApiDocument) {
  const components: Record<string, Schema> = document.components.schemas;
  return (value: unknown, name: string) => {
    const schema = components[name];
    if (schema === undefined) throw new Error(`no component ${name}`);
    return checkSchema(value, schema, components);
  };
}

/** Every $ref in a JSON value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with every endpoint and method the app serves", async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe("3.1.0");
    expect(document.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(document.paths).sort()).toEqual(ROUTES.map((r) => r.path).sort());
    for (const route of ROUTES) {
      const item = document.paths[route.path] ?? {};
      expect(Object.keys(item).map((m) => m.toUpperCase())).toEqual([...route.methods]);
      for (const op of Object.values(item)) expect(Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)), op.operationId).toBe(true);
    }
    const solve = document.paths["/v1/solve"]?.post;
    expect(solve?.requestBody?.content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Plan" });
    expect(solve?.responses["200"]?.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Solution" });
    for (const status of ["400", "413", "415", "422", "500", "503"]) {
      expect(solve?.responses[status]?.content?.["application/problem+json"]?.schema).toEqual({ $ref: "#/components/schemas/ProblemDetails" });
    }
  });

  it("follows the route table: every endpoint documented once, secured under /v1, with Idempotency-Key exactly where the app takes it", async () => {
    const locked = await fetchDocument({ ALLOT_API_KEYS: "0123456789abcdef0123" });
    const operations = Object.values(locked.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(ENDPOINTS.length);
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(ENDPOINTS.length);
    for (const endpoint of ENDPOINTS) {
      const op = locked.paths[endpoint.path]?.[endpoint.method];
      expect(op, `${endpoint.method} ${endpoint.path}`).toBeDefined();
      expect(op?.security !== undefined, `security of ${endpoint.path}`).toBe((isV1(endpoint) && endpoint.roles !== "public") || endpoint.keyed === true);
      const idempotent = (op?.parameters ?? []).some((p) => p.name === "Idempotency-Key" && p.in === "header");
      expect(idempotent, `Idempotency-Key of ${endpoint.method} ${endpoint.path}`).toBe(endpoint.idempotency !== undefined);
      for (const name of endpoint.path.match(/\{[^}]+\}/g) ?? []) {
        expect(op?.parameters?.some((p) => p.in === "path" && `{${p.name}}` === name), `${name} of ${endpoint.path}`).toBe(true);
      }
    }
  });

  it("the app serves every endpoint of the route table, and answers 405 with its methods for any other method on its path", async () => {
    const { app } = appWithStubPool();
    for (const route of ROUTES) {
      const url = route.path.replace(/\{[^}]+\}/g, "p1");
      for (const method of route.methods) {
        const res = await request(app)[method === "GET" ? "get" : method === "DELETE" ? "delete" : "post"](url);
        const type: unknown = res.headers["content-type"]?.startsWith("application/problem+json") ? JSON.parse(res.text).type : null;
        expect([res.status, type], `${method} ${url}`).not.toEqual([404, "/docs#problem-not-found"]);
        expect(res.status, `${method} ${url}`).not.toBe(405);
      }
      const other = await request(app).put(url);
      expect(other.status, `PUT ${url}`).toBe(405);
      expect(other.headers.allow).toBe([...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : [])].join(", "));
    }
  });

  it("has a component for every object and enum schema in models/, and every $ref resolves", async () => {
    const document = await fetchDocument();
    const modelNames = Object.entries(models)
      .filter(([name, value]) => (value instanceof z.ZodObject || value instanceof z.ZodEnum) && name !== "PlanShape")
      .map(([name]) => name);
    expect(modelNames.length).toBeGreaterThanOrEqual(20);
    for (const name of modelNames) expect(Object.keys(document.components.schemas)).toContain(name);
    for (const ref of refs(document)) expect(Object.keys(document.components.schemas)).toContain(ref.replace("#/components/schemas/", ""));
    // Strict objects stay strict in the document.
    expect(document.components.schemas.Plan?.additionalProperties).toBe(false);
  });

  it("carries the models' descriptions: every schema's and every field's, and every field of the plan contract has one", async () => {
    const document = await fetchDocument();
    const { schemas } = document.components;
    const propertyOf = (component: string, ...path: string[]) => {
      let schema: JsonSchema | undefined = schemas[component];
      for (const key of path) schema = schema?.properties?.[key] as JsonSchema | undefined;
      return schema;
    };
    expect(propertyOf("Customer", "value")?.description).toBe("Potential value of the account (e.g. expected annual revenue).");
    expect(propertyOf("Policy", "fairness")?.description).toMatch(/fair share/);
    expect(propertyOf("Policy", "fairness", "valueBand")?.description).toMatch(/±20%/);
    expect(schemas.Plan?.description).toMatch(/^The whole book to assign/);
    // Every field a client writes in a plan says what it is.
    for (const name of ["Plan", "Customer", "Rep", "Outcome", "PairScore", "Policy", "Rule", "Location"]) {
      const properties = Object.entries(schemas[name]?.properties ?? {});
      expect(properties.length, name).toBeGreaterThan(0);
      for (const [field, property] of properties) expect((property as JsonSchema).description, `${name}.${field}`).toEqual(expect.any(String));
    }
    // Whatever a model describes reaches the document unchanged.
    let described = 0;
    for (const [name, model] of Object.entries(models)) {
      if (!(model instanceof z.ZodObject || model instanceof z.ZodEnum) || name === "PlanShape") continue;
      const component = schemas[name];
      expect(component?.description, name).toBe(model.description);
      if (!(model instanceof z.ZodObject)) continue;
      for (const [field, schema] of Object.entries(model.shape as Record<string, z.ZodType>)) {
        if (schema.description === undefined) continue;
        described += 1;
        // A field that is a component as it is shows its description through the reference.
        const property = propertyOf(name, field);
        const referenced = property?.$ref === undefined ? undefined : schemas[property.$ref.replace("#/components/schemas/", "")];
        expect(property?.description ?? referenced?.description, `${name}.${field}`).toBe(schema.description);
      }
    }
    expect(described).toBeGreaterThanOrEqual(150);
  });

  it("accepts the sample plan and the example plan, and rejects invalid ones at the right paths", async () => {
    const check = validator(await fetchDocument());
    expect(check(samplePlan(3000), "Plan")).toEqual([]);
    expect(check(EXAMPLE_PLAN, "Plan")).toEqual([]);
    expect(models.Plan.safeParse(EXAMPLE_PLAN).success).toBe(true);
    const problems = check({ customers: [{ id: "c1", value: -1, colour: "red" }], reps: [], policy: { territory: "sideways" } }, "Plan");
    expect(problems.map((p) => p.path).sort()).toEqual(["customers[0].colour", "customers[0].value", "policy.territory", "reps"]);
  });

  it("accepts a real Solution, plan report shape and problem body", async () => {
    const check = validator(await fetchDocument());
    const { solution } = await solvePlan(models.Plan.parse(EXAMPLE_PLAN));
    expect(solution.objective).toBe(17);
    expect(check(solution, "Solution")).toEqual([]);
    expect(check({ ...solution, status: "great" }, "Solution").map((p) => p.path)).toEqual(["status"]);
    const problem = await request(appWithStubPool().app).get("/nowhere");
    expect(check(JSON.parse(problem.text), "ProblemDetails")).toEqual([]);
  });

  it("describes authentication and rate limiting only when they are configured", async () => {
    const open = await fetchDocument();
    expect(open.paths["/v1/solve"]?.post?.security).toBeUndefined();
    expect(open.paths["/v1/solve"]?.post?.responses["401"]).toBeUndefined();
    expect(open.paths["/v1/solve"]?.post?.responses["429"]).toBeUndefined();
    const locked = await fetchDocument({ ALLOT_API_KEYS: "0123456789abcdef0123", ALLOT_RATE_LIMIT_PER_MINUTE: "60" });
    expect(locked.paths["/v1/validate"]?.post?.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(locked.components.securitySchemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "allot_session" });
    expect(locked.paths["/v1/validate"]?.post?.responses["403"]?.description).toContain("CSRF");
    expect(locked.paths["/v1/plans"]?.get?.responses["403"]?.description).not.toContain("CSRF");
    expect(locked.paths["/v1/sessions"]?.post?.security).toBeUndefined();
    expect(locked.paths["/v1/validate"]?.post?.responses["401"]).toBeDefined();
    expect(locked.paths["/v1/validate"]?.post?.responses["429"]?.headers?.["Retry-After"]).toBeDefined();
    expect(locked.paths["/healthz"]?.get?.security).toBeUndefined();
  });

  it("is the same document buildOpenApiDocument gives for the same configuration", async () => {
    expect(await fetchDocument({ ALLOT_POOL_SIZE: "1" })).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(config))));
  });
});

describe("GET /docs", () => {
  it("is one self-contained HTML page with every endpoint, problem type and schema", async () => {
    const res = await request(appWithStubPool().app).get("/docs");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    const html = res.text;
    expect(html.startsWith("<!doctype html>")).toBe(true);
    for (const route of ROUTES) expect(html).toContain(`<code>${route.path}</code>`);
    for (const kind of Object.keys(PROBLEMS)) expect(html).toContain(`id="problem-${kind}"`);
    for (const name of Object.keys(buildOpenApiDocument(config).components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    // Self-contained: no scripts, no external stylesheets, images or fonts.
    expect(html).not.toMatch(/<script|<link|<img|src=|@import/i);
    expect(html).not.toMatch(/href="https?:/);
  });
});
