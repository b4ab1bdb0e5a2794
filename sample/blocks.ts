/**
 * Where blocks come from: generated in this thread, or by a pool of worker threads (one per core)
 * while this thread only hashes and writes. Either way blocks are yielded in order, with at most
 * a few in flight, so memory stays bounded and the bytes are the same.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { generateBlock } from "./block.js";
import type { Catalogue } from "./catalogue.js";
import { FILE_KEYS, type FileKey } from "./context.js";
import type { Dirt } from "./dirt.js";

export interface BlockRequest {
  readonly id: number;
  readonly seed: number;
  readonly people: number;
  readonly start: number;
  readonly end: number;
}

export interface BlockResult {
  readonly id: number;
  readonly out: Record<FileKey, Uint8Array>;
  readonly rows: Record<FileKey, number>;
  readonly malformed: Record<FileKey, number>;
  readonly truthCounts: Record<string, number>;
  readonly dirt: Dirt;
}

/** The compiled worker (dist/sample/block-worker.js). Absent when running from TypeScript sources (vitest). */
const WORKER_URL = new URL("./block-worker.js", import.meta.url);

export function defaultWorkers(): number {
  return existsSync(fileURLToPath(WORKER_URL)) ? Math.min(4, availableParallelism()) : 0;
}

function* ranges(people: number, blockSize: number): Generator<[number, number]> {
  for (let start = 0; start < people; start += blockSize) yield [start, Math.min(people, start + blockSize)];
}

export async function* inThread(seed: number, people: number, cat: Catalogue, forced: Set<number>, blockSize: number): AsyncGenerator<BlockResult> {
  let id = 0;
  for (const [start, end] of ranges(people, blockSize)) {
    const b = generateBlock(seed, people, cat, start, end, forced);
    const out = {} as Record<FileKey, Uint8Array>;
    for (const k of FILE_KEYS) out[k] = b.out[k].bytes();
    yield { id: id++, out, rows: b.rows, malformed: b.malformed, truthCounts: b.truthCounts, dirt: b.dirt };
  }
}

export async function* inWorkers(seed: number, people: number, workers: number, blockSize: number): AsyncGenerator<BlockResult> {
  const pool = Array.from({ length: workers }, () => new Worker(WORKER_URL));
  const waiting = new Map<number, { resolve: (r: BlockResult) => void; reject: (e: Error) => void }>();
  const fail = (err: Error): void => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  for (const w of pool) {
    w.on("message", (r: BlockResult) => {
      waiting.get(r.id)?.resolve(r);
      waiting.delete(r.id);
    });
    w.on("error", fail);
    w.on("exit", (code) => code !== 0 && fail(new Error(`sample block worker exited with code ${code}`)));
  }
  try {
    const todo = [...ranges(people, blockSize)];
    const inflight: Promise<BlockResult>[] = [];
    // Two blocks per worker in flight: workers never idle while this thread writes.
    const ahead = workers * 2;
    let next = 0;
    const submit = (): void => {
      const [start, end] = todo[next] as [number, number];
      const id = next++;
      inflight.push(new Promise<BlockResult>((resolve, reject) => waiting.set(id, { resolve, reject })));
      const req: BlockRequest = { id, seed, people, start, end };
      (pool[id % workers] as Worker).postMessage(req);
    };
    while (next < todo.length && inflight.length < ahead) submit();
    while (inflight.length > 0) {
      const r = await (inflight.shift() as Promise<BlockResult>);
      if (next < todo.length) submit();
      yield r;
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
