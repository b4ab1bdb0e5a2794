/**
 * `rcu forget`: erase a person everywhere (GDPR art. 17).
 *
 * 1. Resolve the person (footprint.ts); several people matching is refused unless asked for.
 * 2. Tell every destination that holds them to delete them, then drop them from the sync state
 *    and anonymise the audit trail (it keeps that something was sent, not to whom).
 * 3. In one transaction: delete their rows from the raw tables (person records, and the orders,
 *    events, consents and devices linked to them), from quarantined records, and from every table
 *    of the identity layer, star schema and marts, found by column (user_id, record keys, devices,
 *    identifier values) so new tables are covered without a list to maintain.
 * 4. Add their salted hashes to the suppression list (re-landing and re-stitching are blocked).
 * 5. Verify: scan every text column of every table for their identifiers; record the erasure
 *    report (counts only) in rcu_meta.erasures.
 */
import { randomBytes } from "node:crypto";
import { RcuError } from "../engine/errors.js";
import { columnsKey, insertMetaRow, packBySize } from "../engine/warehouses/sql-common.js";
import type { ColumnInfo, Connection, Dialect, Relation, SqlValue } from "../engine/warehouses/types.js";
import type { ProjectConfig } from "../cli/config.js";
import { openSink } from "../distribute/sinks/open.js";
import type { Sink } from "../distribute/sinks/types.js";
import { SYNC_AUDIT, SYNC_STATE, syncDdl } from "../distribute/sql.js";
import { footprintOf, resolveUsers, type Footprint, type ForgetSelector } from "./footprint.js";
import { linkValue, rawLinks } from "./sources.js";
import { ERASURE_COLUMNS, ERASURES, privacyDdl, suppressionHash, SUPPRESSIONS, type SuppressionKind } from "./tables.js";

