/**
 * Schema drift: what happens when a batch has columns the raw table does not.
 *
 * - `evolve`: the column is added (staging now, raw table at publish) and reported.
 * - `freeze`: the load stops with the diff; nothing is published.
 * - `discard_row`: rows with a value in an unknown column are quarantined.
 * - `discard_value`: the unknown columns' values are dropped and counted.
 */
import { RcuError } from "../../engine/errors.js";
import type { SchemaDrift } from "../config.js";

export interface DriftDecision {
  /** Batch column index → staging column index, or -1 when the value is not landed. */
  readonly mapping: number[];
  /** Column names to add to the staging table (evolve). */
  readonly added: string[];
  /** Batch column indexes whose non-null values make the row rejected (discard_row). */
  readonly rejecting: number[];
  /** Batch column indexes whose values are dropped (discard_value). */
  readonly discarding: number[];
}

/**
 * `known` is the staging column list (lowercased lookup: warehouses fold identifiers); `locked`
 * says whether the schema is fixed yet (raw table exists, columns declared, or a first batch seen).
 */
export function decideDrift(
  policy: SchemaDrift,
  landed: readonly string[],
  known: readonly string[],
  locked: boolean,
  where: { source: string; stream: string; input: string },
): DriftDecision {
  const index = new Map(known.map((k, i) => [k.toLowerCase(), i]));
  const mapping: number[] = [];
  const unknown: number[] = [];
  landed.forEach((name, i) => {
    const at = index.get(name.toLowerCase());
    if (at === undefined) {
      unknown.push(i);
      mapping.push(-1);
    } else mapping.push(at);
  });
  const decision: DriftDecision = { mapping, added: [], rejecting: [], discarding: [] };
  if (unknown.length === 0) return decision;
  if (policy === "evolve" || !locked) {
    let next = known.length;
    for (const i of unknown) {
      decision.added.push(landed[i]!);
      mapping[i] = next++;
    }
    return decision;
  }
  const names = unknown.map((i) => landed[i]!);
  if (policy === "freeze") {
    const missing = known.filter((k) => !landed.some((l) => l.toLowerCase() === k.toLowerCase()));
    throw new RcuError(
      "CONFIG",
      `Schema drift in ${where.source}.${where.stream} (schema_drift: freeze): ${where.input} has ` +
        `new column(s) ${names.map((n) => JSON.stringify(n)).join(", ")}` +
        (missing.length ? `; missing column(s) ${missing.map((n) => JSON.stringify(n)).join(", ")}` : ""),
      {
        doing: "extract",
        action: `${where.source}.${where.stream}`,
        file: where.input,
        hint: "Nothing was loaded. Declare the new columns, or set schema_drift to evolve / discard_row / discard_value.",
      },
    );
  }
  if (policy === "discard_row") decision.rejecting.push(...unknown);
  else decision.discarding.push(...unknown);
  return decision;
}
