/**
 * An instant given in a query parameter (`?activateAt=`): an ISO 8601 timestamp with a time zone
 * (`2027-01-01T08:00:00Z`, `2027-01-01T09:00+01:00`), a real calendar date and time between 1970 and
 * 9999, read as the UTC instant it names (milliseconds kept, so the stored text sorts in time order).
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

export type InstantRead = { ok: true; iso: string } | { ok: false; message: string };

export function readInstant(raw: string): InstantRead {
  const bad: InstantRead = { ok: false, message: "must be an ISO 8601 timestamp with a time zone, e.g. 2027-01-01T08:00:00Z" };
  const m = INSTANT.exec(raw);
  if (m === null) return bad;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1970 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return { ok: false, message: "is not a real date and time (1970 to 9999)" };
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) return bad;
  return { ok: true, iso: new Date(ms).toISOString() };
}
