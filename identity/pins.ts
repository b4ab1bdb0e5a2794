/**
 * A data steward's pins: `rcu identity pin <person> <records…>` says these records are one person,
 * and records pinned to different person labels are different people, whatever the links say.
 * Identity resolution reads them at its next run (definitions/identity/03_clusters.js): a user
 * holding records of two labels is split, the pinned records grouped by label and the others
 * joining the group they are most strongly linked to; users holding records of one label become
 * one. The table is the same DDL as definitions/identity/00_identity_pins.js, so either may create
 * it first. Values are bound as parameters, never written into the SQL.
 */
import { RcuError } from "../engine/errors.js";
import { createMetaTable } from "../engine/warehouses/sql-common.js";
import type { Connection, Dialect, MetaColumnType, SqlValue } from "../engine/warehouses/types.js";
import { hasRelation, haveRelations, identityMap, identityPins, IDENTITY_SCHEMA, personRecords } from "./tables.js";

const PIN_COLUMNS: Array<[string, MetaColumnType]> = [["record_key", "text"], ["person", "text"], ["reason", "text"], ["pinned_at", "timestamp"]];

/** A label names a person in the steward's own terms ("dupont-father", "case:4411"); it is not data. */
export const PERSON_LABEL = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export interface Pin {
  readonly record_key: string;
  readonly person: string;
  readonly reason: string | null;
  readonly pinned_at: string | null;
  /** The user holding the record at the last run (null: not resolved yet). */
  readonly user_id: string | null;
}

export interface PinResult {
  readonly person: string;
  readonly records: readonly string[];
  /** Records that were pinned to another label before, with that label. */
  readonly moved: ReadonlyArray<{ record_key: string; from: string }>;
}

export interface PinStatus {
  readonly person: string;
  readonly records: readonly Pin[];
  /**
   * "applied": the label's records share one user that holds no other label's record; "pending":
   * the next `rcu run --select tag:identity` will apply it.
   */
  readonly status: "applied" | "pending";
}

export function pinsDdl(d: Dialect): string[] {
  return [d.createSchema(IDENTITY_SCHEMA), createMetaTable(d, identityPins, PIN_COLUMNS)];
}

const placeholders = (d: Dialect, n: number, from = 1) => Array.from({ length: n }, (_, i) => d.parameter(from + i)).join(", ");

/** The records of `keys` that person_records does not hold; refuses a warehouse never resolved. */
async function unknownRecords(conn: Connection, d: Dialect, keys: readonly string[], doing: string): Promise<string[]> {
  if (!(await hasRelation(conn, personRecords))) {
    throw new RcuError("NOT_FOUND", `${doing}: ${d.qualify(personRecords)} does not exist, so there is no record to pin.`, {
      doing,
      hint: "Run identity resolution first: rcu run (or rcu run --select tag:identity).",
    });
  }
  const rows = await conn.query(`SELECT record_key FROM ${d.qualify(personRecords)} WHERE record_key IN (${placeholders(d, keys.length)})`, keys);
  const found = new Set(rows.map((r) => String(r.record_key)));
  return keys.filter((k) => !found.has(k));
}

/** Records a command takes at most: one person's, bound as parameters of one statement. */
const MAX_RECORDS = 500;

function checkRecords(records: readonly string[], doing: string): string[] {
  const keys = [...new Set(records.map((r) => r.trim()))];
  if (keys.length === 0) throw new RcuError("USAGE", `${doing}: name at least one record (source:record_id).`, { doing });
  if (keys.length > MAX_RECORDS) {
    throw new RcuError("USAGE", `${doing}: ${keys.length} records in one command; at most ${MAX_RECORDS}.`, {
      doing,
      hint: "A pin is a steward's decision on one person's records: split a bulk load into one command per person.",
    });
  }
  const bad = keys.find((k) => !/^[^:\s]+:.+$/.test(k));
  if (bad !== undefined) {
    throw new RcuError("USAGE", `${doing}: "${bad}" is not a record; give records as source:record_id (e.g. crm_contacts:C000123).`, {
      doing,
      hint: "rcu identity explain <user_id> lists a user's records in that form.",
    });
  }
  return keys;
}

