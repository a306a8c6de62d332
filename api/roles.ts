/**
 * Who may do what: the four roles a key carries, and the access an endpoint declares in the route
 * table (endpoints.ts). `admin` is admitted wherever a key is needed (it manages keys and settings,
 * and the bootstrap keys of ALLOT_API_KEYS are admins unless written `key:role`); the other roles
 * only where a row names them. docs/service.md ("Roles") has the table.
 */
export const ROLES = ["admin", "planner", "integrator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** An endpoint's decision: "public" (no key ever), or the roles it admits (admin always among them). */
export type Access = "public" | readonly [Role, ...Role[]];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Managing keys and settings. */
export const ADMIN_ONLY: Access = ["admin"];
/** Planning work: solving, saving, activating, scenarios, jobs. */
export const PLANNERS: Access = ["admin", "planner"];
/** Changes an integration makes as plans run: routing, reassignment, outcomes. */
export const INTEGRATORS: Access = ["admin", "planner", "integrator"];
/** Reading planning state (not the active plan's routing view). */
export const READERS: Access = ["admin", "planner", "viewer"];
/** Reading what an integration also needs to read (the active plan, outcomes). */
export const EVERY_ROLE: Access = ["admin", "planner", "integrator", "viewer"];

/** Whether `role` may call an endpoint declaring `access` (a public endpoint admits everyone). */
export function admits(access: Access, role: Role): boolean {
  return access === "public" || access.includes(role);
}

/** The roles as the OpenAPI description says them: "Roles: admin, planner." or "Public (no key)." */
export function accessText(access: Access): string {
  return access === "public" ? "Public (no API key)." : `Roles: ${access.join(", ")}.`;
}
