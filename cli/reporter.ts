/**
 * Run progress for people and machines: on a TTY a live status line above which finished actions
 * scroll; otherwise one plain line per event; with --json nothing but the final JSON on stdout.
 */
import type { RunEvent } from "../engine/execute/runner.js";
import type { ActionResult, RunResults } from "../engine/execute/results.js";
import { indent } from "../engine/errors.js";
import { stylesFor, type CliIO } from "./io.js";

export type LogFormat = "text" | "json";

/**
 * Structured logs (`--log-format json`): one JSON object per line on stderr — so stdout stays free
 * for `--json` results — with a timestamp, a level and the event's fields, for log shippers and
 * schedulers (Airflow, systemd's journal) to index.
 */
export function jsonLogLine(io: CliIO, level: "info" | "warn" | "error", event: string, fields: Record<string, unknown>): void {
  io.stderr.write(JSON.stringify({ ts: new Date().toISOString(), level, event, ...fields }, jsonSafe) + "\n");
}

function jsonRunLogger(io: CliIO): (e: RunEvent) => void {
  let runId = "";
  return (e) => {
    switch (e.type) {
      case "run_start":
        runId = e.runId;
        jsonLogLine(io, "info", "run_start", { run_id: e.runId, actions: e.total, warehouse: e.warehouse });
        break;
      case "action_start":
        jsonLogLine(io, "info", "action_start", { run_id: runId, action: e.id, kind: e.kind });
        break;
      case "action_end": {
        const r = e.result;
        jsonLogLine(io, r.status === "failed" ? "error" : r.status === "skipped" ? "warn" : "info", "action_end", {
          run_id: runId,
          action: r.id,
          kind: r.kind,
          status: r.status,
          duration_ms: r.durationMs,
          rows: r.rowsAffected,
          ...(r.assertion ? { failing_rows: r.assertion.failingRows } : {}),
          ...(r.skippedBecause ? { skipped_because: r.skippedBecause } : {}),
          ...(r.error ? { error: { code: r.error.code, kind: r.error.kind, message: r.error.message, file: r.error.file } } : {}),
        });
        break;
      }
      case "run_end":
        jsonLogLine(io, e.results.status === "success" ? "info" : "error", "run_end", {
          run_id: e.results.runId,
          status: e.results.status,
          duration_ms: e.results.durationMs,
          ...e.results.summary,
          ...(e.results.metaLog ? { meta_log_unwritten_actions: e.results.metaLog.unwrittenActions, meta_log_run_row_unwritten: e.results.metaLog.runRowUnwritten, meta_log_error: e.results.metaLog.firstError } : {}),
        });
        break;
    }
  };
}

export function createRunReporter(io: CliIO, json: boolean, logFormat: LogFormat = "text"): (e: RunEvent) => void {
  if (logFormat === "json") return jsonRunLogger(io);
  if (json) return () => undefined;
  const s = stylesFor(io);
  const live = Boolean(io.stdout.isTTY) && io.env.TERM !== "dumb";
  const running = new Set<string>();
  let done = 0;
  let total = 0;
  const out = (line: string) => {
    if (live) io.stdout.write("\r\u001b[2K");
    io.stdout.write(line + "\n");
    if (live && running.size) status();
  };
  const status = () => {
    const names = [...running].slice(0, 3).join(", ") + (running.size > 3 ? ` +${running.size - 3}` : "");
    io.stdout.write(`\r\u001b[2K${s.dim(`[${done}/${total}] running: ${names}`)}`);
  };
  const mark = (r: ActionResult) =>
    r.status === "success" ? s.green("OK  ") : r.status === "failed" ? s.red("FAIL") : r.status === "skipped" ? s.yellow("SKIP") : s.dim("OFF ");

  return (e) => {
    switch (e.type) {
      case "run_start":
        total = e.total;
        out(`${s.bold("rcu run")} ${e.runId} on ${e.warehouse}: ${e.total} action(s)`);
        break;
      case "action_start":
        running.add(e.id);
        if (live) status();
        else out(`START ${e.kind} ${e.id}`);
        break;
      case "action_end": {
        const r = e.result;
        running.delete(r.id);
        done++;
        const detail =
          r.status === "skipped" ? `(upstream ${r.skippedBecause} did not succeed)`
          : r.status === "disabled" ? "(disabled)"
          : `${(r.durationMs / 1000).toFixed(2)}s${
              r.assertion ? `, ${r.assertion.failingRows} failing row(s)` : r.rowsAffected !== null ? `, ${r.rowsAffected} rows` : ""
            }`;
        out(`${mark(r)} [${done}/${total}] ${r.kind} ${r.id} ${s.dim(detail)}`);
        if (r.status === "failed") out(indent(describeFailure(r), 6));
        break;
      }
      case "run_end":
        out(formatSummary(e.results, io));
        break;
    }
  };
}

export function describeFailure(r: ActionResult): string {
  const e = r.error ?? {};
  const lines = [String(e.message ?? "failed")];
  if (e.file) lines.push(`file: ${String(e.file)}`);
  if (r.assertion && r.assertion.sample.length) {
    lines.push(`sample of failing rows (${r.assertion.sample.length} of ${r.assertion.failingRows}):`);
    for (const row of r.assertion.sample) lines.push("  " + JSON.stringify(row, jsonSafe));
  }
  if (e.statement && !r.assertion) lines.push(`statement:\n${indent(String(e.statement).trim(), 2)}`);
  if (e.hint) lines.push(`hint: ${String(e.hint)}`);
  return lines.join("\n");
}

export function jsonSafe(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v;
}

export function formatSummary(r: RunResults, io: CliIO): string {
  const s = stylesFor(io);
  const m = r.summary;
  const verdict = r.status === "success" ? s.green("Run succeeded") : s.red("Run failed");
  const line = `${verdict} in ${(r.durationMs / 1000).toFixed(2)}s: ${m.success} succeeded, ${m.failed} failed, ${m.skipped} skipped, ${m.disabled} disabled (run ${r.runId})`;
  if (!r.metaLog) return line;
  const missed = [
    ...(r.metaLog.unwrittenActions ? [`${r.metaLog.unwrittenActions} action(s) could not be logged to rcu_meta.action_runs`] : []),
    ...(r.metaLog.runRowUnwritten ? ["rcu_meta.runs could not be updated (it still says running)"] : []),
  ];
  return `${line}\n${s.yellow("warning:")} ${missed.join("; ")}, so \`rcu status\` misses them (target/run_results.json has them all); first error: ${String(r.metaLog.firstError.message)}`;
}
