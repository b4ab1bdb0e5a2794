/**
 * generateEstate: the sample estate of a fictional French omnichannel retailer, with ground truth.
 *
 * Streams: persons are generated in blocks of consecutive indices (each person depends only on
 * seed + index, see person.ts), each block's rows are encoded straight into one buffer per file,
 * then hashed and written while the next block is generated (in this thread or in workers, see
 * blocks.ts). Memory is bounded by a few blocks, whatever the number of people. Output is
 * byte-identical for the same (seed, people) — the manifest carries no clock time.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildCatalogue, staticFiles } from "./catalogue.js";
import { defaultWorkers, inThread, inWorkers } from "./blocks.js";
import { FILES, FILE_KEYS, SOURCE, type FileKey } from "./context.js";
import type { Dirt } from "./dirt.js";
import { forcedMalformed } from "./malformed.js";
import { OutFile, encode } from "./writer.js";
import { createHash } from "node:crypto";

export interface GenerateOptions {
  readonly people: number;
  readonly seed: number;
  readonly outDir: string;
  /** Called after each block with persons done so far. */
  readonly onProgress?: (done: number, people: number) => void;
  /** Persons per block (tuning only: the output does not depend on it). */
  readonly blockSize?: number;
  /**
   * Worker threads generating blocks while this thread hashes and writes (output is identical).
   * Default: one per core (max 4) when running compiled JavaScript, 0 (this thread) otherwise.
   */
  readonly workers?: number;
}

export interface FileEntry {
  /** Data rows, malformed ones included, header excluded. */
  readonly rows: number;
  readonly malformed: number;
  readonly bytes: number;
  readonly encoding: "utf-8" | "windows-1252";
  readonly sha256: string;
}

export interface Manifest {
  readonly generator: "rcu-sample";
  readonly version: 1;
  readonly seed: number;
  readonly people: number;
  /** Keyed by path relative to outDir (forward slashes). */
  readonly files: Record<string, FileEntry>;
  /** Person-bearing records per truth source name. */
  readonly truth: Record<string, number>;
  /** How many times each kind of dirt was applied (see DIRT in config.ts for the rates). */
  readonly dirt: Record<string, number>;
}

/** Largest estate the id scheme supports (purchase slots are person × 256 in 32 bits). */
export const MAX_PEOPLE = 16_000_000;

export async function generateEstate(opts: GenerateOptions): Promise<Manifest> {
  const { people, outDir } = opts;
  if (!Number.isSafeInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
  // The PRNG works on 32 bits: seeds are taken modulo 2^32 (and reported that way in the manifest).
  const seed = opts.seed >>> 0;
  if (!Number.isInteger(people) || people < 1 || people > MAX_PEOPLE) throw new Error(`people must be an integer in 1..${MAX_PEOPLE}, got ${people}`);
  const blockSize = opts.blockSize ?? 4096;
  const cat = buildCatalogue(seed);
  const forced = forcedMalformed(people);

  const out = {} as Record<FileKey, OutFile>;
  const rows = Object.fromEntries(FILE_KEYS.map((k) => [k, 0])) as Record<FileKey, number>;
  const malformed = Object.fromEntries(FILE_KEYS.map((k) => [k, 0])) as Record<FileKey, number>;
  const dirt: Dirt = {};
  const truth: Record<string, number> = Object.fromEntries(Object.values(SOURCE).map((s) => [s, 0]));
  const workers = opts.workers ?? defaultWorkers();
  try {
    for (const k of FILE_KEYS) out[k] = await OutFile.open(outDir, FILES[k].path, FILES[k].encoding);
    let pending: Promise<unknown> = Promise.all(FILE_KEYS.map((k) => out[k].write(FILES[k].header)));
    const blocks = workers > 0 ? inWorkers(seed, people, workers, blockSize) : inThread(seed, people, cat, forced, blockSize);
    let done = 0;
    for await (const block of blocks) {
      // One block in flight per file: wait for the previous writes before queuing these.
      await pending;
      const writes: Promise<void>[] = [];
      for (const k of FILE_KEYS) {
        const b = block.out[k];
        let bytes = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        // JSON array: the very first element has no separator before it.
        if (rows[k] === 0 && FILES[k].separator && bytes.length > 0) bytes = bytes.subarray(Buffer.byteLength(FILES[k].separator));
        writes.push(out[k].writeBytes(bytes));
        rows[k] += block.rows[k];
        malformed[k] += block.malformed[k];
      }
      pending = Promise.all(writes);
      for (const [kind, n] of Object.entries(block.dirt)) dirt[kind] = (dirt[kind] ?? 0) + n;
      for (const [src, n] of Object.entries(block.truthCounts)) truth[src] = (truth[src] ?? 0) + n;
      done = Math.min(people, done + blockSize);
      opts.onProgress?.(done, people);
    }
    await pending;
    await Promise.all(FILE_KEYS.map((k) => out[k].write(FILES[k].footer)));
  } catch (err) {
    // Leave no open handles behind; the partial files are the caller's to delete.
    await Promise.allSettled(Object.values(out).map((f) => f.close()));
    throw err;
  }

  const files: Record<string, FileEntry> = {};
  for (const k of FILE_KEYS) {
    const sha256 = await out[k].close();
    files[FILES[k].path] = { rows: rows[k], malformed: malformed[k], bytes: out[k].bytes, encoding: FILES[k].encoding === "cp1252" ? "windows-1252" : "utf-8", sha256 };
  }
  for (const s of staticFiles(cat)) {
    const buf = encode(s.text, "utf8");
    await mkdir(path.dirname(path.join(outDir, s.path)), { recursive: true });
    await writeFile(path.join(outDir, s.path), buf);
    files[s.path] = { rows: s.rows, malformed: s.malformed, bytes: buf.length, encoding: "utf-8", sha256: createHash("sha256").update(buf).digest("hex") };
  }
  const sortedFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  const sortedDirt = Object.fromEntries(Object.entries(dirt).sort(([a], [b]) => (a < b ? -1 : 1)));
  const manifest: Manifest = { generator: "rcu-sample", version: 1, seed, people, files: sortedFiles, truth, dirt: sortedDirt };
  await writeFile(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

