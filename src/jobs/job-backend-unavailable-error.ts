/** The job backend's store (Redis) did not answer: the request may be retried later (HTTP 503 with Retry-After). */
export class JobBackendUnavailableError extends Error {
  override readonly name = "JobBackendUnavailableError";
  constructor(
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super("the job store is unavailable", options);
  }
}
