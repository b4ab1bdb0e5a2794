/**
 * matching.threshold: a pair is linked on its score alone when its match probability reaches the
 * threshold — 0.9 by default (on the sample estate the pairs between 0.9 and 0.99 were 90 % one
 * person), or the one rcu.yaml sets.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject, twoRecordsEach } from "./people-project.js";

const POSTCODES = ["75011", "69003", "13001", "31000", "59000"];

/** 100 people with two records each: name, address and postcode. */
function records(): string[] {
  return ["id,first_name,last_name,address_line,postcode", ...twoRecordsEach(100, (i, first, last) => `${first},${last},${i + 1} rue des Lilas,${POSTCODES[i % POSTCODES.length]}`)];
}

interface Scored { id_l: string; id_r: string; p: number; decision: string; linked: boolean }

async function scores(identity?: string): Promise<Scored[]> {
  const project = await peopleProject(await tempDir("rcu-threshold-"), ["first_name", "last_name", "address_line", "postcode"], identity ? { identity } : {});
  await project.write(records());
  await project.resolve();
  return duck<Scored>(project.warehouse, "SELECT id_l, id_r, match_probability AS p, decision, linked FROM rcu_identity.pair_scores WHERE deterministic_rule IS NULL AND decision NOT LIKE 'vetoed%'");
}

describe("matching.threshold", () => {
  it("links on the score alone from a probability of 0.9 by default, from the configured one otherwise", async () => {
    const byDefault = await scores();
    const between = byDefault.filter((s) => s.p >= 0.9 && s.p < 0.99);
    expect(between.length).toBeGreaterThan(0);
    for (const s of byDefault) expect({ pair: `${s.id_l} ${s.id_r}`, linked: s.linked }).toEqual({ pair: `${s.id_l} ${s.id_r}`, linked: s.p >= 0.9 });
    expect(new Set(between.map((s) => s.decision))).toEqual(new Set(["probabilistic"]));

    const strict = await scores("matching: { threshold: 0.99 }");
    const again = strict.filter((s) => between.some((b) => b.id_l === s.id_l && b.id_r === s.id_r));
    expect(again.length).toBe(between.length);
    for (const s of again) expect(s).toMatchObject({ linked: false, decision: "below threshold" });
  }, 120_000);
});
