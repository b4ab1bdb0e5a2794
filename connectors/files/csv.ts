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
 * and hands the file over to csv-parse at the first record it would treat specially. UTF-8 files
 * are first read by its byte twin (`csv-bytes.ts`: no strings per field, rows as JSON bytes),
 * which hands over to the string tokenizer at anything unusual (invalid UTF-8, U+FFFD, records
 * csv-parse must see). Each hand-over re-reads the file and skips the records already produced.
 */
import { parse } from "csv-parse";
import type { CsvOptions } from "../config.js";
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import type { RecordBatch } from "../types.js";
import { CsvBatcher } from "./csv-batch.js";
import { ByteCsvTokenizer, byteCsvSupports } from "./csv-bytes.js";
import { FastCsvTokenizer, fastCsvSupports } from "./csv-fast.js";
import { normaliseEncoding, openDecoded } from "./decode.js";

export interface FileRef {
  readonly abs: string;
  readonly rel: string;
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
  /** `strings` skips the byte path, `csv-parse` forces the reference implementation (tests compare them). */
  parser: "auto" | "strings" | "csv-parse" = "auto",
): AsyncGenerator<RecordBatch> {
  // Small batches (≤ 4096 rows) keep rows short-lived, which matters more for the garbage
  // collector than batch overheads; bulk writers regroup them into large engine loads.
  const cap = Math.max(1, Math.min(batchSize, 4096));
  const utf8 = normaliseEncoding(options.encoding) === "utf-8";
  const batcher = new CsvBatcher(file.rel, options.columns, options.header !== false, cap, utf8);
  const delimiter = options.delimiter ?? ",";
  const quote = options.quote ?? '"';
  const escape = options.escape ?? quote;
  const fast = parser !== "csv-parse" && fastCsvSupports({ delimiter, quote, escape });
  // Records (the header included) produced by the previous tokenizer: the next one skips them.
  let skip = 0;
  if (fast && parser === "auto" && utf8 && byteCsvSupports(delimiter, quote)) {
    const tok: ByteCsvTokenizer = new ByteCsvTokenizer(delimiter, quote, (n, start, end): boolean => batcher.recordBytes(tok, n, start, end));
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(file.abs, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      if (!tok.push(chunk as Buffer, false)) break; // leaving the loop closes the file
      while (batcher.ready.length) yield batcher.ready.shift()!;
    }
    const done = !tok.bailed && tok.push(Buffer.alloc(0), true);
    while (batcher.ready.length) yield batcher.ready.shift()!;
    if (done) {
      if (batcher.hasAny) yield batcher.take();
      onHash(hash.digest("hex"));
      return;
    }
    skip = tok.records;
    batcher.toStrings();
  }
  let decoded = openDecoded(file.abs, options.encoding);
  if (fast) {
    let skipped = 0;
    const tok = new FastCsvTokenizer(delimiter, quote, (fields, json) => {
      if (skipped < skip) skipped++;
      else batcher.record(fields, () => tok.lastRaw(), json, tok.replacementChars);
    });
    let done = false;
    for await (const chunk of decoded.text as AsyncIterable<string>) {
      if (!tok.push(chunk, false)) break;
      while (batcher.ready.length) yield batcher.ready.shift()!;
    }
    if (!tok.bailed) done = tok.push("", true);
    while (batcher.ready.length) yield batcher.ready.shift()!;
    if (done) {
      if (batcher.hasAny) yield batcher.take();
      onHash(decoded.hash.digest("hex"));
      return;
    }
    // A record csv-parse treats specially: csv-parse reads the file again from the start and
    // takes over after the records already produced (identical up to there).
    decoded.text.destroy();
    skip = tok.records;
    decoded = openDecoded(file.abs, options.encoding);
  }
  for await (const item of csvParser(decoded.text, options, (raw, reason) => batcher.skip(raw, reason))) {
    if (skip > 0) {
      skip--;
      continue;
    }
    batcher.record(item.record, () => item.raw);
    while (batcher.ready.length) yield batcher.ready.shift()!;
  }
  while (batcher.ready.length) yield batcher.ready.shift()!;
  if (batcher.hasAny) yield batcher.take();
  onHash(decoded.hash.digest("hex"));
}
