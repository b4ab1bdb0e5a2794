/**
 * Planning: graph + selection + warehouse state → the exact statements a run executes.
 * Pure (no I/O): `rcu plan` prints this, `rcu run` executes it, golden tests pin it per dialect.
 */
import type { Action, Graph, IncrementalAction, TableAction } from "../compile/graph.js";
import { RcuError } from "../errors.js";
import { checkControls, statementControl } from "./control.js";
import type { Dialect, Relation, RelationKind } from "../warehouses/types.js";

export interface RelationState {
  readonly kind: RelationKind;
  /** Column names, read for incremental targets (their MERGE/INSERT column list). */
  readonly columns?: readonly string[];
}

export interface WarehouseState {
  /** Existing relations by action id (`schema.name` / `database.schema.name`). */
  readonly relations: ReadonlyMap<string, RelationState>;
}

/**
 * `load` statements write the action's output (their row counts are the action's rows affected);
 * `hook` statements are the definition's pre/post operations; `control` ones are transactions and
 * housekeeping such as dropping an object of the wrong kind.
 */
export interface Statement {
  readonly sql: string;
  readonly role: "load" | "hook" | "control";
  /** An operation's early exit (control.ts): a check query, or where a skip lands. */
  readonly skipIfEmpty?: string;
  readonly label?: string;
}

export type TaskBody =
  | { readonly type: "sql"; readonly statements: readonly Statement[]; readonly atomic: boolean }
  | {
      readonly type: "assertion";
      readonly setup: readonly string[];
      readonly countSql: string;
      readonly sampleSql: string;
      /** What it checks (the action's description), told with its failure: often what to do. */
      readonly checks?: string;
    }
  | { readonly type: "none"; readonly reason: "declaration" | "disabled" };

export interface Task {
  readonly id: string;
  readonly kind: Action["kind"];
  readonly file: string;
  readonly target: Relation;
  /** Selected actions this one waits for. */
  readonly dependencies: readonly string[];
  readonly body: TaskBody;
  /** Why the plan chose what it did (e.g. "incremental: merge on id"). */
  readonly notes: readonly string[];
}

export interface Plan {
  readonly engine: Dialect["name"];
  /** Run serially before any task: schemas, so parallel tasks never race to create them. */
  readonly prelude: readonly string[];
  readonly tasks: readonly Task[];
}

export interface PlanOptions {
  readonly fullRefresh?: boolean;
  /** Rows of a failing assertion to keep as a sample. */
  readonly assertionSampleRows?: number;
}

/** Topological order (Kahn), stable by id, over the selected actions only. */
export function topoOrder(actions: readonly Action[]): Action[] {
  const ids = new Set(actions.map((a) => a.id));
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const a of actions) {
    const deps = a.dependencies.filter((d) => ids.has(d));
    indegree.set(a.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), a.id]);
  }
  const byId = new Map(actions.map((a) => [a.id, a]));
  const ready = [...actions.filter((a) => indegree.get(a.id) === 0).map((a) => a.id)].sort();
  const out: Action[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    out.push(byId.get(id)!);
    for (const next of dependents.get(id) ?? []) {
      const n = indegree.get(next)! - 1;
      indegree.set(next, n);
      if (n === 0) {
        ready.push(next);
        ready.sort();
      }
    }
  }
  if (out.length !== actions.length) {
    throw new RcuError("GRAPH", "The selected actions contain a dependency cycle.", { hint: "Run `rcu compile` for details." });
  }
  return out;
}

