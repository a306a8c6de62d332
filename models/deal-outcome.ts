import { z } from "zod";
import { Id, NonNegative } from "./primitives.ts";

/** Most outcomes in one POST /v1/outcomes batch. */
export const MAX_OUTCOMES_PER_BATCH = 5_000;

export const DealOutcome = z
  .strictObject({
    deal: Id.describe("The deal's id (e.g. the CRM's opportunity id): an outcome is recorded once per deal, so a second one for the same id is a conflict (409)."),
    customer: Id.describe("The customer the deal was with: a customer of the active plan (solved or routed)."),
    rep: Id.describe("The rep who worked the deal: a rep of the active plan (not necessarily the one the plan gave the customer)."),
    won: z.boolean().describe("true = won, false = lost."),
    amount: NonNegative.describe("The deal's amount: the value won, or the value that was at stake when lost."),
    closedAt: z.iso.date().describe("The day the deal closed (YYYY-MM-DD)."),
  })
  .describe("One closed deal: who worked it, with whom, won or lost, for how much, and when.");
export type DealOutcome = z.infer<typeof DealOutcome>;

export const OutcomeBatch = z
  .strictObject({
    outcomes: z
      .array(DealOutcome)
      .min(1, "give at least one outcome")
      .max(MAX_OUTCOMES_PER_BATCH, `at most ${MAX_OUTCOMES_PER_BATCH} outcomes per request`)
      .describe("The closed deals, each deal id once; recorded all together or not at all."),
  })
  .superRefine((batch, ctx) => {
    const first = new Map<string, number>();
    batch.outcomes.forEach((o, i) => {
      const at = first.get(o.deal);
      if (at === undefined) first.set(o.deal, i);
      else ctx.addIssue({ code: "custom", path: ["outcomes", i, "deal"], message: `deal "${o.deal}" appears twice in the batch (first at outcomes[${at}])` });
    });
  })
  .describe("Body of POST /v1/outcomes: closed deals, recorded against the active plan version.");
export type OutcomeBatch = z.infer<typeof OutcomeBatch>;

export const RecordedOutcome = DealOutcome.extend({
  planId: Id.describe("The plan version that was active when the outcome was recorded: the plan the deal was worked under."),
  recordedAt: z.string().describe("When the outcome was recorded (ISO 8601, UTC)."),
}).describe("A closed deal as stored, with the plan version it belongs to.");
export type RecordedOutcome = z.infer<typeof RecordedOutcome>;

export const OutcomeReceipt = z
  .strictObject({
    planId: Id.describe("The active plan the outcomes were recorded against."),
    recorded: z.int().min(0).describe("How many outcomes were recorded."),
    won: z.int().min(0).describe("Of those, how many were won."),
    outcomes: z.array(RecordedOutcome).describe("The outcomes as stored, in the order given."),
  })
  .describe("What POST /v1/outcomes answers: the batch as recorded.");
export type OutcomeReceipt = z.infer<typeof OutcomeReceipt>;

export const RecordedOutcomePage = z
  .strictObject({
    items: z.array(RecordedOutcome),
    nextCursor: z.string().nullable().describe("Pass as `?cursor=` for the next page; null on the last page."),
  })
  .describe("A plan's recorded outcomes, in the order they were recorded.");
export type RecordedOutcomePage = z.infer<typeof RecordedOutcomePage>;
