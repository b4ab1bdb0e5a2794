/**
 * Rejected records: everything the load could not land goes to `rcu_meta.rejected_records` with
 * where it came from (source, stream, input, position), its raw text and the reason. Rejects are
 * staged with the rows and published in the same transaction.
 */
import { createMetaTable } from "../../engine/warehouses/sql-common.js";
import type { Dialect, MetaColumnType, Relation } from "../../engine/warehouses/types.js";
import { META_SCHEMA } from "./raw-table.js";

export const REJECTED: Relation = { schema: META_SCHEMA, name: "rejected_records" };

const COLUMNS: ReadonlyArray<[string, MetaColumnType]> = [
  ["load_id", "text"],
  ["source", "text"],
  ["stream", "text"],
  ["input", "text"],
  ["position", "bigint"],
  ["raw", "text"],
  ["reason", "text"],
  ["rejected_at", "timestamp"],
];

/** Staging columns, all text so every engine's bulk path can take them. */
export const REJECT_STAGING_COLUMNS = ["input", "position", "raw", "reason"] as const;

export function createRejectedTable(dialect: Dialect): string {
  return createMetaTable(dialect, REJECTED, COLUMNS);
}

export function publishRejects(
  dialect: Dialect,
  staging: Relation,
  ids: { loadId: string; source: string; stream: string; at: string },
): string {
  const q = dialect.quoteIdentifier;
  const lit = dialect.stringLiteral;
  return `INSERT INTO ${dialect.qualify(REJECTED)} (${COLUMNS.map(([n]) => q(n)).join(", ")})
SELECT ${lit(ids.loadId)}, ${lit(ids.source)}, ${lit(ids.stream)}, ${q("input")},
       CAST(${q("position")} AS ${dialect.columnType("bigint")}), ${q("raw")}, ${q("reason")},
       CAST(${lit(ids.at)} AS ${dialect.columnType("timestamp")})
  FROM ${dialect.qualify(staging)}`;
}
