/**
 * The standard model's name and email comparison levels (includes/identity_comparisons.js) on real
 * DuckDB, through identity_match.comparisonVectors: the levels that let one person's records
 * agree (names typed the other way round, compound initials, a +tag or a mistyped domain) and
 * those that must keep a household apart (a surname in the other's first-name field).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

interface Level { label: string; when: string }
interface Comparison { name: string; columns: string[]; levels: Level[] }
const model = load<{ comparisons(): Comparison[] }>("identity_comparisons.js");
const match = load<{ comparisonVectors(o: { pairs: string; records: string; id: string; comparisons: Comparison[] }): string }>("identity_match.js");
const name = load<{ matchKey(e: string): string; initialsOfKey(k: string): string; phoneticOfKey(k: string): string }>("person_name.js");
const nicknames = load<{ formalNamesOfKey(k: string): string }>("nicknames.js");
const email = load<{ matchKey(e: string): string }>("email.js");

const cmps = model.comparisons().filter((c) => ["first_name", "last_name", "email"].includes(c.name));
const label = (c: string, level: number): string => {
  const cmp = cmps.find((x) => x.name === c)!;
  return level < 0 ? "missing" : (cmp.levels[level]?.label ?? "else");
};

// [record, first name, last name, last_is_given, email]
type Rec = [string, string, string, boolean, string | null];
const records: Rec[] = [
  ["sophie", "Sophie", "Fontaine", false, "sophie.fontaine@orange.fr"],
  ["swapped", "Fontaine", "Sophie", true, "sophie.fontaine+promo@orange.fr"], // "FONTAINE Sophie" in one field
  ["maiden", "Durand", "Sophie", true, "sophie.fontaine@orage.fr"], // swapped, with her maiden name
  ["paul", "Paul", "Martin", false, "famille.martin@free.fr"],
  ["wife", "Martin", "Claire", true, "famille.martin@free.fr"], // his wife, typed "MARTIN Claire"
  ["mh", "M-H", "Petit", false, "mh.petit@gmail.com"],
  ["mariehelene", "Marie-Hélène", "Petit", false, "mhpetit@gmail.com"],
  ["mariehenriette", "Marie-Henriette", "Petit", false, "mh.petit@hotmail.fr"],
  ["patrick", "Patrick", "Morel", false, null],
  ["patricia", "Patricia", "Morel", false, null], // his wife
  ["patrik", "Patrik", "Morel", false, null], // a typo for Patrick (a rare name)
  ["marie", "Marie", "Morel", false, null],
  ["marieclaire", "Marie-Claire", "Morel", false, null],
  ["andrenathalie", "André", "Nathalie", true, null], // "ANDRÉ Nathalie": typed the other way round
  ["andrejean", "André", "Jean", true, null], // her husband, typed the same way
  ["andrenathalie2", "Andre", "Nathalie", true, null],
  ["andreas", "André", "Anne-Sophie", true, null],
  ["andreas2", "André", "Anne S.", true, null],
  ["rousseaustephanie", "Rousseau", "Stéphanie", true, null], // typed the other way round
  ["rousseauleo", "Rousseau", "Léo", true, null], // her son, typed the same way: a three-letter name
  ["garnierstephanie", "Garnier", "Stéphanie", true, null], // herself by her maiden name, typed the same way
  ["garnierleo", "Garnier", "Léo", true, null], // another Léo, typed the same way
  ["garniersophie", "Garnier", "Sophie", true, null], // another woman, typed the same way
  ["rousseaujmc", "Rousseau", "JMC", true, null], // initials, not a name
  ["clement", "Clément", "Bouchet", false, null],
  ["clemence", "Clémence", "Bouchet", false, null], // -nt / -nce
  ["frederic", "Frédéric", "Bouchet", false, null],
  ["frederique", "Frédérique", "Bouchet", false, null], // -c / -que
  ["stephanie", "Stéphanie", "Dubois", false, null],
  ["stephane", "Dubois", "Stéphane", true, null], // her husband, typed "DUBOIS Stéphane"
  ["stephanie2", "Dubois", "Stephanie", true, null], // herself, typed the other way round
  ["valere", "Valère", "Roux", false, null],
  ["valerie", "Valérie", "Roux", false, null], // his wife: -e / -ie, the feminine form
  ["mariie", "Mariie", "Morel", false, null], // a typo for Marie (a doubled letter), not a form of it
  ["lea", "Léa", "Morel", false, null],
  ["la", "La", "Morel", false, null], // Léa, her é lost to a wrong encoding
  ["jc", "Jc", "Morel", false, null],
  ["jm", "Jm", "Morel", false, null], // Jean-Claude and Jean-Marc, abbreviated: two people
  ["nicolas", "Nicolas", "Morel", false, null],
  ["nico", "Nico", "Morel", false, null], // his nickname: both common, yet one name
  ["robert", "Robert", "Morel", false, null],
  ["bob", "Bob", "Morel", false, null],
  ["rob", "Rob", "Morel", false, null], // two nicknames of Robert
  ["roberta", "Roberta", "Morel", false, null], // no name Bob shortens
  ["melanie", "Mélanie", "Martin", false, null], // titled Mme (GENDERS)
  ["melane", "Mélane", "Martin", false, null], // herself, titled Mme: the "i" lost
  ["melane_untitled", "Mélane", "Martin", false, null], // no gender known: the "i" before the final "e" lost all the same
  ["sylvie", "Sylvie", "Martin", false, null], // titled Mme
  ["sylve_untitled", "Sylve", "Martin", false, null], // no gender known, in no list of given names: Sylvie mistyped
  ["martine", "Martine", "Lambert", false, null], // titled Mme
  ["martine_maiden", "Martine", "Roussel", false, null], // herself, by her maiden name, titled Mme
  ["mme_roussel", "", "Roussel", false, null], // "Mme Roussel": no first name
  ["martinnathalie", "Martin", "Nathalie", true, null], // "MARTIN Nathalie", her gender read from Nathalie
  ["rochematie", "Roche", "Matie", true, null], // "ROCHE Matie": typed the other way round, Marie mistyped
  ["marieroche", "Marie", "Roche", false, null],
  ["robertjean", "Robert", "Jean", true, null], // "ROBERT Jean": typed the other way round
  ["jeanpierrerobert", "Jean-Pierre", "Robert", false, null], // his son: Jean is a word of Jean-Pierre
  ["leclercjm", "Leclerc", "Jm", false, null], // "LECLERC Jm": Jean-Marc, typed the other way round and abbreviated
  ["jeanmarcleclerc", "Jean-Marc", "Leclerc", false, null],
  ["leclercjl", "Leclerc", "Jl", false, null], // another Leclerc: JL is not Jean-Marc
  ["bernardjeanmichel", "Bernard", "Jean-Michel", true, null], // "BERNARD Jean-Michel": typed the other way round, in full
  ["jmbernard", "J-M", "Bernard", false, null], // himself, his given name abbreviated
  ["jlbernard", "J-L", "Bernard", false, null], // another Bernard: JL is not Jean-Michel
  ["aurelie", "Aurélie", "Aubert", false, null],
  ["aiirelie", "Aiirélie", "Aiibert", false, null], // herself, from a scanned form: "u" read as "ii"
  ["ambre", "Ambre", "Lemaire", false, null],
  ["arnbre", "Arnbre", "Lemaire", false, null], // "m" read as "rn"
  ["ines", "Inès", "André", false, null],
  ["iries", "Iriès", "Aridré", false, null], // herself, from a scanned form: "n" read as "ri"
  ["manon", "Manon", "Lemaire", false, null],
  ["marion", "Marion", "Lemaire", false, null], // her sister: two common given names, "n" and "ri" apart
  ["zoe", "Zoé", "Clément", false, null],
  ["zeo", "Zéo", "Clément", false, null], // herself, two letters swapped: Jaro–Winkler sees no transposition in three letters
  ["noe", "Noé", "Clément", false, null],
  ["neo", "Néo", "Clément", false, null], // his brother: two common given names, spelt so
  ["bonnetclalre", "Bonnet", "Clalre", true, null], // "BONNET Clalre": Claire Bonnet, typed the other way round with a typo
  ["clairebonnet", "Claire", "Bonnet", false, null],
  ["bonnetclalre_m", "Bonnet", "Clalre", true, null], // the same names on a man's record
  ["fabreannes", "Fabre", "Anne S.", true, null], // "FABRE Anne-S.": Anne-Sophie Fabre, typed the other way round
  ["annesophiefabre", "Anne-Sophie", "Fabre", false, null],
  ["annelaurefabre", "Anne-Laure", "Fabre", false, null], // her sister: Anne-S. is not Anne-Laure
  ["colinmartine", "Colin", "Martine", true, null], // "COLIN Martine": typed the other way round
  ["mariecolin", "Marie", "Colin", false, null], // another woman: Marie is not Martine mistyped
  ["noenoel", "Noé", "Noel", false, null], // two words alike: alike crosswise too, typed the same way
  ["noenoel2", "Noé", "Noël", false, null],
  ["jeanmorel", "Jean", "Morel", false, null], // the first word of Jc's and Jm's compounds, alone
  ["juliemorel", "Julie", "Morel", false, null], // another given name of that initial
  ["martinpatrick", "Martin", "Patrick", true, null], // "MARTIN Patrick": typed the other way round
  ["patriciamartin", "Patricia", "Martin", false, null], // his wife: alike crosswise, another gender
  ["pierremarie", "Pierre", "Marie", false, null], // Marie Pierre typed the other way round, her gender read from "Pierre"
  ["mariepierre", "Marie", "Pierre", false, null],
  ["jeanlmorel", "Jean-L.", "Morel", false, null], // Jean-Luc or Jean-Louis …
  ["jeanpierremorel", "Jean-Pierre", "Morel", false, null], // … is not Jean-Pierre
  ["jeanmichelmorel", "Jean-Michel", "Morel", false, null],
  ["jeanmarcmorel", "Jean-Marc", "Morel", false, null], // another second word of one initial: left to the similarities
  ["jeanbaptistemorel", "Jean-Baptiste", "Morel", false, null],
  ["jeanaptistemorel", "Jean-Aptiste", "Morel", false, null], // himself, the second word's first letter lost
  ["thomasdupont", "Thomas", "Dupont", false, null], // Thomas: as often a surname as a given name
  ["theodupont", "Théo", "Dupont", false, null], // his brother
  ["theomartin", "Théo", "Martin", false, null], // of another surname: Thomas may be his surname, typed in the wrong field
];
/** person_records.first_compound_head: the first word the estate's compounds with an abbreviation's initials start with. */
const HEADS: Record<string, string> = { jc: "jean", jm: "jean" };
/** person_records.gender, where known (from a title or the given name). */
const GENDERS: Record<string, string> = { rousseaustephanie: "F", garnierstephanie: "F", garniersophie: "F", rousseauleo: "M", garnierleo: "M", martine_maiden: "F", mme_roussel: "F", sylvie: "F", melanie: "F", melane: "F", martine: "F", martinnathalie: "F", valere: "M", valerie: "F", clement: "M", clemence: "F", rochematie: "F", marieroche: "F", robertjean: "M", jeanpierrerobert: "M", bonnetclalre: "F", clairebonnet: "F", bonnetclalre_m: "M", fabreannes: "F", annesophiefabre: "F", annelaurefabre: "F", colinmartine: "F", mariecolin: "F", martinpatrick: "M", patriciamartin: "F", pierremarie: "M", mariepierre: "F" };
/** Names as frequent as first names as a given name is, however often they are surnames too (person_records.first_given, beside COMMON). */
const GIVEN = ["thomas", "theo"];
/** Given names common across the estate (person_records.first_common). */
const COMMON = ["sophie", "paul", "claire", "patrick", "patricia", "marie", "marie claire", "lea", "nicolas", "nico", "melanie", "martine", "zoe", "noe", "neo", "ines", "manon", "marion"];

