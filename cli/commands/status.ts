/**
 * `rcu status`: what ran and how fresh the data is, for a person or a scheduler's health check.
 * Recent runs and the failed actions of the latest one, recent loads, each configured stream's
 * freshness against its thresholds (`freshness: { warn_after, error_after }` in rcu.yaml) and the
 * rows of its last loads (a sudden drop is worth a look). Exit code 1 when a stream is past its
 * error threshold or the latest run failed, so `rcu status` can gate downstream jobs.
 */
import { LOADS, listLoads } from "../../connectors/extract.js";
import { streamFreshness } from "../../connectors/config.js";
import { RUNS } from "../../engine/execute/meta-log.js";
import type { Relation } from "../../engine/warehouses/types.js";
import { dialectFor } from "../../engine/warehouses/dialects.js";
import { resolveProject, type ProjectOptions } from "../project.js";
import { stylesFor, type CliIO } from "../io.js";
import { jsonSafe } from "../reporter.js";
import { withConnection } from "../warehouse.js";

export interface StatusOptions extends ProjectOptions {
  readonly json?: boolean;
  readonly limit?: number;
}

const ACTION_RUNS: Relation = { schema: "rcu_meta", name: "action_runs" };
/** Loads per stream shown as its row-count trend. */
const TREND = 5;

export interface StreamFreshness {
  readonly source: string;
  readonly stream: string;
  readonly lastSuccess: string | null;
  readonly ageMinutes: number | null;
  readonly warnAfterMinutes: number | null;
  readonly errorAfterMinutes: number | null;
  readonly state: "ok" | "warn" | "error" | "never_loaded";
  /** rows_in of the latest successful loads, newest first. */
  readonly rowsTrend: number[];
}

export async function statusCommand(opts: StatusOptions, io: CliIO): Promise<number> {
  const { config } = await resolveProject(opts, io);
  const d = dialectFor(config.profile.engine);
  const limit = opts.limit ?? 10;
  const raw = await withConnection(config, { readOnly: true }, async (conn) => {
    const relations = await conn.listRelations();
    const has = (rel: Relation) => relations.some((r) => r.schema === rel.schema && r.name === rel.name);
    const runs = has(RUNS)
      ? await conn.query(d.limitRows(`SELECT run_id, command, status, started_at, duration_ms, actions_total, actions_failed, actions_skipped FROM ${d.qualify(RUNS)} ORDER BY started_at DESC`, limit))
      : [];
    const latest = runs[0]?.run_id;
    const failedActions =
      latest !== undefined && has(ACTION_RUNS)
        ? await conn.query(
            `SELECT action_id, file, error_code, error_message FROM ${d.qualify(ACTION_RUNS)} WHERE run_id = ${d.parameter(1)} AND status = 'failed' ORDER BY action_id`,
            [String(latest)],
          )
        : [];
    const loads = await listLoads(conn, limit, { dialect: d });
    const history = has(LOADS)
      ? await conn.query(
          `SELECT source, stream, finished_at, rows_in, status FROM ${d.qualify(LOADS)} WHERE status IN ('succeeded', 'unchanged') ORDER BY source, stream, finished_at DESC`,
        )
      : [];
    return { runs, failedActions, loads, history };
  });
  const now = Date.now();
  const freshness: StreamFreshness[] = Object.entries(config.sources).flatMap(([src, c]) =>
    Object.keys(c.streams).map((st) => {
      const mine = raw.history.filter((h) => h.source === src && h.stream === st);
      const last = mine[0]?.finished_at ? new Date(String(mine[0].finished_at)) : null;
      const age = last ? Math.max(0, Math.round((now - last.getTime()) / 60000)) : null;
      const t = streamFreshness(c, st);
      const state: StreamFreshness["state"] =
        age === null ? "never_loaded" : t.errorAfter !== undefined && age > t.errorAfter ? "error" : t.warnAfter !== undefined && age > t.warnAfter ? "warn" : "ok";
      return {
        source: src,
        stream: st,
        lastSuccess: last ? last.toISOString() : null,
        ageMinutes: age,
        warnAfterMinutes: t.warnAfter ?? null,
        errorAfterMinutes: t.errorAfter ?? null,
        // A stream that must be fresh and never loaded is an error too.
        state: state === "never_loaded" && t.errorAfter !== undefined ? "error" : state,
        rowsTrend: mine.filter((h) => h.status === "succeeded").slice(0, TREND).map((h) => Number(h.rows_in ?? 0)),
      };
    }),
  );
  const latestFailed = raw.runs[0]?.status === "failed";
  const unhealthy = latestFailed || freshness.some((f) => f.state === "error");
  if (opts.json) {
    io.stdout.write(JSON.stringify({ healthy: !unhealthy, runs: raw.runs, failedActions: raw.failedActions, loads: raw.loads, freshness }, jsonSafe, 2) + "\n");
    return unhealthy ? 1 : 0;
  }
  const s = stylesFor(io);
  const out: string[] = [s.bold(`Recent runs (${config.profileName}: ${config.profile.engine})`)];
  if (!raw.runs.length) out.push("  none yet");
  for (const r of raw.runs) {
    out.push(`  ${String(r.run_id)}  ${String(r.status).padEnd(8)} ${String(r.command)}  ${r.actions_total ?? "?"} actions, ${r.actions_failed ?? 0} failed, ${r.actions_skipped ?? 0} skipped  ${r.duration_ms ?? "?"} ms`);
  }
  if (raw.failedActions.length) {
    out.push("", s.bold(s.red("Failed actions of the latest run")));
    for (const a of raw.failedActions) {
      out.push(`  ${String(a.action_id)}  (${String(a.file ?? "")})  ${String(a.error_code ?? "")}: ${String(a.error_message ?? "").split("\n")[0]}`);
    }
  }
  out.push("", s.bold("Recent loads"));
  if (!raw.loads.length) out.push("  none yet");
  for (const l of raw.loads) {
    out.push(`  ${l.loadId}  ${l.status.padEnd(9)} ${l.source}.${l.stream}  ${l.rowsIn} in = ${l.rowsLanded} landed + ${l.rowsRejected} rejected${l.error ? s.red(`  ${l.error}`) : ""}`);
  }
  out.push("", s.bold("Source freshness (last successful load; thresholds from rcu.yaml)"));
  if (!freshness.length) out.push("  no sources configured");
  for (const f of freshness) {
    const age = f.ageMinutes === null ? "never loaded" : `${f.ageMinutes} min ago`;
    const limits = [f.warnAfterMinutes !== null ? `warn > ${f.warnAfterMinutes} min` : "", f.errorAfterMinutes !== null ? `error > ${f.errorAfterMinutes} min` : ""].filter(Boolean).join(", ");
    const label = f.state === "error" ? s.red("ERROR") : f.state === "warn" ? s.yellow("WARN ") : f.state === "never_loaded" ? s.yellow("NEVER") : s.green("OK   ");
    const trend = f.rowsTrend.length ? `  rows: ${f.rowsTrend.map((n) => n.toLocaleString("en")).join(" ← ")}` : "";
    out.push(`  ${label} ${f.source}.${f.stream}: ${age}${limits ? ` (${limits})` : ""}${trend}`);
  }
  io.stdout.write(out.join("\n") + "\n");
  return unhealthy ? 1 : 0;
}