export interface ForgetOptions {
  readonly selector: ForgetSelector;
  readonly dryRun?: boolean;
  /** Erase every person the selector matches (otherwise several matches is an error). */
  readonly allMatches?: boolean;
  /** Scan every text column of every table afterwards (default true). */
  readonly verify?: boolean;
  readonly config: ProjectConfig;
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ErasureReport {
  readonly requestId: string;
  readonly requestedAt: string;
  readonly selector: ForgetSelector["kind"];
  readonly dryRun: boolean;
  readonly users: number;
  readonly records: number;
  /** Per table: rows deleted (or that would be), and rows anonymised. */
  readonly tables: Array<{ relation: string; rows: number; action: "deleted" | "anonymised" }>;
  readonly destinations: Array<{ destination: string; users: number; status: "deleted" | "not_supported" | "failed" | "dry_run"; error?: string }>;
  readonly suppressed: Partial<Record<SuppressionKind, number>>;
  readonly sharedIdentifiersKept: number;
  /** Rows still mentioning an identifier after erasure (table.column → rows); empty when clean. */
  readonly residual: Record<string, number>;
  readonly rowsRemoved: number;
}

const USER_COLS = ["user_id", "merged_user_id", "into_user_id"];
const RECORD_COLS = ["record_key", "person_record_key", "node", "a", "b", "id_l", "id_r", "cluster_id"];
const SCANNED_SCHEMAS = new Set(["rcu_identity", "rcu_core", "rcu_marts", "rcu_staging"]);
const KEPT: ReadonlySet<string> = new Set(["rcu_meta.suppressions", "rcu_meta.erasures", "rcu_meta.privacy_salt"]);

export async function forget(conn: Connection, d: Dialect, opts: ForgetOptions): Promise<ErasureReport> {
  const requestId = `erasure-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const dryRun = Boolean(opts.dryRun);
  const users = await resolveUsers(conn, d, opts.config, opts.projectDir, opts.selector).catch((err: unknown) => {
    if (err instanceof RcuError) throw err;
    throw new RcuError("WAREHOUSE", `forget: the identity tables could not be read: ${(err as Error).message}`, {
      doing: "forget",
      hint: "Run the model first (rcu run): rcu forget resolves people through rcu_identity.",
    }, { cause: err });
  });
  if (users.length === 0) {
    throw new RcuError("NOT_FOUND", `forget: no person matches the ${opts.selector.kind.replace("_", " ")} given.`, {
      doing: "forget",
      hint: "Check the value; emails and phones are matched after the same normalisation as identity resolution.",
    });
  }
  if (users.length > 1 && !opts.allMatches) {
    throw new RcuError("USAGE", `forget: ${users.length} people match the ${opts.selector.kind.replace("_", " ")} given (users ${users.join(", ")}); nothing was erased.`, {
      doing: "forget",
      hint: "Check with rcu identity explain <user_id>, then erase one with --user-id, or all of them with --all-matches.",
    });
  }
  if (!dryRun) for (const sql of privacyDdl(d)) await conn.execute(sql);
  const fp = await footprintOf(conn, d, opts.config, users);
  const tables: ErasureReport["tables"] = [];
  const note = (relation: Relation, rows: number, action: "deleted" | "anonymised" = "deleted") => {
    if (rows > 0) tables.push({ relation: `${relation.schema}.${relation.name}`, rows, action });
  };
  // Every read (counts, columns) happens first; the writes are collected and applied in one
  // transaction at the end (the Redshift Data API cannot read inside a transaction). Counting is
  // also how a dry run reports, and engines do not all report rows affected.
  const writes: string[] = [];
  // What to delete (or anonymise) where; counted together once everything is listed.
  const pending: Array<{ relation: Relation; where: string; write: string; action: "deleted" | "anonymised" }> = [];
  const remove = (relation: Relation, where: string) => pending.push({ relation, where, write: `DELETE FROM ${d.qualify(relation)} WHERE ${where}`, action: "deleted" });
  const lits = (values: readonly string[]) => values.map((v) => d.stringLiteral(v)).join(", ");

  const destinations = await notifyDestinations(conn, d, opts, fp, requestId, dryRun);

  const all = await conn.listRelations();
  const tablesByName = new Map(all.filter((r) => r.kind === "table").map((r) => [`${r.schema}.${r.name}`, r]));
  // Every table's columns in one catalog read: the deletes and the residual scan both need them,
  // and on Snowflake and Redshift a read per table was a round trip each.
  const columnLists = await conn.listColumnsOf([...tablesByName.values()]);
  const columnsOf = (rel: Relation): ColumnInfo[] => columnLists.get(columnsKey(rel)) ?? [];
  let inTransaction = false;
  try {
    // Raw tables, through the links rcu.yaml declares.
    for (const link of rawLinks(d, opts.config)) {
      if (!tablesByName.has(`${link.relation.schema}.${link.relation.name}`)) continue;
      const values =
        link.kind === "record" ? fp.records.filter((r) => r.source === link.owner).map((r) => r.key)
        : link.kind === "email" ? fp.emails.map((e) => e.toLowerCase())
        : link.kind === "device" ? fp.devices
        : link.kind === "seen" ? fp.sighted.filter((x) => x.type === link.owner).map((x) => x.value)
        : fp.orders.filter((o) => o.startsWith(`${link.owner}:`));
      if (values.length) remove(link.relation, `${linkValue(link)} IN (${lits(values)})`);
    }
    // Quarantined records keep raw text: drop those mentioning the person.
    const rejected: Relation = { schema: "rcu_meta", name: "rejected_records" };
    const needles = [...fp.rawStrings, ...fp.records.map((r) => r.id).filter((id) => id.length >= 6)];
    if (tablesByName.has("rcu_meta.rejected_records") && needles.length) {
      remove(rejected, needles.map((v) => containsIgnoringCase(d, d.quoteIdentifier("raw"), v)).join(" OR "));
    }
    // Identity layer, star schema, marts: every table, by column.
    const byColumn: Array<[string[], readonly string[]]> = [
      [USER_COLS, fp.users],
      [RECORD_COLS, fp.records.map((r) => r.key)],
      [["device_id"], fp.devices],
      [["id_value"], [...fp.emails, ...fp.phones, ...fp.records.map((r) => r.id), ...fp.sighted.map((x) => x.value)]],
    ];
    for (const rel of tablesByName.values()) {
      if (!SCANNED_SCHEMAS.has(rel.schema)) continue;
      const cols = new Set(columnsOf(rel).map((c) => c.name));
      const conds = byColumn.flatMap(([names, values]) =>
        values.length ? names.filter((c) => cols.has(c)).map((c) => `CAST(${d.quoteIdentifier(c)} AS ${d.columnType("text")}) IN (${lits(values)})`) : [],
      );
      if (conds.length) remove(rel, conds.join(" OR "));
    }
    // Sync state and audit: the destinations were told above.
    if (tablesByName.has("rcu_meta.sync_state")) remove(SYNC_STATE, `record_key IN (${lits(fp.users)})`);
    if (tablesByName.has("rcu_meta.sync_audit")) {
      const where = `user_id IN (${lits(fp.users)})`;
      pending.push({ relation: SYNC_AUDIT, where, write: `UPDATE ${d.qualify(SYNC_AUDIT)} SET user_id = ${d.stringLiteral(`erased:${requestId}`)} WHERE ${where}`, action: "anonymised" });
    }
    // The counts, as few UNION ALL queries as the statement limit allows: a query a table was a
    // round trip a table on Snowflake and Redshift.
    const counts = new Map<number, number>();
    const counting = pending.map((p, i) => `SELECT ${i} AS i, COUNT(*) AS n FROM ${d.qualify(p.relation)} WHERE ${p.where}`);
    for (const run of packBySize(counting, statementBudget(d), 0, UNION.length)) {
      for (const row of await conn.query(run.map((i) => counting[i]).join(UNION))) counts.set(Number(row.i), Number(row.n));
    }
    pending.forEach((p, i) => {
      const n = counts.get(i) ?? 0;
      if (n > 0) writes.push(p.write);
      note(p.relation, n, p.action);
    });
    // The suppression list: salted hashes only.
    const suppressed: Partial<Record<SuppressionKind, number>> = {};
    // One INSERT for every kind (a Redshift Data API transaction holds at most 40 statements).
    const hashed: string[] = [];
    const suppress = (kind: SuppressionKind, values: readonly string[]) => {
      const unique = [...new Set(values)];
      suppressed[kind] = unique.length;
      for (const v of unique) hashed.push(`SELECT '${kind}' AS kind, ${suppressionHash(d, kind, d.stringLiteral(v))} AS h`);
    };
    suppress("record", fp.records.map((r) => r.key));
    suppress("email", [...fp.emails, ...fp.emails.map((e) => e.toLowerCase())]);
    suppress("phone", fp.phones);
    suppress("device", fp.devices);
    suppress("order", fp.orders);
    for (const type of new Set(fp.sighted.map((x) => x.type))) suppress(`seen:${type}`, fp.sighted.filter((x) => x.type === type).map((x) => x.value));
    if (hashed.length) {
      writes.push(
        `INSERT INTO ${d.qualify(SUPPRESSIONS)} (kind, value_hash, request_id, created_at) SELECT kind, h, ${d.stringLiteral(requestId)}, CURRENT_TIMESTAMP FROM (${hashed.join(" UNION ALL ")}) AS v`,
      );
    }
    if (!dryRun) {
      await conn.execute(d.begin());
      inTransaction = true;
      for (const sql of writes) await conn.execute(sql);
      await conn.execute(d.commit());
      inTransaction = false;
    }

    const residual = opts.verify === false || dryRun ? {} : await scanResidual(conn, d, fp, tablesByName.values(), columnsOf);
    const report: ErasureReport = {
      requestId,
      requestedAt: new Date().toISOString(),
      selector: opts.selector.kind,
      dryRun,
      users: fp.users.length,
      records: fp.records.length,
      tables,
      destinations,
      suppressed,
      sharedIdentifiersKept: fp.sharedSkipped,
      residual,
      rowsRemoved: tables.filter((t) => t.action === "deleted").reduce((n, t) => n + t.rows, 0),
    };
    if (!dryRun) await recordReport(conn, d, report);
    return report;
  } catch (err) {
    if (inTransaction) await conn.execute(d.rollback()).catch(() => undefined);
    throw err;
  }
}

/**
 * `text` (an SQL text expression) contains `value`, ignoring case: an agent's note or a quarantined
 * line may hold the email as DUPONT@EXAMPLE.FR. LIKE's wildcards in the value are escaped.
 */
function containsIgnoringCase(d: Dialect, text: string, value: string): string {
  const escaped = value.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`);
  return `LOWER(${text}) LIKE ${d.stringLiteral(`%${escaped}%`)} ESCAPE '!'`;
}

