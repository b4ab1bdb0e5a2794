/**
 * Records → batches for the CSV reader, whichever tokenizer produced them: header handling,
 * positions, ragged-row and U+FFFD rejects, batch size. The three tokenizers (bytes, strings,
 * csv-parse) take over from one another mid-file; keeping this state in one place is what makes
 * their output identical, batch boundaries included.
 */
import type { BadRecord, EncodedRows, RecordBatch } from "../types.js";
import { type ByteCsvTokenizer, fieldsOf } from "./csv-bytes.js";

/** A batch of rows kept as JSON bytes: `rows` is decoded only if someone reads it. */
class EncodedBatch implements RecordBatch {
  private decoded: string[][] | undefined;
  constructor(
    readonly input: string,
    readonly columns: readonly string[],
    readonly positions: number[],
    readonly rejects: BadRecord[],
    readonly encoded: EncodedRows,
  ) {}
  get rows(): string[][] {
    return (this.decoded ??= decodeRows(this.encoded));
  }
}

function decodeRows(e: EncodedRows): string[][] {
  const rows = new Array<string[]>(e.offsets.length - 1);
  for (let i = 0; i < rows.length; i++) rows[i] = fieldsOf(e.json, e.offsets[i]!, e.offsets[i + 1]!);
  return rows;
}

export class CsvBatcher {
  /** Batches completed, for the reader to yield. */
  readonly ready: RecordBatch[] = [];
  private columns: string[] | null;
  private width: number;
  private skipHeader: boolean;
  private position = 0;
  private rows: (string | null)[][] = [];
  private positions: number[] = [];
  private jsons: (string | undefined)[] = [];
  private rejects: BadRecord[] = [];
  /** Byte path: the tokenizer whose output holds the rows, and their offsets from its mark. */
  private tok: ByteCsvTokenizer | null = null;
  private offsets: number[] = [0];

  constructor(
    private readonly input: string,
    columns: readonly string[] | undefined,
    header: boolean,
    /** Rows + rejects per batch. */
    private readonly cap: number,
    /** UTF-8 source: fields with U+FFFD come from invalid bytes and are rejected. */
    private readonly checksUtf8: boolean,
  ) {
    this.columns = columns ? [...columns] : null;
    this.width = columns ? columns.length : -1;
    this.skipHeader = header;
  }

  /** Whether the file gave anything to yield at its end (a header alone creates the table). */
  get hasAny(): boolean {
    return this.rows.length > 0 || this.offsets.length > 1 || this.rejects.length > 0 || this.columns !== null;
  }

  /** A record from a string tokenizer. `mayHaveFFFD` false: no field holds U+FFFD. */
  record(record: string[], raw: () => string, json?: string, mayHaveFFFD = true): void {
    if (this.skipHeader) {
      this.skipHeader = false;
      if (!this.columns) this.setColumns(record);
      return;
    }
    if (!this.columns) this.setColumns(record.map((_, i) => `column_${i + 1}`));
    this.position++;
    if (record.length !== this.width) this.reject(raw(), `expected ${this.width} fields, found ${record.length}`);
    else if (this.checksUtf8 && mayHaveFFFD && hasReplacementChar(record)) this.reject(raw(), "invalid UTF-8 byte sequence (shown as U+FFFD)");
    else {
      this.rows.push(record);
      this.positions.push(this.position);
      this.jsons.push(json);
    }
    this.full();
  }

  /**
   * A record from the byte tokenizer (JSON in `tok.out[start, end)`); returns whether to keep
   * its JSON. The byte path never sees U+FFFD (it hands such files to the string path).
   */
  recordBytes(tok: ByteCsvTokenizer, fields: number, start: number, end: number): boolean {
    this.tok = tok;
    if (this.skipHeader) {
      this.skipHeader = false;
      if (!this.columns) this.setColumns(fieldsOf(tok.out, start, end));
      return false;
    }
    if (!this.columns) this.setColumns(Array.from({ length: fields }, (_, i) => `column_${i + 1}`));
    this.position++;
    let keep = false;
    if (fields !== this.width) this.reject(tok.lastRaw(), `expected ${this.width} fields, found ${fields}`);
    else {
      this.offsets.push(end - tok.markAt);
      this.positions.push(this.position);
      keep = true;
    }
    this.full();
    return keep;
  }

  /** A record csv-parse could not parse. */
  skip(raw: string, reason: string): void {
    this.position++;
    this.rejects.push({ input: this.input, position: this.position, raw, reason });
  }

  /**
   * The byte path stopped: rows it produced for the current batch become string rows (their
   * JSON is kept for the loader), so the string path can go on filling the same batch.
   */
  toStrings(): void {
    const n = this.offsets.length - 1;
    if (n === 0 || !this.tok) return;
    const json = this.tok.take(this.offsets[n]!);
    for (let i = 0; i < n; i++) {
      const text = json.toString("utf8", this.offsets[i]!, this.offsets[i + 1]!);
      this.rows.push(JSON.parse(text) as string[]);
      this.jsons.push(text);
    }
    this.offsets = [0];
  }

  take(): RecordBatch {
    const columns = this.columns ?? [];
    const n = this.offsets.length - 1;
    const b: RecordBatch =
      n > 0
        ? new EncodedBatch(this.input, columns, this.positions, this.rejects, { json: this.tok!.take(this.offsets[n]!), offsets: this.offsets })
        : { input: this.input, columns, rows: this.rows, positions: this.positions, json: this.jsons, rejects: this.rejects };
    this.rows = [];
    this.positions = [];
    this.jsons = [];
    this.rejects = [];
    this.offsets = [0];
    return b;
  }

  private setColumns(columns: string[]): void {
    this.columns = columns;
    this.width = columns.length;
  }

  private reject(raw: string, reason: string): void {
    this.rejects.push({ input: this.input, position: this.position, raw: raw.replace(/\r?\n$|\r$/, ""), reason });
  }

  private full(): void {
    if (this.rows.length + this.offsets.length - 1 + this.rejects.length >= this.cap) this.ready.push(this.take());
  }
}

function hasReplacementChar(record: string[]): boolean {
  for (let i = 0; i < record.length; i++) if (record[i]!.includes("\uFFFD")) return true;
  return false;
}
