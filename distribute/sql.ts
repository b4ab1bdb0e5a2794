/**
 * Pure SQL of distribution, built with the warehouse's dialect (golden-testable): the records a
 * destination should hold now, the diff against what it was sent (sync state), and the
 * bookkeeping tables. Column names from config are quoted by the dialect; `{ sql }` fields are the
 * project owner's expressions, trusted like SQLX.
 */
import { createMetaTable } from "../engine/warehouses/sql-common.js";
import type { Dialect, MetaColumnType, Relation, SqlValue } from "../engine/warehouses/types.js";
import type { DestinationConfig } from "./config.js";

export const SYNC_SCHEMA = "rcu_meta";
export const SYNC_STATE: Relation = { schema: SYNC_SCHEMA, name: "sync_state" };
export const SYNC_RUNS: Relation = { schema: SYNC_SCHEMA, name: "sync_runs" };
export const SYNC_AUDIT: Relation = { schema: SYNC_SCHEMA, name: "sync_audit" };
export const CONSENTS: Relation = { schema: "rcu_marts", name: "user_consents" };
export const SEGMENT_MEMBERS: Relation = { schema: "rcu_marts", name: "segment_membership" };

/** The scratch table holding one destination's pending changes during a sync. */
export function pendingRelation(destination: string): Relation {
  return { schema: SYNC_SCHEMA, name: `sync_pending__${destination}` };
}

export const STATE_COLUMNS: Array<[string, MetaColumnType]> = [
  ["destination", "text"], ["record_key", "text"], ["record_hash", "text"], ["synced_at", "timestamp"], ["sync_id", "text"],
];
export const RUN_COLUMNS: Array<[string, MetaColumnType]> = [
  ["sync_id", "text"], ["destination", "text"], ["kind", "text"], ["purpose", "text"], ["full_resend", "boolean"],
  ["started_at", "timestamp"], ["finished_at", "timestamp"], ["status", "text"], ["upserts_pending", "bigint"],
  ["deletes_pending", "bigint"], ["upserts_sent", "bigint"], ["deletes_sent", "bigint"], ["batches_ok", "bigint"],
  ["batches_failed", "bigint"], ["error_message", "text"], ["output", "text"],
];
export const AUDIT_COLUMNS: Array<[string, MetaColumnType]> = [
  ["sync_id", "text"], ["destination", "text"], ["batch_id", "text"], ["user_id", "text"], ["op", "text"],
  ["purpose", "text"], ["basis", "text"], ["consent_channel", "text"], ["consent_at", "timestamp"], ["sent_at", "timestamp"],
];

export function syncDdl(d: Dialect): string[] {
  return [
    d.createSchema(SYNC_SCHEMA),
    createMetaTable(d, SYNC_STATE, STATE_COLUMNS),
    createMetaTable(d, SYNC_RUNS, RUN_COLUMNS),
    createMetaTable(d, SYNC_AUDIT, AUDIT_COLUMNS),
  ];
}

function relationOf(qualified: string): Relation {
  const [schema, name] = qualified.split(".") as [string, string];
  return { schema, name };
}

/** Positional alias of mapped field i (destination field names may be anything). */
export const fieldAlias = (i: number): string => `c${i}`;

/**
 * The records the destination should hold: key (user_id), one text column per mapped field, a
 * hash of them, and the consent time (NULL under another legal basis). Users without a granted
 * consent for the purpose on the channel are simply not there — never sent, and removed
 * downstream if they were sent before.
 */
export function currentRecordsSql(d: Dialect, dest: DestinationConfig): string {
  const q = (s: string) => d.quoteIdentifier(s);
  const text = d.columnType("text");
  const fields = Object.values(dest.columns).map((f, i) => {
    const expr = typeof f === "string" ? `r.${q(f)}` : `(${f.sql})`;
    return `CAST(${expr} AS ${text}) AS ${q(fieldAlias(i))}`;
  });
  const hashInput = Object.keys(dest.columns)
    .map((_, i) => `COALESCE(${q(fieldAlias(i))}, '~')`)
    .join(` || '|' || `);
  const joins: string[] = [];
  if (dest.segment) {
    joins.push(
      `JOIN ${d.qualify(SEGMENT_MEMBERS)} AS sm ON sm.${q("user_id")} = r.${q("user_id")} AND sm.${q("segment")} = ${d.stringLiteral(dest.segment)}`,
    );
  }
  if (dest.consent) {
    joins.push(
      `JOIN ${d.qualify(CONSENTS)} AS uc ON uc.${q("user_id")} = r.${q("user_id")} AND uc.${q("channel_key")} = ${d.stringLiteral(dest.consent.channel)}` +
        ` AND uc.${q("purpose")} = ${d.stringLiteral(dest.purpose)} AND uc.${q("status")} = 'granted'`,
    );
  }
  const consentAt = dest.consent ? `uc.${q("changed_at")}` : "CAST(NULL AS TIMESTAMP)";
  return `SELECT rcu_key, ${Object.keys(dest.columns).map((_, i) => q(fieldAlias(i))).join(", ")}, md5(${hashInput}) AS rcu_hash, rcu_consent_at
FROM (
  SELECT CAST(r.${q("user_id")} AS ${text}) AS rcu_key,
    ${fields.join(",\n    ")},
    ${consentAt} AS rcu_consent_at
  FROM ${d.qualify(relationOf(dest.from))} AS r
  ${joins.join("\n  ")}
  WHERE r.${q("user_id")} IS NOT NULL
) AS cur`;
}

