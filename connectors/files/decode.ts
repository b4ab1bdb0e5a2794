/** Byte → text decoding shared by the file readers, hashing the bytes on the way for fingerprints. */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import iconv from "iconv-lite";

export interface DecodedFile {
  readonly text: Readable;
  readonly hash: Hash;
  /** Whether invalid byte sequences show up as U+FFFD (UTF-8 sources: such records are rejected). */
  readonly checksUtf8: boolean;
}

export function normaliseEncoding(encoding: string | undefined): string {
  const e = (encoding ?? "utf-8").toLowerCase();
  if (e === "utf8") return "utf-8";
  if (e === "iso-8859-1") return "latin1";
  if (e === "cp1252") return "windows-1252";
  return e;
}

/** A file as a stream of strings (BOM kept for the parser to strip), with a SHA-256 of its bytes. */
export function openDecoded(abs: string, encoding: string | undefined): DecodedFile {
  const enc = normaliseEncoding(encoding);
  const bytes = createReadStream(abs, { highWaterMark: 1 << 20 });
  const hash = createHash("sha256");
  bytes.on("data", (chunk) => hash.update(chunk as Buffer));
  const decoder = iconv.decodeStream(enc, { stripBOM: false }) as unknown as import("node:stream").Transform;
  bytes.on("error", (err) => decoder.destroy(err));
  return { text: bytes.pipe(decoder) as Readable, hash, checksUtf8: enc === "utf-8" };
}

export async function hashFile(abs: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** JSON value → raw text: strings verbatim, other scalars as JSON, objects/arrays as JSON text. */
export function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** Collects object records into batches with a growing column list (JSON sources). */
export class ObjectBatcher {
  private columns: string[] = [];
  private index = new Map<string, number>();
  private rows: (string | null)[][] = [];
  private positions: number[] = [];
  private rejects: Array<{ input: string; position: number; raw: string; reason: string }> = [];
  constructor(private readonly input: string) {}
  get size(): number {
    return this.rows.length + this.rejects.length;
  }
  add(record: Record<string, unknown>, position: number): void {
    const row: (string | null)[] = new Array(this.columns.length).fill(null);
    for (const [k, v] of Object.entries(record)) {
      let at = this.index.get(k);
      if (at === undefined) {
        at = this.columns.length;
        this.columns.push(k);
        this.index.set(k, at);
      }
      row[at] = toText(v);
    }
    this.rows.push(row);
    this.positions.push(position);
  }
  reject(position: number, raw: string, reason: string): void {
    this.rejects.push({ input: this.input, position, raw, reason });
  }
  take(): import("../types.js").RecordBatch {
    const width = this.columns.length;
    for (const r of this.rows) while (r.length < width) r.push(null);
    const batch = { input: this.input, columns: [...this.columns], rows: this.rows, positions: this.positions, rejects: this.rejects };
    this.rows = [];
    this.positions = [];
    this.rejects = [];
    return batch;
  }
}