/** Pin `records` to `person` (replacing any earlier pin of theirs), in one transaction. */
export async function pinRecords(conn: Connection, d: Dialect, person: string, records: readonly string[], reason: string): Promise<PinResult> {
  const doing = "identity pin";
  if (!PERSON_LABEL.test(person)) {
    throw new RcuError("USAGE", `${doing}: the person label "${person}" is not valid: use 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.`, {
      doing,
      hint: "A label is the steward's name for a person (e.g. petit-father, case-4411): keep personal data out of it.",
    });
  }
  if (!reason.trim()) throw new RcuError("USAGE", `${doing}: say why with --reason (it is kept with the pin).`, { doing });
  const keys = checkRecords(records, doing);
  const unknown = await unknownRecords(conn, d, keys, doing);
  if (unknown.length) {
    throw new RcuError("NOT_FOUND", `${doing}: no such person record: ${unknown.slice(0, 10).join(", ")}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ""}. Nothing was pinned.`, {
      doing,
      hint: "Records are source:record_id as identity resolution keys them; rcu identity explain <user_id> lists them.",
    });
  }
  for (const sql of pinsDdl(d)) await conn.execute(sql);
  const before = await conn.query(`SELECT record_key, person FROM ${d.qualify(identityPins)} WHERE record_key IN (${placeholders(d, keys.length)})`, keys);
  const moved = before.filter((r) => String(r.person) !== person).map((r) => ({ record_key: String(r.record_key), from: String(r.person) }));
  const at = new Date();
  await conn.execute(d.begin());
  try {
    await conn.execute(`DELETE FROM ${d.qualify(identityPins)} WHERE record_key IN (${placeholders(d, keys.length)})`, keys);
    // The driver's bulk append (one COPY, appender or batched INSERT, on this connection and in
    // this transaction), not a statement per record: a round trip each on Redshift's Data API.
    const rows: SqlValue[][] = keys.map((key) => [key, person, reason, at]);
    await conn.append(identityPins, PIN_COLUMNS.map(([c]) => c), rows);
    await conn.execute(d.commit());
  } catch (err) {
    await conn.execute(d.rollback()).catch(() => undefined);
    throw err;
  }
  return { person, records: keys, moved };
}

/** Remove the pins of `records`, or every pin of the label `person`; returns how many there were. */
export async function unpinRecords(conn: Connection, d: Dialect, target: { records: readonly string[] } | { person: string }): Promise<number> {
  const doing = "identity unpin";
  const where =
    "person" in target
      ? { sql: `person = ${d.parameter(1)}`, params: [target.person] }
      : (() => {
          const keys = checkRecords(target.records, doing);
          return { sql: `record_key IN (${placeholders(d, keys.length)})`, params: keys };
        })();
  if (!(await hasRelation(conn, identityPins))) return 0;
  const had = await conn.query(`SELECT COUNT(*) AS n FROM ${d.qualify(identityPins)} WHERE ${where.sql}`, where.params);
  await conn.execute(`DELETE FROM ${d.qualify(identityPins)} WHERE ${where.sql}`, where.params);
  return Number(had[0]?.n ?? 0);
}

/** Every pin (or one label's), by label, with the user each record is in and whether the last run applied it. */
export async function listPins(conn: Connection, d: Dialect, person?: string): Promise<PinStatus[]> {
  const [pinned, mapped] = await haveRelations(conn, [identityPins, identityMap]);
  if (!pinned) return [];
  const rows = await conn.query(
    `SELECT p.record_key, p.person, p.reason, p.pinned_at, ${mapped ? "m.user_id" : `CAST(NULL AS ${d.columnType("text")}) AS user_id`}
FROM ${d.qualify(identityPins)} AS p${mapped ? ` LEFT JOIN ${d.qualify(identityMap)} AS m ON m.record_key = p.record_key` : ""}
ORDER BY p.person, p.record_key`,
  );
  const pins: Pin[] = rows.map((r) => ({
    record_key: String(r.record_key),
    person: String(r.person),
    reason: r.reason === null || r.reason === undefined ? null : String(r.reason),
    pinned_at: r.pinned_at instanceof Date ? r.pinned_at.toISOString() : r.pinned_at === null || r.pinned_at === undefined ? null : String(r.pinned_at),
    user_id: r.user_id === null || r.user_id === undefined ? null : String(r.user_id),
  }));
  // Which labels each user holds: a label is applied when its records share one user holding no other label.
  const labelsOfUser = new Map<string, Set<string>>();
  for (const p of pins) if (p.user_id) (labelsOfUser.get(p.user_id) ?? labelsOfUser.set(p.user_id, new Set()).get(p.user_id)!).add(p.person);
  const byPerson = new Map<string, Pin[]>();
  for (const p of pins) (byPerson.get(p.person) ?? byPerson.set(p.person, []).get(p.person)!).push(p);
  return [...byPerson.entries()]
    .filter(([label]) => person === undefined || label === person)
    .map(([label, records]) => {
      // A record that has left the sources (no user) has nothing to apply to.
      const users = new Set(records.flatMap((r) => (r.user_id ? [r.user_id] : [])));
      const [only] = [...users];
      const applied = users.size === 1 && only !== undefined && labelsOfUser.get(only)!.size === 1;
      return { person: label, records, status: applied ? "applied" : "pending" };
    });
}
