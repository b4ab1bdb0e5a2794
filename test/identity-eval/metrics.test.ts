import { describe, expect, it } from "vitest";
import { evaluate, type Labelled } from "../../identity/metrics.js";

const rows = (spec: Array<[string, string, string]>): Labelled[] => spec.map(([record, predicted, truth]) => ({ record, predicted, truth }));

/** Brute force over all pairs, to check the contingency-table arithmetic. */
function bruteForce(data: Labelled[]) {
  let tp = 0, pp = 0, tt = 0, bp = 0, br = 0;
  for (let i = 0; i < data.length; i++) {
    for (let j = i + 1; j < data.length; j++) {
      const p = data[i]!.predicted === data[j]!.predicted;
      const t = data[i]!.truth === data[j]!.truth;
      if (p) pp++;
      if (t) tt++;
      if (p && t) tp++;
    }
    const a = data[i]!;
    const pred = data.filter((x) => x.predicted === a.predicted);
    const tru = data.filter((x) => x.truth === a.truth);
    const both = pred.filter((x) => x.truth === a.truth).length;
    bp += both / pred.length;
    br += both / tru.length;
  }
  return { precision: tp / pp, recall: tp / tt, bp: bp / data.length, br: br / data.length };
}

describe("evaluation metrics", () => {
  it("scores a perfect resolution 1 everywhere", () => {
    const e = evaluate(rows([["a", "1", "x"], ["b", "1", "x"], ["c", "2", "y"]]));
    expect(e.pairwise).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(e.b_cubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(e.entities).toEqual({ predicted: 2, true: 2, ratio: 1 });
    expect(e.worstMerges).toEqual([]);
  });

  it("reports a false merge and a split with their wrong pairs", () => {
    // Household: x and y merged into cluster 1; entity z split across 2 and 3.
    const e = evaluate(rows([["a", "1", "x"], ["b", "1", "x"], ["c", "1", "y"], ["d", "2", "z"], ["e", "3", "z"]]));
    expect(e.pairwise).toMatchObject({ truePairs: 2, predictedPairs: 3, correctPairs: 1 });
    expect(e.pairwise.precision).toBeCloseTo(1 / 3, 6);
    expect(e.pairwise.recall).toBeCloseTo(1 / 2, 6);
    expect(e.worstMerges).toEqual([{ cluster: "1", parts: [{ id: "x", records: 2 }, { id: "y", records: 1 }], totalParts: 2, wrongPairs: 2 }]);
    expect(e.worstSplits).toEqual([{ cluster: "z", parts: [{ id: "2", records: 1 }, { id: "3", records: 1 }], totalParts: 2, wrongPairs: 1 }]);
  });

  it("agrees with brute force on random labellings", () => {
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 5; k++) {
      const data = Array.from({ length: 300 }, (_, i) => ({ record: `r${i}`, predicted: `p${Math.floor(rnd() * 60)}`, truth: `t${Math.floor(rnd() * 80)}` }));
      const e = evaluate(data);
      const b = bruteForce(data);
      expect(e.pairwise.precision).toBeCloseTo(b.precision, 5);
      expect(e.pairwise.recall).toBeCloseTo(b.recall, 5);
      expect(e.b_cubed.precision).toBeCloseTo(b.bp, 5);
      expect(e.b_cubed.recall).toBeCloseTo(b.br, 5);
    }
  });
});
