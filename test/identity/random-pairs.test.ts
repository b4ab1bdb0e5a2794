/**
 * identity_match.randomPairs on real DuckDB: the random record pairs u is estimated from. Their
 * number must follow the estate's size smoothly (a level no random pair shows weighs 0.5 / pairs,
 * so a sample that halves between two runs moves every such weight by ln 2 and re-resolves
 * borderline people), and adding or erasing records must change only the pairs beside them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

interface Options { records: string; id: string; pairsPerRecord?: number; maxPairs?: number }
const match = load<{ randomPairs(o: Options): string }>("identity_match.js");
const duck = new Duck();
beforeAll(async () => {
  await duck.open();
  await duck.query("CREATE TABLE recs AS SELECT i AS record_num FROM range(1, 30001) AS t(i)");
});
afterAll(() => duck.close());

/** The pairs drawn from the records whose number passes `where`, as "l-r" texts. */
async function pairs(where: string, o: Partial<Options> = {}): Promise<string[]> {
  const rows = await duck.query(match.randomPairs({ records: `(SELECT * FROM recs WHERE ${where})`, id: "record_num", ...o }));
  return rows.map((r) => `${String(r.id_l)}-${String(r.id_r)}`);
}

describe("randomPairs", () => {
  it("draws pairsPerRecord distinct pairs a record, id_l < id_r", async () => {
    const got = await pairs("record_num <= 1000");
    // The last four records in the order have fewer than four after them: 1 + 2 + 3 + 4 pairs fewer.
    expect(got).toHaveLength(4000 - 10);
    expect(new Set(got).size).toBe(got.length);
    expect(got.every((p) => Number(p.split("-")[0]) < Number(p.split("-")[1]))).toBe(true);
  });

  it("grows with the estate smoothly, where buckets by a power of two halved the sample", async () => {
    // 8 records a bucket, their number a power of two rounded in log scale: 2,048 buckets up to
    // 23,170 records, 4,096 past it — 130k random pairs at 23,100 records, 66k at 23,300.
    for (const n of [23_000, 23_100, 23_300, 23_400]) expect((await pairs(`record_num <= ${n}`)).length).toBe(4 * n - 10);
  });

  it("keeps about maxPairs pairs past it, still smoothly", async () => {
    for (const n of [10_000, 11_000, 12_000]) {
      const got = (await pairs(`record_num <= ${n}`, { maxPairs: 25_000 })).length;
      expect(Math.abs(got - 25_000)).toBeLessThan(400); // the partial offset is kept by hash: ±3 σ
    }
  });

  it("changes only the pairs beside the records added or erased", async () => {
    const before = new Set(await pairs("record_num <= 10000"));
    // 5 % more records: each takes the farthest pair of the 4 records before it in the order.
    const grown = new Set(await pairs("record_num <= 10500"));
    const kept = [...before].filter((p) => grown.has(p)).length;
    expect(kept / before.size).toBeGreaterThan(0.94);
    // One record erased: every pair without it stays, and at most 4 new pairs appear (the 4
    // records before it reach one further).
    const erased = await pairs("record_num <= 10000 AND record_num <> 777");
    const without = [...before].filter((p) => !p.split("-").includes("777"));
    expect(without.every((p) => erased.includes(p))).toBe(true);
    expect(erased.filter((p) => !before.has(p)).length).toBeLessThanOrEqual(4);
  });
});
