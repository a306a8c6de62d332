import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { SolvePool } from "../../src/runtime/solve-pool.ts";
import { readAdviceQuery } from "../advice-query.ts";
import { readCompareQuery } from "../compare-query.ts";
import type { ServiceConfig } from "../config.ts";
import type { ServiceMetrics } from "../metrics.ts";
import { readUncertaintyQuery } from "../uncertainty-query.ts";
import { readSolveWork } from "../work-input.ts";
import { workRoute } from "./work-route.ts";

/**
 * POST /v1/solve: validate on the event loop, solve on the pool, send the worker's JSON as is
 * (200 for every solver outcome). With `?compare=…` the worker also applies the classic methods to
 * the plan and the Solution carries `comparison` (absent from a deadline answer: the worker was
 * stopped); with `?advice=…` it also computes the advice (src/advice/) in the same job, within one
 * more time limit; with `?uncertainty=true`, `uncertainty` (the spread of each rep's won value).
 */
export function solveRoute(deps: { config: ServiceConfig; pool: SolvePool; logger: Logger; metrics: ServiceMetrics }): RequestHandler {
  return workRoute(
    "solve",
    (req, config) => readSolveWork(req.body, { compare: readCompareQuery(req.originalUrl), advice: readAdviceQuery(req.originalUrl), uncertainty: readUncertaintyQuery(req.originalUrl) }, config),
    deps,
  );}
