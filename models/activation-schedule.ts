import { z } from "zod";

export const ScheduleState = z
  .enum(["scheduled", "done", "skipped", "cancelled"])
  .describe("scheduled: waiting for its time; done: the version became active at that time; skipped: it could not (archived meanwhile, or not approved); cancelled.");
export type ScheduleState = z.infer<typeof ScheduleState>;

export const ActivationSchedule = z
  .strictObject({
    id: z.string().describe("The schedule's id (DELETE /v1/schedules/{id} cancels it while it waits)."),
    planId: z.string(),
    activateAt: z.string().describe("When the version becomes the active one (ISO 8601, UTC)."),
    state: ScheduleState,
    createdAt: z.string(),
    finishedAt: z.string().nullable().describe("When it was carried out, skipped or cancelled; null while it waits."),
    note: z.string().nullable().describe("Why it was skipped or cancelled; null otherwise."),
  })
  .describe("A scheduled activation: the version becomes active at `activateAt` (promoted by the first read of the active plan at or after that time).");
export type ActivationSchedule = z.infer<typeof ActivationSchedule>;

export const ActivationSchedulePage = z
  .strictObject({
    items: z.array(ActivationSchedule),
    nextCursor: z.string().nullable().describe("Pass as `?cursor=` for the next page; null on the last page."),
  })
  .describe("Scheduled activations, newest first.");
export type ActivationSchedulePage = z.infer<typeof ActivationSchedulePage>;
