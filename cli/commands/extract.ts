/** `rcu extract [source…]`: land the configured sources' raw tables in the warehouse. */
import { runExtract } from "../../connectors/extract.js";
import type { ExtractEvent, ExtractSummary, StreamSummary } from "../../connectors/types.js";
import { indent } from "../../engine/errors.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import { purgeSuppressed, type PurgeResult } from "../../privacy/suppress.js";
import type { ProjectConfig } from "../config.js";
import { stylesFor, type CliIO } from "../io.js";
import { jsonLogLine, jsonSafe, type LogFormat } from "../reporter.js";
import { resolveProject, type ProjectOptions } from "../project.js";
import { withRunLock, type LockFlags } from "../lock.js";

export interface ExtractOptions extends ProjectOptions, LockFlags {
  readonly logFormat?: LogFormat;
  readonly json?: boolean;
  readonly full?: boolean;
}

/** Extract with progress on `io`; used by `rcu extract` and by `rcu run`. */
export async function extractSources(
  dir: string,
  config: ProjectConfig,
  select: readonly string[],
  io: CliIO,
  json: boolean,
  full = false,
  logFormat: LogFormat = "text",
): Promise<ExtractSummary & { suppressed: PurgeResult[] }> {
  const warehouse = openWarehouse(config.profile);
  try {
    const summary = await runExtract({
      sources: config.sources,
      warehouse,
      env: io.env,
      select,
      projectDir: dir,
      full,
      onEvent: logFormat === "json" ? jsonExtractLogger(io) : json ? undefined : createExtractReporter(io),
    });
    // Erased people a source sent again are removed at once (privacy/suppress.ts).
    const conn = await warehouse.connect();
    try {
      const purged = await purgeSuppressed(conn, warehouse.dialect, config);
      const rows = purged.reduce((n, p) => n + p.rows, 0);
      if (rows && logFormat === "json") jsonLogLine(io, "info", "suppressed", { rows, tables: purged });
      else if (rows && !json) io.stdout.write(`SUPPRESSED ${rows} re-landed row(s) of erased people (${purged.map((p) => `${p.relation}: ${p.rows}`).join(", ")})\n`);
      return { ...summary, suppressed: purged };
    } finally {
      await conn.close();
    }
  } finally {
    await warehouse.close();
  }
}

export async function extractCommand(select: string[], opts: ExtractOptions, io: CliIO): Promise<number> {
  const { dir, config } = await resolveProject(opts, io);
  if (Object.keys(config.sources).length === 0) {
    io.stderr.write(`No sources: add a \`sources:\` section to ${config.file ?? "rcu.yaml"} (see README, "Sources").\n`);
    return 2;
  }
  const summary = await withRunLock(config, opts, io, "extract", () =>
    extractSources(dir, config, select, io, Boolean(opts.json), Boolean(opts.full), opts.logFormat),
  );
  if (opts.json) io.stdout.write(JSON.stringify(summary, jsonSafe, 2) + "\n");
  return summary.ok ? 0 : 1;
}

/** `--log-format json`: one JSON object per extract event on stderr. */
export function jsonExtractLogger(io: CliIO): (e: ExtractEvent) => void {
  return (e) => {
    switch (e.type) {
      case "stream-start":
        jsonLogLine(io, "info", "load_start", { source: e.source, stream: e.stream, load_id: e.loadId });
        break;
      case "drift":
        jsonLogLine(io, "warn", "schema_drift", { source: e.source, stream: e.stream, message: e.message });
        break;
      case "stream-end": {
        const r = e.summary;
        jsonLogLine(io, r.status === "failed" ? "error" : "info", "load_end", { ...r });
        break;
      }
      default:
        break; // progress ticks are for terminals
    }
  };
}

export function createExtractReporter(io: CliIO): (e: ExtractEvent) => void {
  const s = stylesFor(io);
  const live = Boolean(io.stdout.isTTY) && io.env.TERM !== "dumb";
  return (e) => {
    switch (e.type) {
      case "stream-start":
        if (!live) io.stdout.write(`EXTRACT ${e.source}.${e.stream} (load ${e.loadId})\n`);
        break;
      case "progress":
        if (live) io.stdout.write(`\r\u001b[2K${s.dim(`${e.source}.${e.stream}: ${e.rows.toLocaleString("en")} rows, ${Math.round(e.rowsPerSecond).toLocaleString("en")} rows/s`)}`);
        break;
      case "drift":
        io.stdout.write(`${live ? "\r\u001b[2K" : ""}${s.yellow("DRIFT")} ${e.source}.${e.stream}: ${e.message}\n`);
        break;
      case "stream-end":
        io.stdout.write(`${live ? "\r\u001b[2K" : ""}${formatStream(e.summary, io)}\n`);
        break;
      default:
        break;
    }
  };
}

export function formatStream(x: StreamSummary, io: CliIO): string {
  const s = stylesFor(io);
  const mark = x.status === "succeeded" ? s.green("OK  ") : x.status === "unchanged" ? s.dim("SAME") : s.red("FAIL");
  const counts = `${x.rowsIn} in = ${x.rowsLanded} landed + ${x.rowsRejected} rejected`;
  const extra = [
    x.columnsAdded.length ? `new columns: ${x.columnsAdded.join(", ")}` : "",
    x.skippedInputs.length ? `${x.skippedInputs.length} unchanged input(s) skipped` : "",
  ].filter(Boolean).join("; ");
  let line = `${mark} ${x.source}.${x.stream} → ${x.table}: ${counts} in ${x.seconds.toFixed(2)}s${extra ? s.dim(` (${extra})`) : ""}`;
  if (x.error) line += "\n" + indent(x.error.describe(), 6);
  return line;
}
