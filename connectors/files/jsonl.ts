/** JSON Lines: one object per line, read line by line (memory bounded by the longest line). */
import { createInterface } from "node:readline";
import type { RecordBatch } from "../types.js";
import type { FileRef } from "./csv.js";
import { ObjectBatcher, openDecoded } from "./decode.js";

export async function* readJsonl(
  file: FileRef,
  encoding: string | undefined,
  batchSize: number,
  onHash: (sha256: string) => void,
): AsyncGenerator<RecordBatch> {
  const { text, hash, checksUtf8 } = openDecoded(file.abs, encoding);
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  const batcher = new ObjectBatcher(file.rel);
  let line = 0;
  for await (let l of lines) {
    line++;
    if (line === 1 && l.charCodeAt(0) === 0xfeff) l = l.slice(1);
    if (l.trim() === "") continue;
    if (checksUtf8 && l.includes("\uFFFD")) batcher.reject(line, l, "invalid UTF-8 byte sequence (shown as U+FFFD)");
    else {
      let value: unknown;
      try {
        value = JSON.parse(l);
      } catch (err) {
        batcher.reject(line, l, `invalid JSON: ${(err as Error).message.slice(0, 200)}`);
        value = undefined;
      }
      if (value !== undefined) {
        if (value !== null && typeof value === "object" && !Array.isArray(value)) batcher.add(value as Record<string, unknown>, line);
        else batcher.reject(line, l, "not a JSON object");
      }
    }
    if (batcher.size >= batchSize) yield batcher.take();
  }
  if (batcher.size) yield batcher.take();
  onHash(hash.digest("hex"));
}
