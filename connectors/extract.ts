/**
 * `runExtract`: land every selected stream of the configured sources into `raw`, one load per
 * stream. Each stream is staged, then published with its ledger row and state in one transaction
 * (see land/loader.ts). A failing stream is recorded and reported; the others still run.
 */
import { createHash, randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { RcuError, errorMessage } from "../engine/errors.js";
import type { Connection, Warehouse } from "../engine/warehouses/types.js";
import { parseSourcesConfig, streamOptions, type SourceConfig, type SourcesConfig } from "./config.js";
import { fileStreamReader } from "./files/source.js";
import { httpStreamReader } from "./http/source.js";
import { bulkWriterFor } from "./land/bulk.js";
import { LOADS, createLoadsTable, insertLoad, listLoads as listLoadRows, type LoadRow } from "./land/ledger.js";
import { STAGING_PREFIX, StreamLoader } from "./land/loader.js";
import { createRejectedTable } from "./land/quarantine.js";
import { META_SCHEMA, RAW_SCHEMA, rawRelation } from "./land/raw-table.js";
import { createStateTable, readState, writeState } from "./land/state.js";
import { postgresStreamReader } from "./postgres/source.js";
import type { ExtractEvent, ExtractSummary, FileFingerprint, StreamReader, StreamSummary } from "./types.js";

export interface ExtractOptions {
  /** The `sources:` section (validated here if not already). */
  readonly sources: SourcesConfig | unknown;
  readonly warehouse: Warehouse;
  /** Where env-named secrets are looked up; inner code never reads `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `source` or `source.stream` names; all streams when absent. */
  readonly select?: readonly string[];
  readonly projectDir: string;
  readonly onEvent?: (event: ExtractEvent) => void;
  /**
   * Ignore saved file fingerprints and cursors: re-read every input (after `rcu forget`, or to
   * rebuild raw tables). Merge streams upsert by key; append streams land the rows again.
   */
  readonly full?: boolean;
  /** Use the generic `Connection.append` bulk path even where an engine fast path exists. */
  readonly genericBulk?: boolean;
}

export function newLoadId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.TZ]/g, "").slice(0, 17)}_${randomBytes(4).toString("hex")}`;
}

function readerFor(name: string, source: SourceConfig, stream: string, replace: boolean): StreamReader {
  switch (source.type) {
    case "files":
      return fileStreamReader(name, source, stream, replace);
    case "http":
      return httpStreamReader(name, source, stream);
    case "postgres":
      return postgresStreamReader(name, source, stream);
  }
}

function selected(select: readonly string[] | undefined, source: string, stream: string): boolean {
  if (!select || select.length === 0) return true;
  return select.some((s) => s === source || s === `${source}.${stream}` || s === `${source}_${stream}`);
}

/**
 * Batch files of the loads into one warehouse: a directory per warehouse under the project's
 * target/. Extracts into one warehouse take turns (the run lock, or DuckDB's file lock), so the
 * one running owns its directory; extracts into two warehouses from one project directory (a
 * test profile beside the production one, two test suites) run at once, and a single shared
 * directory let one delete the other's batches as "left by a killed load". (Warehouses are told
 * apart by their description: two processes each extracting into an in-memory DuckDB share one.)
 */
export const extractTmpDir = (projectDir: string, warehouse: Warehouse): string =>
  path.join(projectDir, "target", ".extract-tmp", createHash("sha256").update(warehouse.description).digest("hex").slice(0, 16));

/** Create meta tables and drop staging left by a killed load (its rows were never published). */
async function prepare(conn: Connection, warehouse: Warehouse, projectDir: string): Promise<void> {
  // Batch files of a killed load into this warehouse (no other extract into it is running).
  await rm(extractTmpDir(projectDir, warehouse), { recursive: true, force: true });
  const d = warehouse.dialect;
  await conn.execute(d.createSchema(RAW_SCHEMA));
  await conn.execute(d.createSchema(META_SCHEMA));
  await conn.execute(createLoadsTable(d));
  await conn.execute(createRejectedTable(d));
  await conn.execute(createStateTable(d));
  for (const r of await conn.listRelations()) {
    if (r.schema === META_SCHEMA && r.name.startsWith(STAGING_PREFIX)) await conn.execute(d.drop(r, r.kind));
  }
}

export async function runExtract(options: ExtractOptions): Promise<ExtractSummary> {
  const sources = parseSourcesConfig(options.sources);
  if (options.select?.length) {
    for (const s of options.select) {
      const [src, st] = s.split(".");
      const known = Object.entries(sources).some(
        ([name, cfg]) => (src === name && (st === undefined || st in cfg.streams)) || Object.keys(cfg.streams).some((k) => `${name}_${k}` === s),
      );
      if (!known) throw new RcuError("SELECTION", `No source or stream named ${JSON.stringify(s)} in sources`, { doing: "extract" });
    }
  }
  const conn = await options.warehouse.connect();
  const summaries: StreamSummary[] = [];
  try {
    await prepare(conn, options.warehouse, options.projectDir);
    for (const [sourceName, source] of Object.entries(sources)) {
      for (const streamName of Object.keys(source.streams)) {
        if (!selected(options.select, sourceName, streamName)) continue;
        summaries.push(await extractStream(conn, options, sourceName, source, streamName));
      }
    }
  } finally {
    await conn.close();
  }
  return { streams: summaries, ok: summaries.every((s) => s.status !== "failed") };
}

async function extractStream(
  conn: Connection,
  options: ExtractOptions,
  sourceName: string,
  source: SourceConfig,
  streamName: string,
): Promise<StreamSummary> {
  const { warehouse, onEvent } = options;
  const d = warehouse.dialect;
  const started = new Date();
  const loadId = newLoadId(started);
  const table = `${RAW_SCHEMA}.${rawRelation(sourceName, streamName).name}`;
  const base = { source: sourceName, stream: streamName };
  onEvent?.({ type: "stream-start", ...base, loadId });
  const inputs: string[] = [];
  const seenInputs = new Set<string>();
  const skipped: string[] = [];
  const done: FileFingerprint[] = [];
  let loader: StreamLoader | undefined;
  let cursorBefore: string | null = null;
  const tmpDir = path.join(extractTmpDir(options.projectDir, warehouse), loadId);
  const bulk = bulkWriterFor(warehouse, conn, { tmpDir, generic: options.genericBulk ?? false });
  const summary = (status: StreamSummary["status"], error?: RcuError): StreamSummary => ({
    ...base,
    table,
    loadId,
    status,
    rowsIn: loader?.counts.rowsIn ?? 0,
    rowsLanded: status === "failed" ? 0 : (loader?.counts.staged ?? 0),
    rowsRejected: status === "failed" ? 0 : (loader?.counts.rejected ?? 0),
    valuesDiscarded: loader?.counts.discarded ?? 0,
    columnsAdded: loader?.columnsAdded() ?? [],
    inputs,
    skippedInputs: skipped,
    cursorBefore,
    cursorAfter: status === "failed" ? cursorBefore : (loader?.cursor?.value ?? cursorBefore),
    seconds: (Date.now() - started.getTime()) / 1000,
    ...(error ? { error } : {}),
  });
  try {
    const opts = streamOptions(source, streamName);
    const state = options.full ? { cursor: null, files: new Map() } : await readState(conn, d, sourceName, streamName);
    cursorBefore = state.cursor?.value ?? null;
    loader = new StreamLoader({
      conn,
      dialect: d,
      bulk,
      source: sourceName,
      stream: streamName,
      options: opts,
      loadId,
      state,
      onDrift: (message) => onEvent?.({ type: "drift", ...base, message }),
      startedAt: started.toISOString(),
    });
    await loader.begin();
    const reader = readerFor(sourceName, source, streamName, opts.writeDisposition === "replace");
    const t0 = Date.now();
    let lastInput = "";
    for await (const batch of reader.read({
      projectDir: options.projectDir,
      env: options.env,
      state,
      batchSize: opts.batchSize,
      fileDone: (fp) => {
        done.push(fp);
        // Files that yield no batch (empty) were still read: list them as inputs.
        if (!seenInputs.has(fp.path)) inputs.push(fp.path);
        seenInputs.add(fp.path);
      },
      fileSkipped: (p) => skipped.push(p),
      log: (message) => onEvent?.({ type: "log", ...base, message }),
    })) {
      if (batch.input !== lastInput && !seenInputs.has(batch.input)) inputs.push(batch.input);
      seenInputs.add((lastInput = batch.input));
      await loader.add(batch);
      const rows = loader.counts.rowsIn;
      onEvent?.({ type: "progress", ...base, rows, rowsPerSecond: rows / Math.max(0.001, (Date.now() - t0) / 1000) });
    }
    const at = new Date().toISOString();
    const touchData = !(source.type === "files" && inputs.length === 0 && done.length === 0);
    const statements = await loader.publishStatements(at, touchData);
    const status = touchData ? "succeeded" : "unchanged";
    const final = summary(status);
    const stateEntries = [
      ...done.map((fp) => ({ kind: "file" as const, key: fp.path, value: fp })),
      ...(loader.cursor ? [{ kind: "cursor" as const, key: "", value: loader.cursor }] : []),
    ];
    // Direct mode opened the transaction at begin(); staging mode opens it now.
    if (!loader.direct) await conn.execute(d.begin());
    try {
      for (const [sql, params] of statements) await conn.execute(sql, params);
      const [ledgerSql, ledgerParams] = insertLoad(d, final, started, new Date());
      await conn.execute(ledgerSql, ledgerParams);
      const ids = { ...base, loadId, at };
      for (const [sql, params] of writeState(d, ids, stateEntries, { forgetFiles: opts.writeDisposition === "replace" && touchData })) {
        await conn.execute(sql, params);
      }
      // Everything is written but not committed: a crash from here on must leave no trace.
      onEvent?.({ type: "committing", ...base, loadId });
      await conn.execute(d.commit());
    } catch (err) {
      await conn.execute(d.rollback()).catch(() => undefined);
      throw err;
    }
    onEvent?.({ type: "stream-end", summary: final });
    return final;
  } catch (err) {
    const action = `${sourceName}.${streamName}`;
    // Every error names the stream; warehouse errors (which do not know it) are re-wrapped.
    const error =
      err instanceof RcuError
        ? err.context.action
          ? err
          : new RcuError(err.code, `${action}: ${err.message}`, { ...err.context, doing: "extract", action }, { kind: err.kind, cause: err })
        : new RcuError("INTERNAL", `${action}: ${errorMessage(err)}`, { doing: "extract", action }, { cause: err });
    // Let an in-flight bulk write finish before rolling back on the same connection.
    await bulk.flush().catch(() => undefined);
    await loader?.discard();
    const failed = summary("failed", error);
    try {
      const [sql, params] = insertLoad(d, failed, started, new Date());
      await conn.execute(sql, params);
    } catch {
      // The ledger is best effort for failures; the summary still carries the error.
    }
    onEvent?.({ type: "stream-end", summary: failed });
    return failed;
  } finally {
    await bulk.close();
  }
}

/** The most recent loads, newest first (for `rcu status`). */
export async function listLoads(connection: Connection, limit = 20, warehouse?: Pick<Warehouse, "dialect">): Promise<LoadRow[]> {
  const dialect = warehouse?.dialect ?? (await import("../engine/warehouses/duckdb/dialect.js")).duckdbDialect;
  return listLoadRows(connection, dialect, limit);
}

export { LOADS };
export type { LoadRow };
