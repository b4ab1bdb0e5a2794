/** `rcu identity pin | unpin | pins`: a data steward's decisions on who is who (identity/pins.ts). */
import { RcuError } from "../../engine/errors.js";
import { dialectFor } from "../../engine/warehouses/dialects.js";
import { listPins, pinRecords, unpinRecords } from "../../identity/pins.js";
import { stylesFor, type CliIO } from "../io.js";
import { withRunLock, type LockFlags } from "../lock.js";
import { resolveProject, type ProjectOptions } from "../project.js";
import { withConnection } from "../warehouse.js";

export interface PinOptions extends ProjectOptions, LockFlags {
  readonly reason?: string;
  readonly json?: boolean;
}

const APPLY = "rcu run --select tag:identity";

export async function pinCommand(person: string, records: readonly string[], opts: PinOptions, io: CliIO): Promise<number> {
  const { config } = await resolveProject(opts, io);
  const d = dialectFor(config.profile.engine);
  // Under the run lock: a run reads the pins in several statements, and must see one set.
  const r = await withRunLock(config, opts, io, "identity pin", () => withConnection(config, {}, (conn) => pinRecords(conn, d, person, records, opts.reason ?? "")));
  if (opts.json) io.stdout.write(JSON.stringify(r, null, 2) + "\n");
  else {
    const s = stylesFor(io);
    const lines = [`pinned ${r.records.length} record(s) to ${s.bold(r.person)}`];
    for (const m of r.moved) lines.push(`  ${m.record_key} was pinned to ${m.from}`);
    lines.push(s.dim(`applied by the next identity run: ${APPLY}`));
    io.stdout.write(lines.join("\n") + "\n");
  }
  return 0;
}

export async function unpinCommand(records: readonly string[], opts: PinOptions & { readonly person?: string }, io: CliIO): Promise<number> {
  if (records.length > 0 === (opts.person !== undefined)) {
    throw new RcuError("USAGE", "rcu identity unpin needs records (source:record_id ...) or --person <label>, not both.", {
      doing: "identity unpin",
      hint: "Example: rcu identity unpin crm_contacts:C000123, or rcu identity unpin --person petit-son",
    });
  }
  const { config } = await resolveProject(opts, io);
  const d = dialectFor(config.profile.engine);
  const target = opts.person !== undefined ? { person: opts.person } : { records };
  const removed = await withRunLock(config, opts, io, "identity unpin", () => withConnection(config, {}, (conn) => unpinRecords(conn, d, target)));
  if (opts.json) io.stdout.write(JSON.stringify({ removed }) + "\n");
  else io.stdout.write(`removed ${removed} pin(s)${removed ? `; the links decide again from the next identity run (${APPLY})` : ""}\n`);
  return 0;
}

export async function pinsCommand(opts: PinOptions & { readonly person?: string }, io: CliIO): Promise<number> {
  const { config } = await resolveProject(opts, io);
  const d = dialectFor(config.profile.engine);
  const pins = await withConnection(config, { readOnly: true }, (conn) => listPins(conn, d, opts.person));
  if (opts.json) {
    io.stdout.write(JSON.stringify(pins, null, 2) + "\n");
    return 0;
  }
  const s = stylesFor(io);
  if (!pins.length) {
    io.stdout.write(`no pins${opts.person ? ` for ${opts.person}` : ""}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const p of pins) {
    lines.push(`${s.bold(p.person)}  ${p.status === "applied" ? "applied" : s.yellow(`pending (${APPLY})`)}`);
    for (const r of p.records) lines.push(`  ${r.record_key}  ${r.user_id ?? "-"}  ${s.dim(`${r.pinned_at?.slice(0, 19) ?? ""}  ${r.reason ?? ""}`)}`);
  }
  io.stdout.write(lines.join("\n") + "\n");
  return 0;
}
