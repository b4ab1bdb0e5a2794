/**
 * The run log kept in the warehouse itself (`rcu_meta.runs`, `rcu_meta.action_runs`), so
 * schedulers, BI tools and `rcu status` can see what ran without access to the machine's files.
 * All values go in as parameters; only rcu's own fixed names are in the SQL text.
 */
import { createMetaTable, insertMetaRow } from "../warehouses/sql-common.js";
import type { Connection, Dialect, MetaColumnType, Relation } from "../warehouses/types.js";
import type { ActionResult, RunResults } from "./results.js";

export const META_SCHEMA = "rcu_meta";
export const RUNS: Relation = { schema: META_SCHEMA, name: "runs" };
const ACTION_RUNS: Relation = { schema: META_SCHEMA, name: "action_runs" };

const RUN_COLUMNS: Array<[string, MetaColumnType]> = [
  ["run_id", "text"], ["command", "text"], ["status", "text"], ["started_at", "timestamp"],
  ["finished_at", "timestamp"], ["duration_ms", "bigint"], ["warehouse", "text"], ["selection", "text"],
  ["full_refresh", "boolean"], ["threads", "bigint"], ["actions_total", "bigint"], ["actions_success", "bigint"],
  ["actions_failed", "bigint"], ["actions_skipped", "bigint"], ["rcu_version", "text"], ["dataform_core_version", "text"],
];
const ACTION_COLUMNS: Array<[string, MetaColumnType]> = [
  ["run_id", "text"], ["action_id", "text"], ["kind", "text"], ["file", "text"], ["status", "text"],
  ["started_at", "timestamp"], ["finished_at", "timestamp"], ["duration_ms", "bigint"], ["rows_affected", "bigint"],
  ["attempts", "bigint"], ["failing_rows", "bigint"], ["error_code", "text"], ["error_message", "text"],
  ["skipped_because", "text"],
];

export function metaDdl(d: Dialect): string[] {
  const table = (rel: Relation, cols: Array<[string, MetaColumnType]>) =>
    createMetaTable(d, rel, cols);
  return [d.createSchema(META_SCHEMA), table(RUNS, RUN_COLUMNS), table(ACTION_RUNS, ACTION_COLUMNS)];
}

export class MetaLog {
  constructor(private readonly conn: Connection, private readonly d: Dialect) {}

  async ensure(): Promise<void> {
    for (const sql of metaDdl(this.d)) await this.conn.execute(sql);
  }

  async runStarted(r: Pick<RunResults, "runId" | "command" | "startedAt" | "warehouse" | "selection" | "fullRefresh" | "threads" | "rcuVersion" | "dataformCoreVersion">): Promise<void> {
    await this.conn.execute(insertMetaRow(this.d, RUNS, RUN_COLUMNS), [
      r.runId, r.command, "running", r.startedAt, null, null, r.warehouse, r.selection.join(" "),
      r.fullRefresh, r.threads, null, null, null, null, r.rcuVersion, r.dataformCoreVersion,
    ]);
  }

  async actionFinished(runId: string, a: ActionResult): Promise<void> {
    await this.conn.execute(insertMetaRow(this.d, ACTION_RUNS, ACTION_COLUMNS), [
      runId, a.id, a.kind, a.file, a.status, a.startedAt, a.finishedAt, a.durationMs, a.rowsAffected,
      a.attempts, a.assertion?.failingRows ?? null,
      (a.error?.code as string | undefined) ?? null, (a.error?.message as string | undefined) ?? null,
      a.skippedBecause ?? null,
    ]);
  }

  async runFinished(r: RunResults): Promise<void> {
    const q = (c: string) => this.d.quoteIdentifier(c);
    const p = (i: number) => this.d.parameter(i);
    await this.conn.execute(
      `UPDATE ${this.d.qualify(RUNS)} SET ${q("status")} = ${p(1)}, ${q("finished_at")} = ${p(2)}, ${q("duration_ms")} = ${p(3)},
        ${q("actions_total")} = ${p(4)}, ${q("actions_success")} = ${p(5)}, ${q("actions_failed")} = ${p(6)},
        ${q("actions_skipped")} = ${p(7)} WHERE ${q("run_id")} = ${p(8)}`,
      [r.status, r.finishedAt, r.durationMs, r.summary.total, r.summary.success, r.summary.failed, r.summary.skipped, r.runId],
    );
  }
}
