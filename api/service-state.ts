/** Mutable lifecycle state shared by the app and its entry point. */
export interface ServiceState {
  /** Set on SIGTERM/SIGINT: readiness fails and /v1 takes no new work. */
  shuttingDown: boolean;
}

export function createServiceState(): ServiceState {
  return { shuttingDown: false };
}
