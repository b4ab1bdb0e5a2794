/**
 * A given name and the compound it starts (Pierre / Pierre-Louis, Marie / Marie-Pierre) at one
 * home — the address line alike with one postcode, or one fixed line — are a father and his son,
 * a mother and her daughter, as often as one person typing half her name: a first-name conflict
 * there (comparison_vectors.compound_word_alone, pair_scores), unless the birth dates agree or
 * the two records share a personal email (not a family's mailbox), a mobile or an external id.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject, twoRecordsEach } from "./people-project.js";

/** 200 people with two records each, agreeing on everything, so EM learns what one person's records share. */
function background(): string[] {
  return twoRecordsEach(200, (i, first, last) => {
    const email = `${first.toLowerCase().replace("é", "e")}.${last.toLowerCase().replace("é", "e")}${i}@mail.fr`;
    const phone = `+3361234${String(i).padStart(4, "0")}`;
    const birth = `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
    return `${first},${last},${email},${phone},${i + 1} rue de la Paix,${75001 + (i % 20)},Paris,${birth},`;
  });
}

describe("a given name and the compound it starts, at one home", () => {
  it("are two people unless a birth date, a personal email, a mobile or an id says one", async () => {
    const project = await peopleProject(await tempDir("rcu-compound-home-"), ["first_name", "last_name", "email", "phone", "address_line", "postcode", "city", "birth_date"], { source: "identifiers: { card: card }" });
    await project.write([
      "id,first_name,last_name,email,phone,address_line,postcode,city,birth_date,card",
      ...background(),
      // A father and his son: one address and the family's fixed line, each his own email.
      "pl1,Pierre-Louis,Dufour,pierre.dufour9040@orange.fr,+33308471294,112 avenue Marie Curie,88000,Épinal,1943-08-12,",
      "pl2,Pierre,Dufour,pierredufour2936@yahoo.fr,+33308471294,112 av. Marie Curie,88000,Épinal,,",
      // A mother and her daughter: one address only.
      "mp1,Marie-Pierre,Marty,marty.marie6183@hotmail.com,,14 rue Henri Barbusse,35000,Rennes,1970-08-25,",
      "mp2,Marie,Marty,mmarty5615@gmail.com,,14 rue Henri Barbusse,35000,Rennes,,",
      // A family's mailbox at one home says nothing of which of them wrote.
      "jl3,Jean-Luc,Rousseau,famille.rousseau215@outlook.fr,,3 rue des Écoles,21000,Dijon,,",
      "jl4,Jean,Rousseau,famille.rousseau215@outlook.fr,,3 rue des Écoles,21000,Dijon,1948-01-15,",
      // One woman at her home: her own email on both records.
      "mc1,Marie-Claire,Perrin,mc.perrin@free.fr,,8 rue Haute,44000,Nantes,,",
      "mc2,Marie,Perrin,mc.perrin@free.fr,,8 rue Haute,44000,Nantes,1981-02-03,",
      // One man at his home: his mobile on both.
      "jl1,Jean-Luc,Roussel,,+33678901234,5 rue Basse,31000,Toulouse,,",
      "jl2,Jean,Roussel,,+33678901234,5 rue Basse,31000,Toulouse,1977-06-30,",
      // One woman at her home: one birth date on both.
      "as1,Anne-Sophie,Girard,,+33145678901,9 rue Neuve,67000,Strasbourg,1990-12-01,",
      "as2,Anne,Girard,,+33145678901,9 rue Neuve,67000,Strasbourg,1990-12-01,",
      // Away from home nothing changes: a given name and its compound on one personal email.
      "mt1,Marie-Thérèse,Colin,mt.colin@orange.fr,,1 place Royale,59000,Lille,,",
      "mt2,Marie,Colin,mt.colin@orange.fr,,40 cours Gambetta,33000,Bordeaux,,",
      // One man at his home on the family's fixed line, his loyalty card on both records.
      "ca1,Jean-Paul,Lemoine,,+33146213344,2 rue du Port,29200,Brest,,C-4411",
      "ca2,Jean,Lemoine,,+33146213344,2 rue du Port,29200,Brest,,C-4411",
    ]);
    await project.resolve();
    const user = await project.users();
    const flags = await duck<{ id_l: string; id_r: string; compound_word_alone: boolean }>(project.warehouse, "SELECT id_l, id_r, compound_word_alone FROM rcu_identity.comparison_vectors");
    const key = (a: string, b: string) => [`people:${a}`, `people:${b}`].sort().join();
    const flag = new Map(flags.map((f) => [[f.id_l, f.id_r].sort().join(), f.compound_word_alone]));

    for (const [a, b] of [["pl1", "pl2"], ["mp1", "mp2"], ["jl3", "jl4"]] as const) {
      expect(flag.get(key(a, b)), `${a} / ${b}`).toBe(true);
      expect(await project.decision(a, b), `${a} / ${b}`).toBe("vetoed: a given name and the compound it starts, at one home");
      expect(user.get(a), `${a} / ${b}`).not.toBe(user.get(b));
    }
    const scores = await duck<{ id_l: string; id_r: string; compound_at_home: boolean; first_name_conflict: boolean }>(project.warehouse, "SELECT id_l, id_r, compound_at_home, first_name_conflict FROM rcu_identity.pair_scores WHERE id_l IN ('people:pl1', 'people:pl2', 'people:jl1', 'people:jl2') AND id_r IN ('people:pl1', 'people:pl2', 'people:jl1', 'people:jl2')");
    expect(scores.map(({ compound_at_home, first_name_conflict }) => [compound_at_home, first_name_conflict]).sort()).toEqual([[false, false], [true, true]]);
    // Her own email: the flag does not hold, and the pair is scored.
    expect(flag.get(key("mc1", "mc2"))).toBe(false);
    expect(await project.decision("mc1", "mc2")).toBe("probabilistic");
    // His mobile, her birth date: the flag holds, but the conflict is lifted.
    expect(flag.get(key("jl1", "jl2"))).toBe(true);
    expect(await project.decision("jl1", "jl2")).toBe("deterministic: phone");
    expect(flag.get(key("as1", "as2"))).toBe(true);
    expect(await project.decision("as1", "as2")).toBe("probabilistic");
    expect(await project.decision("mt1", "mt2")).not.toMatch(/^vetoed/);
    // His card: the flag holds, the conflict is lifted, and the card links them.
    expect(flag.get(key("ca1", "ca2"))).toBe(true);
    expect(await project.decision("ca1", "ca2")).toBe("deterministic: id:card");
    for (const [a, b] of [["mc1", "mc2"], ["jl1", "jl2"], ["as1", "as2"], ["mt1", "mt2"], ["ca1", "ca2"]] as const) expect(user.get(a), `${a} / ${b}`).toBe(user.get(b));
  }, 120_000);
});
