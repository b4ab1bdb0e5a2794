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
 */
import { parse } from "csv-parse";
import type { CsvOptions } from "../config.js";
import type { BadRecord, RecordBatch } from "../types.js";
import { openDecoded } from "./decode.js";

export interface FileRef {
  readonly abs: string;
  readonly rel: string;
}

export async function* readCsv(
  file: FileRef,
  options: Partial<CsvOptions>,
  batchSize: number,
  onHash: (sha256: string) => void,
): AsyncGenerator<RecordBatch> {
  const { text, hash, checksUtf8 } = openDecoded(file.abs, options.encoding);
  let rejects: BadRecord[] = [];
  let position = 0;
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
      position++;
      rejects.push({
        input: file.rel,
        position,
        raw: raw ?? "",
        reason: err ? `unparsable CSV record (line ${err.lines}): ${err.message.slice(0, 300)}` : "unparsable CSV record",
      });
      return undefined;
    },
  });
  text.on("error", (err) => parser.destroy(err));
  text.pipe(parser);

  let columns: string[] | null = options.columns ? [...options.columns] : null;
  let skipHeader = options.header !== false;
  let rows: (string | null)[][] = [];
  let positions: number[] = [];
  const take = (): RecordBatch => {
    const b = { input: file.rel, columns: columns ?? [], rows, positions, rejects };
    rows = [];
    positions = [];
    rejects = [];
    return b;
  };
  for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    const record = item.record;
    if (skipHeader) {
      skipHeader = false;
      if (!columns) columns = record;
      continue;
    }
    if (!columns) columns = record.map((_, i) => `column_${i + 1}`);
    position++;
    if (record.length !== columns.length) {
      rejects.push({
        input: file.rel,
        position,
        raw: item.raw.replace(/\r?\n$|\r$/, ""),
        reason: `expected ${columns.length} fields, found ${record.length}`,
      });
    } else if (checksUtf8 && record.some((v) => v.includes("\uFFFD"))) {
      rejects.push({
        input: file.rel,
        position,
        raw: item.raw.replace(/\r?\n$|\r$/, ""),
        reason: "invalid UTF-8 byte sequence (shown as U+FFFD)",
      });
    } else {
      rows.push(record);
      positions.push(position);
    }
    if (rows.length + rejects.length >= batchSize) yield take();
  }
  if (rows.length || rejects.length || columns) yield take();
  onHash(hash.digest("hex"));
}
