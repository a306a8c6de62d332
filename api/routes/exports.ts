/**
 * Exports of a solved plan for the CRM (src/exports/): POST /v1/exports with `{ plan, solution }`,
 * and GET /v1/plans/{id}/assignments.csv and .xlsx for a saved version. The format comes from
 * `?format=csv|xlsx`, else from `Accept`, else CSV.
 */
import type { Request, RequestHandler, Response } from "express";
import { ExportRequest, fieldErrors, type ExportFormat } from "../../models/index.ts";
import { exportFromPlacements, exportFromSolution, type AssignmentExport } from "../../src/exports/assignment-export.ts";
import { assignmentsCsv, assignmentsWorkbook } from "../../src/exports/assignment-files.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import type { PlanStore } from "../../src/storage/plan-store.ts";
import { sendProblem } from "../problem-details.ts";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The format asked for; null (after a 400) when `?format=` names another. */
function formatOf(req: Request, res: Response): ExportFormat | null {
  const values = new URL(req.originalUrl, "http://localhost").searchParams.getAll("format");
  if (values.length > 0) {
    const value = values[values.length - 1] ?? "";
    if (value === "csv" || value === "xlsx") return value;
    sendProblem(req, res, "invalid-query", "See errors.", { errors: [{ path: "format", message: `expected csv or xlsx, got ${JSON.stringify(value.slice(0, 40))}` }] });
    return null;
  }
  return req.accepts(["text/csv", XLSX_TYPE]) === XLSX_TYPE ? "xlsx" : "csv";
}

async function send(res: Response, data: AssignmentExport, format: ExportFormat, name: string): Promise<void> {
  if (format === "csv") {
    res.status(200).type("text/csv; charset=utf-8").setHeader("Content-Disposition", `attachment; filename="${name}.csv"`);
    res.send(assignmentsCsv(data));
    return;
  }
  const workbook = await assignmentsWorkbook(data);
  res.status(200).type(XLSX_TYPE).setHeader("Content-Disposition", `attachment; filename="${name}.xlsx"`);
  res.send(workbook);
}

export function exportRoute(): RequestHandler {
  return async (req, res) => {
    const format = formatOf(req, res);
    if (format === null) return;
    const parsed = ExportRequest.safeParse(req.body);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      sendProblem(req, res, "invalid-request", `The body has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see errors.`, { errors });
      return;
    }
    const { plan, solution } = parsed.data;
    const known = new Set(plan.customers.map((c) => c.id));
    const strangers = solution.assignments.flatMap((a, i) => (known.has(a.customer) ? [] : [{ path: `solution.assignments[${i}].customer`, message: `not a customer of the plan: "${a.customer}"` }]));
    if (strangers.length > 0) {
      sendProblem(req, res, "invalid-request", "The solution is not of this plan; see errors.", { errors: strangers.slice(0, 20) });
      return;
    }
    await send(res, exportFromSolution(plan, solution), format, "assignments");
  };
}

/** GET /v1/plans/{id}/assignments.csv (or .xlsx): the saved version's customers as solved. */
export function savedPlanExportRoute(format: ExportFormat): (deps: { store: PlanStore }) => RequestHandler {
  return ({ store }) =>
    async (req, res) => {
      const id = typeof req.params.id === "string" ? req.params.id : "";
      const [input, overview, placements] = await Promise.all([store.getPlanInput(id), store.getSolutionOverview(id), store.getPlacements(id)]);
      if (input === null || overview === null || placements === null) {
        sendProblem(req, res, "plan-not-found", `There is no saved plan with id ${JSON.stringify(id)}.`);
        return;
      }
      const plan = parsePlan(JSON.parse(input));
      if (!plan.ok) throw new Error(`saved plan ${id} no longer parses`);
      await send(res, exportFromPlacements(plan.plan, overview, placements), format, `plan-${id}-assignments`);
    };
}
