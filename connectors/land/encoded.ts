/**
 * Batch-file lines for rows a reader gave as JSON bytes (`RecordBatch.encoded`), without making a
 * string per row: `["<position>","<hash>",<the row's fields>]`, byte for byte the UTF-8 of what
 * the loader builds from strings, with the same hash (`rowHash`: SHA-1 of the row's JSON text,
 * which is these bytes; CSV rows have no NULLs to trim).
 */
import { hash } from "node:crypto";
import type { EncodedRows } from "../types.js";

export interface EncodedLines {
  /** The lines, each ending with `\n`. */
  readonly buf: Buffer;
  readonly rows: number;
  /** Longest line, in bytes (the engine sizes its read buffers on it). */
  readonly maxLineBytes: number;
}

/** Per row besides its JSON: `["` + position (≤ 16 digits) + `","` + 40 hex + `",` + `\n`. */
const OVERHEAD = 2 + 16 + 3 + 40 + 2 + 1;

export function encodedLines(rows: EncodedRows, positions: readonly number[]): EncodedLines {
  const { json, offsets } = rows;
  const n = offsets.length - 1;
  const out = Buffer.allocUnsafe(offsets[n]! - offsets[0]! + n * OVERHEAD);
  let o = 0;
  let maxLine = 0;
  for (let i = 0; i < n; i++) {
    const s = offsets[i]!;
    const e = offsets[i + 1]!;
    const lineStart = o;
    out[o++] = 0x5b; // [
    out[o++] = 0x22; // "
    o += out.write(String(positions[i]), o, "latin1");
    out[o++] = 0x22;
    out[o++] = 0x2c; // ,
    out[o++] = 0x22;
    o += out.write(hash("sha1", json.subarray(s, e), "hex"), o, "latin1");
    out[o++] = 0x22;
    // The row's JSON without its `[`: `"f1","f2"]`, or `]` for an empty row.
    if (e - s > 2) out[o++] = 0x2c;
    o += json.copy(out, o, s + 1, e);
    if (o - lineStart > maxLine) maxLine = o - lineStart;
    out[o++] = 0x0a; // \n
  }
  return { buf: out.subarray(0, o), rows: n, maxLineBytes: maxLine };
}
