/**
 * `rcu sync`: send each destination the changes since its last successful sync.
 *
 * Per destination: the pending changes (distribute/sql.ts: records now due minus what the
 * destination holds, by hash) are materialised in the warehouse, then read in key order, batch by
 * batch — deletes first, so a withdrawn consent takes effect before anything else is sent. After a
 * batch is applied, the sync state and the audit trail are updated in one transaction for that key
 * range; a destination that fails midway keeps what it received and the next run resumes with the
 * rest (nothing sent twice, nothing lost). Files, which appear atomically, commit at the end.
 */
import { createHash } from "node:crypto";
import { RcuError } from "../engine/errors.js";
import { insertMetaRow } from "../engine/warehouses/sql-common.js";
import type { Connection, Dialect, SqlValue } from "../engine/warehouses/types.js";
import type { DestinationConfig, DestinationsConfig } from "./config.js";
import { sha256Hex } from "./hash.js";
import { openSink } from "./sinks/open.js";
import type { OutRecord, Sink } from "./sinks/types.js";
import { commitRangeSql, fieldAlias, pageSql, pendingRelation, pendingSql, RUN_COLUMNS, SYNC_RUNS, syncDdl } from "./sql.js";

export interface SyncOptions {
  readonly destinations: DestinationsConfig;
  /** Names to sync (default: all). */
  readonly select?: readonly string[];
  readonly full?: boolean;
  /** Compute and report the pending changes without sending anything. */
  readonly dryRun?: boolean;
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onEvent?: (e: SyncEvent) => void;
  /** Injectable clock and id (tests). */
  readonly syncId?: string;
}

export type SyncEvent =
  | { type: "destination-start"; destination: string; upserts: number; deletes: number }
  | { type: "batch"; destination: string; op: "upsert" | "delete"; rows: number; sent: number; total: number }
  | { type: "destination-end"; result: DestinationResult };

export interface DestinationResult {
  readonly destination: string;
  readonly status: "succeeded" | "failed" | "dry_run";
  readonly upsertsPending: number;
  readonly deletesPending: number;
  readonly upsertsSent: number;
  readonly deletesSent: number;
  readonly batchesOk: number;
  readonly batchesFailed: number;
  readonly output: string | null;
  readonly error?: { message: string; kind: string; hint?: string | undefined };
}

export interface SyncSummary {
  readonly syncId: string;
  readonly ok: boolean;
  readonly destinations: DestinationResult[];
}

export function newSyncId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z") + "-" + Math.random().toString(36).slice(2, 8);
}


/** A batch's idempotency key: the same content always gives the same key. */
function batchId(name: string, op: string, rows: ReadonlyArray<{ key: string; hash: string }>): string {
  const h = createHash("sha256").update(`${name}\n${op}\n`);
  for (const r of rows) h.update(`${r.key}\t${r.hash}\n`);
  return h.digest("hex").slice(0, 32);
}

export async function runSync(conn: Connection, d: Dialect, opts: SyncOptions): Promise<SyncSummary> {
  const syncId = opts.syncId ?? newSyncId();
  const names = opts.select?.length ? [...opts.select] : Object.keys(opts.destinations);
  for (const n of names) {
    if (!opts.destinations[n]) {
      throw new RcuError("USAGE", `Unknown destination "${n}".`, { hint: `Configured destinations: ${Object.keys(opts.destinations).join(", ") || "none"}.` });
    }
  }
  for (const sql of syncDdl(d)) await conn.execute(sql);
  const results: DestinationResult[] = [];
  for (const name of names) results.push(await syncOne(conn, d, name, opts.destinations[name]!, opts, syncId));
  return { syncId, ok: results.every((r) => r.status !== "failed"), destinations: results };
}

