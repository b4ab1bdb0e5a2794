/**
 * The CSV tokenizer of `csv-fast.ts`, working on the file's bytes instead of decoded strings, for
 * UTF-8 input only: no string per field, no array per record. Each record is written straight into
 * an output buffer as its JSON array (`["f1","f2"]`, the UTF-8 bytes of `JSON.stringify(fields)`),
 * which the loader hashes and copies into the engine's batch file.
 *
 * Why bytes are safe: the delimiter, the quote, CR and LF are ASCII, and in UTF-8 an ASCII byte
 * is never part of a multibyte character, so records and fields split at the same places as in the
 * decoded text. Valid UTF-8 holds no lone surrogates, so the only characters JSON.stringify
 * escapes are `"`, `\` and controls below U+0020 — all ASCII, escaped here byte by byte — and
 * everything else is copied verbatim: the JSON bytes (hence the record hashes) are identical.
 *
 * Anything else stops the tokenizer (`bailed`) before the first record it has not produced, and
 * the caller hands the file to the string tokenizer, which skips the `records` already produced:
 * the records csv-fast stops at (stray or unclosed quotes: csv-parse's territory), a chunk that is
 * not valid UTF-8 (the decoder turns bad bytes into U+FFFD and such records are rejected), and a
 * chunk holding U+FFFD itself (also rejected by the string path, which cannot tell it apart), and
 * a record longer than about 7 MiB.
 */
import { isUtf8 } from "node:buffer";

const LF = 10;
const CR = 13;
/** Byte classes (`cls`): copy as is, JSON-escape, delimiter, quote, CR, LF. */
const PLAIN = 0;
const ESC = 1;
const DELIM = 2;
const QUOTE = 3;
const EOL_CR = 4;
const EOL_LF = 5;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const FFFD = Buffer.from([0xef, 0xbf, 0xbd]);
const HEX = Buffer.from("0123456789abcdef", "latin1");
/** Longest input scanned at once: a 1 MiB chunk plus the incomplete record before it. */
const MAX_BUFFER = 8 << 20;

/** Whether `c` is a single ASCII character the byte tokenizer can scan for. */
export function byteCsvSupports(delimiter: string, quote: string): boolean {
  return /^[\x00-\x7f]$/.test(delimiter) && /^[\x00-\x7f]$/.test(quote);
}

export class ByteCsvTokenizer {
  /** Records produced so far (the header included): the string path skips them after a bail. */
  records = 0;
  bailed = false;
  /** Output: JSON arrays of the records kept, back to back from `mark` to `end`. */
  out: Buffer = Buffer.alloc(0);
  end = 0;
  /** Start of the output not yet taken (`take`). */
  private mark = 0;
  private rest: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private started = false;
  private readonly cls = new Uint8Array(256);
  private readonly D: number;
  private readonly Q: number;
  // The last record, for `lastRaw()` (valid during the `onRecord` callback).
  private buf: Buffer = Buffer.alloc(0);
  private rawStart = 0;
  private rawEnd = 0;
  private rawPrefix = "";
  /** First line-ending character of each empty line skipped since the last record (csv-parse's raw). */
  private emptyPrefix = "";

  constructor(
    delimiter: string,
    quote: string,
    /**
     * A record with `fields` fields, its JSON in `out[start, end)`. Return false to drop its JSON
     * from the output (header, rejected records).
     */
    private readonly onRecord: (fields: number, start: number, end: number) => boolean,
  ) {
    this.D = delimiter.charCodeAt(0);
    this.Q = quote.charCodeAt(0);
    for (let c = 0; c < 0x20; c++) this.cls[c] = ESC;
    this.cls[0x22] = ESC;
    this.cls[0x5c] = ESC;
    this.cls[CR] = EOL_CR;
    this.cls[LF] = EOL_LF;
    this.cls[this.D] = DELIM;
    this.cls[this.Q] = QUOTE;
  }

  /** The record's raw text, as `FastCsvTokenizer.lastRaw` gives it. */
  lastRaw(): string {
    return this.rawPrefix + this.buf.toString("utf8", this.rawStart, this.rawEnd);
  }

