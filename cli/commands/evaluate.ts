/** `rcu evaluate --truth FILE`: accuracy of the resolved identities against a ground truth. */
import path from "node:path";
import { evaluateAgainstTruth, type TruthEvaluation } from "../../identity/evaluate.js";
import { dialectFor } from "../../engine/warehouses/dialects.js";
import { resolveProject } from "../project.js";
import { stylesFor, type CliIO } from "../io.js";
import { withConnection } from "../warehouse.js";

export interface EvaluateOptions {
  readonly truth: string;
  readonly projectDir?: string;
  readonly profile?: string;
  readonly json?: boolean;
  readonly ceiling?: boolean;
}

export async function evaluateCommand(opts: EvaluateOptions, io: CliIO): Promise<number> {
  const { config } = await resolveProject(opts, io);
  const truthFile = path.resolve(io.cwd, opts.truth);
  const result = await withConnection(config, { readOnly: true }, (conn) =>
    evaluateAgainstTruth(conn, dialectFor(config.profile.engine), truthFile, { ceiling: opts.ceiling }),
  );
  if (opts.json) io.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else io.stdout.write(renderEvaluation(result, io));
  return 0;
}

const pct = (x: number) => (x * 100).toFixed(2).padStart(6) + "%";

export function renderEvaluation(e: TruthEvaluation, io: CliIO): string {
  const s = stylesFor(io);
  const lines = [
    s.bold(`Identity resolution vs ${e.truthFile}`),
    `records evaluated: ${e.records} (missing from warehouse: ${e.missingFromWarehouse}, not in truth: ${e.missingFromTruth})`,
    "",
    "              precision   recall       F1",
    `pairwise       ${pct(e.pairwise.precision)}  ${pct(e.pairwise.recall)}  ${pct(e.pairwise.f1)}   (${e.pairwise.correctPairs} correct of ${e.pairwise.predictedPairs} predicted pairs; ${e.pairwise.truePairs} true pairs)`,
    `B-cubed        ${pct(e.b_cubed.precision)}  ${pct(e.b_cubed.recall)}  ${pct(e.b_cubed.f1)}`,
    `entities: ${e.entities.predicted} predicted, ${e.entities.true} true (ratio ${e.entities.ratio.toFixed(4)})`,
  ];
  const show = (title: string, list: TruthEvaluation["worstMerges"], what: string) => {
    if (!list.length) return;
    lines.push("", s.bold(title));
    for (const c of list) {
      lines.push(`  ${c.cluster}: ${c.wrongPairs} wrong pair(s); ${what}: ${c.parts.map((p) => `${p.id} (${p.records})`).join(", ")}${c.totalParts > c.parts.length ? `, … ${c.totalParts - c.parts.length} more` : ""}`);
    }
  };
  if (e.ceiling) {
    lines.push("", s.bold("Evidence ceiling (recall if every pair of one true person sharing this evidence were linked, precision 1)"));
    for (const l of e.ceiling.levels) {
      lines.push(`  + ${l.evidence.padEnd(12)} recall ${pct(l.recall)}  F1 ${pct(l.f1)}   (${l.directPairs} of ${e.ceiling.truePairs} true pairs share it directly)`);
    }
  }
  show("Worst false merges (one predicted person, several true ones)", e.worstMerges, "true entities");
  show("Worst splits (one true person, several predicted ones)", e.worstSplits, "predicted users");
  return lines.join("\n") + "\n";
}