export function buildPlan(
  graph: Graph,
  selected: ReadonlySet<string>,
  state: WarehouseState,
  dialect: Dialect,
  options: PlanOptions = {},
): Plan {
  if (graph.errors.length) {
    throw new RcuError("GRAPH", `The project has ${graph.errors.length} compilation error(s); nothing will run.`, {
      hint: "Run `rcu compile` to see them.",
    });
  }
  const actions = topoOrder(graph.actions.filter((a) => selected.has(a.id)));
  const schemas = new Map<string, Relation>();
  const tasks = actions.map((a): Task => {
    const body = a.disabled
      ? ({ type: "none", reason: "disabled" } as const)
      : planBody(a, state, dialect, options);
    if (body.type !== "none") schemas.set(`${a.target.database ?? ""}.${a.target.schema}`, a.target);
    return {
      id: a.id,
      kind: a.kind,
      file: a.file,
      target: a.target,
      dependencies: a.dependencies.filter((d) => selected.has(d)),
      body: body.type === "none" ? body : body.body,
      notes: body.type === "none" ? [a.disabled ? "disabled: not run" : "declaration"] : body.notes,
    };
  });
  const prelude = [...schemas.values()]
    .sort((x, y) => `${x.database}.${x.schema}`.localeCompare(`${y.database}.${y.schema}`))
    .map((r) => dialect.createSchema(r.schema, r.database));
  for (const t of tasks) checkStatementSizes(t, dialect);
  return { engine: dialect.name, prelude, tasks };
}

const load = (sql: string): Statement => ({ sql, role: "load" });
const hook = (sql: string): Statement => ({ sql, role: "hook" });
const control = (sql: string): Statement => ({ sql, role: "control" });
const hooks = (sqls: readonly string[]): Statement[] => sqls.map(hook);

type Planned = { type: "planned"; body: TaskBody; notes: string[] } | { type: "none"; reason: "declaration" };

function planBody(a: Action, state: WarehouseState, d: Dialect, o: PlanOptions): Planned {
  const existing = state.relations.get(a.id);
  switch (a.kind) {
    case "declaration":
      return { type: "none", reason: "declaration" };
    case "table":
    case "view":
      return { type: "planned", ...rebuild(a, a.kind, existing, d, [`${a.kind}: ${existing ? "rebuild" : "create"}`]) };
    case "incremental":
      return { type: "planned", ...incremental(a, existing, d, o) };
    case "operation": {
      const queries = a.queries.filter((q) => q.trim().length > 0);
      checkControls(queries, { action: a.id, file: a.file });
      // An early-exit check reads; it writes nothing of the output.
      const statements = queries.map((q): Statement => {
        const c = statementControl(q);
        return { ...(c.skipIfEmpty === undefined ? load(q) : control(q)), ...c };
      });
      const checks = statements.filter((s) => s.skipIfEmpty !== undefined).length;
      return {
        type: "planned",
        body: { type: "sql", statements, atomic: false },
        notes: [a.hasOutput ? "operation (declares its output)" : "operation", ...(checks ? [`${checks} early-exit check(s): rounds left are skipped once one finds no row`] : [])],
      };
    }
    case "assertion": {
      const view = `SELECT * FROM ${d.qualify(a.target)}`;
      return {
        type: "planned",
        body: {
          type: "assertion",
          setup: [d.createViewAs(a.target, a.query)],
          countSql: d.countRows(view),
          sampleSql: d.limitRows(view, o.assertionSampleRows ?? 5),
          ...(a.description ? { checks: a.description } : {}),
        },
        notes: [a.parentAction ? `assertion on ${a.parentAction}` : "assertion"],
      };
    }
  }
}

/** Statements that (re)build a table or view so the old version survives a failed build. */
function rebuild(
  a: TableAction | IncrementalAction,
  kind: RelationKind,
  existing: RelationState | undefined,
  d: Dialect,
  notes: string[],
): { body: TaskBody; notes: string[] } {
  // Without CREATE OR REPLACE TABLE (PostgreSQL, Redshift) a table is dropped, then created, in
  // the same transaction below (or built beside and swapped, without transactional DDL).
  const replaceTable = kind === "table" && !d.capabilities.createOrReplaceTable;
  const create = kind === "view" ? d.createViewAs(a.target, a.query) : d.createTableAs(a.target, a.query, { replace: !replaceTable });
  const dropOther = existing && existing.kind !== kind ? [control(d.drop(a.target, existing.kind))] : [];
  if (dropOther.length) notes.push(`replaces an existing ${existing!.kind}`);
  if (d.capabilities.transactionalDdl) {
    const dropOld = replaceTable ? [control(d.drop(a.target, "table"))] : [];
    return {
      body: {
        type: "sql",
        atomic: true,
        statements: [control(d.begin()), ...hooks(a.preOps), ...dropOther, ...dropOld, load(create), ...hooks(a.postOps), control(d.commit())],
      },
      notes,
    };
  }
  // Without transactional DDL: build beside the old table, then swap, so a failed build
  // leaves the previous version in place.
  if (kind === "view") {
    return { body: { type: "sql", atomic: false, statements: [...hooks(a.preOps), ...dropOther, load(create), ...hooks(a.postOps)] }, notes };
  }
  const staging: Relation = { ...a.target, name: `${a.target.name}__rcu_new` };
  notes.push("built beside the old table, then swapped");
  return {
    body: {
      type: "sql",
      atomic: false,
      statements: [
        ...hooks(a.preOps),
        control(d.drop(staging, "table")),
        load(d.createTableAs(staging, a.query, { replace: false })),
        ...(existing ? [control(d.drop(a.target, existing.kind))] : []),
        control(d.rename(staging, a.target.name, "table")),
        ...hooks(a.postOps),
      ],
    },
    notes,
  };
}

