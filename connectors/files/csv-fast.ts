/**
 * A fast CSV tokenizer for the common case, producing exactly what csv-parse produces with the
 * options of `csv.ts` (`bom`, `raw`, `relax_quotes`, `relax_column_count`, `skip_empty_lines`,
 * record delimiters CRLF/LF/CR), which stays the reference implementation and the fallback.
 *
 * It works on decoded string chunks with `indexOf` scanning (the next delimiter, quote, CR and LF
 * positions are cached per chunk, so a file without, say, any CR is scanned for CR once per
 * chunk). Supported: a single-character delimiter and quote, the escape being the quote (`""`).
 *
 * Anything csv-parse treats specially — a quote inside an unquoted field, a closing quote not
 * followed by a delimiter or a line end, a quote never closed — makes the tokenizer stop
 * (`bailed`) *before* that record: the caller then hands the file to csv-parse and skips the
 * `records` records already produced, so malformed files get csv-parse's exact behaviour
 * (including its error messages and line numbers), at the cost of re-reading their prefix.
 */

const LF = 10;
/** What JSON.stringify escapes besides `"`, CR and LF: backslash, other controls, surrogates. */
const NEEDS_ESCAPE = /[\\\u0000-\u0009\u000b\u000c\u000e-\u001f\ud800-\udfff]/;
const NEEDS_ESCAPE_OR_DQUOTE = /["\\\u0000-\u0009\u000b\u000c\u000e-\u001f\ud800-\udfff]/;
const CR = 13;

export interface FastCsvOptions {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
}

/** Whether the fast tokenizer implements these options (else: csv-parse for the whole file). */
export function fastCsvSupports(o: FastCsvOptions): boolean {
  const special = (c: string) => c === "\r" || c === "\n" || c === "\uFEFF";
  return (
    o.delimiter.length === 1 &&
    o.quote.length === 1 &&
    o.escape === o.quote &&
    o.delimiter !== o.quote &&
    !special(o.delimiter) &&
    !special(o.quote)
  );
}

export class FastCsvTokenizer {
  /** Whether the text being tokenized holds a U+FFFD (else no record of it can). */
  replacementChars = true;
  /** Records produced so far (the header included). */
  records = 0;
  /** Stopped before a record csv-parse must handle; nothing more is produced. */
  bailed = false;
  private rest = "";
  private pending: string[] = [];
  private pendingLen = 0;
  private started = false;
  private readonly D: number;
  private readonly Q: number;
  // The last record, for `lastRaw()` (valid during the `onRecord` callback).
  private buf = "";
  private rawStart = 0;
  private rawEnd = 0;
  private rawPrefix = "";
  /** First delimiter character of each empty line skipped since the last record (csv-parse's raw). */
  private emptyPrefix = "";

  constructor(
    private readonly delimiter: string,
    private readonly quote: string,
    /**
     * `json`, when given, is exactly `JSON.stringify(fields)`, built without escaping because no
     * field needs any (it saves the loader a serialisation per row).
     */
    private readonly onRecord: (fields: string[], json: string | undefined) => void,
  ) {
    this.D = delimiter.charCodeAt(0);
    this.Q = quote.charCodeAt(0);
  }

  /**
   * The record's raw text as csv-parse's `raw` option gives it: skipped empty lines before it (the
   * first character of their line ending each), the record, and the first character of its line
   * ending.
   */
  lastRaw(): string {
    return this.rawPrefix + this.buf.slice(this.rawStart, this.rawEnd);
  }

  /** Feed a chunk (`final`: the last one, possibly empty). Returns false once bailed. */
  push(chunk: string, final: boolean): boolean {
    if (this.bailed) return false;
    // A record longer than a chunk is re-scanned from its start on every push: wait until the
    // pending text has doubled before trying again, so huge records stay linear.
    if (!final && this.rest.length > 1 << 20 && this.pendingLen + chunk.length < this.rest.length) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      return true;
    }
    if (this.pending.length) {
      this.pending.push(chunk);
      chunk = this.pending.join("");
      this.pending = [];
      this.pendingLen = 0;
    }
    let buf = this.rest.length ? this.rest + chunk : chunk;
    this.rest = "";
    if (!this.started) {
      if (buf.length === 0 && !final) return true;
      this.started = true;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    }
    this.buf = buf;
    this.replacementChars = buf.includes("\uFFFD");
    // Characters JSON.stringify would escape, other than the quote and line breaks (which the
    // tokenizer tracks per field): none in this text → fields can be quoted as they are.
    const plain = !(this.quote === '"' ? NEEDS_ESCAPE : NEEDS_ESCAPE_OR_DQUOTE).test(buf);
    const len = buf.length;
    const D = this.D;
    const Q = this.Q;
    const delim = this.delimiter;
    const quote = this.quote;
    // Next occurrence caches: -2 = not looked up yet, -1 = none left in this chunk.
    let nD = -2;
    let nQ = -2;
    let nL = -2;
    let nR = -2;
    let pos = 0;
    let recStart = 0;
    let incomplete = false;
    outer: while (pos < len) {
      recStart = pos;
      const c0 = buf.charCodeAt(pos);
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
        pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
        continue;
      }
      const fields: string[] = [];
      let eol: number;
      let escape = !plain;
      // Fields as JSON string contents, once a field differs from its JSON form (a `"` in it).
      let jfields: string[] | null = null;
      for (;;) {
        if (pos < len && buf.charCodeAt(pos) === Q) {
          let p = pos + 1;
          if (!escape) {
            // A line break inside the quoted field needs escaping in JSON.
            if (nL < p && nL !== -1) nL = buf.indexOf("\n", p);
            if (nR < p && nR !== -1) nR = buf.indexOf("\r", p);
          }
          let val = "";
          let quoted = false;
          for (;;) {
            if (nQ < p && nQ !== -1) nQ = buf.indexOf(quote, p);
            const qi = nQ;
            if (qi === -1) {
              if (!final) {
                incomplete = true;
                break outer;
              }
              this.bailed = true; // quote not closed
              return false;
            }
            if (!escape && ((nL !== -1 && nL < qi) || (nR !== -1 && nR < qi))) escape = true;
            if (qi + 1 >= len) {
              if (!final) {
                incomplete = true;
                break outer;
              }
              val += buf.slice(p, qi);
              fields.push(val);
              eol = len;
              break;
            }
            const nc = buf.charCodeAt(qi + 1);
            if (nc === Q) {
              quoted = true; // a quote in the value
              val += buf.slice(p, qi + 1);
              p = qi + 2;
              continue;
            }
            if (nc === D) {
              fields.push(p === pos + 1 ? buf.slice(p, qi) : val + buf.slice(p, qi));
              pos = qi + 2;
              eol = -1;
              break;
            }
            if (nc === LF || nc === CR) {
              fields.push(p === pos + 1 ? buf.slice(p, qi) : val + buf.slice(p, qi));
              eol = qi + 1;
              break;
            }
            this.bailed = true; // invalid closing quote
            return false;
          }
          if (!escape) {
            const v = fields[fields.length - 1]!;
            if (quoted && Q === 34) {
              if (!jfields) jfields = fields.slice(0, -1);
              jfields.push(v.replaceAll('"', '\\"'));
            } else if (jfields) jfields.push(v);
          }
          if (eol! >= 0) break;
          continue;
        }
        if (nD < pos && nD !== -1) nD = buf.indexOf(delim, pos);
        if (nL < pos && nL !== -1) nL = buf.indexOf("\n", pos);
        if (nR < pos && nR !== -1) nR = buf.indexOf("\r", pos);
        const e = nL === -1 ? nR : nR === -1 ? nL : nL < nR ? nL : nR;
        let end: number;
        let isDelim = false;
        if (nD !== -1 && (e === -1 || nD < e)) {
          end = nD;
          isDelim = true;
        } else if (e !== -1) end = e;
        else if (final) end = len;
        else {
          incomplete = true;
          break outer;
        }
        if (nQ < pos && nQ !== -1) nQ = buf.indexOf(quote, pos);
        if (nQ !== -1 && nQ < end) {
          this.bailed = true; // quote inside an unquoted field
          return false;
        }
        const v = buf.slice(pos, end);
        fields.push(v);
        if (jfields) jfields.push(v);
        if (isDelim) {
          pos = end + 1;
          continue;
        }
        eol = end;
        break;
      }
      // The record ends at `eol` (a CR, an LF, or the end of the last chunk).
      let next: number;
      if (eol >= len) next = len;
      else if (buf.charCodeAt(eol) === CR) {
        if (eol + 1 >= len && !final) {
          incomplete = true; // CR or CRLF: decided by the next chunk
          break;
        }
        next = buf.charCodeAt(eol + 1) === LF ? eol + 2 : eol + 1;
      } else next = eol + 1;
      this.rawStart = recStart;
      this.rawEnd = eol < len ? eol + 1 : len;
      this.rawPrefix = this.emptyPrefix;
      this.emptyPrefix = "";
      this.records++;
      this.onRecord(fields, escape ? undefined : '["' + (jfields ?? fields).join('","') + '"]');
      pos = next;
      recStart = pos;
    }
    if (incomplete) {
      if (final) throw new Error("CSV tokenizer: input left over at the end");
      this.rest = buf.slice(recStart);
    }
    this.buf = "";
    return true;
  }
}
