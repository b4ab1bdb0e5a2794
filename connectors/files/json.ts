/**
 * JSON documents. A top-level array is streamed element by element (a small scanner tracks
 * strings and nesting; each element is parsed alone), so memory is bounded by the largest record.
 * A top-level object is read whole (capped) and its records taken at `records_path`.
 */
import type { RecordBatch } from "../types.js";
import type { FileRef } from "./csv.js";
import { ObjectBatcher, openDecoded } from "./decode.js";
import { atPath } from "../http/json-path.js";

const MAX_DOCUMENT = 512 * 1024 * 1024;

export async function* readJson(
  file: FileRef,
  encoding: string | undefined,
  recordsPath: string | undefined,
  batchSize: number,
  onHash: (sha256: string) => void,
): AsyncGenerator<RecordBatch> {
  const { text, hash, checksUtf8 } = openDecoded(file.abs, encoding);
  const batcher = new ObjectBatcher(file.rel);
  let mode: "start" | "array" | "document" | "done" = "start";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let element = 0;
  let docLength = 0;
  const emit = (raw: string): void => {
    const t = raw.trim();
    if (t === "") return;
    element++;
    if (checksUtf8 && t.includes("\uFFFD")) {
      batcher.reject(element, t, "invalid UTF-8 byte sequence (shown as U+FFFD)");
      return;
    }
    try {
      const v = JSON.parse(t) as unknown;
      if (v !== null && typeof v === "object" && !Array.isArray(v)) batcher.add(v as Record<string, unknown>, element);
      else batcher.reject(element, t, "not a JSON object");
    } catch (err) {
      batcher.reject(element, t, `invalid JSON: ${(err as Error).message.slice(0, 200)}`);
    }
  };
  for await (const chunk of text as AsyncIterable<string>) {
    let s = chunk;
    if (mode === "start") {
      s = s.replace(/^\uFEFF?\s*/, "");
      if (s === "") continue;
      if (s[0] === "[") {
        mode = "array";
        depth = 1;
        s = s.slice(1);
      } else mode = "document";
    }
    if (mode === "document") {
      docLength += s.length;
      if (docLength > MAX_DOCUMENT) throw new Error(`${file.rel}: JSON document larger than ${MAX_DOCUMENT} characters; use a top-level array or JSON Lines`);
      parts.push(s);
      continue;
    }
    if (mode === "done") {
      if (s.trim() !== "") batcher.reject(element + 1, s.trim().slice(0, 10_000), "unexpected text after the top-level array");
      continue;
    }
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          parts.push(s.slice(from, i));
          emit(parts.join(""));
          parts = [];
          mode = "done";
          const tail = s.slice(i + 1).trim();
          if (tail) batcher.reject(element + 1, tail.slice(0, 10_000), "unexpected text after the top-level array");
          break;
        }
      } else if (c === 44 && depth === 1) {
        parts.push(s.slice(from, i));
        emit(parts.join(""));
        parts = [];
        from = i + 1;
      }
    }
    if (mode === "array") parts.push(s.slice(from));
    if (batcher.size >= batchSize) yield batcher.take();
  }
  if (mode === "array") {
    const rest = parts.join("").trim();
    if (rest) batcher.reject(element + 1, rest, "truncated JSON array (no closing bracket)");
  } else if (mode === "document") {
    const doc = parts.join("");
    try {
      const v = JSON.parse(doc) as unknown;
      const records = recordsPath ? atPath(v, recordsPath) : v;
      const list = Array.isArray(records) ? records : [records];
      list.forEach((r, i) => {
        if (r !== null && typeof r === "object" && !Array.isArray(r)) batcher.add(r as Record<string, unknown>, i + 1);
        else batcher.reject(i + 1, JSON.stringify(r) ?? "undefined", recordsPath ? `not a JSON object at ${recordsPath}` : "not a JSON object");
      });
    } catch (err) {
      batcher.reject(1, doc.slice(0, 1_000_000), `invalid JSON: ${(err as Error).message.slice(0, 200)}`);
    }
  }
  if (batcher.size) yield batcher.take();
  onHash(hash.digest("hex"));
}
