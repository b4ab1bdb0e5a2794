/**
 * Results in Snowflake's JSON result format, as the SDK reads them: `rowtype` column metadata
 * (fixed/real/text/boolean/date/timestamp_ntz/timestamp_ltz/variant), every value a string or
 * null, and rows beyond the first `chunkRows` split into gzip chunks the SDK downloads from the
 * server. Results are stored by query id (chunks and multi-statement children are fetched later).
 */
import { gzipSync } from "node:zlib";
import { DuckDBTypeId, type DuckDBType, type DuckDBValue } from "@duckdb/node-api";
import { sessionParameters, type Session } from "./session.js";

export interface Column {
  readonly name: string;
  readonly type: string;
  readonly precision?: number | null;
  readonly scale?: number | null;
  readonly nullable: boolean;
}

export interface StoredResult {
  readonly queryId: string;
  readonly rowtype: Column[];
  readonly rows: (string | null)[][];
  readonly statementTypeId: number;
}

/** Snowflake statementTypeId values the SDK uses to tell a result set from a DML count. */
export const STATEMENT_TYPE = { select: 0x1000, insert: 0x3100, update: 0x3200, delete: 0x3300, merge: 0x3400, ddl: 0x6000, other: 0x6000 } as const;

/** The `data` of a query response: first chunk inline, the rest as chunk URLs. */
export function resultData(session: Session, r: StoredResult, url: string, chunkRows: number): Record<string, unknown> {
  const inline = r.rows.slice(0, chunkRows);
  const chunks: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
  for (let start = chunkRows, i = 0; start < r.rows.length; start += chunkRows, i++) {
    const rowCount = Math.min(chunkRows, r.rows.length - start);
    chunks.push({ url: `${url}/chunks/${r.queryId}/${i}`, rowCount, uncompressedSize: rowCount * 100, compressedSize: rowCount * 10 });
  }
  return {
    parameters: sessionParameters(session),
    rowtype: r.rowtype.map((c) => ({
      name: c.name,
      database: session.database,
      schema: session.schema,
      table: "",
      type: c.type,
      precision: c.precision ?? null,
      scale: c.scale ?? null,
      length: c.type === "text" ? 16777216 : null,
      byteLength: c.type === "text" ? 16777216 : null,
      nullable: c.nullable,
      collation: null,
    })),
    rowset: inline,
    total: r.rows.length,
    returned: r.rows.length,
    queryId: r.queryId,
    databaseProvider: null,
    finalDatabaseName: session.database,
    finalSchemaName: session.schema,
    finalWarehouseName: session.warehouse,
    finalRoleName: session.role,
    numberOfBinds: 0,
    arrayBindSupported: false,
    statementTypeId: r.statementTypeId,
    version: 1,
    sendResultTime: Date.now(),
    queryResultFormat: "json",
    ...(chunks.length ? { chunks, chunkHeaders: {}, qrmk: "test-qrmk" } : {}),
  };
}

/**
 * Chunk `i` of a result (the rows after the inline ones, `chunkRows` a chunk): the rowset's rows
 * without the enclosing brackets, gzip-compressed.
 */
export function chunkBody(r: StoredResult, i: number, chunkRows: number): Buffer {
  const rows = r.rows.slice(chunkRows * (i + 1), chunkRows * (i + 2));
  return gzipSync(Buffer.from(rows.map((row) => JSON.stringify(row)).join(","), "utf8"));
}

export function columnOf(name: string, t: DuckDBType): Column {
  const id = t.typeId;
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return { name, type: "boolean", nullable: true };
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
      return { name, type: "fixed", precision: 38, scale: 0, nullable: true };
    case DuckDBTypeId.DECIMAL: {
      const d = t as unknown as { width: number; scale: number };
      return { name, type: "fixed", precision: d.width, scale: d.scale, nullable: true };
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { name, type: "real", nullable: true };
    case DuckDBTypeId.DATE:
      return { name, type: "date", nullable: true };
    case DuckDBTypeId.TIMESTAMP:
      return { name, type: "timestamp_ntz", precision: 0, scale: 9, nullable: true };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { name, type: "timestamp_ltz", precision: 0, scale: 9, nullable: true };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return { name, type: "variant", nullable: true };
    default:
      return { name, type: t.alias === "JSON" ? "variant" : "text", nullable: true };
  }
}

/** A DuckDB value in Snowflake's JSON result encoding (every value a string, or null). */
export function encodeValue(v: DuckDBValue, t: DuckDBType): string | null {
  if (v === null || v === undefined) return null;
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return v ? "1" : "0";
    case DuckDBTypeId.DATE:
      return String((v as unknown as { days: number }).days);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const micros = (v as unknown as { micros: bigint }).micros;
      const sec = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
      const frac = micros - sec * 1_000_000n;
      return `${sec}.${frac.toString().padStart(6, "0")}000`;
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE: {
      const n = v as number;
      return Number.isNaN(n) ? "NaN" : n === Infinity ? "inf" : n === -Infinity ? "-inf" : String(n);
    }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return JSON.stringify(toPlain(v));
    default:
      return typeof v === "object" ? String(v) : String(v);
  }
}

function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "bigint" ? Number(v) : v;
  const anyV = v as { items?: unknown[]; entries?: Record<string, unknown> };
  if (Array.isArray(anyV.items)) return anyV.items.map(toPlain);
  if (anyV.entries && typeof anyV.entries === "object") return Object.fromEntries(Object.entries(anyV.entries).map(([k, x]) => [k, toPlain(x)]));
  return String(v);
}
