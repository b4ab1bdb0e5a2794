/** `rcu status`: recent runs and loads, so a scheduler or a person can see what happened. */
import path from "node:path";
import { LOADS, listLoads } from "../../connectors/extract.js";
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

export async function statusCommand(opts: StatusOptions, io: CliIO): Promise<number> {
  const { dir, config } = await resolveProject(opts, io);
  const d = dialectFor(config.profile.engine);
  const limit = opts.limit ?? 10;
  const result = await withConnection(config, { readOnly: true, env: io.env }, async (conn) => {
    const relations = await conn.listRelations();
    const has = (rel: Relation) => relations.some((r) => r.schema === rel.schema && r.name === rel.name);
    const runs = has(RUNS)
      ? await conn.query(d.limitRows(`SELECT run_id, command, status, started_at, duration_ms, actions_total, actions_failed, actions_skipped FROM ${d.qualify(RUNS)} ORDER BY started_at DESC`, limit))
      : [];
    const loads = await listLoads(conn, limit, { dialect: d });
    // Freshness: the last successful load of every configured stream.
    const freshness = has(LOADS)
      ? await conn.query(`SELECT source, stream, MAX(finished_at) AS last_success FROM ${d.qualify(LOADS)} WHERE status IN ('succeeded', 'unchanged') GROUP BY source, stream ORDER BY source, stream`)
      : [];
    return { runs, loads, freshness };
  });
  if (opts.json) {
    io.stdout.write(JSON.stringify(result, jsonSafe, 2) + "\n");
    return 0;
  }
  const s = stylesFor(io);
  const out: string[] = [s.bold(`Recent runs (${config.profileName}: ${config.profile.engine})`)];
  if (!result.runs.length) out.push("  none yet");
  for (const r of result.runs) {
    out.push(`  ${String(r.run_id)}  ${String(r.status).padEnd(8)} ${String(r.command)}  ${r.actions_total ?? "?"} actions, ${r.actions_failed ?? 0} failed, ${r.actions_skipped ?? 0} skipped  ${r.duration_ms ?? "?"} ms`);
  }
  out.push("", s.bold("Recent loads"));
  if (!result.loads.length) out.push("  none yet");
  for (const l of result.loads) {
    out.push(`  ${l.loadId}  ${l.status.padEnd(9)} ${l.source}.${l.stream}  ${l.rowsIn} in = ${l.rowsLanded} landed + ${l.rowsRejected} rejected${l.error ? s.red(`  ${l.error}`) : ""}`);
  }
  out.push("", s.bold("Source freshness (last successful load)"));
  const configured = Object.entries(config.sources).flatMap(([src, c]) => Object.keys(c.streams).map((st) => [src, st] as const));
  if (!configured.length) out.push("  no sources configured");
  for (const [src, st] of configured) {
    const f = result.freshness.find((x) => x.source === src && x.stream === st);
    const when = f?.last_success ? new Date(String(f.last_success)) : null;
    const age = when ? `${Math.round((Date.now() - when.getTime()) / 60000)} min ago` : s.yellow("never loaded");
    out.push(`  ${src}.${st}: ${age}`);
  }
  io.stdout.write(out.join("\n") + "\n");
  return 0;
}
