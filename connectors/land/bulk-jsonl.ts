/**
 * Bulk path for engines with the `Connection.loadJsonLines` capability (DuckDB): rows are written
 * as JSON Lines (`JSON.stringify` of string arrays: native, escapes everything) to a temporary
 * file, which the engine reads itself. Consecutive batches for the same table, columns and
 * constants go into one file (up to `rowsPerFile`), so the loader can hand over small batches
 * (little garbage-collector pressure) while the engine still gets large loads. One file is filled
 * by JavaScript while earlier ones are ingested by the engine's threads (at most two queued: disk
 * use is bounded to three files, memory to one small batch).
 *
 * No engine SQL here: the statement is the driver's.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Connection, Relation } from "../../engine/warehouses/types.js";
import type { BulkWriter } from "./bulk.js";

interface OpenFile {
  readonly key: string;
  readonly table: Relation;
  readonly columns: readonly string[];
  readonly constants: Readonly<Record<string, string>>;
  readonly path: string;
  readonly fd: number;
  rows: number;
  /** Longest line so far, in UTF-16 code units. */
  maxLine: number;
}

export class JsonLinesFileWriter implements BulkWriter {
  readonly direct = true;
  /** Ingests started and not yet awaited, oldest first; `last` is the newest. */
  private inFlight: Promise<void>[] = [];
  private last: Promise<void> = Promise.resolve();
  private seq = 0;
  private ready = false;
  /** Files being filled, by table, columns and constants (data rows and rejects alternate). */
  private readonly files = new Map<string, OpenFile>();

  constructor(
    private readonly conn: Connection & Required<Pick<Connection, "loadJsonLines">>,
    private readonly tmpDir: string,
    private readonly rowsPerFile = 122_880,
    private readonly maxInFlight = 1,
  ) {}

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
    const key = JSON.stringify([table.database ?? null, table.schema, table.name, columns, constants]);
    let f = this.files.get(key);
    if (!f) {
      if (!this.ready) {
        mkdirSync(this.tmpDir, { recursive: true });
        this.ready = true;
      }
      const p = path.join(this.tmpDir, `batch-${process.pid}-${++this.seq}.jsonl`);
      f = { key, table, columns: [...columns], constants: { ...constants }, path: p, fd: openSync(p, "w"), rows: 0, maxLine: 0 };
      this.files.set(key, f);
    }
    let maxLine = f.maxLine;
    for (let i = 0; i < lines.length; i++) if (lines[i]!.length > maxLine) maxLine = lines[i]!.length;
    f.maxLine = maxLine;
    // One write per batch: join in slices so no single string gets huge.
    for (let i = 0; i < lines.length; i += 8192) {
      const end = Math.min(lines.length, i + 8192);
      writeSync(f.fd, (end - i === lines.length ? lines : lines.slice(i, end)).join("\n") + "\n");
    }
    f.rows += lines.length;
    if (f.rows >= this.rowsPerFile) await this.ship(f);
  }

  /** Close the current file and start its ingest once the previous one is done. */
  private async ship(f: OpenFile): Promise<void> {
    this.files.delete(f.key);
    closeSync(f.fd);
    // Bound the queue: wait for the oldest ingest (and surface its failure) when it is full.
    while (this.inFlight.length >= this.maxInFlight) await this.inFlight.shift();
    // Ingests run one after the other on the connection (the load's transaction).
    const run = this.last.then(() => this.conn.loadJsonLines(f.table, f.columns, f.path, f.constants, { maxLineBytes: 3 * f.maxLine + 1 }));
    const done = run.then(
      async (n) => {
        await rm(f.path, { force: true });
        if (n >= 0 && n !== f.rows) throw new Error(`bulk ingest wrote ${n} of ${f.rows} rows into ${f.table.schema}.${f.table.name}`);
      },
      async (err: unknown) => {
        await rm(f.path, { force: true });
        throw err;
      },
    );
    this.last = done;
    this.inFlight.push(done);
    // Surface a failure on the next call rather than as an unhandled rejection.
    done.catch(() => undefined);
  }

  async flush(): Promise<void> {
    for (const f of [...this.files.values()]) await this.ship(f);
    const queued = this.inFlight;
    this.inFlight = [];
    this.last = Promise.resolve();
    for (const p of queued) await p;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
    await rm(this.tmpDir, { recursive: true, force: true });
  }
}
