/** `rcu forget`: erase a person everywhere and report what was removed where (counts only). */
import { forget, type ErasureReport } from "../../privacy/forget.js";
import type { ForgetSelector } from "../../privacy/footprint.js";
import { RcuError } from "../../engine/errors.js";
import { dialectFor } from "../../engine/warehouses/registry.js";
import { stylesFor, type CliIO } from "../io.js";
import { resolveProject, type ProjectOptions } from "../project.js";
import { withConnection } from "../warehouse.js";
import { withRunLock, type LockFlags } from "../lock.js";

export interface ForgetCommandOptions extends ProjectOptions, LockFlags {
  readonly email?: string;
  readonly phone?: string;
  readonly userId?: string;
  readonly sourceRecord?: string;
  readonly dryRun?: boolean;
  readonly allMatches?: boolean;
  readonly verify?: boolean;
  readonly json?: boolean;
}

function selectorOf(o: ForgetCommandOptions): ForgetSelector {
  const given: ForgetSelector[] = [];
  if (o.email) given.push({ kind: "email", value: o.email });
  if (o.phone) given.push({ kind: "phone", value: o.phone });
  if (o.userId) given.push({ kind: "user_id", value: o.userId });
  if (o.sourceRecord) given.push({ kind: "source_record", value: o.sourceRecord });
  if (given.length !== 1) {
    throw new RcuError("USAGE", "rcu forget needs exactly one of --email, --phone, --user-id, --source-record.", {
      hint: "Example: rcu forget --email jean.dupont@example.com --dry-run",
    });
  }
  return given[0]!;
}

export async function forgetCommand(opts: ForgetCommandOptions, io: CliIO): Promise<number> {
  const selector = selectorOf(opts);
  const { dir, config } = await resolveProject(opts, io);
  const d = dialectFor(config.profile.engine);
  const report = await withRunLock(config, opts, io, "forget", () =>
    withConnection(config, {}, (conn) =>
      forget(conn, d, { selector, dryRun: opts.dryRun, allMatches: opts.allMatches, verify: opts.verify, config, projectDir: dir, env: io.env }),
    ),
  );
  if (opts.json) io.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else io.stdout.write(formatReport(report, io));
  return Object.keys(report.residual).length ? 1 : 0;
}

function formatReport(r: ErasureReport, io: CliIO): string {
  const s = stylesFor(io);
  const lines = [
    s.bold(`${r.dryRun ? "Erasure (dry run, nothing changed)" : "Erasure"} ${r.requestId}`),
    `  people:        ${r.users} (${r.records} source records)`,
    `  rows ${r.dryRun ? "to remove" : "removed"}:  ${r.rowsRemoved.toLocaleString("en")}`,
    ...r.tables.map((t) => `    ${t.relation.padEnd(44)} ${String(t.rows).padStart(7)} ${t.action}`),
    `  destinations:  ${r.destinations.length ? r.destinations.map((x) => `${x.destination} (${x.status})`).join(", ") : "none held the person"}`,
    `  suppressed:    ${Object.entries(r.suppressed).map(([k, n]) => `${n} ${k}`).join(", ")} (salted hashes in rcu_meta.suppressions)`,
  ];
  if (r.sharedIdentifiersKept) lines.push(`  kept:          ${r.sharedIdentifiersKept} identifier(s) shared with other people (a household's email or phone)`);
  const residual = Object.entries(r.residual);
  if (residual.length) {
    lines.push(s.red(`  NOT CLEAN: identifiers still found in ${residual.map(([c, n]) => `${c} (${n})`).join(", ")}`));
    lines.push("  hint: these tables are not linked to the person in rcu.yaml; map them (identity or model sources) or clean them, then run rcu forget again.");
  } else if (!r.dryRun) lines.push(`  verified:      no table mentions the person's identifiers (report in rcu_meta.erasures)`);
  return lines.join("\n") + "\n";
}
