import ExcelJS from "exceljs";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { ImportResult, PlanVersion } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { appWithStubPool } from "./api-test-service.ts";
import { canonicalPlan, crmFile, samplePlan } from "./imports-fixtures.ts";
import { PLAN_A, plansService } from "./plans-fixtures.ts";

const { app } = appWithStubPool();
const sample = samplePlan();

const importSample = () =>
  request(app)
    .post("/v1/imports")
    .attach("accounts", crmFile("accounts.csv"), "accounts.csv")
    .attach("reps", crmFile("users.csv"), "users.csv")
    .attach("opportunities", crmFile("opportunities.csv"), "opportunities.csv")
    .field("policy", JSON.stringify(sample.policy));

describe("POST /v1/imports", () => {
  it("turns the sample CRM files into the sample plan, with the detected mapping and an empty report", async () => {
    const res = await importSample();
    expect(res.status).toBe(200);
    const body = ImportResult.parse(res.body);
    expect(canonicalPlan(body.plan)).toBe(canonicalPlan(sample));
    expect(body.mapping.source).toBe("salesforce");
    expect(body.report.issues).toEqual([]);
    expect(res.headers["server-timing"]).toMatch(/import;dur=/);
  });

  it("imports the same plan again with the mapping it returned, and reads .xlsx accounts", async () => {
    const first = ImportResult.parse((await importSample()).body);
    const res = await request(app)
      .post("/v1/imports")
      .attach("accounts", crmFile("accounts.xlsx"), "accounts.xlsx")
      .attach("reps", crmFile("users.csv"), "users.csv")
      .attach("opportunities", crmFile("opportunities.csv"), "opportunities.csv")
      .field("mapping", JSON.stringify(first.mapping))
      .field("policy", JSON.stringify(sample.policy));
    expect(res.status).toBe(200);
    expect(canonicalPlan(ImportResult.parse(res.body).plan)).toBe(canonicalPlan(sample));
  });

  const problem = (res: request.Response, status: number, kind: string) => {
    expect(res.status).toBe(status);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe(`/docs#problem-${kind}`);
  };

  it("answers 415 for a body that is not multipart and for binary garbage, naming the file", async () => {
    problem(await request(app).post("/v1/imports").send({ accounts: [] }), 415, "unsupported-media-type");
    const garbage = Buffer.from(Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256));
    const res = await request(app).post("/v1/imports").attach("accounts", garbage, "accounts.csv").attach("reps", crmFile("users.csv"), "users.csv");
    problem(res, 415, "unreadable-file");
    expect(res.body.errors).toEqual([{ path: "accounts", message: expect.stringContaining("accounts.csv: the file holds NUL bytes") }]);
  });

  it("answers 422 naming the file, row or field: a missing file, an unclosed quote, bad JSON, an unknown part, no id column", async () => {
    const missing = await request(app).post("/v1/imports").attach("accounts", crmFile("accounts.csv"), "a.csv");
    problem(missing, 422, "invalid-import");
    expect(missing.body.errors).toEqual([{ path: "reps", message: "the reps file is required" }]);
    const quote = await request(app).post("/v1/imports").attach("accounts", Buffer.from('Id,Name\na,"open\n'), "a.csv").attach("reps", crmFile("users.csv"), "u.csv");
    problem(quote, 422, "invalid-import");
    expect(quote.body.errors[0].path).toMatch(/^accounts\[row \d+\]$/);
    const json = await request(app).post("/v1/imports").attach("accounts", crmFile("accounts.csv"), "a.csv").attach("reps", crmFile("users.csv"), "u.csv").field("mapping", "{nope");
    problem(json, 422, "invalid-import");
    expect(json.body.errors).toEqual([{ path: "mapping", message: "not valid JSON" }]);
    const unknown = await request(app).post("/v1/imports").attach("customers", crmFile("accounts.csv"), "a.csv");
    problem(unknown, 422, "invalid-import");
    expect(unknown.body.errors[0].path).toBe("customers");
    const noId = await request(app).post("/v1/imports").attach("accounts", Buffer.from("Foo\n1\n"), "a.csv").attach("reps", crmFile("users.csv"), "u.csv");
    problem(noId, 422, "invalid-import");
    expect(noId.body.errors[0].path).toBe("accounts");
  });

  it("takes every file and field at once, and refuses a part beyond them", async () => {
    const res = await importSample().field("mapping", "");
    expect(res.status).toBe(200);
    const extra = await importSample().field("mapping", "").field("notes", "x");
    expect(extra.status).toBe(422);
  });

  it("never answers 5xx, whatever bytes the files hold (random text, separators, quotes, binary)", async () => {
    const text = fc.stringMatching(/^[a-zA-Z0-9 ,;"\t\r\n=+@.-]{0,300}$/).map((t) => Buffer.from(t));
    const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, bytes), fc.oneof(text, bytes), async (accounts, reps) => {
        const res = await request(app).post("/v1/imports").attach("accounts", accounts, "a.csv").attach("reps", reps, "r.csv");
        expect([200, 415, 422]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });

  it("answers 422 invalid-plan with the field path for a policy that breaks the contract", async () => {
    const res = await request(app).post("/v1/imports").attach("accounts", crmFile("accounts.csv"), "a.csv").attach("reps", crmFile("users.csv"), "u.csv").field("policy", JSON.stringify({ territory: "sideways" }));
    problem(res, 422, "invalid-plan");
    expect(res.body.errors[0].path).toBe("policy.territory");
  });

  it("answers 413 past ALLOT_IMPORT_LIMIT, and the service keeps answering", async () => {
    const small = appWithStubPool({ ALLOT_IMPORT_LIMIT: "64kb" }).app;
    const res = await request(small).post("/v1/imports").attach("accounts", Buffer.alloc(200_000, "a,b\n"), "a.csv").attach("reps", crmFile("users.csv"), "u.csv");
    problem(res, 413, "payload-too-large");
    expect(res.body.detail).toContain("ALLOT_IMPORT_LIMIT");
    expect((await request(small).get("/healthz")).status).toBe(200);
  });
});

describe("exports", () => {
  it("POST /v1/exports answers CSV by default and an .xlsx workbook by ?format= or Accept", async () => {
    const { solution } = await solvePlan(PLAN_A);
    const csv = await request(app).post("/v1/exports").send({ plan: PLAN_A, solution });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const rows: Record<string, string>[] = parse(csv.text, { columns: true });
    expect(rows.map((r) => [r.AccountId, r.OwnerId])).toEqual(solution.assignments.map((a) => [a.customer, a.rep]));
    for (const ask of [request(app).post("/v1/exports?format=xlsx"), request(app).post("/v1/exports").set("Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]) {
      const res = await ask.send({ plan: PLAN_A, solution }).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => done(null, Buffer.concat(chunks)));
      });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(["Assignments", "Reps", "Moves", "Summary"]);
    }
  });

  it("POST /v1/exports answers 422 for a body that is not a plan and its solution, and 400 for another format", async () => {
    const res = await request(app).post("/v1/exports").send({ plan: PLAN_A });
    expect(res.status).toBe(422);
    expect(res.body.errors.some((e: { path: string }) => e.path.startsWith("solution"))).toBe(true);
    const { solution } = await solvePlan(PLAN_A);
    expect((await request(app).post("/v1/exports?format=pdf").send({ plan: PLAN_A, solution })).status).toBe(400);
  });

  const service = plansService();
  afterAll(() => service.pool.close({ graceMs: 0 }));

  it("GET /v1/plans/{id}/assignments.csv and .xlsx export a saved version; an unknown id is a 404", async () => {
    const saved = PlanVersion.parse((await request(service.app).post("/v1/plans").send({ label: "q1", plan: PLAN_A })).body);
    const csv = await request(service.app).get(`/v1/plans/${saved.id}/assignments.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-disposition"]).toContain(".csv");
    const rows: Record<string, string>[] = parse(csv.text, { columns: true });
    // The optimum of PLAN_A: c1, c2 with r1 and c3, c4 with r2.
    expect(rows.map((r) => [r.AccountId, r.OwnerId])).toEqual([
      ["c1", "r1"],
      ["c2", "r1"],
      ["c3", "r2"],
      ["c4", "r2"],
    ]);
    const xlsx = await request(service.app).get(`/v1/plans/${saved.id}/assignments.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    expect((await request(service.app).get("/v1/plans/nope/assignments.csv")).status).toBe(404);
  });
});

