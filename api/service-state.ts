/** Mutable lifecycle state shared by the app and its entry point. */
export interface ServiceState {
  /** Set on SIGTERM/SIGINT: readiness fails and /v1 takes no new work. */
  shuttingDown: boolean;
  /** Long-lived responses (event streams) register here to be ended when shutdown begins; returns the unregister function. */
  onShutdown(listener: () => void): () => void;
  /** Marks the service as shutting down and ends the long-lived responses. */
  beginShutdown(): void;
}

export function createServiceState(): ServiceState {
  const listeners = new Set<() => void>();
  const state: ServiceState = {
    shuttingDown: false,
    onShutdown(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    beginShutdown() {
      state.shuttingDown = true;
      for (const listener of [...listeners]) listener();
      listeners.clear();
    },
  };
  return state;
}