const duck = new Duck();
beforeAll(async () => {
  await duck.open();
  const lit = (v: string | boolean | null) => (v === null ? "NULL" : typeof v === "boolean" ? String(v) : `'${v}'`);
  await duck.query(`CREATE TABLE raw_recs AS SELECT * FROM (VALUES ${records.map((r) => `(${r.map(lit).join(", ")})`).join(", ")}) AS t(record_key, first_raw, last_raw, last_is_given, email)`);
  await duck.query(`CREATE TABLE keyed AS SELECT *, ${name.matchKey("first_raw")} AS first_key, ${name.matchKey("last_raw")} AS last_key, ${email.matchKey("email")} AS email_key FROM raw_recs`);
  await duck.query(`CREATE TABLE recs AS SELECT *, ${name.initialsOfKey("first_key")} AS first_initials, NULL AS first_canon, ${nicknames.formalNamesOfKey("first_key")} AS first_formal, ${name.phoneticOfKey("first_key")} AS first_phon, ${name.phoneticOfKey("last_key")} AS last_phon, substr(first_key, 1, 1) AS first_initial, substr(last_key, 1, 1) AS last_initial, split_part(email_key, '@', 1) AS email_mailbox, CASE record_key ${Object.entries(GENDERS).map(([k, g]) => `WHEN '${k}' THEN '${g}'`).join(" ")} END AS gender, first_key IN (${COMMON.map((n) => `'${n}'`).join(", ")}) AS first_common, first_key IN (${[...COMMON, ...GIVEN].map((n) => `'${n}'`).join(", ")}) AS first_given, CASE record_key ${Object.entries(HEADS).map(([k, h]) => `WHEN '${k}' THEN '${h}'`).join(" ")} END AS first_compound_head FROM keyed`);
});
afterAll(() => duck.close());

