/**
 * CSV via csv-parse, tolerant by design: a bad record is quarantined, the file goes on.
 *
 * - `relax_quotes`: a stray quote (`"5"x`) stays in the value (raw = unchanged) instead of
 *   derailing the parser; csv-parse's `skip_records_with_error` alone would swallow the records
 *   that follow an invalid closing quote.
 * - `relax_column_count`: ragged rows reach us and are rejected with their raw text.
 * - `record_delimiter` accepts CRLF, LF and CR in one file (mixed line endings).
 * - `raw: true` keeps each record's text for the rejected-records table.
 *
 * Position = record number in the file (1 = first data record; a multi-line quoted field is one
 * record).
 *
 * csv-parse is the reference implementation. For the common case (one-character delimiter and
 * quote, escape = quote) records come from the faster tokenizer of `csv-fast.ts`, which produces
 * the same records and raw text (checked against csv-parse in test/connectors/csv-fast.test.ts)
 * and hands the file over to csv-parse at the first record it would treat specially.
 */
import { parse } from "csv-parse";
import type { CsvOptions } from "../config.js";
import type { BadRecord, RecordBatch } from "../types.js";
import { FastCsvTokenizer, fastCsvSupports } from "./csv-fast.js";
import { openDecoded } from "./decode.js";

export interface FileRef {
  readonly abs: string;
  readonly rel: string;
}

export interface CsvRecordSink {
  /** `mayHaveFFFD` false: the parser knows no field holds U+FFFD (skips the per-field check). */
  record(fields: string[], raw: () => string, json?: string, mayHaveFFFD?: boolean): void;
  skip(raw: string, reason: string): void;
}

/** csv-parse with the options described above: an async iterable of `{ record, raw }`. */
export function csvParser(
  text: NodeJS.ReadableStream,
  options: Partial<CsvOptions>,
  onSkip: (raw: string, reason: string) => void,
): AsyncIterable<{ record: string[]; raw: string }> {
  const parser = parse({
    delimiter: options.delimiter ?? ",",
    quote: options.quote ?? '"',
    escape: options.escape ?? options.quote ?? '"',
    bom: true,
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    max_record_size: 512 * 1024 * 1024,
    on_skip: (err, raw) => {
      onSkip(raw ?? "", err ? `unparsable CSV record (line ${err.lines}): ${err.message.slice(0, 300)}` : "unparsable CSV record");
      return undefined;
    },
  });
  text.on("error", (err: Error) => parser.destroy(err));
  text.pipe(parser);
  return parser as AsyncIterable<{ record: string[]; raw: string }>;
}

export async function* readCsv(
  file: FileRef,
  options: Partial<CsvOptions>,
  batchSize: number,
  onHash: (sha256: string) => void,
  /** `csv-parse` forces the reference implementation (tests compare both). */
  parser: "auto" | "csv-parse" = "auto",
): AsyncGenerator<RecordBatch> {
  // Small batches (≤ 4096 rows) keep rows short-lived, which matters more for the garbage
  // collector than batch overheads; bulk writers regroup them into large engine loads.
  const cap = Math.max(1, Math.min(batchSize, 4096));
  let decoded = openDecoded(file.abs, options.encoding);
  const checksUtf8 = decoded.checksUtf8;
  let rejects: BadRecord[] = [];
  let position = 0;
  let columns: string[] | null = options.columns ? [...options.columns] : null;
  let width = columns ? columns.length : -1;
  let skipHeader = options.header !== false;
  let rows: (string | null)[][] = [];
  let positions: number[] = [];
  let jsons: (string | undefined)[] = [];
  const ready: RecordBatch[] = [];
  const take = (): RecordBatch => {
    const b = { input: file.rel, columns: columns ?? [], rows, positions, json: jsons, rejects };
    rows = [];
    positions = [];
    jsons = [];
    rejects = [];
    return b;
  };
  const reject = (raw: string, reason: string): void => {
    rejects.push({ input: file.rel, position, raw: raw.replace(/\r?\n$|\r$/, ""), reason });
  };
  const sink: CsvRecordSink = {
    record(record, raw, json, mayHaveFFFD = true) {
      if (skipHeader) {
        skipHeader = false;
        if (!columns) {
          columns = record;
          width = record.length;
        }
        return;
      }
      if (!columns) {
        columns = record.map((_, i) => `column_${i + 1}`);
        width = columns.length;
      }
      position++;
      if (record.length !== width) reject(raw(), `expected ${width} fields, found ${record.length}`);
      else if (checksUtf8 && mayHaveFFFD && hasReplacementChar(record)) reject(raw(), "invalid UTF-8 byte sequence (shown as U+FFFD)");
      else {
        rows.push(record);
        positions.push(position);
        jsons.push(json);
      }
      if (rows.length + rejects.length >= cap) ready.push(take());
    },
    skip(raw, reason) {
      position++;
      rejects.push({ input: file.rel, position, raw, reason });
    },
  };

  const delimiter = options.delimiter ?? ",";
  const quote = options.quote ?? '"';
  const escape = options.escape ?? quote;
  let fallbackFrom = 0;
  const fast = parser === "auto" && fastCsvSupports({ delimiter, quote, escape });
  if (fast) {
    const tok = new FastCsvTokenizer(delimiter, quote, (fields, json) =>
      sink.record(fields, () => tok.lastRaw(), json, tok.replacementChars),
    );
    let done = false;
    for await (const chunk of decoded.text as AsyncIterable<string>) {
      if (!tok.push(chunk, false)) break;
      while (ready.length) yield ready.shift()!;
    }
    if (!tok.bailed) done = tok.push("", true);
    while (ready.length) yield ready.shift()!;
    if (done) {
      if (rows.length || rejects.length || columns) yield take();
      onHash(decoded.hash.digest("hex"));
      return;
    }
    // A record csv-parse treats specially: csv-parse reads the file again from the start and
    // takes over after the records already produced (identical up to there).
    decoded.text.destroy();
    fallbackFrom = tok.records;
    decoded = openDecoded(file.abs, options.encoding);
  }
  let skip = fallbackFrom;
  for await (const item of csvParser(decoded.text, options, (raw, reason) => sink.skip(raw, reason))) {
    if (skip > 0) {
      skip--;
      continue;
    }
    sink.record(item.record, () => item.raw);
    while (ready.length) yield ready.shift()!;
  }
  while (ready.length) yield ready.shift()!;
  if (rows.length || rejects.length || columns) yield take();
  onHash(decoded.hash.digest("hex"));
}

function hasReplacementChar(record: string[]): boolean {
  for (let i = 0; i < record.length; i++) if (record[i]!.includes("\uFFFD")) return true;
  return false;
}
