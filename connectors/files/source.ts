/**
 * File streams: every file matching the stream's glob, in path order. A file whose fingerprint
 * (path, size, mtime, SHA-256) was landed before is skipped; under `replace` either nothing
 * changed (skip all) or every file is re-read (the table is rebuilt from the current set).
 */
import { stat } from "node:fs/promises";
import type { FilesSourceConfig } from "../config.js";
import type { FileFingerprint, ReadContext, RecordBatch, StreamReader } from "../types.js";
import { readCsv, type FileRef } from "./csv.js";
import { hashFile } from "./decode.js";
import { globFiles } from "./glob.js";
import { readJson } from "./json.js";
import { readJsonl } from "./jsonl.js";

export function fileStreamReader(sourceName: string, source: FilesSourceConfig, streamName: string, replace: boolean): StreamReader {
  const stream = source.streams[streamName]!;
  return {
    source: sourceName,
    stream: streamName,
    async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
      const files = await globFiles(ctx.projectDir, stream.path);
      if (files.length === 0) ctx.log(`no file matches ${stream.path}`);
      const plan: Array<{ file: FileRef; size: number; mtimeMs: number; unchanged: boolean }> = [];
      for (const file of files) {
        const st = await stat(file.abs);
        const prev = ctx.state.files.get(file.rel);
        // Size or mtime alone can lie (touch, copy): a known path is re-hashed before it is skipped.
        const unchanged = prev !== undefined && prev.size === st.size && (await hashFile(file.abs)) === prev.sha256;
        plan.push({ file, size: st.size, mtimeMs: st.mtimeMs, unchanged });
      }
      const sameSet = plan.length === ctx.state.files.size;
      const readAll = replace && !(sameSet && plan.every((p) => p.unchanged));
      for (const p of plan) {
        if (p.unchanged && !readAll) {
          ctx.fileSkipped(p.file.rel);
          continue;
        }
        const done = (sha256: string): void => {
          const fp: FileFingerprint = { path: p.file.rel, size: p.size, mtimeMs: p.mtimeMs, sha256 };
          ctx.fileDone(fp);
        };
        if (source.format === "csv") yield* readCsv(p.file, source.csv ?? { encoding: source.encoding ?? "utf-8" }, ctx.batchSize, done);
        else if (source.format === "jsonl") yield* readJsonl(p.file, source.encoding ?? source.csv?.encoding, ctx.batchSize, done);
        else yield* readJson(p.file, source.encoding ?? source.csv?.encoding, stream.records_path, ctx.batchSize, done);
      }
    },
  };
}
