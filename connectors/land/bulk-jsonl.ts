/**
 * Bulk path for engines with the `Connection.loadJsonLines` capability (DuckDB): rows are written
 * as JSON Lines (`JSON.stringify` of string arrays: native, escapes everything; or bytes built
 * the same way, `encoded.ts`) to temporary files, which the engine reads itself. Consecutive
 * batches for the same table, columns and constants go into one file (up to `rowsPerFile` rows,
 * one DuckDB row group, or `maxFileBytes`), so the loader can hand over small batches (little
 * garbage-collector pressure) while the engine still gets large loads.
 *
 * Closed files are ingested `filesPerIngest` at a time, in one statement: DuckDB reads each file
 * as one buffer on its own thread and writes whole row groups, which keeps both cores busy without
 * the extra work of merging partial row groups (one file per statement either left a core idle or,
 * with small buffers, spent ≈ 60 % more CPU). JavaScript fills the next files meanwhile; one
 * ingest is in flight, so disk use is bounded to about `2 × filesPerIngest + 1` files and memory
 * to one small batch plus the engine's read buffers (≤ `maxFileBytes` per file being read).
 *
 * No engine SQL here: the statement is the driver's.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Connection, Relation } from "../../engine/warehouses/types.js";
import type { BulkWriter } from "./bulk.js";
import type { EncodedLines } from "./encoded.js";

interface OpenFile {
  readonly key: string;
  readonly table: Relation;
  readonly columns: readonly string[];
  readonly constants: Readonly<Record<string, string>>;
  readonly path: string;
  readonly fd: number;
  rows: number;
  bytes: number;
  /** Longest line so far, in bytes (at most 3 per UTF-16 code unit for string lines). */
  maxLineBytes: number;
}

export interface JsonLinesWriterOptions {
  readonly rowsPerFile?: number;
  readonly maxFileBytes?: number;
  readonly filesPerIngest?: number;
}

export class JsonLinesFileWriter implements BulkWriter {
  readonly direct = true;
  /** The ingest in flight (resolves when done, rejects on failure), if any. */
  private inFlight: Promise<void> | null = null;
  private seq = 0;
  private ready = false;
  /** Files being filled, by table, columns and constants (data rows and rejects alternate). */
  private readonly files = new Map<string, OpenFile>();
  /** Closed files waiting for an ingest, by the same key. */
  private readonly closed = new Map<string, OpenFile[]>();
  private readonly rowsPerFile: number;
  private readonly maxFileBytes: number;
  private readonly filesPerIngest: number;

  constructor(
    private readonly conn: Connection & Required<Pick<Connection, "loadJsonLines">>,
    private readonly tmpDir: string,
    options: JsonLinesWriterOptions = {},
  ) {
    this.rowsPerFile = options.rowsPerFile ?? 122_880;
    this.maxFileBytes = options.maxFileBytes ?? 64 << 20;
    this.filesPerIngest = Math.max(1, options.filesPerIngest ?? 2);
  }

  async write(
    table: Relation,
    columns: readonly string[],
    rows: (string | null)[][],
    constants: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    if (rows.length === 0) return;
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = JSON.stringify(rows[i]);
    return this.writeJsonLines(table, columns, lines, constants);
  }

  /** Rows already serialised as JSON arrays (the loader reuses the text it hashed). */
  async writeJsonLines(
    table: Relation,
    columns: readonly string[],
    lines: string[],
    constants: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    if (lines.length === 0) return;
    const f = this.fileFor(table, columns, constants);
    let maxLine = 0;
    for (let i = 0; i < lines.length; i++) if (lines[i]!.length > maxLine) maxLine = lines[i]!.length;
    f.maxLineBytes = Math.max(f.maxLineBytes, 3 * maxLine);
    // One write per batch: join in slices so no single string gets huge.
    for (let i = 0; i < lines.length; i += 8192) {
      const end = Math.min(lines.length, i + 8192);
      f.bytes += writeSync(f.fd, (end - i === lines.length ? lines : lines.slice(i, end)).join("\n") + "\n");
    }
    f.rows += lines.length;
    await this.rotate(f);
  }