/**
 * Every text column of every table (outside rcu's privacy records) mentioning an identifier, in
 * any case: one query per table counting each column's matches (split in parts under the
 * engine's statement limit). A query per column was most of forget's time on Snowflake and
 * Redshift (~1,000 round trips on the sample estate's 100 tables).
 */
async function scanResidual(
  conn: Connection,
  d: Dialect,
  fp: Footprint,
  rels: Iterable<Relation>,
  columnsOf: (rel: Relation) => ColumnInfo[],
): Promise<Record<string, number>> {
  const needles = [...new Set([...fp.users, ...fp.records.map((r) => r.key), ...fp.emails, ...fp.phones, ...fp.rawStrings, ...fp.devices, ...fp.sighted.map((x) => x.value)])];
  const out: Record<string, number> = {};
  if (!needles.length) return out;
  const budget = statementBudget(d);
  for (const rel of rels) {
    if (KEPT.has(`${rel.schema}.${rel.name}`)) continue;
    const counts = columnsOf(rel)
      .filter((c) => /char|text|string|json/i.test(c.type))
      .map((c) => {
        const col = `CAST(${d.quoteIdentifier(c.name)} AS ${d.columnType("text")})`;
        return { column: c.name, sql: `COUNT(CASE WHEN ${needles.map((v) => containsIgnoringCase(d, col, v)).join(" OR ")} THEN 1 END)` };
      });
    for (const run of packBySize(counts.map((c) => c.sql), budget, 0, 16)) {
      const [row = {}] = await conn.query(`SELECT ${run.map((k, i) => `${counts[k]!.sql} AS n${i}`).join(", ")} FROM ${d.qualify(rel)}`);
      run.forEach((k, i) => {
        const n = Number(row[`n${i}`] ?? 0);
        if (n > 0) out[`${rel.schema}.${rel.name}.${counts[k]!.column}`] = n;
      });
    }
  }
  return out;
}

