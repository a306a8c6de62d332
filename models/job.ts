import { z } from "zod";

/** What a job runs: the body of the synchronous endpoint of the same name. */
export const JobKind = z.enum(["solve", "scenarios", "reassign"]).describe('"solve" = POST /v1/solve, "scenarios" = POST /v1/scenarios, "reassign" = POST /v1/reassign.');
export type JobKind = z.infer<typeof JobKind>;

export const JobState = z
  .enum(["queued", "running", "succeeded", "failed", "cancelled"])
  .describe('queued → running → succeeded | failed | cancelled. "succeeded" means the work ran to its answer (a Solution with status infeasible or timeout is still a succeeded job); "cancelled" jobs keep the best verified answer found before the stop, when there was one.');
export type JobState = z.infer<typeof JobState>;

export const SolvePhase = z
  .enum(["queued", "scoring", "presolve", "mip", "structured", "lagrangian", "local-search", "verify", "done"])
  .describe("What the engine is doing: scoring the eligible pairs, presolve checks, the whole MIP (HiGHS), the structured path (parts, Lagrangian search, local search), verification.");
export type SolvePhase = z.infer<typeof SolvePhase>;

/** One progress report from the engine (a solve); throttled, every improvement reported in order. */
export const SolveProgress = z
  .strictObject({
    phase: SolvePhase,
    elapsedMs: z.number().min(0).describe("Milliseconds since the solve started."),
    objective: z.number().nullable().describe("Objective of the best plan found so far (the plan's own units); null before one exists."),
    bound: z.number().nullable().describe("Best proven upper bound on the objective so far; null before one is proven."),
    gap: z.number().nullable().describe("(bound − objective) / max(1, |bound|); null without both."),
  })
  .describe("Where a solve stands.");
export type SolveProgress = z.infer<typeof SolveProgress>;

export const JobProgress = z
  .strictObject({
    seq: z.int().min(0).describe("Sequence number of this report within the job (the SSE event id)."),
    solve: SolveProgress.nullable().describe("The latest report of the solve running now (for batches: the most recent one)."),
    solvesDone: z.int().min(0).describe("Solves finished so far (a plain solve: 0 or 1; a scenario batch: base + scenarios; a reassignment with frontier: every budget)."),
    solvesTotal: z.int().min(0).describe("Solves the job makes in all."),
  })
  .describe("A job's latest progress.");
export type JobProgress = z.infer<typeof JobProgress>;

export const JobError = z
  .strictObject({
    type: z.string().describe("The problem type it would have had as a synchronous request, e.g. invalid-plan or internal."),
    detail: z.string(),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  })
  .describe("Why a job failed.");
export type JobError = z.infer<typeof JobError>;

/** A job's record, as GET /v1/jobs/{id} answers it (without the result, which is appended as raw JSON). */
export const JobSummary = z
  .strictObject({
    id: z.string().describe("The job's id (its URL is /v1/jobs/{id})."),
    kind: JobKind,
    state: JobState,
    createdAt: z.string().describe("ISO 8601 time the job was accepted."),
    startedAt: z.string().nullable().describe("When a worker began it (the latest attempt)."),
    finishedAt: z.string().nullable(),
    attempts: z.int().min(0).describe("How many times a worker has started it (a job whose worker died is tried again, at most twice in all)."),
    progress: JobProgress.nullable(),
    status: z.string().nullable().describe("The answer's status once done (a Solution's status: optimal, feasible, infeasible, timeout)."),
    error: JobError.nullable(),
    expiresAt: z.string().nullable().describe("When the finished job and its result are removed (ALLOT_JOB_RETENTION_S after it finished)."),
  })
  .describe("A job: long work (a solve, a scenario batch, a reassignment) run in the background with progress.");
export type JobSummary = z.infer<typeof JobSummary>;

export const JobRequest = z
  .strictObject({
    kind: JobKind,
    input: z.unknown().describe("The body the synchronous endpoint takes, validated the same way (errors under `input`)."),
    query: z
      .strictObject({
        compare: z.string().optional().describe("As ?compare= on POST /v1/solve (kind solve only)."),
        advice: z.string().optional().describe("As ?advice= on POST /v1/solve (kind solve only)."),
        uncertainty: z.string().optional().describe("As ?uncertainty= on POST /v1/solve (kind solve only), with samples and seed."),
        samples: z.string().optional().describe("As ?samples= on POST /v1/solve (with uncertainty)."),
        seed: z.string().optional().describe("As ?seed= on POST /v1/solve (with uncertainty)."),
      })
      .optional()
      .describe("Query options of the synchronous endpoint."),
  })
  .describe("Body of POST /v1/jobs.");
export type JobRequest = z.infer<typeof JobRequest>;
