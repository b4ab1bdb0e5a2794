/** packBySize: how statements are kept under an engine's size limit (forget's counts, Redshift appends). */
import { describe, expect, it } from "vitest";
import { packBySize } from "../../engine/warehouses/sql-common.js";

describe("packBySize", () => {
  it("fills each run up to the limit, counting the overhead and the joiners", () => {
    // 10 + 3×(4+2) = 28 ≤ 30; a fourth part would make 34.
    expect(packBySize(["aaaa", "bbbb", "cccc", "dddd", "eeee"], 30, 10, 2)).toEqual([[0, 1, 2], [3, 4]]);
    expect(packBySize(["aaaa", "bbbb"], 1_000)).toEqual([[0, 1]]);
  });
  it("puts a part too big for any run alone, and keeps the order", () => {
    expect(packBySize(["a", "x".repeat(50), "b"], 20)).toEqual([[0], [1], [2]]);
    expect(packBySize([], 20)).toEqual([]);
  });
  it("measures bytes, not characters", () => {
    // "é" is two bytes in UTF-8: four of them are 8 bytes.
    expect(packBySize(["éééé", "éééé"], 15)).toEqual([[0], [1]]);
    expect(packBySize(["éééé", "éééé"], 16)).toEqual([[0, 1]]);
  });
});