  /** Rows already as JSON Lines bytes (`encoded.ts`): written as they are. */
  async writeJsonLinesBuffer(
    table: Relation,
    columns: readonly string[],
    lines: EncodedLines,
    constants: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    if (lines.rows === 0) return;
    const f = this.fileFor(table, columns, constants);
    f.maxLineBytes = Math.max(f.maxLineBytes, lines.maxLineBytes);
    for (let at = 0; at < lines.buf.length; ) at += writeSync(f.fd, lines.buf, at);
    f.bytes += lines.buf.length;
    f.rows += lines.rows;
    await this.rotate(f);
  }

  /** The file being filled for this table, columns and constants (a new one if none). */
  private fileFor(table: Relation, columns: readonly string[], constants: Readonly<Record<string, string>>): OpenFile {
    const key = JSON.stringify([table.database ?? null, table.schema, table.name, columns, constants]);
    let f = this.files.get(key);
    if (!f) {
      if (!this.ready) {
        mkdirSync(this.tmpDir, { recursive: true });
        this.ready = true;
      }
      const p = path.join(this.tmpDir, `batch-${process.pid}-${++this.seq}.jsonl`);
      f = { key, table, columns: [...columns], constants: { ...constants }, path: p, fd: openSync(p, "w"), rows: 0, bytes: 0, maxLineBytes: 0 };
      this.files.set(key, f);
    }
    return f;
  }

  /** Close a full file; ingest its group once it has `filesPerIngest` files. */
  private async rotate(f: OpenFile): Promise<void> {
    if (f.rows < this.rowsPerFile && f.bytes < this.maxFileBytes) return;
    const group = this.closeFile(f);
    if (group.length >= this.filesPerIngest) await this.ingest(group);
  }

  private closeFile(f: OpenFile): OpenFile[] {
    this.files.delete(f.key);
    closeSync(f.fd);
    let group = this.closed.get(f.key);
    if (!group) this.closed.set(f.key, (group = []));
    group.push(f);
    return group;
  }

  /** Start ingesting a group of closed files once the previous ingest is done. */
  private async ingest(group: OpenFile[]): Promise<void> {
    this.closed.delete(group[0]!.key);
    // Wait for the ingest in flight (and surface its failure): one at a time on the connection
    // (the load's transaction), JavaScript filling the next files meanwhile.
    if (this.inFlight) {
      const prev = this.inFlight;
      this.inFlight = null;
      await prev;
    }
    const { table, columns, constants } = group[0]!;
    const rows = group.reduce((n, f) => n + f.rows, 0);
    const paths = group.map((f) => f.path);
    const options = {
      maxLineBytes: Math.max(...group.map((f) => f.maxLineBytes)) + 1,
      maxFileBytes: Math.max(...group.map((f) => f.bytes)),
    };
    const removeFiles = () => Promise.all(paths.map((p) => rm(p, { force: true })));
    const done = this.conn.loadJsonLines(table, columns, paths, constants, options).then(
      async (n) => {
        await removeFiles();
        if (n >= 0 && n !== rows) throw new Error(`bulk ingest wrote ${n} of ${rows} rows into ${table.schema}.${table.name}`);
      },
      async (err: unknown) => {
        await removeFiles();
        throw err;
      },
    );
    // Surface a failure on the next call rather than as an unhandled rejection.
    done.catch(() => undefined);
    this.inFlight = done;
  }

  async flush(): Promise<void> {
    for (const f of [...this.files.values()]) this.closeFile(f);
    for (const group of [...this.closed.values()]) await this.ingest(group);
    const last = this.inFlight;
    this.inFlight = null;
    if (last) await last;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
    this.closed.clear();
    await rm(this.tmpDir, { recursive: true, force: true });
  }
}