function incremental(a: IncrementalAction, existing: RelationState | undefined, d: Dialect, o: PlanOptions) {
  if (!existing || existing.kind !== "table") {
    return rebuild(a, "table", existing, d, [existing ? "incremental: target is a view, rebuilt as a table" : "incremental: first build"]);
  }
  const notes: string[] = [];
  if (o.fullRefresh && !a.protected) return rebuild(a, "table", existing, d, ["incremental: full refresh"]);
  if (o.fullRefresh && a.protected) notes.push("protected: --full-refresh ignored, appending incrementally");
  const columns = existing.columns ?? [];
  if (columns.length === 0) {
    throw new RcuError("WAREHOUSE", `Cannot read the columns of ${d.qualify(a.target)} to load it incrementally.`, {
      action: a.id,
      file: a.file,
      hint: "Check that the table is readable by this profile, or run with --full-refresh.",
    });
  }
  const writes = a.uniqueKey.length
    ? d.upsert(a.target, a.incrementalQuery, a.uniqueKey, columns)
    : [d.insertInto(a.target, columns, a.incrementalQuery)];
  notes.push(a.uniqueKey.length ? `incremental: merge on ${a.uniqueKey.join(", ")}` : "incremental: insert");
  // Rows written are counted from the statements that add them (MERGE, INSERT), not from an
  // upsert's DELETE of the keys it replaces or its scratch tables.
  const writesRows = (sql: string) => /^\s*(INSERT|MERGE)\b/i.test(sql);
  const statements = [
    ...hooks(a.incrementalPreOps),
    ...writes.map((sql) => (writesRows(sql) ? load(sql) : hooks([sql])[0]!)),
    ...hooks(a.incrementalPostOps),
  ];
  // DML is transactional on every engine, so an incremental load is all-or-nothing everywhere.
  return {
    body: { type: "sql", atomic: true, statements: [control(d.begin()), ...statements, control(d.commit())] } as const,
    notes,
  };
}

/** Every statement text a task would send. */
function taskStatements(body: TaskBody): string[] {
  if (body.type === "sql") return body.statements.map((st) => st.sql);
  if (body.type === "assertion") return [...body.setup, body.countSql, body.sampleSql];
  return [];
}

/**
 * Refuses a plan holding a statement over the engine's limit (capabilities.maxStatementBytes:
 * Redshift's Data API takes 100 KB), naming the action before anything runs, rather than the
 * driver failing it halfway through a build.
 */
function checkStatementSizes(task: Task, dialect: Dialect): void {
  const limit = dialect.capabilities.maxStatementBytes;
  if (limit === null) return;
  for (const sql of taskStatements(task.body)) {
    const bytes = Buffer.byteLength(sql);
    if (bytes <= limit) continue;
    throw new RcuError("SQL", `Action ${task.id} would send a statement of ${bytes} bytes; ${dialect.name} accepts at most ${limit}.`, {
      doing: "plan",
      action: task.id,
      file: task.file,
      engine: dialect.name,
      statement: sql.slice(0, 2000),
      hint: "Split the definition's query (a view or table holding part of the columns, or a pre-operation), or move heavy expressions into includes/ helpers that compute them once.",
    });
  }
}
