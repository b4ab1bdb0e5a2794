/**
 * The cross-engine comparison itself (snapshot.ts): a float's last bits may differ between two
 * runs, a real difference may not hide behind that tolerance.
 */
import { describe, expect, it } from "vitest";
import { compareSnapshots, type Snapshot } from "./snapshot.js";

const row = (p: number, decision = "linked"): string => JSON.stringify([["decision", decision], ["id_l", "a"], ["p", p]]);
const snap = (rows: string[], revenue = 10.5): Snapshot => ({
  clusters: ["a|b"],
  users: [["u1", "a|b"]],
  tables: { "rcu_identity.pair_scores": rows },
  figures: { revenue },
});

describe("compareSnapshots", () => {
  it("takes a float one unit apart in its 10th significant digit as equal (a rounding boundary)", () => {
    const diff = compareSnapshots(snap([row(9.056648454e-11), row(0.5)]), snap([row(0.5), row(9.056648455e-11)]));
    expect(diff.differences).toEqual([]);
  });

  it("takes two weights 1e-13 apart as equal where their terms cancelled (a weight near 0), not two probabilities", () => {
    const weight = (w: number): string => JSON.stringify([["id_l", "a"], ["match_weight", w]]);
    expect(compareSnapshots(snap([weight(6.985403925e-6)]), snap([weight(6.985403832e-6)])).differences).toEqual([]);
    expect(compareSnapshots(snap([weight(6.985e-6)]), snap([weight(6.986e-6)])).differences).toHaveLength(1);
    expect(compareSnapshots(snap([row(6.985403925e-6)]), snap([row(6.985403832e-6)])).differences).toHaveLength(1);
  });

  it("reports a float differing in its 8th digit, another text, or a missing row", () => {
    expect(compareSnapshots(snap([row(9.0566484e-11)]), snap([row(9.0566485e-11)])).differences).toHaveLength(1);
    expect(compareSnapshots(snap([row(0.5)]), snap([row(0.5, "vetoed")])).differences).toHaveLength(1);
    expect(compareSnapshots(snap([row(0.5), row(0.5)]), snap([row(0.5)])).differences[0]).toMatch(/1 rows only in the first engine, 0 only in the second/);
    expect(compareSnapshots(snap([], 10.5), snap([], 10.51)).differences).toEqual(["revenue: 10.5 vs 10.51"]);
  });
});
