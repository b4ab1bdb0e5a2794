/** Opens the sink of a destination kind (used by rcu sync, and by rcu forget to send deletions). */
import path from "node:path";
import type { DestinationConfig } from "../config.js";
import { openFileSink } from "./file.js";
import { openHttpSink } from "./http.js";
import { openPostgresSink } from "./postgres.js";
import type { Sink } from "./types.js";

export async function openSink(
  name: string,
  dest: DestinationConfig,
  ctx: { readonly projectDir: string; readonly env: Readonly<Record<string, string | undefined>> },
  /** Names the file a file destination writes (sync id or erasure request id). */
  runId: string,
): Promise<Sink> {
  switch (dest.type) {
    case "file":
      return openFileSink(name, dest, path.resolve(ctx.projectDir, dest.dir), runId);
    case "http":
      return openHttpSink(name, dest, ctx.env);
    case "postgres":
      return openPostgresSink(name, dest, ctx.env);
  }
}
