/** `rcu identity explain <source:record_id | user_id>`: which records form a person, and why. */
import { explainIdentity, type Explanation } from "../../identity/explain.js";
import { dialectFor } from "../../engine/warehouses/dialects.js";
import { resolveProject, type ProjectOptions } from "../project.js";
import { stylesFor, type CliIO } from "../io.js";
import { jsonSafe } from "../reporter.js";
import { withConnection } from "../warehouse.js";

export interface ExplainOptions extends ProjectOptions {
  readonly json?: boolean;
}

export async function explainCommand(query: string, opts: ExplainOptions, io: CliIO): Promise<number> {
  const { config } = await resolveProject(opts, io);
  const e = await withConnection(config, { readOnly: true }, (conn) => explainIdentity(conn, dialectFor(config.profile.engine), query));
  if (opts.json) io.stdout.write(JSON.stringify(e, jsonSafe, 2) + "\n");
  else io.stdout.write(renderExplanation(e, io));
  return 0;
}

const show = (v: unknown) => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

/** Signed, with a true minus sign: "+4.29", "−2.96". */
const signed = (w: number) => (w < 0 ? `\u2212${(-w).toFixed(2)}` : `+${w.toFixed(2)}`);

/**
 * One pair's evidence on one line: each comparison present, its level and the weight it adds
 * (or "not counted" when another comparison weighs that evidence), then the prior. Comparisons
 * missing on either side add nothing and are left out.
 */
function evidenceLine(rows: readonly Explanation["evidence"][number][] | undefined): string | undefined {
  if (!rows?.length) return undefined;
  const prior = rows.find((x) => x.comparison === "__prior__");
  const parts = rows
    .filter((x) => x.comparison !== "__prior__" && Number(x.level) >= 0)
    .map((x) => `${show(x.comparison)} ${show(x.level_label)} ${x.not_counted ? "(not counted)" : signed(Number(x.weight))}`);
  if (prior) parts.push(`prior ${signed(Number(prior.weight))}`);
  return parts.join(" · ");
}

export function renderExplanation(e: Explanation, io: CliIO): string {
  const s = stylesFor(io);
  const lines = [s.bold(`user ${e.userId}`) + (e.mergedFrom ? s.dim(` (${e.mergedFrom} was merged into it)`) : "")];
  // Each pair's evidence rows, grouped once (the view returns them ordered by pair and position).
  const byPair = new Map<string, Explanation["evidence"][number][]>();
  for (const x of e.evidence) {
    const key = `${String(x.id_l)}\u0000${String(x.id_r)}`;
    const rows = byPair.get(key);
    if (rows) rows.push(x);
    else byPair.set(key, [x]);
  }
  const why = (p: (typeof e.pairs)[number]) => {
    const line = evidenceLine(byPair.get(`${String(p.id_l)}\u0000${String(p.id_r)}`));
    if (line) lines.push(s.dim(`      ${line}`));
  };
  const pinOf = new Map(e.pins.map((x) => [String(x.record_key), x]));
  lines.push(`${e.records.length} record(s):`);
  for (const r of e.records) {
    const name = [show(r.title), show(r.first_name), show(r.last_name)].filter(Boolean).join(" ") + (r.gender ? s.dim(` (${show(r.gender)})`) : "");
    lines.push(`  ${show(r.record_key)}  ${name}  ${show(r.email)}  ${show(r.phone_e164)}  ${show(r.birth_date)}  ${show(r.postcode)} ${show(r.city)}  ${s.dim(`trust ${show(r.trust)}`)}`);
    if (r.name_only_probability !== null && r.name_only_probability !== undefined) {
      lines.push(`      joined by its name alone: the one person bearing it, p=${Number(r.name_only_probability).toFixed(4)} (no edge links it)`);
    }
    const pin = pinOf.get(String(r.record_key));
    if (pin) lines.push(`      pinned to ${show(pin.person)} by a steward: ${show(pin.reason)}`);
    const seen = e.sightings.filter((x) => x.record_key === r.record_key);
    if (seen.length) lines.push(`      seen with: ${seen.map((x) => `${show(x.id_type)} ${show(x.id_value)} (${show(x.times_seen)}×)`).join(", ")}`);
  }
  const inside = new Set(e.records.map((r) => String(r.record_key)));
  const within = (p: (typeof e.pairs)[number]) => inside.has(String(p.id_l)) && inside.has(String(p.id_r));
  const linked = e.pairs.filter((p) => p.linked && within(p));
  // Linked, yet another person's: a nameless record matching several people, or a component
  // split on conflicting birth dates (definitions/identity/03_clusters.js).
  const apart = e.pairs.filter((p) => p.linked && !within(p));
  const others = e.pairs.filter((p) => !p.linked);
  lines.push("", `${linked.length} linking edge(s):`);
  if (e.evidenceOmitted) lines.push(s.dim(`  (the weight of each attribute is not shown: ${e.evidenceOmitted})`));
  for (const p of linked) {
    lines.push(`  ${show(p.id_l)} — ${show(p.id_r)}  ${show(p.decision)}  p=${Number(p.match_probability).toFixed(4)}  ${s.dim(`blocked by ${show(p.first_rule)}`)}`);
    why(p);
  }
  if (apart.length) {
    lines.push("", `${apart.length} linked but kept apart (a record without a first name matching several people, conflicting birth dates in one component, or a steward's pins):`);
    for (const p of apart.slice(0, 20)) {
      const outside = [p.id_l, p.id_r].map(String).find((k) => !inside.has(k));
      const pinned = outside ? pinOf.get(outside) : undefined;
      lines.push(`  ${show(p.id_l)} — ${show(p.id_r)}  ${show(p.decision)}  p=${Number(p.match_probability).toFixed(4)}${s.dim(`  (${outside} is another person${pinned ? `: pinned to ${show(pinned.person)}` : ""})`)}`);
      why(p);
    }
  }
  if (others.length) {
    lines.push("", `${others.length} compared but not linked:`);
    for (const p of others.slice(0, 20)) {
      const outside = [p.id_l, p.id_r].map(String).find((k) => !inside.has(k));
      lines.push(`  ${show(p.id_l)} — ${show(p.id_r)}  ${show(p.decision)}  p=${Number(p.match_probability).toFixed(4)}${outside ? s.dim(`  (${outside} is another person)`) : ""}`);
      why(p);
    }
  }
  return lines.join("\n") + "\n";
}
