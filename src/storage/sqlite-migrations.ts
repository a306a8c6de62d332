/**
 * The SQLite schema as numbered migrations, applied in order at start-up and recorded in
 * `schema_migrations` (version, name, time). A migration is never edited once released: a change
 * is a new migration. Applying runs in one IMMEDIATE transaction, so two processes starting on the
 * same file do not both migrate; a database written by a newer Allot (a version this code does not
 * know) is refused rather than misread.
 */
import type { Database } from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "plans, assignments, rep loads, audit log, idempotency keys",
    sql: `
CREATE TABLE plans (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'active', 'archived')),
  status TEXT NOT NULL,
  verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
  objective REAL,
  expected_value REAL NOT NULL,
  input_hash TEXT NOT NULL,
  solver_backend TEXT NOT NULL,
  solver_version TEXT NOT NULL,
  customers INTEGER NOT NULL,
  reps INTEGER NOT NULL,
  assigned INTEGER NOT NULL,
  unassigned INTEGER NOT NULL,
  input_json TEXT NOT NULL,
  overview_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  activated_at TEXT,
  archived_at TEXT
);
-- At most one active plan, enforced by the database itself.
CREATE UNIQUE INDEX plans_one_active ON plans (state) WHERE state = 'active';
CREATE TRIGGER plans_immutable BEFORE UPDATE OF
  seq, id, label, status, verified, objective, expected_value, input_hash, solver_backend, solver_version,
  customers, reps, assigned, unassigned, input_json, overview_json, created_at ON plans
BEGIN
  SELECT RAISE(ABORT, 'plan versions are immutable');
END;
CREATE TRIGGER plans_state_flow BEFORE UPDATE OF state ON plans
WHEN NOT ((OLD.state = 'draft' AND NEW.state = 'active') OR (OLD.state = 'active' AND NEW.state = 'archived'))
BEGIN
  SELECT RAISE(ABORT, 'a plan moves only draft -> active -> archived');
END;
CREATE TRIGGER plans_kept BEFORE DELETE ON plans
BEGIN
  SELECT RAISE(ABORT, 'plan versions are never deleted');
END;

-- Every customer of a plan: the solve's (source 'plan') and those routed while it was active.
CREATE TABLE assignments (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_seq INTEGER NOT NULL REFERENCES plans (seq),
  customer_id TEXT NOT NULL,
  rep_id TEXT,
  expected_value REAL,
  components_json TEXT,
  reason TEXT,
  source TEXT NOT NULL CHECK (source IN ('plan', 'routed')),
  routed_at TEXT,
  UNIQUE (plan_seq, customer_id)
);
CREATE TRIGGER assignments_immutable BEFORE UPDATE ON assignments
BEGIN
  SELECT RAISE(ABORT, 'assignments are never changed');
END;

-- Per-rep load: the solve's, plus every customer routed to the rep.
CREATE TABLE rep_loads (
  plan_seq INTEGER NOT NULL REFERENCES plans (seq),
  rep_id TEXT NOT NULL,
  accounts INTEGER NOT NULL,
  workload REAL NOT NULL,
  value REAL NOT NULL,
  expected_value REAL NOT NULL,
  PRIMARY KEY (plan_seq, rep_id)
) WITHOUT ROWID;

CREATE TABLE load_totals (
  plan_seq INTEGER PRIMARY KEY REFERENCES plans (seq),
  accounts INTEGER NOT NULL,
  value REAL NOT NULL,
  routed INTEGER NOT NULL,
  routed_unassigned INTEGER NOT NULL
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  request_id TEXT NOT NULL,
  key_id TEXT,
  action TEXT NOT NULL,
  plan_id TEXT,
  customer_id TEXT,
  rep_id TEXT,
  note TEXT
);

CREATE TABLE idempotency_keys (
  identity TEXT NOT NULL,
  key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  status INTEGER,
  headers_json TEXT,
  body TEXT,
  PRIMARY KEY (identity, key, method, path)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
`,
  },
  {
    version: 2,
    name: "jobs",
    sql: `
-- Long work run in the background (POST /v1/jobs) by the embedded job backend.
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('solve', 'scenarios', 'reassign')),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  work_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  progress_json TEXT,
  status TEXT,
  error_json TEXT,
  result_json TEXT,
  expires_at TEXT
);
CREATE INDEX jobs_state ON jobs (state, seq);
CREATE INDEX jobs_expires ON jobs (expires_at) WHERE expires_at IS NOT NULL;
`,
  },
  {
    version: 3,
    name: "deal outcomes",
    sql: `
-- Closed deals, each recorded once (deal_id is unique across plans), with the plan version that was
-- active when it was recorded.
CREATE TABLE deal_outcomes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  deal_id TEXT NOT NULL UNIQUE,
  plan_seq INTEGER NOT NULL REFERENCES plans (seq),
  customer_id TEXT NOT NULL,
  rep_id TEXT NOT NULL,
  won INTEGER NOT NULL CHECK (won IN (0, 1)),
  amount REAL NOT NULL CHECK (amount >= 0),
  closed_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX deal_outcomes_plan ON deal_outcomes (plan_seq, seq);
CREATE TRIGGER deal_outcomes_immutable BEFORE UPDATE ON deal_outcomes
BEGIN
  SELECT RAISE(ABORT, 'recorded outcomes are never changed');
END;
CREATE TRIGGER deal_outcomes_kept BEFORE DELETE ON deal_outcomes
BEGIN
  SELECT RAISE(ABORT, 'recorded outcomes are never deleted');
END;
`,
  },
  {
    version: 4,
    name: "api keys, key label and role in the audit log",
    sql: `
-- Managed API keys: only the sha256 of a key is kept; a revoked key keeps its row.
CREATE TABLE api_keys (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'integrator', 'viewer')),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE TRIGGER api_keys_kept BEFORE DELETE ON api_keys
BEGIN
  SELECT RAISE(ABORT, 'api keys are revoked, never deleted');
END;
ALTER TABLE audit_log ADD COLUMN key_label TEXT;
ALTER TABLE audit_log ADD COLUMN key_role TEXT;
`,
  },
  {
    version: 5,
    name: "approval, scheduled activations, roll back",
    sql: `
-- Approval: the version's state (none, submitted, approved, rejected) and every step taken.
ALTER TABLE plans ADD COLUMN approval TEXT NOT NULL DEFAULT 'none' CHECK (approval IN ('none', 'submitted', 'approved', 'rejected'));
CREATE TABLE plan_approvals (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_seq INTEGER NOT NULL REFERENCES plans (seq),
  action TEXT NOT NULL CHECK (action IN ('submit', 'approve', 'reject')),
  by TEXT NOT NULL,
  comment TEXT,
  at TEXT NOT NULL,
  key_id TEXT
);
CREATE INDEX plan_approvals_plan ON plan_approvals (plan_seq, seq);
CREATE TRIGGER plan_approvals_kept BEFORE UPDATE ON plan_approvals
BEGIN
  SELECT RAISE(ABORT, 'approval steps are never changed');
END;
CREATE TRIGGER plan_approvals_not_deleted BEFORE DELETE ON plan_approvals
BEGIN
  SELECT RAISE(ABORT, 'approval steps are never deleted');
END;

-- Scheduled activations: promoted, in activate_at order, by the first read of the active plan at or after their time.
-- Who scheduled it is kept for the audit entry of the promotion.
CREATE TABLE activation_schedules (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  plan_seq INTEGER NOT NULL REFERENCES plans (seq),
  activate_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('scheduled', 'done', 'skipped', 'cancelled')),
  require_approval INTEGER NOT NULL CHECK (require_approval IN (0, 1)),
  created_at TEXT NOT NULL,
  finished_at TEXT,
  note TEXT,
  request_id TEXT NOT NULL,
  key_id TEXT,
  key_label TEXT,
  key_role TEXT
);
CREATE INDEX activation_schedules_due ON activation_schedules (activate_at, seq) WHERE state = 'scheduled';
CREATE TRIGGER activation_schedules_flow BEFORE UPDATE OF state ON activation_schedules
WHEN NOT (OLD.state = 'scheduled' AND NEW.state IN ('done', 'skipped', 'cancelled'))
BEGIN
  SELECT RAISE(ABORT, 'a schedule moves only scheduled -> done, skipped or cancelled');
END;
CREATE TRIGGER activation_schedules_kept BEFORE DELETE ON activation_schedules
BEGIN
  SELECT RAISE(ABORT, 'schedules are never deleted');
END;

-- A routed customer's workload, so that a roll back can re-check it against the earlier version's capacities.
ALTER TABLE assignments ADD COLUMN workload REAL;

-- Roll back: an archived version may become active again (the active one is archived in the same transaction).
DROP TRIGGER plans_state_flow;
CREATE TRIGGER plans_state_flow BEFORE UPDATE OF state ON plans
WHEN NOT ((OLD.state = 'draft' AND NEW.state = 'active') OR (OLD.state = 'active' AND NEW.state = 'archived') OR (OLD.state = 'archived' AND NEW.state = 'active'))
BEGIN
  SELECT RAISE(ABORT, 'a plan moves only draft -> active -> archived, and archived -> active by a roll back');
END;
`,
  },
  {
    version: 6,
    name: "sessions of the workspace page",
    sql: `
-- A key exchanged for a session (the page's sign-in): only the sha256 of the session id and of its
-- CSRF token are kept. A row is dropped once past its absolute end.
CREATE TABLE sessions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  digest TEXT NOT NULL UNIQUE,
  csrf_digest TEXT NOT NULL,
  key_id TEXT NOT NULL,
  key_source TEXT NOT NULL CHECK (key_source IN ('managed', 'bootstrap')),
  role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'integrator', 'viewer')),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_expires ON sessions (expires_at);
`,
  },
];

export class SchemaVersionError extends Error {
  override readonly name = "SchemaVersionError";
  constructor(readonly found: number, readonly known: number, setting = "ALLOT_DB_PATH") {
    super(`the database has schema version ${found}, newer than this Allot knows (${known}); upgrade Allot or use another ${setting}`);
  }
}

function appliedVersions(db: Database): Set<number> {
  const out = new Set<number>();
  for (const value of db.prepare("SELECT version FROM schema_migrations").pluck().all()) {
    if (typeof value === "number") out.add(value);
  }
  return out;
}

/** Applies the missing migrations; returns the schema version now in force. */
export function migrateSqlite(db: Database, migrations: readonly Migration[] = SQLITE_MIGRATIONS, now: () => number = Date.now): number {
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const apply = db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    const applied = appliedVersions(db);
    const newest = Math.max(0, ...applied);
    if (newest > known) throw new SchemaVersionError(newest, known);
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date(now()).toISOString());
    }
    return Math.max(newest, known);
  });
  return apply.immediate();
}
