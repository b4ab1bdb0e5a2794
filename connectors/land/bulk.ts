/**
 * Bulk writes into staging tables (all-text columns).
 *
 * Generic path: `Connection.append` with every table column in table order (the DuckDB driver
 * otherwise falls back to one INSERT per row). Connections with the optional `loadJsonLines`
 * capability (DuckDB) get `JsonLinesFileWriter` (see `bulk-jsonl.ts`): batches go to temporary
 * JSON Lines files the engine reads itself, which overlaps the engine's ingest with parsing of the
 * next rows. The choice is made on the capability, never on the engine's name: shared connector
 * code never sees engine SQL.
 */
import type { Connection, Relation, Warehouse } from "../../engine/warehouses/types.js";
import { JsonLinesFileWriter } from "./bulk-jsonl.js";
import type { EncodedLines } from "./encoded.js";

export interface BulkWriter {
  /**
   * Whether this writer can write text into typed columns (the engine casts on insert), fill
   * `constants`, and take a subset of the table's columns. Such a writer lets the loader write
   * straight into the raw table inside the load's transaction, skipping the staging copy.
   */
  readonly direct: boolean;
  /**
   * Queue rows aligned to `columns` (for a non-direct writer: the table's full column list, in
   * order). `constants` are per-load values (load id, loaded-at) written into every row.
   */
  write(
    table: Relation,
    columns: readonly string[],
    rows: (string | null)[][],
    constants?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /**
   * Optional (direct writers): rows already serialised as JSON arrays, aligned to `columns`. Lets
   * the loader serialise each row once, for both its hash and the batch file.
   */
  writeJsonLines?(
    table: Relation,
    columns: readonly string[],
    lines: string[],
    constants?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /**
   * Optional (direct writers): rows already as JSON Lines bytes (`encoded.ts`), aligned to
   * `columns`: the byte path of UTF-8 CSV files, which never makes strings for them.
   */
  writeJsonLinesBuffer?(
    table: Relation,
    columns: readonly string[],
    lines: EncodedLines,
    constants?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** Wait until everything queued is in the table. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class AppendWriter implements BulkWriter {
  readonly direct = false;
  constructor(private readonly conn: Connection) {}
  async write(
    table: Relation,
    columns: readonly string[],
    rows: (string | null)[][],
    constants?: Readonly<Record<string, string>>,
  ): Promise<void> {
    if (constants && Object.keys(constants).length) throw new Error("AppendWriter does not take constants");
    if (rows.length === 0) return;
    const n = await this.conn.append(table, columns, rows);
    if (n !== rows.length) throw new Error(`append wrote ${n} of ${rows.length} rows into ${table.schema}.${table.name}`);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

export interface BulkOptions {
  /** Directory for temporary batch files (engine fast paths); removed at close. */
  readonly tmpDir: string;
  /** Force the generic `Connection.append` path (tests, benchmarks). */
  readonly generic?: boolean;
}

export function bulkWriterFor(_warehouse: Warehouse, conn: Connection, options: BulkOptions): BulkWriter {
  if (!options.generic && hasJsonLines(conn)) return new JsonLinesFileWriter(conn, options.tmpDir);
  return new AppendWriter(conn);
}

function hasJsonLines(conn: Connection): conn is Connection & Required<Pick<Connection, "loadJsonLines">> {
  return typeof conn.loadJsonLines === "function";
}