async function levels(l: string, r: string): Promise<{ first_name: string; last_name: string; email: string }> {
  const [row] = await duck.query(match.comparisonVectors({ pairs: `(SELECT '${l}' AS id_l, '${r}' AS id_r)`, records: "recs", id: "record_key", comparisons: cmps }));
  return { first_name: label("first_name", Number(row!.cmp_first_name)), last_name: label("last_name", Number(row!.cmp_last_name)), email: label("email", Number(row!.cmp_email)) };
}

describe("name and email comparison levels", () => {
  it("sees names typed the other way round, with or without a maiden name", async () => {
    // Swapped: the last_name level weighs both names, so first_name stays out of the weight.
    expect((await levels("sophie", "swapped")).first_name).toBe("missing");
    expect((await levels("maiden", "sophie")).first_name).toBe("first name in the other's last-name field");
    expect((await levels("sophie", "maiden")).first_name).toBe("first name in the other's last-name field");
  });

  it("leaves first_name out of a pair swapped with a typo or an abbreviated given name, not of two given names that differ", async () => {
    // The first-name fields hold a surname and a given name: field to field they say nothing, and
    // last_name's swapped levels weigh both names.
    expect(await levels("bonnetclalre", "clairebonnet")).toMatchObject({ first_name: "missing", last_name: "first and last names swapped" });
    expect(await levels("clairebonnet", "bonnetclalre")).toMatchObject({ first_name: "missing", last_name: "first and last names swapped" });
    expect((await levels("fabreannes", "annesophiefabre")).first_name).toBe("missing");
    expect((await levels("fabreannes", "annelaurefabre")).first_name).not.toBe("missing");
    expect((await levels("leclercjm", "jeanmarcleclerc")).first_name).toBe("missing"); // a compound's initials
    // Marie against "COLIN Martine": alike enough to read as swapped, two given names all the same.
    expect(await levels("mariecolin", "colinmartine")).toMatchObject({ first_name: "else", last_name: "first and last names swapped" });
    // A man's and a woman's records.
    expect((await levels("bonnetclalre_m", "clairebonnet")).first_name).toBe("else");
    // Not swapped: the first names agree field to field.
    expect(await levels("noenoel", "noenoel2")).toMatchObject({ first_name: "exact or same canonical name", last_name: "exact" });
  });

  it("does not read masculine and feminine given names crosswise as one name typed the other way round", async () => {
    expect(await levels("stephanie", "stephanie2")).toMatchObject({ first_name: "missing", last_name: "first and last names swapped" });
    // Her husband: not swapped, so the first names disagree (a conflict in pair_scores).
    expect(await levels("stephanie", "stephane")).toMatchObject({ first_name: "else", last_name: "else" });
  });

  it("tells two named women's surnames that differ (a maiden and a married name, weighed apart by EM) from other surnames that differ", async () => {
    expect((await levels("martine", "martine_maiden")).last_name).toBe("different, both a named woman's");
    expect((await levels("martine", "mme_roussel")).last_name).toBe("else"); // one has no first name
    expect((await levels("martine", "clement")).last_name).toBe("else"); // a woman and a man
    expect((await levels("melanie", "sylvie")).last_name).toBe("exact"); // two women of one surname: the levels above first
    expect((await levels("jeanpierrerobert", "robertjean")).last_name).toBe("else"); // two men
  });

  it("reads two surnames between two women typed the other way round as a maiden and a married name, not a conflict", async () => {
    expect(await levels("rousseaustephanie", "garnierstephanie")).toMatchObject({ first_name: "both typed the other way round, different surnames, both a woman's", last_name: "exact" });
    expect((await levels("rousseauleo", "garnierleo")).first_name).toBe("else"); // two men: a conflict (pair_scores)
    expect((await levels("rousseaustephanie", "garniersophie")).first_name).toBe("else"); // two women of two given names
    expect((await levels("rousseaustephanie", "rousseauleo")).first_name).toBe("both typed the other way round, different given names"); // mother and son
  });

  it("reads two neighbouring letters swapped in a three-letter name as one name, unless both are common given names", async () => {
    expect((await levels("zoe", "zeo")).first_name).toBe("two neighbouring letters swapped (three-letter names)");
    expect((await levels("zeo", "zoe")).first_name).toBe("two neighbouring letters swapped (three-letter names)");
    expect((await levels("noe", "neo")).first_name).toBe("else"); // a conflict (pair_scores)
  });

  it("reads two-glyph OCR confusions (ii / u, rn / m, ri / n) as the same name, but not between two common given names", async () => {
    expect(await levels("aurelie", "aiirelie")).toMatchObject({ first_name: "same but for OCR confusions (rn / m, ii / u, cl / d, ri / n)", last_name: "same but for OCR confusions (rn / m, ii / u, cl / d, ri / n)" });
    expect((await levels("arnbre", "ambre")).first_name).toBe("same but for OCR confusions (rn / m, ii / u, cl / d, ri / n)");
    expect((await levels("marie", "mariie")).first_name).toBe("similarity >= 0.92"); // a doubled letter: not "maru"
    expect(await levels("ines", "iries")).toMatchObject({ first_name: "same but for OCR confusions (rn / m, ii / u, cl / d, ri / n)", last_name: "same but for OCR confusions (rn / m, ii / u, cl / d, ri / n)" });
    expect((await levels("manon", "marion")).first_name).toBe("two different common first names"); // a conflict (pair_scores)
  });

  it("sees names typed the other way round with the given name mistyped, but not a compound against its first word", async () => {
    expect((await levels("rochematie", "marieroche")).last_name).toBe("swapped, the given name mistyped or abbreviated");
    expect((await levels("marieroche", "rochematie")).last_name).toBe("swapped, the given name mistyped or abbreviated");
    expect((await levels("robertjean", "jeanpierrerobert")).last_name).toBe("else");
    expect((await levels("leclercjm", "jeanmarcleclerc")).last_name).toBe("swapped, the given name mistyped or abbreviated");
    expect((await levels("jeanmarcleclerc", "leclercjm")).last_name).toBe("swapped, the given name mistyped or abbreviated");
    expect((await levels("leclercjl", "jeanmarcleclerc")).last_name).toBe("else");
    // The other way: the compound in full on the record typed the other way round.
    expect((await levels("bernardjeanmichel", "jmbernard")).last_name).toBe("swapped, the given name mistyped or abbreviated");
    expect((await levels("jmbernard", "bernardjeanmichel")).last_name).toBe("swapped, the given name mistyped or abbreviated");
    expect((await levels("jlbernard", "bernardjeanmichel")).last_name).toBe("else");
  });

  it("reads -e / -ie, -nt / -nce and -c / -que as the feminine form, but not a doubled letter in a name already ending in -ie", async () => {
    expect((await levels("valere", "valerie")).first_name).toBe("masculine / feminine forms");
    expect((await levels("clement", "clemence")).first_name).toBe("masculine / feminine forms");
    expect((await levels("frederique", "frederic")).first_name).toBe("masculine / feminine forms");
    expect((await levels("marie", "mariie")).first_name).toBe("similarity >= 0.92");
  });

  it("reads a form one letter from the other, on two records of one gender, as a typo, unless one is typed the other way round", async () => {
    expect((await levels("melanie", "melane")).first_name).toBe("similarity >= 0.92");
    expect((await levels("melane", "melanie")).first_name).toBe("similarity >= 0.92");
    expect((await levels("melanie", "melane_untitled")).first_name).not.toBe("masculine / feminine forms");
    expect((await levels("martine", "martinnathalie")).first_name).toBe("masculine / feminine forms");
    expect((await levels("valere", "valerie")).first_name).toBe("masculine / feminine forms"); // two genders
  });

  it("reads an \"i\" lost before a final \"e\" as a typo when one record's gender is unknown, not as the masculine form", async () => {
    expect((await levels("sylvie", "sylve_untitled")).first_name).toBe("similarity >= 0.92");
    expect((await levels("sylve_untitled", "sylvie")).first_name).toBe("similarity >= 0.92");
    expect((await levels("melanie", "melane_untitled")).first_name).toBe("similarity >= 0.92");
    expect((await levels("valere", "valerie")).first_name).toBe("masculine / feminine forms"); // both genders known
  });

  it("scores a first name missing one letter (an accent lost to an encoding), not as a conflict", async () => {
    expect((await levels("lea", "la")).first_name).toBe("one letter missing, not two common names");
    expect((await levels("la", "lea")).first_name).toBe("one letter missing, not two common names");
    expect((await levels("jc", "jm")).first_name).toBe("else"); // a letter changed, not missing
  });

  it("keeps a surname in the other's first-name field apart (a household)", async () => {
    expect((await levels("paul", "wife")).first_name).toBe("else");
  });

  it("tells two given names apart on two records of one surname even when one is a surname too (Thomas / Théo Dupont), not across surnames", async () => {
    expect((await levels("thomasdupont", "theodupont")).first_name).toBe("two different common first names");
    expect((await levels("thomasdupont", "theomartin")).first_name).not.toBe("two different common first names");
  });

  it("tells two different common first names apart, but not a typo or a compound's part", async () => {
    expect((await levels("patrick", "patricia")).first_name).toBe("two different common first names");
    expect((await levels("patrik", "patrick")).first_name).not.toBe("two different common first names");
    expect((await levels("marie", "marieclaire")).first_name).not.toBe("two different common first names");
    expect((await levels("maiden", "sophie")).first_name).toBe("first name in the other's last-name field");
  });

  it("tells apart two records typed the other way round whose given names differ", async () => {
    expect((await levels("andrenathalie", "andrejean")).first_name).toBe("both typed the other way round, different given names");
    expect((await levels("andrenathalie", "andrenathalie2")).first_name).toBe("exact or same canonical name"); // typed the same way
    expect((await levels("andreas", "andreas2")).first_name).toBe("exact or same canonical name"); // an abbreviated given name
    expect((await levels("rousseaustephanie", "rousseauleo")).first_name).toBe("both typed the other way round, different given names");
    expect((await levels("rousseaustephanie", "rousseaujmc")).first_name).toBe("exact or same canonical name");
  });

  it("reads a nickname as the name it shortens, before two common names are called two people", async () => {
    expect((await levels("nico", "nicolas")).first_name).toBe("nickname of the other");
    expect((await levels("robert", "bob")).first_name).toBe("nickname of the other");
    expect((await levels("bob", "rob")).first_name).toBe("nickname of the other");
    expect((await levels("bob", "roberta")).first_name).toBe("else");
  });

  it("matches compound initials only when one side is abbreviated", async () => {
    expect((await levels("mh", "mariehelene")).first_name).toBe("initials of a compound name");
    expect((await levels("mariehenriette", "mh")).first_name).toBe("initials of a compound name");
    expect((await levels("mariehelene", "mariehenriette")).first_name).not.toBe("initials of a compound name");
  });

  it("does not read a man's and a woman's records as names typed the other way round, unless their words are the same crosswise", async () => {
    expect((await levels("martinpatrick", "patriciamartin")).last_name).not.toMatch(/swapped/);
    expect((await levels("pierremarie", "mariepierre")).last_name).toBe("first and last names swapped");
  });

  it("tells a compound's initials against its first word alone (Jc / Jean) from another name of that initial (Jc / Julie)", async () => {
    expect((await levels("jc", "jeanmorel")).first_name).toBe("the first word of the compound the other abbreviates");
    expect((await levels("jeanmorel", "jm")).first_name).toBe("the first word of the compound the other abbreviates");
    expect((await levels("jc", "juliemorel")).first_name).toBe("else");
    expect((await levels("jc", "jm")).first_name).toBe("else"); // Jean-Claude and Jean-Marc
  });

  it("tells two compounds of one first word whose second words start with other letters (Jean-L. / Jean-Pierre) from one compound mistyped", async () => {
    const level = "compounds of one first word, the second words of other initials";
    expect((await levels("jeanlmorel", "jeanpierremorel")).first_name).toBe(level);
    expect((await levels("jeanpierremorel", "jeanlmorel")).first_name).toBe(level);
    expect((await levels("jeanmichelmorel", "jeanmarcmorel")).first_name).not.toBe(level);
    expect((await levels("jeanbaptistemorel", "jeanaptistemorel")).first_name).toBe("similarity >= 0.92");
    expect((await levels("jeanlmorel", "jeanmorel")).first_name).not.toBe(level); // Jean alone: one word
  });

  it("sees the same mailbox behind a +tag or a mistyped domain, but not the same local part elsewhere", async () => {
    expect((await levels("sophie", "swapped")).email).toBe("exact"); // the +tag is not in email_key
    expect((await levels("sophie", "maiden")).email).toBe("same mailbox at a mistyped domain");
    expect((await levels("paul", "wife")).email).toBe("exact");
    expect((await levels("mh", "mariehenriette")).email).toBe("else"); // mh.petit at gmail.com and hotmail.fr
  });
});

