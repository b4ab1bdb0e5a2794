/**
 * Bulk writes into staging tables (all-text columns).
 *
 * Generic path: `Connection.append` with every table column in table order (the DuckDB driver
 * otherwise falls back to one INSERT per row). Engines may register a faster path here; DuckDB's
 * (see `bulk-duckdb.ts`) writes the batch to a temporary JSON Lines file and lets the engine read
 * it, which overlaps the engine's ingest with parsing of the next batch. This is an optional
 * capability keyed by `Warehouse.engine`: shared connector code never sees engine SQL.
 */
import type { Connection, Relation, Warehouse } from "../../engine/warehouses/types.js";
import { DuckDBFileWriter } from "./bulk-duckdb.js";

export interface BulkWriter {
  /** Queue rows (aligned to `columns`, which must be the table's full column list, in order). */
  write(table: Relation, columns: readonly string[], rows: (string | null)[][]): Promise<void>;
  /** Wait until everything queued is in the table. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class AppendWriter implements BulkWriter {
  constructor(private readonly conn: Connection) {}
  async write(table: Relation, columns: readonly string[], rows: (string | null)[][]): Promise<void> {
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

export function bulkWriterFor(warehouse: Warehouse, conn: Connection, options: BulkOptions): BulkWriter {
  if (!options.generic && warehouse.engine === "duckdb") return new DuckDBFileWriter(conn, warehouse.dialect, options.tmpDir);
  return new AppendWriter(conn);
}
