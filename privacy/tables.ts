/**
 * rcu's privacy bookkeeping in the warehouse: the salt, the suppression list (the same DDL as
 * definitions/identity/00_privacy.js, so either may create them first) and the erasure reports.
 */
import { createMetaTable } from "../engine/warehouses/sql-common.js";
import type { Dialect, MetaColumnType, Relation } from "../engine/warehouses/types.js";

export const PRIVACY_SCHEMA = "rcu_meta";
export const SALT: Relation = { schema: PRIVACY_SCHEMA, name: "privacy_salt" };
export const SUPPRESSIONS: Relation = { schema: PRIVACY_SCHEMA, name: "suppressions" };
export const ERASURES: Relation = { schema: PRIVACY_SCHEMA, name: "erasures" };

/**
 * Kinds of suppressed values; the hash is sha256(salt || ':' || kind || ':' || value). `seen:<type>`:
 * an identifier seen in events (identity.sightings; the type is a validated name, safe in SQL).
 */
export type SuppressionKind = "record" | "email" | "phone" | "device" | "order" | `seen:${string}`;

const ERASURE_COLUMNS: Array<[string, MetaColumnType]> = [
  ["request_id", "text"], ["requested_at", "timestamp"], ["selector", "text"], ["dry_run", "boolean"],
  ["users", "bigint"], ["records", "bigint"], ["rows_removed", "bigint"], ["report", "json"],
];

export function privacyDdl(d: Dialect): string[] {
  const text = d.columnType("text");
  return [
    d.createSchema(PRIVACY_SCHEMA),
    d.createTable(SALT, [{ name: "salt", type: text }]),
    `INSERT INTO ${d.qualify(SALT)} (salt)
SELECT md5(CAST(random() AS ${text}) || CAST(CURRENT_TIMESTAMP AS ${text})) || md5(CAST(random() AS ${text}))
WHERE NOT EXISTS (SELECT 1 FROM ${d.qualify(SALT)})`,
    d.createTable(SUPPRESSIONS, [
      { name: "kind", type: text }, { name: "value_hash", type: text }, { name: "request_id", type: text }, { name: "created_at", type: "TIMESTAMP" },
    ]),
    createMetaTable(d, ERASURES, ERASURE_COLUMNS),
  ];
}

/** The salted hash of a text expression, as stored in the suppression list. */
export function suppressionHash(d: Dialect, kind: SuppressionKind, expr: string): string {
  return d.sha256Hex(`(SELECT salt FROM ${d.qualify(SALT)}) || ':${kind}:' || ${expr}`);
}

/** `expr` is a suppressed value of `kind`. */
export function isSuppressed(d: Dialect, kind: SuppressionKind, expr: string): string {
  return `${suppressionHash(d, kind, expr)} IN (SELECT value_hash FROM ${d.qualify(SUPPRESSIONS)} WHERE kind = '${kind}')`;
}

export { ERASURE_COLUMNS };
