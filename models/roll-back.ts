import { z } from "zod";
import { PlanVersion } from "./saved-plan.ts";

export const CarryOutcome = z
  .enum(["kept", "kept-outside-band", "no-room", "rep-missing", "already-present", "unassigned"])
  .describe(
    "kept: the customer keeps its rep under the earlier version; kept-outside-band: kept, but the rep goes above its fairness band (bands are soft in routing); " +
      "no-room: the rep has no room under the earlier version's capacities, so the customer is recorded unassigned; rep-missing: the rep is not in the earlier version (or unavailable), recorded unassigned; " +
      "already-present: the earlier version already has the customer (its own, or routed while it was active), which stands; unassigned: routed unassigned, carried over unassigned.",
  );
export type CarryOutcome = z.infer<typeof CarryOutcome>;

export const CarriedCustomer = z
  .strictObject({
    customer: z.string(),
    from: z.string().nullable().describe("Its rep under the version rolled back from (null: routed unassigned)."),
    rep: z.string().nullable().describe("Its rep under the version rolled back to (null: unassigned)."),
    outcome: CarryOutcome,
    reason: z.string(),
  })
  .describe("One customer routed under the later version, carried over to the earlier one.");
export type CarriedCustomer = z.infer<typeof CarriedCustomer>;

export const RollBackResult = z
  .strictObject({
    dryRun: z.boolean().describe("True for a preview: nothing was changed."),
    plan: PlanVersion.describe("The version rolled back to (active now, or as it would be)."),
    archived: PlanVersion.nullable().describe("The version it replaces (archived now, or as it would be); null when none was active."),
    carried: z.array(CarriedCustomer).describe("Every customer routed under the replaced version, in routing order."),
    counts: z
      .strictObject({
        carried: z.int(),
        kept: z.int().describe("kept and kept-outside-band."),
        outsideBand: z.int(),
        misfits: z.int().describe("no-room and rep-missing: recorded unassigned under the earlier version, never dropped."),
        alreadyPresent: z.int(),
        unassigned: z.int(),
      })
      .describe("The outcomes counted."),
  })
  .describe("POST /v1/plans/{id}/rollback: what the roll back changed (or, with ?dryRun=true, would change).");
export type RollBackResult = z.infer<typeof RollBackResult>;
