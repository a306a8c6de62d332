import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Solution } from "../models/index.ts";
import { startService, type TestService } from "./api-test-service.ts";

const plan = (policy: Record<string, unknown>) => ({
  customers: [
    { id: "bank", value: 250000, segment: "finance" },
    { id: "shop", value: 20000, segment: "retail" },
  ],
  reps: [
    { id: "senior", seniority: 3 },
    { id: "junior", seniority: 0 },
  ],
  policy: { timeLimitMs: 5000, ...policy },
});

describe("rules and score expressions through the API", () => {
  let service: TestService;
  beforeAll(() => {
    service = startService();
  });
  afterAll(() => service.close());

  it("solves with a rule and a score expression and shows the terms", async () => {
    const res = await request(service.app)
      .post("/v1/solve")
      .send(
        plan({
          rules: [{ name: "finance-senior", when: 'customer.segment == "finance"', require: "rep.seniority >= 2" }],
          score: "value * (rep.seniority >= 2 ? 1 : 2)",
        }),
      );
    expect(res.status).toBe(200);
    const solution = Solution.parse(JSON.parse(res.text));
    // The rule keeps the bank with the senior rep even though the score favours juniors.
    expect(solution.assignments.map((a) => [a.customer, a.rep])).toEqual([
      ["bank", "senior"],
      ["shop", "junior"],
    ]);
    expect(solution.assignments[1]?.components).toMatchObject({ source: "expression", score: 40000, expression: "value * (rep.seniority >= 2 ? 1 : 2)" });
  });

  it("a syntax error is a 422 with the path and character position", async () => {
    const res = await request(service.app).post("/v1/solve").send(plan({ rules: [{ name: "bad", require: "rep.seniority >=" }] }));
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: "policy.rules[0].require", message: expect.stringMatching(/syntax error.*at character \d+/) }]);
  });

  it("a hostile expression is a 422 and never runs", async () => {
    const res = await request(service.app).post("/v1/solve").send(plan({ score: 'import({ x: 1 }, {}) + evaluate("process.exit(1)")' }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("policy.score");
    expect((await request(service.app).get("/healthz")).status).toBe(200);
  });

  it("a rule that is not true/false for some pair is a 422 naming the rule and the pair, from solve and validate", async () => {
    const body = plan({ rules: [{ name: "oops", require: "rep.seniority" }] });
    for (const route of ["/v1/solve", "/v1/validate"]) {
      const res = await request(service.app).post(route).send(body);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: "policy.rules[0].require", message: expect.stringContaining('rule "oops" gave 3, not true or false, for customer "bank" and rep "senior"') }]);
    }
  });
});
