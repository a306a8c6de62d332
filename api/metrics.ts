/**
 * GET /metrics in the Prometheus text format (prom-client), one registry per app: HTTP requests by
 * route and status with their latency (POST /v1/route's is the routing latency), solve durations by
 * status and backend ("highs"/"jslp" = the MIP path, "structured", "presolve", "deadline"), final
 * gaps, the pool's queue depth and utilisation, jobs by state, and the process's default metrics.
 * docs/operations.md lists them with the alerts worth having.
 */
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JobQueue } from "../src/jobs/job-queue.ts";
import { JOB_STATES } from "../src/jobs/job-queue.ts";
import type { PoolSolveOutcome, SolvePool } from "../src/runtime/solve-pool.ts";

export interface ServiceMetrics {
  registry: Registry;
  /** Counts a finished HTTP request. */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** Counts a finished solve (run on this process's pool). */
  observeSolve(outcome: PoolSolveOutcome): void;
}

export function createServiceMetrics(deps: { pool: SolvePool; jobs: JobQueue }): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "allot_" });
  const requests = new Counter({ name: "allot_http_requests_total", help: "HTTP requests by route (the route table's path), method and status.", labelNames: ["route", "method", "status"], registers: [registry] });
  const latency = new Histogram({
    name: "allot_http_request_duration_seconds",
    help: "HTTP request latency by route and method (POST /v1/route is the live-routing latency).",
    labelNames: ["route", "method"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const solveSeconds = new Histogram({
    name: "allot_solve_duration_seconds",
    help: "Solve run time on a worker thread by Solution status and backend (highs/jslp: the MIP path; structured; presolve; deadline).",
    labelNames: ["status", "backend"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers: [registry],
  });
  const gaps = new Histogram({
    name: "allot_solve_final_gap",
    help: "Final relative gap of solves that returned a plan with a bound.",
    labelNames: ["backend"],
    buckets: [0, 1e-6, 1e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  new Gauge({
    name: "allot_pool_queue_depth",
    help: "Solves waiting for a worker thread.",
    registers: [registry],
    collect() {
      this.set(deps.pool.stats().queued);
    },
  });
  new Gauge({
    name: "allot_pool_utilisation",
    help: "Share of the worker threads running a solve (0–1).",
    registers: [registry],
    collect() {
      const s = deps.pool.stats();
      this.set(s.size === 0 ? 0 : s.running / s.size);
    },
  });
  new Gauge({
    name: "allot_pool_threads",
    help: "Worker threads of the solve pool.",
    registers: [registry],
    collect() {
      this.set(deps.pool.stats().size);
    },
  });
  new Gauge({
    name: "allot_jobs",
    help: "Jobs by state (from the job backend: shared by every API instance on BullMQ).",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const counts = await deps.jobs.counts();
      for (const state of JOB_STATES) this.set({ state }, counts[state]);
    },
  });

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    observeSolve(outcome) {
      solveSeconds.observe({ status: outcome.status, backend: outcome.backend }, outcome.timings.runMs / 1000);
      if (outcome.gap !== null) gaps.observe({ backend: outcome.backend }, outcome.gap);
    },
  };
}

/** Times every request; the route label is set by the route table's registration (res.locals.route). */
export function requestMetrics(metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    res.once("finish", () => {
      const route = typeof res.locals.route === "string" ? res.locals.route : "unmatched";
      metrics.observeRequest(route, req.method, res.statusCode, (performance.now() - start) / 1000);
    });
    next();
  };
}

export function metricsRoute(deps: { metrics: ServiceMetrics }): RequestHandler {
  return async (_req, res) => {
    const text = await deps.metrics.registry.metrics();
    res.status(200).type(deps.metrics.registry.contentType).send(text);
  };
}