const UNION = "\nUNION ALL\n";

/** Bytes of SQL one statement may hold here, with room for the SELECT … FROM around the parts. */
function statementBudget(d: Dialect): number {
  return (d.capabilities.maxStatementBytes ?? 1_000_000) - 1_000;
}

async function notifyDestinations(
  conn: Connection,
  d: Dialect,
  opts: ForgetOptions,
  fp: Footprint,
  requestId: string,
  dryRun: boolean,
): Promise<ErasureReport["destinations"]> {
  const out: ErasureReport["destinations"] = [];
  const names = Object.keys(opts.config.destinations);
  if (!names.length) return out;
  for (const sql of dryRun ? [] : syncDdl(d)) await conn.execute(sql);
  const held = await conn
    .query(`SELECT destination, record_key FROM ${d.qualify(SYNC_STATE)} WHERE record_key IN (${fp.users.map((u) => d.stringLiteral(u)).join(", ")})`)
    .catch(() => [] as Array<Record<string, unknown>>);
  for (const name of names) {
    const keys = held.filter((h) => h.destination === name).map((h) => String(h.record_key));
    if (!keys.length) continue;
    const dest = opts.config.destinations[name]!;
    if (dryRun) {
      out.push({ destination: name, users: keys.length, status: "dry_run" });
      continue;
    }
    if (dest.type === "http" && !dest.delete) {
      out.push({ destination: name, users: keys.length, status: "not_supported" });
      continue;
    }
    let sink: Sink | undefined;
    try {
      sink = await openSink(name, dest, opts, requestId);
      await sink.remove(keys, `${requestId}-${name}`);
      await sink.finish();
      out.push({ destination: name, users: keys.length, status: "deleted" });
    } catch (err) {
      await sink?.abort().catch(() => undefined);
      out.push({ destination: name, users: keys.length, status: "failed", error: (err as Error).message });
    }
  }
  const failed = out.filter((o) => o.status === "failed");
  if (failed.length) {
    throw new RcuError("USAGE", `forget: ${failed.map((f) => `${f.destination} (${f.error})`).join("; ")}: nothing was erased in the warehouse yet.`, {
      doing: "forget",
      hint: "Destinations must confirm the deletion first, so the sync state still knows where the person is. Fix the destination and run rcu forget again.",
    }, { kind: "transient" });
  }
  return out;
}


async function recordReport(conn: Connection, d: Dialect, r: ErasureReport): Promise<void> {
  const values: SqlValue[] = [r.requestId, new Date(r.requestedAt), r.selector, r.dryRun, r.users, r.records, r.rowsRemoved, JSON.stringify(r)];
  await conn.execute(
    insertMetaRow(d, ERASURES, ERASURE_COLUMNS),
    values,
  );
}
