/**
 * portable.md5Hash: the first bits of MD5 as a BIGINT (sampling of random pairs and EM), on real
 * DuckDB, against Node's own MD5 — and an unusable width refused before any SQL is written.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

const portable = load<{ md5Hash(expr: string, bits?: number): string }>("portable.js");
const duck = new Duck();
beforeAll(() => duck.open());
afterAll(() => duck.close());

describe("md5Hash", () => {
  const keys = ["crm_contacts:CT0001", "eshop_customers:42", "é ü ß", ""];
  const expected = (key: string, bits: number) => BigInt("0x" + createHash("md5").update(key, "utf8").digest("hex").slice(0, bits / 4));

  it("is the first 60 (default) or 52 bits of MD5", async () => {
    const rows = await duck.eval(keys, { h60: (v) => portable.md5Hash(v), h52: (v) => portable.md5Hash(v, 52) });
    for (const r of rows) {
      expect(BigInt(String(r.h60))).toBe(expected(r.v!, 60));
      // 52 bits: exact as a JavaScript number, so the driver returns a number.
      expect(typeof r.h52).toBe("number");
      expect(BigInt(r.h52 as number)).toBe(expected(r.v!, 52));
    }
  });

  it("refuses a width that is not a multiple of 4 from 4 to 60", () => {
    for (const bits of [0, 62, 64, 50]) expect(() => portable.md5Hash("x", bits)).toThrow(/multiple of 4 from 4 to 60/);
  });
});