async function syncOne(conn: Connection, d: Dialect, name: string, dest: DestinationConfig, opts: SyncOptions, syncId: string): Promise<DestinationResult> {
  const startedAt = new Date();
  const pending = d.qualify(pendingRelation(name));
  const fields = Object.keys(dest.columns);
  const hashed = new Set(dest.hash);
  let r = { upsertsPending: 0, deletesPending: 0, upsertsSent: 0, deletesSent: 0, batchesOk: 0, batchesFailed: 0 };
  let output: string | null = null;
  let error: DestinationResult["error"];
  let sink: Sink | undefined;
  try {
    await conn.execute(d.drop(pendingRelation(name), "table"));
    await conn.execute(pendingSql(d, name, dest, Boolean(opts.full))).catch((err: unknown) => {
      throw new RcuError("WAREHOUSE", `destination ${name}: reading ${dest.from}${dest.segment ? ` (segment ${dest.segment})` : ""} failed: ${(err as Error).message}`, {
        doing: "sync",
        action: name,
        hint: "Run the model first (rcu run) so the marts, segments and rcu_marts.user_consents exist; check the column names in destinations." + name + ".columns.",
      }, { cause: err });
    });
    const counts = await conn.query(`SELECT op, COUNT(*) AS n FROM ${pending} GROUP BY op`);
    for (const c of counts) {
      if (c.op === "upsert") r.upsertsPending = Number(c.n);
      else r.deletesPending = Number(c.n);
    }
    opts.onEvent?.({ type: "destination-start", destination: name, upserts: r.upsertsPending, deletes: r.deletesPending });
    if (opts.dryRun || r.upsertsPending + r.deletesPending === 0) {
      // Nothing to send (or asked not to): no empty file, no request.
      await conn.execute(d.drop(pendingRelation(name), "table"));
      return finish(opts.dryRun ? "dry_run" : "succeeded");
    }
    sink = await openSink(name, dest, opts, syncId);
    const deferred: Array<{ op: "upsert" | "delete"; from: string; to: string; id: string }> = [];
    const total = r.upsertsPending + r.deletesPending;
    for (const op of ["delete", "upsert"] as const) {
      let after = "";
      for (;;) {
        const rows = await conn.query(pageSql(d, name, fields.length, op, dest.batch_size), [after]);
        if (!rows.length) break;
        const keyed = rows.map((row) => ({ key: String(row.rcu_key), hash: String(row.rcu_hash ?? "") }));
        const id = batchId(name, op, keyed);
        if (op === "delete") await sink.remove(keyed.map((k) => k.key), id);
        else await sink.upsert(rows.map((row) => toRecord(row, dest.key_field, fields, hashed)), id);
        const range = { op, from: keyed[0]!.key, to: keyed[keyed.length - 1]!.key, id };
        if (sink.durablePerBatch) await commitRange(conn, d, name, dest, syncId, range);
        else deferred.push(range);
        r = { ...r, batchesOk: r.batchesOk + 1, ...(op === "delete" ? { deletesSent: r.deletesSent + rows.length } : { upsertsSent: r.upsertsSent + rows.length }) };
        opts.onEvent?.({ type: "batch", destination: name, op, rows: rows.length, sent: r.upsertsSent + r.deletesSent, total });
        after = range.to;
      }
    }
    output = await sink.finish();
    sink = undefined;
    for (const range of deferred) await commitRange(conn, d, name, dest, syncId, range);
    await conn.execute(d.drop(pendingRelation(name), "table"));
    return finish("succeeded");
  } catch (err) {
    await sink?.abort().catch(() => undefined);
    const e = err instanceof RcuError ? err : new RcuError("INTERNAL", `destination ${name}: ${(err as Error).message}`, { doing: "sync", action: name }, { cause: err });
    error = { message: e.message, kind: e.kind, hint: e.context.hint };
    if (r.upsertsPending + r.deletesPending > 0) r = { ...r, batchesFailed: r.batchesFailed + 1 };
    return finish("failed");
  }

  async function finish(status: DestinationResult["status"]): Promise<DestinationResult> {
    const result: DestinationResult = { destination: name, status, ...r, output, ...(error ? { error } : {}) };
    const values: SqlValue[] = [
      syncId, name, dest.type, dest.purpose, Boolean(opts.full), startedAt, new Date(), status,
      r.upsertsPending, r.deletesPending, r.upsertsSent, r.deletesSent, r.batchesOk, r.batchesFailed, error?.message ?? null, output,
    ];
    await conn.execute(
      insertMetaRow(d, SYNC_RUNS, RUN_COLUMNS),
      values,
    );
    opts.onEvent?.({ type: "destination-end", result });
    return result;
  }
}

async function commitRange(
  conn: Connection,
  d: Dialect,
  name: string,
  dest: DestinationConfig,
  syncId: string,
  range: { op: "upsert" | "delete"; from: string; to: string; id: string },
): Promise<void> {
  const stmts = commitRangeSql(d, dest, range.op, { destination: name, syncId, batchId: range.id, from: range.from, to: range.to, sentAt: new Date() });
  await conn.execute(d.begin());
  try {
    for (const s of stmts) await conn.execute(s.sql, s.params);
    await conn.execute(d.commit());
  } catch (err) {
    await conn.execute(d.rollback()).catch(() => undefined);
    throw err;
  }
}

function toRecord(row: Record<string, unknown>, keyField: string, fields: readonly string[], hashed: ReadonlySet<string>): OutRecord {
  const rec: Record<string, string | null> = { [keyField]: String(row.rcu_key) };
  fields.forEach((f, i) => {
    const v = row[fieldAlias(i)];
    const s = v === null || v === undefined ? null : String(v);
    rec[f] = s !== null && hashed.has(f) ? sha256Hex(s) : s;
  });
  return rec;
}