  /**
   * The next `n` output bytes not taken yet (the records kept since the last `take`, back to back;
   * offsets in them are relative to `mark`), never written again.
   */
  take(n: number): Buffer {
    const b = this.out.subarray(this.mark, this.mark + n);
    this.mark += n;
    return b;
  }

  /** Where the output not taken yet starts in `out` (moves when `out` is reallocated). */
  get markAt(): number {
    return this.mark;
  }

  /** Feed a chunk of the file (`final`: the last one, possibly empty). Returns false once bailed. */
  push(chunk: Buffer, final: boolean): boolean {
    if (this.bailed) return false;
    // A record longer than a chunk is re-scanned from its start on every push: wait until the
    // pending bytes have doubled before trying again, so huge records stay linear.
    if (!final && this.rest.length > 1 << 20 && this.pendingLen + chunk.length < this.rest.length) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      return true;
    }
    let b = this.rest.length || this.pending.length ? Buffer.concat([this.rest, ...this.pending, chunk]) : chunk;
    this.pending = [];
    this.pendingLen = 0;
    this.rest = Buffer.alloc(0);
    if (!this.started) {
      if (b.length < 3 && !final) {
        this.rest = b; // maybe a BOM cut short
        return true;
      }
      this.started = true;
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    // A record of several MiB (the output is reserved at 6 bytes per input byte): left to the
    // string path, so memory stays a small multiple of the longest record.
    if (b.length > MAX_BUFFER) return this.bail();
    // Validate up to the last complete character; a cut one is part of the record carried over.
    const valid = final ? b.length : completeUtf8(b);
    if (!isUtf8(b.subarray(0, valid)) || b.indexOf(FFFD) !== -1) return this.bail();
    this.reserve(6 * b.length + 16);
    this.buf = b;
    const ok = this.scan(b, final);
    this.buf = Buffer.alloc(0);
    return ok;
  }

  private bail(): false {
    this.bailed = true;
    this.rest = Buffer.alloc(0);
    return false;
  }

  /**
   * Room for `n` more output bytes (JSON is at most 6 bytes per input byte: `\u00XX`; an empty
   * field is 3 bytes for its 1-byte delimiter). Untaken output moves to the new buffer; taken
   * output stays where it is, in the old one.
   */
  private reserve(n: number): void {
    if (this.out.length - this.end >= n) return;
    const keep = this.end - this.mark;
    const next = Buffer.allocUnsafe(Math.max(2 * (n + keep), 1 << 22));
    this.out.copy(next, 0, this.mark, this.end);
    this.out = next;
    this.mark = 0;
    this.end = keep;
  }

