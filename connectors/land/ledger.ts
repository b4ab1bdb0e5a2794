/**
 * The loads ledger `rcu_meta.loads`: one row per stream per extract, written in the same
 * transaction as the rows it describes (so a ledger row exists iff its rows are visible), or,
 * for a failed load, after the rollback.
 */
import { createMetaTable } from "../../engine/warehouses/sql-common.js";
import type { Connection, Dialect, MetaColumnType, Relation, SqlValue } from "../../engine/warehouses/types.js";
import type { StreamSummary } from "../types.js";
import { META_SCHEMA } from "./raw-table.js";

export const LOADS: Relation = { schema: META_SCHEMA, name: "loads" };

const COLUMNS: ReadonlyArray<[string, MetaColumnType]> = [
  ["load_id", "text"],
  ["source", "text"],
  ["stream", "text"],
  ["target", "text"],
  ["status", "text"],
  ["inputs", "json"],
  ["rows_in", "bigint"],
  ["rows_landed", "bigint"],
  ["rows_rejected", "bigint"],
  ["values_discarded", "bigint"],
  ["columns_added", "json"],
  ["cursor_before", "text"],
  ["cursor_after", "text"],
  ["started_at", "timestamp"],
  ["finished_at", "timestamp"],
  ["error", "text"],
];

export function createLoadsTable(dialect: Dialect): string {
  return createMetaTable(dialect, LOADS, COLUMNS);
}

/** Cap what we keep of long input lists (an API window can be thousands of pages). */
function inputsJson(s: StreamSummary): string {
  const max = 1000;
  const list = s.inputs.slice(0, max);
  return JSON.stringify(s.inputs.length > max ? { first: list, total: s.inputs.length } : list);
}

export function insertLoad(dialect: Dialect, s: StreamSummary, startedAt: Date, finishedAt: Date): [string, SqlValue[]] {
  const values: SqlValue[] = [
    s.loadId,
    s.source,
    s.stream,
    s.table,
    s.status,
    inputsJson(s),
    s.rowsIn,
    s.rowsLanded,
    s.rowsRejected,
    s.valuesDiscarded,
    JSON.stringify(s.columnsAdded),
    s.cursorBefore,
    s.cursorAfter,
    startedAt.toISOString(),
    finishedAt.toISOString(),
    s.error ? s.error.message : null,
  ];
  const placeholders = COLUMNS.map(([, t], i) =>
    t === "text" ? dialect.parameter(i + 1) : `CAST(${dialect.parameter(i + 1)} AS ${dialect.columnType(t)})`,
  );
  return [
    `INSERT INTO ${dialect.qualify(LOADS)} (${COLUMNS.map(([n]) => dialect.quoteIdentifier(n)).join(", ")}) VALUES (${placeholders.join(", ")})`,
    values,
  ];
}

export interface LoadRow {
  readonly loadId: string;
  readonly source: string;
  readonly stream: string;
  readonly target: string;
  readonly status: string;
  readonly rowsIn: number;
  readonly rowsLanded: number;
  readonly rowsRejected: number;
  readonly cursorBefore: string | null;
  readonly cursorAfter: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error: string | null;
}

/** The most recent loads, newest first (for `rcu status`). Empty when nothing was ever loaded. */
export async function listLoads(connection: Connection, dialect: Dialect, limit = 20): Promise<LoadRow[]> {
  const exists = (await connection.listRelations()).some((r) => r.schema === LOADS.schema && r.name === LOADS.name);
  if (!exists) return [];
  const q = dialect.quoteIdentifier;
  const rows = await connection.query(
    dialect.limitRows(
      `SELECT ${COLUMNS.map(([n, t]) => (t === "text" ? q(n) : `CAST(${q(n)} AS ${dialect.columnType("text")}) AS ${q(n)}`)).join(", ")}
         FROM ${dialect.qualify(LOADS)} ORDER BY ${q("started_at")} DESC, ${q("load_id")} DESC`,
      Math.max(1, Math.trunc(limit)),
    ),
  );
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    loadId: String(r.load_id),
    source: String(r.source),
    stream: String(r.stream),
    target: String(r.target),
    status: String(r.status),
    rowsIn: Number(r.rows_in),
    rowsLanded: Number(r.rows_landed),
    rowsRejected: Number(r.rows_rejected),
    cursorBefore: str(r.cursor_before),
    cursorAfter: str(r.cursor_after),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    error: str(r.error),
  }));
}
