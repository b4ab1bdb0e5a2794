/**
 * Entity-resolution accuracy: pairwise and B-cubed precision / recall / F1, entity counts, and the
 * worst false merges and splits — the conventions of ../shared/datasets/er/README.md.
 *
 * Everything is computed from the contingency table (predicted cluster × true entity → records),
 * never by enumerating pairs, so a million records evaluate in linear time and memory.
 */

export interface Labelled {
  /** `source:record_id` — any key that identifies a record in both inputs. */
  readonly record: string;
  readonly predicted: string;
  readonly truth: string;
}

export interface Prf {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface ClusterError {
  readonly cluster: string;
  /** The other side's ids in it, largest share first: true entities (merge) or predicted clusters (split). */
  readonly parts: ReadonlyArray<{ readonly id: string; readonly records: number }>;
  /** How many parts the cluster has (only the largest MAX_PARTS are listed). */
  readonly totalParts: number;
  /** Pairs wrongly created (merge) or missed (split) by this cluster. */
  readonly wrongPairs: number;
}

export interface Evaluation {
  readonly records: number;
  readonly pairwise: Prf & { readonly truePairs: number; readonly predictedPairs: number; readonly correctPairs: number };
  readonly b_cubed: Prf;
  readonly entities: { readonly predicted: number; readonly true: number; readonly ratio: number };
  readonly worstMerges: readonly ClusterError[];
  readonly worstSplits: readonly ClusterError[];
}

const pairs = (n: number): number => (n * (n - 1)) / 2;
/** Parts listed per erroneous cluster (the largest); `totalParts` counts them all. */
const MAX_PARTS = 10;
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export function evaluate(rows: Iterable<Labelled>, worst = 5): Evaluation {
  const cells = new Map<string, Map<string, number>>(); // predicted → truth → count
  const predSize = new Map<string, number>();
  const trueSize = new Map<string, number>();
  const byTruth = new Map<string, Map<string, number>>(); // truth → predicted → count
  let n = 0;
  for (const r of rows) {
    n++;
    const row = cells.get(r.predicted) ?? new Map<string, number>();
    row.set(r.truth, (row.get(r.truth) ?? 0) + 1);
    cells.set(r.predicted, row);
    const col = byTruth.get(r.truth) ?? new Map<string, number>();
    col.set(r.predicted, (col.get(r.predicted) ?? 0) + 1);
    byTruth.set(r.truth, col);
    predSize.set(r.predicted, (predSize.get(r.predicted) ?? 0) + 1);
    trueSize.set(r.truth, (trueSize.get(r.truth) ?? 0) + 1);
  }

  let correctPairs = 0;
  let bPrecision = 0;
  let bRecall = 0;
  for (const [pred, row] of cells) {
    for (const [truth, count] of row) {
      correctPairs += pairs(count);
      // B-cubed: each of the `count` records has |pred ∩ truth| = count.
      bPrecision += (count * count) / predSize.get(pred)!;
      bRecall += (count * count) / trueSize.get(truth)!;
    }
  }
  let predictedPairs = 0;
  for (const s of predSize.values()) predictedPairs += pairs(s);
  let truePairs = 0;
  for (const s of trueSize.values()) truePairs += pairs(s);

  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const bp = n === 0 ? 1 : bPrecision / n;
  const br = n === 0 ? 1 : bRecall / n;

  const errors = (table: Map<string, Map<string, number>>, size: Map<string, number>): ClusterError[] =>
    [...table]
      .filter(([, parts]) => parts.size > 1)
      .map(([cluster, parts]) => {
        let inside = 0;
        for (const c of parts.values()) inside += pairs(c);
        return {
          cluster,
          parts: [...parts]
            .map(([id, records]) => ({ id, records }))
            .sort((a, b) => b.records - a.records || a.id.localeCompare(b.id))
            .slice(0, MAX_PARTS),
          totalParts: parts.size,
          wrongPairs: pairs(size.get(cluster)!) - inside,
        };
      })
      .sort((a, b) => b.wrongPairs - a.wrongPairs || a.cluster.localeCompare(b.cluster))
      .slice(0, worst);

  return {
    records: n,
    pairwise: { precision: round(precision), recall: round(recall), f1: round(f1(precision, recall)), truePairs, predictedPairs, correctPairs },
    b_cubed: { precision: round(bp), recall: round(br), f1: round(f1(bp, br)) },
    entities: { predicted: predSize.size, true: trueSize.size, ratio: round(trueSize.size === 0 ? 0 : predSize.size / trueSize.size) },
    worstMerges: errors(cells, predSize),
    worstSplits: errors(byTruth, trueSize),
  };
}
