/** `rcu sync [destination…]`: send prepared records to business tools, with consent and an audit trail. */
import { indent } from "../../engine/errors.js";
import { runSync, type SyncEvent, type SyncSummary } from "../../distribute/sync.js";
import { dialectFor } from "../../engine/warehouses/registry.js";
import { stylesFor, type CliIO } from "../io.js";
import { resolveProject, type ProjectOptions } from "../project.js";
import { jsonSafe } from "../reporter.js";
import { withConnection } from "../warehouse.js";
import { withRunLock, type LockFlags } from "../lock.js";

export interface SyncCommandOptions extends ProjectOptions, LockFlags {
  readonly full?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

export async function syncCommand(select: string[], opts: SyncCommandOptions, io: CliIO): Promise<number> {
  const { dir, config } = await resolveProject(opts, io);
  if (Object.keys(config.destinations).length === 0) {
    io.stderr.write(`No destinations: add a \`destinations:\` section to ${config.file ?? "rcu.yaml"} (see docs/distribution.md).\n`);
    return 2;
  }
  const d = dialectFor(config.profile.engine);
  const summary: SyncSummary = await withRunLock(config, opts, io, "sync", () => withConnection(config, {}, (conn) =>
    runSync(conn, d, {
      destinations: config.destinations,
      select,
      full: Boolean(opts.full),
      dryRun: Boolean(opts.dryRun),
      projectDir: dir,
      env: io.env,
      onEvent: opts.json ? undefined : reporter(io),
    }),
  ));
  if (opts.json) io.stdout.write(JSON.stringify(summary, jsonSafe, 2) + "\n");
  return summary.ok ? 0 : 1;
}

function reporter(io: CliIO): (e: SyncEvent) => void {
  const s = stylesFor(io);
  const live = Boolean(io.stdout.isTTY) && io.env.TERM !== "dumb";
  return (e) => {
    switch (e.type) {
      case "destination-start":
        io.stdout.write(`SYNC ${e.destination}: ${e.upserts.toLocaleString("en")} to upsert, ${e.deletes.toLocaleString("en")} to delete\n`);
        break;
      case "batch":
        if (live) io.stdout.write(`\r\u001b[2K${s.dim(`${e.destination}: ${e.sent.toLocaleString("en")} / ${e.total.toLocaleString("en")}`)}`);
        break;
      case "destination-end": {
        const r = e.result;
        const clear = live ? "\r\u001b[2K" : "";
        if (r.status === "failed") {
          io.stdout.write(`${clear}${s.red("FAIL")} ${r.destination}: ${r.upsertsSent + r.deletesSent} of ${r.upsertsPending + r.deletesPending} changes applied before the failure (kept; the next run resumes)\n${indent(r.error?.message ?? "", 6)}\n`);
          if (r.error?.hint) io.stdout.write(`      hint: ${r.error.hint}\n`);
        } else {
          const verb = r.status === "dry_run" ? "would send" : "sent";
          io.stdout.write(`${clear}${s.green(r.status === "dry_run" ? "DRY " : "OK  ")} ${r.destination}: ${verb} ${r.upsertsPending} upserts, ${r.deletesPending} deletes${r.output ? ` → ${r.output}` : ""}\n`);
        }
        break;
      }
    }
  };
}
