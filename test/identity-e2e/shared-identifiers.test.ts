/**
 * An identifier value carried by more records than identity.matching.max_records_per_identifier
 * (a shop's email, a loyalty card number typed as a placeholder) is shared: it links nobody, by
 * rule or by score (comparison_vectors.linkable_<kind> is false for it), while the same kind of
 * value held by fewer records still links them.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

describe("shared identifiers", () => {
  it("link nobody, by rule or by score, while the same kind of value held by few records links them", async () => {
    const dir = await tempDir("rcu-shared-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email"], {
      source: "identifiers: { card: card }",
      identity: "matching: { max_records_per_identifier: 3 }",
    });
    await project.write([
      "id,first_name,last_name,email,card",
      // A shop's email on four customers called Marie: four records over the limit of three.
      "shop1,Marie,Martin,contact@boutique.fr,",
      "shop2,Marie,Bernard,contact@boutique.fr,",
      "shop3,Marie,Petit,contact@boutique.fr,",
      "shop4,Marie,Durand,contact@boutique.fr,",
      // A placeholder card number on four people called Jean.
      "card1,Jean,Moreau,,0000",
      "card2,Jean,Lefebvre,,0000",
      "card3,Jean,Garnier,,0000",
      "card4,Jean,Faure,,0000",
      // One person's email on two records, and one card on two records (names typed differently).
      "paul1,Paul,Roy,paul.roy@free.fr,",
      "paul2,Paul,Roy,paul.roy@free.fr,",
      "lucie1,Lucie,Blanc,,C-77",
      "lucie2,L.,Blanc-Roux,,C-77",
    ]);
    await project.resolve();

    const user = await project.users();
    const distinct = (ids: string[]) => new Set(ids.map((id) => user.get(id))).size;
    expect(distinct(["shop1", "shop2", "shop3", "shop4"])).toBe(4);
    expect(distinct(["card1", "card2", "card3", "card4"])).toBe(4);
    expect(user.get("paul1")).toBe(user.get("paul2"));
    expect(user.get("lucie1")).toBe(user.get("lucie2"));

    const w = project.warehouse;
    const stats = await duck<{ id_type: string; id_value: string; is_shared: boolean }>(w, "SELECT id_type, id_value, is_shared FROM rcu_identity.identifier_stats WHERE is_shared ORDER BY id_type");
    expect(stats.map((s) => `${s.id_type}=${s.id_value}`)).toEqual(["email=contact@boutique.fr", "id:card=0000"]);

    // Why: the shared values are not linkable, and the decisions say so.
    const pairs = await duck<{ id_l: string; id_r: string; linkable_email: boolean; linkable_id_card: boolean; cmp_email: number; decision: string }>(
      w,
      `SELECT v.id_l, v.id_r, v.linkable_email, v.linkable_id_card, v.cmp_email, s.decision
         FROM rcu_identity.comparison_vectors AS v JOIN rcu_identity.pair_scores AS s ON s.id_l = v.id_l AND s.id_r = v.id_r`,
    );
    const pair = (a: string, b: string) => pairs.find((p) => [p.id_l, p.id_r].sort().join() === [`people:${a}`, `people:${b}`].sort().join());
    expect(pair("shop1", "shop2")).toMatchObject({ cmp_email: 0, linkable_email: false, decision: "below threshold" });
    expect(pair("card1", "card2")).toMatchObject({ linkable_id_card: false, decision: "below threshold" });
    expect(pair("paul1", "paul2")).toMatchObject({ linkable_email: true, decision: "deterministic: email" });
    expect(pair("lucie1", "lucie2")).toMatchObject({ linkable_id_card: true, decision: "deterministic: id:card" });
  }, 120_000);
});