describe("weightParts", () => {
  type Comparison = { name: string; levels?: unknown[]; tf?: string };
  type WeightOptions = { vectorAlias: string; params: string; prior: string; comparisons: Comparison[]; neutral?: Record<string, string>; tf?: boolean; lookup?: { relation: string; alias: string } };
  const weights = load<{
    weightParts(o: WeightOptions): { joins: string; expr: string; terms: string[] };
    levelWeights(o: { vectors: string; params: string; comparisons: Comparison[] }): string;
  }>("identity_weights.js");
  it("gives a comparison no weight where its neutral condition holds (a shared email)", async () => {
    await duck.query(`CREATE TABLE params AS SELECT * FROM (VALUES ('email', 0, 0.9, 0.001), ('email', 1, 0.1, 0.999), ('phone', 0, 0.8, 0.01), ('phone', 1, 0.2, 0.99)) AS t(comparison, level, m, u)`);
    await duck.query(`CREATE TABLE vecs AS SELECT * FROM (VALUES ('a', 0, 0, FALSE), ('b', 0, 0, TRUE)) AS t(id, cmp_email, cmp_phone, shared_email)`);
    const w = weights.weightParts({ vectorAlias: "v", params: "params", prior: "0.5", comparisons: [{ name: "email" }, { name: "phone" }], neutral: { email: "v.shared_email" } });
    const rows = await duck.query(`SELECT v.id, ${w.expr} AS w FROM vecs AS v ${w.joins} ORDER BY v.id`);
    expect(Number(rows[0]!.w)).toBeCloseTo(Math.log(0.9 / 0.001) + Math.log(0.8 / 0.01), 9);
    expect(Number(rows[1]!.w)).toBeCloseTo(Math.log(0.8 / 0.01), 9);
  });

  it("refuses, with the reason, comparisons whose combinations of levels do not fit a BIGINT key", () => {
    const many: Comparison[] = Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, levels: Array.from({ length: 10 }) }));
    expect(() => weights.levelWeights({ vectors: "v", params: "p", comparisons: many })).toThrow(/too many levels to key their combinations in a BIGINT/);
    expect(() => weights.levelWeights({ vectors: "v", params: "p", comparisons: many.slice(0, 10) })).not.toThrow();
  });

  it("gives the same weights, to the bit, from one lookup of the levels as from a join per comparison", async () => {
    // first_name: levels 0-2 (tf-adjusted on exact agreement); email: levels 0-1, neutral when shared;
    // city: level 1 missing from params (weighs 0 either way). -1 is a missing attribute. h and i
    // would share a key if a digit's radix forgot the -1 level.
    const comparisons: Comparison[] = [{ name: "first_name", levels: [1, 2], tf: "first_key" }, { name: "email", levels: [1] }, { name: "city", levels: [1] }];
    await duck.query(`CREATE TABLE params3 AS SELECT * FROM (VALUES ('first_name', 0, 0.7, 0.01), ('first_name', 1, 0.2, 0.09), ('first_name', 2, 0.1, 0.9),
      ('email', 0, 0.9, 0.001), ('email', 1, 0.1, 0.999), ('city', 0, 0.6, 0.05), ('city', 2, 0.3, 0.9)) AS t(comparison, level, m, u)`);
    await duck.query(`CREATE TABLE vecs3 AS SELECT * FROM (VALUES
      ('a', 0, 0, 0, 0.002, FALSE), ('b', 0, 0, 1, NULL, FALSE), ('c', 1, -1, 2, NULL, FALSE), ('d', 2, 0, -1, 0.5, TRUE),
      ('e', -1, 1, 0, NULL, FALSE), ('f', 0, 0, 0, 0.0000001, TRUE), ('g', 0, 0, 0, 0.002, FALSE),
      ('h', 2, -1, 0, NULL, FALSE), ('i', -1, 0, 0, NULL, FALSE)) AS t(id, cmp_first_name, cmp_email, cmp_city, tf_first_name, shared_email)`);
    const common = { vectorAlias: "v", params: "params3", prior: "0.1", comparisons, tf: true, neutral: { email: "v.shared_email" } };
    const joined = weights.weightParts(common);
    const looked = weights.weightParts({ ...common, lookup: { relation: "lw_rel", alias: "lw" } });
    await duck.query(`CREATE TABLE lw_rel AS ${weights.levelWeights({ vectors: "vecs3", params: "params3", comparisons })}`);
    const a = await duck.query(`SELECT v.id, ${joined.expr} AS w, ${joined.terms.map((t) => `LEAST(${t}, 0)`).join(" + ")} AS against FROM vecs3 AS v ${joined.joins} ORDER BY v.id`);
    const b = await duck.query(`SELECT v.id, ${looked.expr} AS w, ${looked.terms.map((t) => `LEAST(${t}, 0)`).join(" + ")} AS against FROM vecs3 AS v ${looked.joins} ORDER BY v.id`);
    expect(b).toEqual(a);
    expect(a).toHaveLength(9);
    // tf: the exact first name weighs log(m / tf), not log(m / u); a shared email weighs nothing.
    expect(Number(a[0]!.w)).toBeCloseTo(Math.log(0.1 / 0.9) + Math.log(0.7 / 0.002) + Math.log(0.9 / 0.001) + Math.log(0.6 / 0.05), 9);
    expect(Number(a[3]!.w)).toBeCloseTo(Math.log(0.1 / 0.9) + Math.log(0.1 / 0.9), 9);
  });
});
