/**
 * Worker-thread entry: generates blocks on request and transfers their bytes (no copy) back to
 * the writer thread. Blocks are pure functions of (seed, people, start, end), so which thread
 * made one never shows in the output.
 */
import { parentPort } from "node:worker_threads";
import { generateBlock } from "./block.js";
import { buildCatalogue, type Catalogue } from "./catalogue.js";
import { FILE_KEYS } from "./context.js";
import { forcedMalformed } from "./malformed.js";
import type { BlockRequest, BlockResult } from "./blocks.js";

let cached: { seed: number; people: number; cat: Catalogue; forced: Set<number> } | null = null;

parentPort?.on("message", (req: BlockRequest) => {
  if (!cached || cached.seed !== req.seed || cached.people !== req.people) {
    cached = { seed: req.seed, people: req.people, cat: buildCatalogue(req.seed), forced: forcedMalformed(req.people) };
  }
  const block = generateBlock(req.seed, req.people, cached.cat, req.start, req.end, cached.forced);
  const out = {} as BlockResult["out"];
  const transfer: ArrayBuffer[] = [];
  for (const k of FILE_KEYS) {
    const bytes = block.out[k].bytes();
    out[k] = bytes;
    transfer.push(bytes.buffer as ArrayBuffer);
  }
  const result: BlockResult = { id: req.id, out, rows: block.rows, malformed: block.malformed, truthCounts: block.truthCounts, dirt: block.dirt };
  parentPort?.postMessage(result, transfer);
});
