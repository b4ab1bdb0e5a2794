/**
 * A postcode implies its city and region: when two records' postcodes agree, their cities and
 * regions are no further evidence (pair_scores' neutral comparisons). Counted again, a shared
 * address weighed three times — a household's two members as much as one person's two records.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

const FIRST = ["Lucas", "Emma", "Hugo", "Chloé", "Louis", "Léa", "Jules", "Manon", "Arthur", "Camille"];
const LAST = ["Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Garcia", "David", "Bertrand"];
const CITIES: Array<[string, string]> = [["75011", "Paris"], ["69003", "Lyon"], ["13001", "Marseille"], ["31000", "Toulouse"], ["59000", "Lille"]];

describe("postcode, city and region", () => {
  it("count the city no more once the postcodes agree", async () => {
    const project = await peopleProject(await tempDir("rcu-location-"), ["first_name", "last_name", "postcode", "city"]);
    const lines = ["id,first_name,last_name,postcode,city"];
    // 100 people with two records each, so EM has something to learn from.
    for (let i = 0; i < 100; i++) {
      const [postcode, city] = CITIES[i % CITIES.length]!;
      const name = `${FIRST[i % FIRST.length]},${LAST[Math.floor(i / FIRST.length)]}`;
      lines.push(`p${i}a,${name},${postcode},${city}`, `p${i}b,${name},${postcode},${city}`);
    }
    // Two pairs alike but for the city: the same one, and the commune beside it typed instead.
    lines.push("a1,Jean,Dupont,69100,Villeurbanne", "a2,Jean,Dupont,69100,Villeurbanne", "b1,Jean,Dupont,69100,Villeurbanne", "b2,Jean,Dupont,69100,Lyon");
    await project.write(lines);
    await project.resolve();
    const rows = await duck<{ id_l: string; id_r: string; w: number; city: number; postcode: number }>(
      project.warehouse,
      `SELECT s.id_l, s.id_r, s.match_weight AS w, v.cmp_city AS city, v.cmp_postcode AS postcode
       FROM rcu_identity.pair_scores s JOIN rcu_identity.comparison_vectors v USING (id_l, id_r)
       WHERE s.id_l IN ('people:a1', 'people:b1') AND s.id_r IN ('people:a2', 'people:b2')`,
    );
    const pair = (l: string, r: string) => rows.find((x) => x.id_l === `people:${l}` && x.id_r === `people:${r}`)!;
    expect(pair("a1", "a2")).toMatchObject({ city: 0, postcode: 0 });
    expect(pair("b1", "b2").city).toBeGreaterThan(0);
    expect(pair("b1", "b2").postcode).toBe(0);
    expect(pair("a1", "a2").w).toBeCloseTo(pair("b1", "b2").w, 9);
  }, 120_000);
});
