/**
 * Executes one planned task on a connection and reports what happened. Atomic tasks are rolled
 * back on failure (the previous table stays queryable); transient engine errors are retried.
 */
import { RcuError, errorMessage } from "../errors.js";
import type { Task } from "../plan/plan.js";
import type { Connection, Dialect } from "../warehouses/types.js";
import type { ActionResult } from "./results.js";

export interface TaskRunOptions {
  readonly dialect: Dialect;
  /** Attempts for transient errors (lock conflicts); only atomic tasks are retried. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runTask(task: Task, conn: Connection, opts: TaskRunOptions): Promise<ActionResult> {
  const started = new Date();
  const t0 = performance.now();
  const executed: string[] = [];
  let rowsAffected: number | null = null;
  let attempts = 0;
  let skippedStatements = 0;
  // Time spent waiting on the engine (statements and queries): the rest is rcu's own overhead.
  let engineMs = 0;
  const timed = async <T>(p: Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await p;
    } finally {
      engineMs += performance.now() - t;
    }
  };
  const base = { id: task.id, kind: task.kind, file: task.file };
  const finish = (extra: Partial<ActionResult> & Pick<ActionResult, "status">): ActionResult => ({
    ...base,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    engineMs: Math.round(engineMs),
    rowsAffected,
    statements: executed,
    attempts,
    ...extra,
  });

  // Whether a transaction the statements opened themselves (an operation's BEGIN … COMMIT) is
  // open: a failure inside it is rolled back, or the connection would stay in an aborted one.
  let ownTransaction = false;
  const exec = async (sql: string, counts: boolean): Promise<void> => {
    executed.push(sql);
    if (/^\s*(BEGIN|START\s+TRANSACTION)\b/i.test(sql)) ownTransaction = true;
    else if (/^\s*(COMMIT|END|ROLLBACK)\b/i.test(sql)) ownTransaction = false;
    const r = await timed(conn.execute(sql));
    if (counts && r.rowsAffected !== null) rowsAffected = (rowsAffected ?? 0) + r.rowsAffected;
  };

  const body = task.body;
  if (body.type === "none") return finish({ status: "disabled" });
  const maxAttempts = body.type === "sql" && !body.atomic ? 1 : (opts.maxAttempts ?? 3);

  for (;;) {
    attempts++;
    try {
      if (body.type === "sql") {
        skippedStatements = 0;
        for (let i = 0; i < body.statements.length; i++) {
          const st = body.statements[i]!;
          if (st.skipIfEmpty === undefined) {
            await exec(st.sql, st.role === "load");
            continue;
          }
          // An early exit (plan/control.ts): no row means the statements up to the label would
          // change nothing. The plan checked that the label is further on.
          executed.push(st.sql);
          const rows = await timed(conn.query(st.sql));
          if (rows.length > 0) continue;
          const landing = body.statements.findIndex((s, j) => j > i && s.label === st.skipIfEmpty);
          skippedStatements += landing - i - 1;
          i = landing - 1;
        }
        return finish({ status: "success", ...(skippedStatements ? { skippedStatements } : {}) });
      }
      // The view creation is bookkeeping; an assertion's outcome is its failing-row count.
      for (const sql of body.setup) await exec(sql, false);
      executed.push(body.countSql);
      const [row] = await timed(conn.query(body.countSql));
      const failingRows = Number(row?.failing_rows ?? 0);
      if (failingRows === 0) return finish({ status: "success", assertion: { failingRows, sample: [] } });
      executed.push(body.sampleSql);
      const sample = await timed(conn.query(body.sampleSql));
      const error = new RcuError(
        "ASSERTION",
        `Assertion ${task.id} failed: ${failingRows} row(s) violate it.${body.checks ? ` It checks: ${body.checks}` : ""}`,
        {
          action: task.id,
          file: task.file,
          engine: opts.dialect.name,
          hint: `Inspect them with: SELECT * FROM ${opts.dialect.qualify(task.target)}`,
        },
      );
      return finish({ status: "failed", assertion: { failingRows, sample }, error: error.toJSON() });
    } catch (err) {
      const atomic = body.type === "sql" && body.atomic;
      if (atomic || ownTransaction) {
        ownTransaction = false;
        const rollback = opts.dialect.rollback();
        executed.push(rollback);
        // A rollback after an aborted transaction may itself fail ("no transaction is active");
        // the original error is what the user needs to see.
        await conn.execute(rollback).catch(() => undefined);
      }
      const failed = executed.filter((s) => s !== opts.dialect.rollback()).at(-1);
      const rcuErr =
        err instanceof RcuError
          ? new RcuError(err.code, err.message, {
              ...err.context,
              action: task.id,
              file: task.file,
              engine: opts.dialect.name,
              // The driver's own statement wins: an engine that sends a transaction as one
              // batch (Redshift Data API) names the failing member, not the COMMIT.
              ...(err.context.statement ?? failed ? { statement: err.context.statement ?? failed } : {}),
              hint: err.context.hint ?? `Fix the SQL in ${task.file}, then re-run with --select ${task.id}.`,
            }, { kind: err.kind, cause: err })
          : new RcuError("INTERNAL", errorMessage(err), { action: task.id, file: task.file }, { cause: err });
      if (rcuErr.kind === "transient" && attempts < maxAttempts) {
        await sleep((opts.retryDelayMs ?? 200) * 2 ** (attempts - 1));
        rowsAffected = null;
        continue;
      }
      return finish({ status: "failed", error: rcuErr.toJSON() });
    }
  }
}