  private scan(b: Buffer, final: boolean): boolean {
    const len = b.length;
    const cls = this.cls;
    const Q = this.Q;
    const out = this.out;
    let o = this.end;
    let pos = 0;
    let recStart = 0;
    let incomplete = false;
    outer: while (pos < len) {
      recStart = pos;
      const c0 = b[pos]!;
      if (c0 === LF) {
        this.emptyPrefix += "\n";
        pos++;
        continue;
      }
      if (c0 === CR) {
        if (pos + 1 >= len && !final) {
          incomplete = true;
          break;
        }
        this.emptyPrefix += "\r";
        pos += b[pos + 1] === LF ? 2 : 1;
        continue;
      }
      const o0 = o;
      out[o++] = 0x5b; // [
      let fields = 0;
      let eol: number;
      for (;;) {
        if (fields++ > 0) out[o++] = 0x2c; // ,
        out[o++] = 0x22; // "
        let p = pos;
        if (p < len && b[p] === Q) {
          p++;
          for (;;) {
            if (p >= len) {
              if (!final) {
                incomplete = true;
                o = o0;
                break outer;
              }
              return this.bail(); // quote not closed
            }
            const c = b[p]!;
            const k = cls[c]!;
            if (k === PLAIN) {
              out[o++] = c;
              p++;
              continue;
            }
            if (k !== QUOTE) {
              // Content: the delimiter and line breaks too (the latter escaped).
              o = c < 0x20 || c === 0x22 || c === 0x5c ? escape(out, o, c) : ((out[o++] = c), o);
              p++;
              continue;
            }
            if (p + 1 >= len) {
              if (!final) {
                incomplete = true;
                o = o0;
                break outer;
              }
              eol = len;
              break;
            }
            const nc = b[p + 1]!;
            if (nc === Q) {
              o = c === 0x22 || c === 0x5c || c < 0x20 ? escape(out, o, c) : ((out[o++] = c), o);
              p += 2;
              continue;
            }
            if (nc === this.D) {
              pos = p + 2;
              eol = -1;
              break;
            }
            if (nc === LF || nc === CR) {
              eol = p + 1;
              break;
            }
            return this.bail(); // invalid closing quote
          }
        } else {
          for (;;) {
            if (p >= len) {
              if (!final) {
                incomplete = true;
                o = o0;
                break outer;
              }
              eol = len;
              break;
            }
            const c = b[p]!;
            const k = cls[c]!;
            if (k === PLAIN) {
              out[o++] = c;
              p++;
            } else if (k === ESC) {
              o = escape(out, o, c);
              p++;
            } else if (k === DELIM) {
              pos = p + 1;
              eol = -1;
              break;
            } else if (k === QUOTE) return this.bail(); // quote inside an unquoted field
            else {
              eol = p;
              break;
            }
          }
        }
        out[o++] = 0x22; // "
        if (eol >= 0) break;
      }
      // The record ends at `eol` (a CR, an LF, or the end of the last chunk).
      let next: number;
      if (eol >= len) next = len;
      else if (b[eol] === CR) {
        if (eol + 1 >= len && !final) {
          incomplete = true; // CR or CRLF: decided by the next chunk
          o = o0;
          break;
        }
        next = b[eol + 1] === LF ? eol + 2 : eol + 1;
      } else next = eol + 1;
      out[o++] = 0x5d; // ]
      this.rawStart = recStart;
      this.rawEnd = eol < len ? eol + 1 : len;
      this.rawPrefix = this.emptyPrefix;
      this.emptyPrefix = "";
      this.records++;
      this.end = o;
      if (!this.onRecord(fields, o0, o)) o = o0;
      this.end = o;
      pos = next;
      recStart = pos;
    }
    this.end = o;
    if (incomplete) {
      if (final) throw new Error("CSV tokenizer: input left over at the end");
      // A copy: the chunk itself is not kept alive by a small remainder.
      this.rest = Buffer.from(b.subarray(recStart));
    }
    return true;
  }
}

/** The letter after the backslash for the bytes JSON.stringify escapes with one (0: \u00XX form). */
const SHORT_ESCAPE = new Uint8Array(256);
for (const [c, e] of [[0x22, 0x22], [0x5c, 0x5c], [8, 0x62], [9, 0x74], [LF, 0x6e], [12, 0x66], [CR, 0x72]] as const) SHORT_ESCAPE[c] = e;

/** Write byte `c` as JSON.stringify escapes it inside a string; returns the new offset. */
function escape(out: Buffer, o: number, c: number): number {
  out[o++] = 0x5c; // \
  const short = SHORT_ESCAPE[c]!;
  if (short) {
    out[o++] = short;
    return o;
  }
  // Other controls: \u00XX with lowercase hex digits, like JSON.stringify.
  out[o++] = 0x75;
  out[o++] = 0x30;
  out[o++] = 0x30;
  out[o++] = HEX[c >> 4]!;
  out[o++] = HEX[c & 15]!;
  return o;
}

/** Length of `b` without a trailing, incomplete UTF-8 sequence (validated with the next chunk). */
function completeUtf8(b: Buffer): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const c = b[i]!;
    if (c < 0x80) return n; // ASCII: nothing cut
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return n - i < need ? i : n;
    }
  }
  return n;
}

/** A record's fields from its JSON bytes (header, rows wanted as strings). */
export function fieldsOf(json: Buffer, start: number, end: number): string[] {
  return JSON.parse(json.toString("utf8", start, end)) as string[];
}
