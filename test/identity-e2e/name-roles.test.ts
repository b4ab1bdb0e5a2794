/**
 * person_records.last_is_given: a last-name field holding a word seen at least ten times more
 * often as a first name across all records, or a first-name field holding a word seen ten times
 * more often as a last name beside a word seen at least half as often as a first name as a last name (names typed the
 * other way round), and first_common
 * (a common given name: on ten records or more, and twice as often a first name as a last name), computed in the warehouse over the whole estate
 * (definitions/identity/01_person_records.js); and the term frequencies of a pair typed the other
 * way round, read in the field each word belongs to (comparison_vectors).
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

describe("name roles", () => {
  it("mark a last name that is a given name ten times more often (not a surname that is also a given name) and common given names (twice as often given names as surnames); read a swapped name's frequency in its own field", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["first_name", "last_name"]);
    await project.write([
      "id,first_name,last_name",
      ...Array.from({ length: 20 }, (_, i) => `y${i},Yasmine,Nom${"abcdefghijklmnopqrst"[i]}`), // Yasmine: 20 × a first name
      "swapped,Bertrand,Yasmine", // … once a last name: typed the other way round
      "swapped2,Bertrand,Yasmine", // the same woman, typed the same way (Yasmine: 10 × more a first name)
      ...Array.from({ length: 3 }, (_, i) => `b${i},${["Paul", "Marc", "Luc"][i]},Bertrand`), // Bertrand: a surname
      ...Array.from({ length: 3 }, (_, i) => `n${i},Nicolas,Dupont${"abc"[i]}`), // Nicolas: 3 × a first name
      "clement,Clément,Nicolas", // … and a surname too
      ...Array.from({ length: 12 }, (_, i) => `m${i},Marie,Nom${"abcdefghijkl"[i]}`), // Marie: 12 × a first name,
      ...Array.from({ length: 4 }, (_, i) => `s${i},${["Paul", "Marc", "Luc", "Anne"][i]},Marie`), // 4 × a surname
      ...Array.from({ length: 12 }, (_, i) => `j${i},Jacques,Nom${"abcdefghijkl"[i]}`), // Jacques: 12 × a first name,
      ...Array.from({ length: 7 }, (_, i) => `t${i},${["Paul", "Marc", "Luc", "Anne", "Léa", "Eva", "Zoé"][i]},Jacques`), // 7 × a surname
    ]);
    const r = await cli(["run", "--config", project.config, "--select", "tag:identity"], ROOT);
    expect(r.code).toBe(0);
    const rows = await duck<{ record_id: string; last_is_given: boolean; first_common: boolean }>(project.warehouse, "SELECT record_id, last_is_given, first_common FROM rcu_identity.person_records WHERE record_id IN ('swapped', 'clement', 'y0', 'n0', 'm0', 'j0')");
    const by = (col: "last_is_given" | "first_common") => Object.fromEntries(rows.map((x) => [x.record_id, x[col]]));
    expect(by("last_is_given")).toEqual({ swapped: true, clement: false, y0: false, n0: false, m0: false, j0: false });
    // Yasmine is a first name on 20 records (and 1 in 5,000); Nicolas on 3 only. Marie is a
    // surname too (as in France), but three times more often a given name: common; Jacques, less
    // than twice as often, is not.
    expect(by("first_common")).toEqual({ swapped: false, clement: false, y0: true, n0: false, m0: true, j0: false });

    // "Bertrand Yasmine" twice: the shared first-name field holds a surname, whose frequency is
    // read among last names (3 Bertrand + …), and the given name's among first names.
    const tf = async (comparison: string, value: string) =>
      Number((await duck<{ f: number }>(project.warehouse, `SELECT frequency AS f FROM rcu_identity.term_frequencies WHERE comparison = '${comparison}' AND value = '${value}'`))[0]!.f);
    const [pair] = await duck<{ tf_first_name: number; tf_last_name: number }>(
      project.warehouse,
      "SELECT tf_first_name, tf_last_name FROM rcu_identity.comparison_vectors WHERE id_l IN ('people:swapped', 'people:swapped2') AND id_r IN ('people:swapped', 'people:swapped2')",
    );
    expect(await tf("last_name", "bertrand")).not.toBeCloseTo(await tf("first_name", "bertrand"), 6);
    expect(Number(pair!.tf_first_name)).toBeCloseTo(await tf("last_name", "bertrand"), 9);
    expect(Number(pair!.tf_last_name)).toBeCloseTo(await tf("first_name", "yasmine"), 9);
  }, 120_000);

  it("read a first-name field holding a surname as names typed the other way round, even when the given name is a surname too: a household's two such records stay apart", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["first_name", "last_name", "phone", "email"]);
    const landline = "01 45 67 89 10";
    await project.write([
      "id,first_name,last_name,phone,email",
      ...Array.from({ length: 20 }, (_, i) => `l${i},Prenom${"abcdefghijklmnopqrst"[i]},Legrand,,`), // Legrand: 20 × a last name
      ...Array.from({ length: 3 }, (_, i) => `n${i},Nicolas,Dupont${"abc"[i]},,`), // Nicolas: 3 × a first name …
      "clement,Clément,Nicolas,,", // … and a surname: not ten times more often a first name
      ...Array.from({ length: 3 }, (_, i) => `e${i},Emma,Martin${"abc"[i]},,`),
      `nicolas,Nicolas,Legrand,${landline},nicolas.legrand@example.fr`,
      `nicolas_swapped,Legrand,Nicolas,${landline},nicolas.legrand@example.fr`, // the same man, typed the other way round
      `emma_swapped,Legrand,Emma,${landline},`, // his wife, typed the other way round, on the household's landline
      ...Array.from({ length: 3 }, (_, i) => `t${i},Thomas,Dupont${"abc"[i]},,`), // Thomas: 3 × a first name,
      ...["Paul", "Marc", "Luc", "Anne", "Léa"].map((first, i) => `s${i},${first},Thomas,,`), //   5 × a surname
      ...Array.from({ length: 10 }, (_, i) => `f${i},Prenom${"abcdefghij"[i]},Lefebvre,,`), // Lefebvre: 10 × a last name
      "thomas_swapped,Lefebvre,Thomas,,", // a surname first: a given name half as often as a surname is enough
    ]);
    await project.resolve();
    const rows = await duck<{ record_id: string; last_is_given: boolean }>(project.warehouse, "SELECT record_id, last_is_given FROM rcu_identity.person_records WHERE record_id IN ('nicolas', 'nicolas_swapped', 'emma_swapped', 'clement', 'l0', 'thomas_swapped', 's0')");
    expect(Object.fromEntries(rows.map((x) => [x.record_id, x.last_is_given]))).toEqual({ nicolas: false, nicolas_swapped: true, emma_swapped: true, clement: false, l0: false, thomas_swapped: true, s0: false });
    // "Legrand" in both first-name fields is their shared surname, not one first name: Emma and
    // Nicolas are two given names, a conflict, so the landline does not link them.
    const users = await project.users();
    expect(users.get("nicolas_swapped")).toBe(users.get("nicolas"));
    expect(users.get("emma_swapped")).not.toBe(users.get("nicolas"));
    expect(await project.decision("emma_swapped", "nicolas_swapped")).toBe("vetoed: first names conflict");
  }, 120_000);

  it("read one name alone in the first-name field as the surname when it is twice as often a last name", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-lone-"), ["first_name", "last_name", "phone"]);
    await project.write([
      "id,first_name,last_name,phone",
      ...["Paul", "Marc", "Luc"].map((first, i) => `a${i},${first},Arnaud,03 20 00 00 0${i}`), // Arnaud: a surname
      ...["Petit", "Roux", "Blanc", "Henry"].map((last, i) => `m${i},Michel,${last},03 20 00 00 1${i}`), // Michel: a given name …
      ...["Paul", "Marc", "Luc", "Léa"].map((first, i) => `n${i},${first},Michel,03 20 00 00 2${i}`), //   … as often as a surname
      "mia,Mia,Arnaud,05 64 35 22 84",
      "arnaud_alone,Arnaud,,05 64 35 22 84", // her surname, typed alone in the first-name field
      "chloe,Chloé,Roger,05 64 35 22 85",
      "michel_alone,Michel,,05 64 35 22 85", // her husband Michel, typed alone on their landline
    ]);
    await project.resolve();
    const rows = await duck<{ record_id: string; first_name: string | null; last_name: string | null; first_key: string | null; last_key: string | null; last_initial: string | null }>(
      project.warehouse,
      "SELECT record_id, first_name, last_name, first_key, last_key, last_initial FROM rcu_identity.person_records WHERE record_id IN ('arnaud_alone', 'michel_alone') ORDER BY record_id",
    );
    expect(rows).toEqual([
      { record_id: "arnaud_alone", first_name: null, last_name: "Arnaud", first_key: null, last_key: "arnaud", last_initial: "a" },
      { record_id: "michel_alone", first_name: "Michel", last_name: null, first_key: "michel", last_key: null, last_initial: null },
    ]);
    const users = await project.users();
    expect(users.get("arnaud_alone")).toBe(users.get("mia")); // no first-name conflict with Mia
    expect(users.get("michel_alone")).not.toBe(users.get("chloe")); // Michel and Chloé: two given names
  }, 120_000);

  it("link a phone between names typed the other way round with the given name abbreviated (LŒILLET J-P / Jean-Paul Lœillet), not an email between alike given names (Patrick / Patricia)", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["first_name", "last_name", "phone", "email"]);
    await project.write([
      "id,first_name,last_name,phone,email",
      "jean_paul,Jean-Paul,Lœillet,06 11 22 33 44,",
      "ticket,Lœillet,J-P,06 11 22 33 44,", // his ticket: the fields the other way round, J-P for Jean-Paul
      "patricia,Patricia,Nicolas,06 55 44 33 22,p.nicolas@orange.fr",
      "patrick,Nicolas,Patrick,07 66 55 44 33,p.nicolas@orange.fr", // her husband on the couple's mailbox
      ...Array.from({ length: 12 }, (_, i) => `x${i},${["Paul", "Marc", "Luc", "Anne", "Léa", "Eva"][i % 6]},Nom${"abcdefghijkl"[i]},,`),
    ]);
    await project.resolve();
    const users = await project.users();
    expect(users.get("ticket")).toBe(users.get("jean_paul"));
    expect(users.get("patrick")).not.toBe(users.get("patricia"));
    expect(await project.decision("ticket", "jean_paul")).toBe("deterministic: phone");
    expect(await project.decision("patrick", "patricia")).toBe("below threshold");
  }, 120_000);

  it("link an email between names typed the other way round and alike crosswise (BONNET Clalre / Claire Bonnet), not between two given names that differ (COLIN Martine / Marie Colin)", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["first_name", "last_name", "email"]);
    await project.write([
      "id,first_name,last_name,email",
      "claire,Claire,Bonnet,claire.bonnet@orange.fr",
      "card,Bonnet,Clalre,claire.bonnet@orange.fr", // her loyalty card: the fields the other way round, a typo in Claire
      "marie,Marie,Colin,m.colin@orange.fr",
      "martine,Colin,Martine,m.colin@orange.fr", // her sister on the same mailbox, typed the other way round
      ...Array.from({ length: 12 }, (_, i) => `x${i},${["Paul", "Marc", "Luc", "Anne", "Léa", "Eva"][i % 6]},Nom${"abcdefghijkl"[i]},`),
    ]);
    await project.resolve();
    // The first-name fields hold a surname and a given name: left to the last name's swapped
    // level, they agree for the email rule as names swapped by sound do.
    expect(await project.decision("card", "claire")).toBe("deterministic: email");
    const users = await project.users();
    expect(users.get("card")).toBe(users.get("claire"));
    expect(await project.decision("martine", "marie")).not.toBe("deterministic: email");
    expect(users.get("martine")).not.toBe(users.get("marie"));
  }, 120_000);

  it("read a man's and a woman's records alike crosswise (MARTIN Patrick / Patricia Martin) as two people, not as names typed the other way round, unless the words are the same crosswise", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["title", "first_name", "last_name", "email"]);
    await project.write([
      "id,title,first_name,last_name,email",
      "patrick,M.,Martin,Patrick,martin.famille@orange.fr", // typed the other way round
      "patricia,Mme,Patricia,Martin,martin.famille@orange.fr", // his wife, on the couple's mailbox
      "marie,Mme,Marie,Pierre,marie.pierre@orange.fr",
      "card,M.,Pierre,Marie,marie.pierre@orange.fr", // Marie Pierre typed the other way round, titled M. by mistake
      ...Array.from({ length: 12 }, (_, i) => `x${i},,${["Paul", "Marc", "Luc", "Anne", "Léa", "Eva"][i % 6]},Nom${"abcdefghijkl"[i]},`),
    ]);
    await project.resolve();
    const users = await project.users();
    expect(await project.decision("patrick", "patricia")).toBe("vetoed: first names conflict");
    expect(users.get("patrick")).not.toBe(users.get("patricia"));
    expect(users.get("card")).toBe(users.get("marie"));
  }, 120_000);

  it("link a phone between two records of a woman both typed the other way round, by her married and her maiden name (ROUSSEAU Stéphanie / GARNIER Stéphanie), not between two men so typed", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["title", "first_name", "last_name", "phone", "email"]);
    await project.write([
      "id,title,first_name,last_name,phone,email",
      "married,Mme,Rousseau,Stéphanie,06 71 82 93 45,",
      "maiden,Mme,Garnier,Stéphanie,06 71 82 93 45,", // herself, by her maiden name, on her mobile
      "father,M.,Rousseau,Léo,06 48 27 19 63,",
      "son,M.,Garnier,Léo,06 48 27 19 63,", // two men on one phone: the surnames differ, a conflict
      ...Array.from({ length: 44 }, (_, i) => `s${i},,${["Stéphanie", "Léo"][i % 2]},Nom${i},,`), // given names, ten times more often first names
      ...Array.from({ length: 6 }, (_, i) => `r${i},,${["Paul", "Marc", "Luc"][i % 3]},${["Rousseau", "Garnier"][i % 2]},,`), // surnames
    ]);
    await project.resolve();
    const typed = await duck<{ record_id: string; last_is_given: boolean; gender: string | null }>(project.warehouse, "SELECT record_id, last_is_given, gender FROM rcu_identity.person_records WHERE record_id IN ('married', 'maiden', 'father', 'son') ORDER BY record_id");
    expect(typed.map((r) => [r.record_id, r.last_is_given, r.gender])).toEqual([["father", true, "M"], ["maiden", true, "F"], ["married", true, "F"], ["son", true, "M"]]);
    const users = await project.users();
    expect(users.get("maiden")).toBe(users.get("married"));
    expect(users.get("son")).not.toBe(users.get("father"));
    expect(await project.decision("married", "maiden")).toBe("deterministic: phone");
    expect(await project.decision("father", "son")).toBe("vetoed: first names conflict");
  }, 120_000);
});
