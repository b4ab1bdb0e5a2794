/**
 * Titles (Mme, M.) and the gender they state. A record without a first name — a ticket saying
 * "M. Henry", typed by an agent taking a call on the family landline — has no given name to
 * compare: the gender of its title is the one sign of which household member it is. It does not
 * join a person of the other gender, whether that person's gender is stated by a title or learnt
 * from how their first name is titled across the records (definitions/identity/01_person_records.js
 * and 02_matching.js).
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

/** Five other women called Martine, titled: enough for the model to learn that Martine is a woman. */
const titledMartines = ["Durand", "Lefebvre", "Moreau", "Girard", "Roux"].map(
  (last, i) => `martine${i},Mme,Martine,${last},0${6 + (i % 2)}1122334${i},martine.${last.toLowerCase()}@free.fr`,
);

describe("titles", () => {
  it("keep a record without a first name from joining a person of the other gender", async () => {
    const dir = await tempDir("rcu-titles-");
    const project = await peopleProject(dir, ["title", "first_name", "last_name", "phone", "email"]);
    await project.write([
      "id,title,first_name,last_name,phone,email",
      ...titledMartines,
      // The Gaillard household's landline: Martine's (untitled) account, a call from her husband,
      // and one from her.
      "martine_g,,Martine,Gaillard,05 64 35 22 84,martine.gaillard@orange.fr",
      "call_henry,M.,,Henry,05 64 35 22 84,",
      "call_mme,Mme,,Gaillard,05 64 35 22 84,",
      // The Clément household: Cécile's card says Mme, the caller on their landline says M.
      "cecile,Mme,Cécile,Clément,04 58 35 54 88,cecile.clement@gmail.com",
      "call_charles,M,,Charles,04 58 35 54 88,",
      // Dominique is given to men and women alike: no gender is learnt for it, so a titled call on
      // Dominique's line attaches as any nameless record does.
      ...["M.", "Mme", "M.", "Mme", "M.", "Mme"].map((t, i) => `dominique${i},${t},Dominique,Nom${i},03 11 22 33 4${i},d${i}@free.fr`),
      "dominique_p,,Dominique,Petit,01 42 00 11 22,dominique.petit@free.fr",
      "call_petit,M.,,Petit,01 42 00 11 22,",
    ]);
    await project.resolve();
    const user = await project.users();
    expect(user.get("call_henry")).not.toBe(user.get("martine_g"));
    expect(user.get("call_mme")).toBe(user.get("martine_g"));
    expect(user.get("call_charles")).not.toBe(user.get("cecile"));
    expect(user.get("call_petit")).toBe(user.get("dominique_p"));

    const records = await duck<{ record_id: string; title: string | null; title_gender: string | null; gender: string | null }>(
      project.warehouse,
      "SELECT record_id, title, title_gender, gender FROM rcu_identity.person_records WHERE record_id IN ('martine_g', 'call_henry', 'cecile', 'dominique_p') ORDER BY record_id",
    );
    expect(records).toEqual([
      { record_id: "call_henry", title: "M.", title_gender: "M", gender: "M" },
      { record_id: "cecile", title: "Mme", title_gender: "F", gender: "F" },
      { record_id: "dominique_p", title: null, title_gender: null, gender: null },
      { record_id: "martine_g", title: null, title_gender: null, gender: "F" }, // learnt from the five titled Martines
    ]);
    // The golden record: the title typed, the gender of the titles (else of the first name).
    const golden = await duck<{ user_id: string; title: string | null; gender: string | null }>(project.warehouse, "SELECT user_id, title, gender FROM rcu_core.users");
    const goldenOf = (id: string) => golden.find((g) => g.user_id === user.get(id));
    expect(goldenOf("martine_g")).toMatchObject({ title: "Mme", gender: "F" }); // her title from the call she made
    expect(goldenOf("call_henry")).toMatchObject({ title: "M.", gender: "M" });
    expect(goldenOf("dominique_p")).toMatchObject({ title: "M.", gender: "M" });
    expect(goldenOf("dominique0")).toMatchObject({ title: "M.", gender: "M" });
    expect(goldenOf("dominique1")).toMatchObject({ title: "Mme", gender: "F" });

    const decisions = await duck<{ id: string; decision: string }>(
      project.warehouse,
      `SELECT split_part(id_l, ':', 2) || ' ' || split_part(id_r, ':', 2) AS id, decision FROM rcu_identity.pair_scores
       WHERE decision = 'vetoed: genders conflict' ORDER BY 1`,
    );
    // explain shows the titles and genders behind the veto.
    const ex = await cli(["identity", "explain", "people:call_henry", "--config", project.config], ROOT);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/people:call_henry {2}M\. Henry \(M\)/);
    expect(ex.stdout).toMatch(/people:call_henry — people:martine_g {2}vetoed: genders conflict/);
    expect(decisions.map((d) => d.id).sort()).toEqual(["call_charles cecile", "call_henry call_mme", "call_henry martine_g"].sort());

    // A warehouse whose identity an older rcu built has neither column: explain still answers.
    await duck(project.warehouse, "ALTER TABLE rcu_identity.person_records DROP COLUMN gender");
    await duck(project.warehouse, "ALTER TABLE rcu_identity.person_records DROP COLUMN title");
    const old = await cli(["identity", "explain", "people:call_henry", "--config", project.config], ROOT);
    expect(old.code).toBe(0);
    expect(old.stdout).toMatch(/people:call_henry {2}Henry {2}/);
  }, 120_000);

  it("learn the gender of a given name that is a common surname too, when the record's other name does not contradict it; and of an email's given name for a record without one; an email's initial is not another's given name; alike first names of two genders are two people", async () => {
    const dir = await tempDir("rcu-titles-surname-given-");
    const project = await peopleProject(dir, ["title", "first_name", "last_name", "phone", "email"]);
    let line = 0; // each titled record its own phone
    const titled = (name: string, title: string, lasts: readonly string[]) =>
      lasts.map((last, i) => `${name.toLowerCase()}${i},${title},${name},${last},03 20 00 ${String(++line).padStart(2, "0")} 00,`);
    await project.write([
      "id,title,first_name,last_name,phone,email",
      ...titled("Bernard", "M.", ["Durand", "Lefebvre", "Moreau", "Girard", "Roux"]),
      ...titled("François", "M.", ["Leroy", "Colin", "Vidal", "Brun", "Meyer"]),
      ...titled("Claire", "Mme", ["Perrin", "Morel", "Blanc", "Henry", "Roger"]),
      ...titled("Béatrice", "Mme", ["Mercier", "Faure", "André", "Lambert", "Bonnet", "Leroux", "Picard", "Gautier", "Renard", "Giraud"]),
      ...titled("Louis", "M.", ["Mercier", "Faure", "André", "Lambert", "Bonnet", "Leroux", "Picard", "Gautier", "Renard", "Giraud"]),
      // Bernard is a surname as often as a given name here: the rule of three (a given name three
      // times more often than a surname) alone learns no gender for an untitled Bernard.
      ...["Sophie", "Julie", "Paul", "Marc"].map((first, i) => `${first.toLowerCase()}_b,,${first},Bernard,02 40 00 00 1${i},`),
      // The Fontaine household's landline: his untitled account, a call from Mme Fontaine, and an
      // account with a placeholder for a first name and her email (Béatrice: a woman's name).
      "bernard_fontaine,,Bernard,Fontaine,05 64 35 22 84,",
      "call_fontaine,Mme,,Fontaine,05 64 35 22 84,",
      "na_fontaine,,N/A,Fontaine,05 64 35 22 84,fontaine.beatrice75@free.fr",
      "legrand_beatrice,,Legrand,Béatrice,05 64 35 22 87,", // typed the other way round: her given name's gender
      // Either reading of "Bernard François" is a man; "Bernard Claire" may be Claire Bernard.
      "bernard_francois,,Bernard,François,05 64 35 22 85,",
      "bernard_claire,,Bernard,Claire,05 64 35 22 86,",
      // The François household's landline: Louis, and two accounts without a first name whose
      // emails spell an initial before the surname: N. is not Louis, L. may be.
      "louis_francois,,Louis,François,05 64 35 22 88,",
      "n_francois,,-,François,05 64 35 22 88,n.francois@free.fr",
      "l_francois,,-,François,05 64 35 22 88,l.francois@free.fr",
      // Laure and Laurent Vidal on their landline: alike in spelling, of two genders.
      "laure_vidal,Mme,Laure,Vidal,05 64 35 22 89,",
      "laurent_vidal,M.,Laurent,Vidal,05 64 35 22 89,",
    ]);
    await project.resolve();
    const genders = await duck<{ record_id: string; gender: string | null }>(
      project.warehouse,
      "SELECT record_id, gender FROM rcu_identity.person_records WHERE record_id IN ('bernard_fontaine', 'bernard_francois', 'bernard_claire', 'na_fontaine', 'legrand_beatrice') ORDER BY record_id",
    );
    expect(genders).toEqual([
      { record_id: "bernard_claire", gender: null },
      { record_id: "bernard_fontaine", gender: "M" }, // Fontaine is nobody's given name
      { record_id: "bernard_francois", gender: "M" }, // François is a man's given name too
      { record_id: "legrand_beatrice", gender: "F" }, // her given name, in the last-name field
      { record_id: "na_fontaine", gender: "F" }, // her email's given name, beside her surname
    ]);
    const user = await project.users();
    expect(user.get("call_fontaine")).not.toBe(user.get("bernard_fontaine"));
    expect(user.get("na_fontaine")).not.toBe(user.get("bernard_fontaine"));
    expect(user.get("n_francois")).not.toBe(user.get("louis_francois"));
    expect(user.get("l_francois")).toBe(user.get("louis_francois"));
    const initials = await duck<{ record_id: string; email_initial: string | null }>(
      project.warehouse,
      "SELECT record_id, email_initial FROM rcu_identity.person_records WHERE record_id IN ('n_francois', 'l_francois', 'louis_francois') ORDER BY record_id",
    );
    expect(initials).toEqual([
      { record_id: "l_francois", email_initial: "l" },
      { record_id: "louis_francois", email_initial: null },
      { record_id: "n_francois", email_initial: "n" },
    ]);
    expect(await project.decision("n_francois", "louis_francois")).toBe("vetoed: the email's initial is another given name's");
    expect(user.get("laure_vidal")).not.toBe(user.get("laurent_vidal"));
    expect(await project.decision("laure_vidal", "laurent_vidal")).toBe("vetoed: first names conflict");
  }, 120_000);

  it("takes the title from the source's title field, else from a full name's leading honorific", async () => {
    const dir = await tempDir("rcu-titles-full-");
    const project = await peopleProject(dir, ["full_name", "phone"], { source: "title: { sql: \"CASE WHEN id = 'mapped' THEN 'Madame' END\" }" });
    await project.write([
      "id,full_name,phone",
      "mme,Mme Dupont,01 23 45 67 89",
      "mr,Mr. Smith,01 23 45 67 80",
      "dr,Dr Martin,01 23 45 67 81",
      "plain,Jean Dupont,01 23 45 67 82",
      "mapped,M. Durand,01 23 45 67 83",
    ]);
    const r = await cli(["run", "--config", project.config, "--select", "tag:identity"], ROOT);
    expect(r.code).toBe(0);
    const rows = await duck<{ record_id: string; title: string | null; title_gender: string | null; last_name: string | null }>(
      project.warehouse,
      "SELECT record_id, title, title_gender, last_name FROM rcu_identity.person_records ORDER BY record_id",
    );
    expect(rows).toEqual([
      { record_id: "dr", title: "Dr", title_gender: null, last_name: "Martin" },
      { record_id: "mapped", title: "Madame", title_gender: "F", last_name: "Durand" },
      { record_id: "mme", title: "Mme", title_gender: "F", last_name: "Dupont" },
      { record_id: "mr", title: "Mr.", title_gender: "M", last_name: "Smith" },
      { record_id: "plain", title: null, title_gender: null, last_name: "Dupont" },
    ]);
  }, 120_000);
});
