/**
 * bench/stability.ts on the sample estate at its default size, 10k people (households, nameless
 * sign-ups, re-estimated EM weights): 5 % of every person source's rows arrive in a second run.
 * The issue's target, ≥ 99.9 % of unchanged people keep their user_id, and the second run's
 * clusters equal a full rebuild's. Not on a smaller estate: there a handful of records is 0.1 %
 * (at 3,000 people 4 records changed, 99.927 %; at 2,000 people, with session 20's random pairs by
 * power-of-two buckets, 4 of 3,639: 99.89 %). (FEBRL's check is in febrl.test.ts; bench/RESULTS.md
 * has the figures from 1,000 to 100k people.)
 */
import { describe, expect, it } from "vitest";
import { benchStability } from "../../bench/stability.js";

describe("stable user ids on the sample estate", () => {
  it("keeps >= 99.9 % of unchanged people's user_id when 5 % of the records arrive later, with the clusters of a full rebuild", async () => {
    const r = await benchStability({ people: 10_000, share: 0.05 });
    expect(r.heldBackRecords / r.recordsSecondRun).toBeGreaterThan(0.03);
    expect(r.heldBackRecords / r.recordsSecondRun).toBeLessThan(0.07);
    expect(r.unchangedRecords).toBeGreaterThan(15_000);
    expect(r.unchangedKept).toBeGreaterThanOrEqual(0.999);
    expect(r.equalsFullRebuild).toBe(true);
    expect(r.usersDifferingFromRebuild).toBe(0);
  }, 180_000);
});
