/**
 * identity_match.candidatePairs on real DuckDB: pairs within blocks (on every column of a rule),
 * oversized blocks skipped, and swapped names found between two records each alone in its own block.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

interface Rule { name: string; on: Array<[string, string]>; from?: string }
const match = load<{ candidatePairs(o: { records: string; id: string; rules: Rule[]; maxBlockSize: number }): string }>("identity_match.js");
const duck = new Duck();
beforeAll(async () => {
  await duck.open();
  const rows: Array<[string, string | null, string | null, string | null]> = [
    ["a1", "anne", "dupont", "anne@x.fr"],
    ["a2", "anne", "dupont", "anne@x.fr"],
    ["s1", "martin", "durand", null], // first and last names swapped between s1 and s2,
    ["s2", "durand", "martin", null], // each the only record of its (first, last) block
    ...Array.from({ length: 4 }, (_, i) => [`m${i}`, "marie", "martin", null] as [string, string, string, null]), // a block of 4
  ];
  await duck.query(`CREATE TABLE recs AS SELECT * FROM (VALUES ${rows.map((r) => `(${r.map((v) => (v === null ? "NULL" : `'${v}'`)).join(", ")})`).join(", ")}) AS t(record_key, first_key, last_key, email_key)`);
});
afterAll(() => duck.close());

const rules: Rule[] = [
  { name: "names", on: [["first_key", "first_key"], ["last_key", "last_key"]] },
  { name: "names_swapped", on: [["first_key", "last_key"], ["last_key", "first_key"]] },
  { name: "email", on: [["email_key", "email_key"]] },
];
const pairs = async (maxBlockSize: number) =>
  (await duck.query(match.candidatePairs({ records: "recs", id: "record_key", rules, maxBlockSize })))
    .map((r) => `${r.id_l}-${r.id_r} ${r.first_rule} ${r.rules_matched}`)
    .sort();

describe("candidatePairs", () => {
  it("pairs records sharing a block once (rules counted), and swapped names across singleton blocks", async () => {
    expect(await pairs(50)).toEqual([
      "a1-a2 email 2",
      ...["m0-m1", "m0-m2", "m0-m3", "m1-m2", "m1-m3", "m2-m3"].map((p) => `${p} names 1`),
      "s1-s2 names_swapped 2", // found from both sides of the asymmetric rule
    ]);
  });

  it("reads a rule's blocks from another relation with many values per record, counting the rule once per pair", async () => {
    // a1 and a2 were both seen with two devices, s1 with one of them and another.
    await duck.query(`CREATE TABLE seen AS SELECT * FROM (VALUES ('a1', 'd1'), ('a1', 'd2'), ('a2', 'd1'), ('a2', 'd2'), ('s1', 'd2'), ('s1', 'd9')) AS t(record_key, seen_device)`);
    const withSeen: Rule[] = [...rules, { name: "seen:device", from: "seen", on: [["seen_device", "seen_device"]] }];
    const got = (await duck.query(match.candidatePairs({ records: "recs", id: "record_key", rules: withSeen, maxBlockSize: 50 })))
      .filter((r) => ["a1", "a2", "s1"].includes(String(r.id_l)))
      .map((r) => `${r.id_l}-${r.id_r} ${r.first_rule} ${r.rules_matched}`)
      .sort();
    expect(got).toEqual(["a1-a2 email 3", "a1-s1 seen:device 1", "a2-s1 seen:device 1", "s1-s2 names_swapped 2"]);
  });

  it("joins on every column of a rule: postcode + first name + last initial (Colegate / Colegatye, not Mercier / Dufour)", async () => {
    await duck.query(`CREATE TABLE places AS SELECT * FROM (VALUES ('g1', '6011', 'jett', 'c'), ('g2', '6011', 'jett', 'c'), ('g3', '6011', 'jett', 'd'), ('g4', '6012', 'jett', 'c')) AS t(record_key, postcode, first_key, last_initial)`);
    const rule: Rule = { name: "postcode+first_name+last_initial", on: [["postcode", "postcode"], ["first_key", "first_key"], ["last_initial", "last_initial"]] };
    const got = (await duck.query(match.candidatePairs({ records: "places", id: "record_key", rules: [rule], maxBlockSize: 50 })))
      .map((r) => `${r.id_l}-${r.id_r} ${r.first_rule}`);
    expect(got).toEqual(["g1-g2 postcode+first_name+last_initial"]);
  });

  it("skips blocks larger than maxBlockSize, so pairs per record stay bounded", async () => {
    expect(await pairs(3)).toEqual(["a1-a2 email 2", "s1-s2 names_swapped 2"]);
  });
});
