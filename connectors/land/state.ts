/**
 * Extract state `rcu_meta.extract_state`: incremental cursors and file fingerprints per stream.
 * Written only inside the publish transaction, so a cursor never advances past rows that are not
 * committed (a crashed load re-reads its window on the next run).
 */
import { createMetaTable } from "../../engine/warehouses/sql-common.js";
import type { Connection, Dialect, MetaColumnType, Relation, SqlValue } from "../../engine/warehouses/types.js";
import type { CursorState, FileFingerprint, StreamState } from "../types.js";
import { META_SCHEMA } from "./raw-table.js";

export const STATE: Relation = { schema: META_SCHEMA, name: "extract_state" };

const COLUMNS: ReadonlyArray<[string, MetaColumnType]> = [
  ["source", "text"],
  ["stream", "text"],
  ["kind", "text"],
  ["key", "text"],
  ["value", "text"],
  ["load_id", "text"],
  ["updated_at", "timestamp"],
];

export function createStateTable(dialect: Dialect): string {
  return createMetaTable(dialect, STATE, COLUMNS);
}

export async function readState(conn: Connection, dialect: Dialect, source: string, stream: string): Promise<StreamState> {
  const q = dialect.quoteIdentifier;
  const rows = await conn.query(
    `SELECT ${q("kind")}, ${q("key")}, ${q("value")} FROM ${dialect.qualify(STATE)} WHERE ${q("source")} = ${dialect.parameter(1)} AND ${q("stream")} = ${dialect.parameter(2)}`,
    [source, stream],
  );
  let cursor: CursorState | null = null;
  const files = new Map<string, FileFingerprint>();
  for (const r of rows) {
    const value = JSON.parse(String(r.value)) as unknown;
    if (r.kind === "cursor") cursor = value as CursorState;
    else if (r.kind === "file") files.set(String(r.key), value as FileFingerprint);
  }
  return { cursor, files };
}

/** Statements (run inside the publish transaction) replacing the given state entries. */
export function writeState(
  dialect: Dialect,
  ids: { source: string; stream: string; loadId: string; at: string },
  entries: ReadonlyArray<{ kind: "cursor" | "file"; key: string; value: unknown }>,
  options: { forgetFiles: boolean },
): Array<[string, SqlValue[]]> {
  const q = dialect.quoteIdentifier;
  const p = dialect.parameter;
  const out: Array<[string, SqlValue[]]> = [];
  const where = `${q("source")} = ${p(1)} AND ${q("stream")} = ${p(2)}`;
  if (options.forgetFiles) {
    // `replace` re-reads every file: the fingerprints describe exactly the files now landed.
    out.push([`DELETE FROM ${dialect.qualify(STATE)} WHERE ${where} AND ${q("kind")} = 'file'`, [ids.source, ids.stream]]);
  }
  for (const e of entries) {
    out.push([
      `DELETE FROM ${dialect.qualify(STATE)} WHERE ${where} AND ${q("kind")} = ${p(3)} AND ${q("key")} = ${p(4)}`,
      [ids.source, ids.stream, e.kind, e.key],
    ]);
    out.push([
      `INSERT INTO ${dialect.qualify(STATE)} (${COLUMNS.map(([n]) => q(n)).join(", ")}) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, CAST(${p(7)} AS ${dialect.columnType("timestamp")}))`,
      [ids.source, ids.stream, e.kind, e.key, JSON.stringify(e.value), ids.loadId, ids.at],
    ]);
  }
  return out;
}