/**
 * Pending changes: upserts (new or changed records; every record with `full`) and deletes (keys
 * the destination holds that are no longer current: left the segment, consent withdrawn, user
 * erased or merged away).
 */
export function pendingSql(d: Dialect, name: string, dest: DestinationConfig, full: boolean): string {
  const q = (s: string) => d.quoteIdentifier(s);
  const state = d.qualify(SYNC_STATE);
  const n = Object.keys(dest.columns).length;
  const cols = Array.from({ length: n }, (_, i) => q(fieldAlias(i)));
  const text = d.columnType("text");
  return `CREATE TABLE ${d.qualify(pendingRelation(name))} AS
WITH cur AS (
${currentRecordsSql(d, dest)}
), held AS (
  SELECT record_key, record_hash FROM ${state} WHERE destination = ${d.stringLiteral(name)}
)
SELECT 'upsert' AS op, cur.rcu_key, ${cols.map((c) => `cur.${c}`).join(", ")}, cur.rcu_hash, cur.rcu_consent_at
FROM cur LEFT JOIN held ON held.record_key = cur.rcu_key
WHERE ${full ? "1 = 1" : "held.record_key IS NULL OR held.record_hash <> cur.rcu_hash"}
UNION ALL
SELECT 'delete', held.record_key, ${cols.map((c) => `CAST(NULL AS ${text}) AS ${c}`).join(", ")}, CAST(NULL AS ${text}), CAST(NULL AS TIMESTAMP)
FROM held WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.rcu_key = held.record_key)`;
}

/** One page of pending changes of kind `op`, keys after `after`, in key order. */
export function pageSql(d: Dialect, name: string, n: number, op: "upsert" | "delete", limit: number): string {
  const q = (s: string) => d.quoteIdentifier(s);
  const cols = Array.from({ length: n }, (_, i) => q(fieldAlias(i)));
  return d.limitRows(
    `SELECT rcu_key, ${cols.join(", ")}, rcu_hash FROM ${d.qualify(pendingRelation(name))} WHERE op = '${op}' AND rcu_key > ${d.parameter(1)} ORDER BY rcu_key`,
    limit,
  );
}

export interface RangeCommit {
  readonly destination: string;
  readonly syncId: string;
  readonly batchId: string;
  readonly from: string;
  readonly to: string;
  readonly sentAt: Date;
}

/**
 * Record a delivered key range [from, to] of kind `op` as sent: in the sync state and the audit
 * trail. Statements with their own parameters (values never enter the SQL text).
 */
export function commitRangeSql(
  d: Dialect,
  dest: DestinationConfig,
  op: "upsert" | "delete",
  c: RangeCommit,
): Array<{ sql: string; params: SqlValue[] }> {
  const pending = d.qualify(pendingRelation(c.destination));
  const basis = dest.consent ? "consent" : (dest.legal_basis ?? "consent");
  // Each statement numbers its own parameters: 1 destination, 2 first key, 3 last key, then its own.
  const p = (i: number) => d.parameter(i);
  const inRange = `op = '${op}' AND rcu_key >= ${p(2)} AND rcu_key <= ${p(3)}`;
  const base: SqlValue[] = [c.destination, c.from, c.to];
  const stmts = [
    {
      sql: `DELETE FROM ${d.qualify(SYNC_STATE)} WHERE destination = ${p(1)} AND record_key IN (SELECT rcu_key FROM ${pending} WHERE ${inRange})`,
      params: base,
    },
  ];
  if (op === "upsert") {
    stmts.push({
      sql: `INSERT INTO ${d.qualify(SYNC_STATE)} (destination, record_key, record_hash, synced_at, sync_id)
SELECT ${p(1)}, rcu_key, rcu_hash, ${p(4)}, ${p(5)} FROM ${pending} WHERE ${inRange}`,
      params: [...base, c.sentAt, c.syncId],
    });
  }
  stmts.push({
    sql: `INSERT INTO ${d.qualify(SYNC_AUDIT)} (sync_id, destination, batch_id, user_id, op, purpose, basis, consent_channel, consent_at, sent_at)
SELECT ${p(4)}, ${p(1)}, ${p(5)}, rcu_key, op, ${p(6)}, ${p(7)}, ${p(8)}, rcu_consent_at, ${p(9)}
FROM ${pending} WHERE ${inRange}`,
    params: [...base, c.syncId, c.batchId, dest.purpose, basis, dest.consent?.channel ?? null, c.sentAt],
  });
  return stmts;
}
