/**
 * The one small interface every connector implements.
 *
 * A `Source` (declared under `sources:` in rcu.yaml) yields `StreamReader`s; a reader yields
 * `RecordBatch`es of raw text values, each row with the input it came from (file, request) and its
 * position there (record number, index in page, row offset). Readers never touch the warehouse:
 * landing (staging, drift, quarantine, publish) is done once, generically, in `land/`.
 */
import type { RcuError } from "../engine/errors.js";

/** A record the source could not turn into a row (unparsable line, bad encoding, not an object…). */
export interface BadRecord {
  readonly input: string;
  readonly position: number;
  readonly raw: string;
  readonly reason: string;
}

export interface RecordBatch {
  /** File path (relative to the project) or request URL (without secrets) the rows came from. */
  readonly input: string;
  /** Source column names, exactly as the source spells them (sanitised later, at landing). */
  readonly columns: readonly string[];
  /** Rows aligned to `columns`; raw text (`null` = absent / SQL NULL). */
  readonly rows: (string | null)[][];
  /** Per row: record number in a file, index in a page, offset in a query result. */
  readonly positions: number[];
  /**
   * Optional, per row: `JSON.stringify(row)` when the reader could build it cheaply (undefined
   * entries: not available). The loader reuses it instead of serialising the row again.
   */
  readonly json?: (string | undefined)[];
  /**
   * Optional: the rows as the UTF-8 bytes of their `JSON.stringify`, back to back (row i is
   * `json[offsets[i], offsets[i + 1])`), when the reader produced them without building strings
   * (CSV on UTF-8 bytes). `rows` is then decoded from them only if someone reads it.
   */
  readonly encoded?: EncodedRows;
  readonly rejects: BadRecord[];
}

export interface EncodedRows {
  readonly json: Buffer;
  /** `rows + 1` offsets into `json`, the first 0. */
  readonly offsets: readonly number[];
}

/** Fingerprint of one landed file: a file is skipped when all of these are unchanged. */
export interface FileFingerprint {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

/** Incremental cursor state: the high-water mark and hashes of rows already landed *at* it. */
export interface CursorState {
  readonly value: string;
  /** Record hashes at `value`, so an inclusive `>=` window does not land them twice. */
  readonly boundary: readonly string[];
}

export interface StreamState {
  readonly cursor: CursorState | null;
  readonly files: ReadonlyMap<string, FileFingerprint>;
}

export interface ReadContext {
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly state: StreamState;
  /** Rows per batch: bounds memory (a 5 GB file is read 50k rows at a time). */
  readonly batchSize: number;
  /** A file the reader has fully read: its fingerprint is saved when the load commits. */
  fileDone(fp: FileFingerprint): void;
  /** A file unchanged since its last load and therefore not read. */
  fileSkipped(path: string): void;
  log(message: string): void;
}

export interface StreamReader {
  readonly source: string;
  readonly stream: string;
  read(ctx: ReadContext): AsyncIterable<RecordBatch>;
}

export type LoadStatus = "succeeded" | "failed" | "unchanged";

export interface StreamSummary {
  readonly source: string;
  readonly stream: string;
  readonly table: string;
  readonly loadId: string;
  readonly status: LoadStatus;
  readonly rowsIn: number;
  readonly rowsLanded: number;
  readonly rowsRejected: number;
  readonly valuesDiscarded: number;
  readonly columnsAdded: readonly string[];
  readonly inputs: readonly string[];
  readonly skippedInputs: readonly string[];
  readonly cursorBefore: string | null;
  readonly cursorAfter: string | null;
  readonly seconds: number;
  readonly error?: RcuError;
}

export interface ExtractSummary {
  readonly streams: readonly StreamSummary[];
  readonly ok: boolean;
}

export type ExtractEvent =
  | { readonly type: "stream-start"; readonly source: string; readonly stream: string; readonly loadId: string }
  | {
      readonly type: "progress";
      readonly source: string;
      readonly stream: string;
      readonly rows: number;
      readonly rowsPerSecond: number;
    }
  | { readonly type: "committing"; readonly source: string; readonly stream: string; readonly loadId: string }
  | { readonly type: "drift"; readonly source: string; readonly stream: string; readonly message: string }
  | { readonly type: "log"; readonly source: string; readonly stream: string; readonly message: string }
  | { readonly type: "stream-end"; readonly summary: StreamSummary };
