/**
 * includes/email.js, person_name.js, address.js and dates.js evaluated on real DuckDB: the
 * documented examples, the keys that must collide and those that must not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInclude } from "../helpers.js";
import { Duck, load, type AddressHelpers, type DateHelpers, type EmailHelpers, type NameHelpers } from "./harness.js";

const email = load<EmailHelpers>("email.js");
const name = load<NameHelpers & { stripParticles(e: string): string }>("person_name.js");
const address = load<AddressHelpers>("address.js");
const dates = load<DateHelpers & { invalidReason(e: string, range?: string): string }>("dates.js");

const duck = new Duck();
beforeAll(() => duck.open());
afterAll(() => duck.close());

/** Evaluate `f` over `inputs` and return { input: output }. */
async function table(inputs: Array<string | null>, f: (c: string) => string): Promise<Record<string, unknown>> {
  const out = await duck.map(inputs, f);
  return Object.fromEntries(inputs.map((v, i) => [String(v), out[i]]));
}

describe("email", () => {
  it("normalises, validates and builds match keys", async () => {
    const rows = await duck.eval(
      [
        "  John.Doe+news@GoogleMail.com ", "j.o.h.n.doe@gmail.com", "JohnDoe@Gmail.com", "a.b+x@hotmail.fr", "A.B@Hotmail.FR",
        "a.b+x@outlook.com", "a.b+x@yahoo.fr", "jean.dupont+promo@orange.fr", "mailto:Paul@Orange.fr", "o'neil@free.fr",
        "a..b@free.fr", ".a@free.fr", "a.@free.fr", "bad@", "@free.fr", "x@y", "x@y.c", "jean dupont@free.fr", "jean@free..fr",
        "jean@-free.fr", "+tag@gmail.com", "+tag@orange.fr", "", "   ", null, "jean@xn--caf-dma.fr",
      ],
      { n: email.normalize, ok: email.isValid, junk: email.isJunk, key: email.matchKey },
    );
    const by = Object.fromEntries(rows.map((r) => [String(r.v), r]));
    expect(by["  John.Doe+news@GoogleMail.com "]).toMatchObject({ n: "john.doe+news@googlemail.com", ok: true, key: "johndoe@gmail.com" });
    expect(by["j.o.h.n.doe@gmail.com"]!.key).toBe("johndoe@gmail.com");
    expect(by["JohnDoe@Gmail.com"]!.key).toBe("johndoe@gmail.com");
    expect(by["a.b+x@hotmail.fr"]!.key).toBe("a.b@hotmail.fr"); // Microsoft: +tag removed, dots kept
    expect(by["A.B@Hotmail.FR"]!.key).toBe("a.b@hotmail.fr");
    expect(by["a.b+x@outlook.com"]!.key).toBe("a.b@outlook.com");
    expect(by["a.b+x@yahoo.fr"]!.key).toBe("a.b@yahoo.fr"); // a +tag is dropped on every domain, dots kept
    expect(by["jean.dupont+promo@orange.fr"]!.key).toBe("jean.dupont@orange.fr");
    expect(by["mailto:Paul@Orange.fr"]!.key).toBe("paul@orange.fr");
    expect(by["o'neil@free.fr"]!.ok).toBe(true);
    for (const bad of ["a..b@free.fr", ".a@free.fr", "a.@free.fr", "bad@", "@free.fr", "x@y", "x@y.c", "jean dupont@free.fr", "jean@free..fr", "jean@-free.fr"]) {
      expect(by[bad], bad).toMatchObject({ ok: false, key: null });
    }
    expect(by["+tag@gmail.com"]!.key).toBeNull(); // nothing left before the tag
    expect(by["+tag@orange.fr"]!.key).toBeNull();
    expect(by[""]).toMatchObject({ n: null, ok: false, junk: false, key: null });
    expect(by["   "]).toMatchObject({ n: null, key: null });
    expect(by["null"]).toMatchObject({ n: null, ok: false, junk: false, key: null });
    expect(by["jean@xn--caf-dma.fr"]!.ok).toBe(true);
  });

  it("flags the documented junk addresses and gives them no match key", async () => {
    const junk = [
      "test@test.com", "TEST@TEST.FR", "noreply@shop.fr", "no-reply@enseigne.com", "ne-pas-repondre@banque.fr",
      "no-email@client.fr", "pasdemail@orange.fr", "aaa@aaa.com", "xxxx@gmail.com", "zz@zz.fr", "marie@example.org",
      "jean@example.com", "jean@mail.test", "jean@test.fr", "jean@shop.invalid", "paul@yopmail.com", "test123@gmail.com",
      "inconnu@free.fr", "a@a.com", "user@domain.com", "jean@test.example.net",
    ];
    const rows = await duck.eval(junk, { junk: email.isJunk, key: email.matchKey });
    expect(rows.filter((r) => r.junk !== true).map((r) => r.v)).toEqual([]);
    expect(rows.filter((r) => r.key !== null).map((r) => r.v)).toEqual([]);
    const real = ["jean.test@gmail.com", "testard@orange.fr", "contact@mytest.fr", "aaron@free.fr", "anna@sfr.fr", "x.y@laposte.net"];
    expect(await duck.map(real, email.isJunk)).toEqual(real.map(() => false));
  });

  it("builds the same key from the normalised email column as from the raw email", async () => {
    // person_records computes email_key from its `email` column (normalize's result); normalize is
    // not idempotent ("mailto:<a@b.fr>" → "<a@b.fr>"), so normalising twice would differ there.
    const inputs = [
      "  John.Doe+news@GoogleMail.com ", "a.b+x@hotmail.fr", "mailto:Paul@Orange.fr", "mailto:<paul@orange.fr>", "<Jean@Free.fr>",
      "a..b@free.fr", "noreply@shop.fr", "xxxx@gmail.com", "+tag@gmail.com", "", "   ", null, "jean@xn--caf-dma.fr", "Marie@Example.org",
    ];
    const rows = await duck.eval(inputs, { raw: email.matchKey, col: (c) => email.matchKeyOfNormalized(email.normalize(c)), twice: (c) => email.matchKey(email.normalize(c)) });
    expect(rows.map((r) => r.col)).toEqual(rows.map((r) => r.raw));
    expect(rows.filter((r) => r.twice !== r.raw).map((r) => r.v)).toEqual(["mailto:<paul@orange.fr>"]);
  });

  it("tells a family's mailbox by its prefix, whatever the separators", async () => {
    const household = (c: string) => email.isHouseholdMailbox(email.matchKey(c), email.HOUSEHOLD_MAILBOXES);
    const yes = ["famille.mercier557@gmail.com", "Famille_Blanc@free.fr", "familleblanc@gmail.com", "mr.et.mme.petit@orange.fr", "Family-Smith@outlook.com", "famiglia.rossi@libero.it"];
    const no = ["marie.famille@free.fr", "fam.martin@orange.fr", "boyer790@wanadoo.fr", "mme.petit@orange.fr", "noreply@shop.fr", null];
    expect(await duck.map(yes, household)).toEqual(yes.map(() => true));
    expect(await duck.map(no, household)).toEqual(no.map(() => false));
    expect(await duck.map(["famille.x@free.fr"], (c) => email.isHouseholdMailbox(c, []))).toEqual([false]);
    expect(() => email.isHouseholdMailbox("e", ["famille'"])).toThrow(/lower-case letters and digits/);
  });

  it("corrects a domain one typo from a major one and twenty times rarer, and nothing else", async () => {
    // [domain, addresses]: 2,741 in all, so a major domain holds at least 28.
    const counts: Array<[string, number]> = [
      ["gmail.com", 1000], ["orange.fr", 500], ["free.fr", 300], ["sfr.fr", 200], ["hotmail.com", 200], ["abd.fr", 20],
      ["gmail.con", 10], ["gmaill.com", 5], ["gmal.com", 5], ["gmial.com", 5], // replaced, inserted, deleted, swapped
      ["orage.fr", 3], ["ornage.fr", 3], ["srf.fr", 2], ["hotmail.co", 5],
      ["fre.fr", 2], // one typo from free.fr, two from sfr.fr
      ["ymail.com", 5], ["mail.com", 4], // real providers, one typo from gmail.com
      ["gmail.fr", 10], ["orange.com", 4], // two typos or more: other domains
      ["frees.fr", 20], // one typo, but only 15 times rarer than free.fr
      ["abc.fr", 1], // one typo from abd.fr, which is no major domain
    ];
    await duck.query(`CREATE TABLE domain_counts AS SELECT * FROM (VALUES ${counts.map(([d, n]) => `('${d}', ${n})`).join(", ")}) AS t(domain, records)`);
    const rows = await duck.query(`SELECT * FROM (${email.domainCorrections("domain_counts")}) AS c ORDER BY domain`);
    expect(Object.fromEntries(rows.map((r) => [r.domain, r.target]))).toEqual({
      "fre.fr": "free.fr", "gmail.con": "gmail.com", "gmaill.com": "gmail.com", "gmal.com": "gmail.com", "gmial.com": "gmail.com",
      "hotmail.co": "hotmail.com", "orage.fr": "orange.fr", "ornage.fr": "orange.fr", "srf.fr": "sfr.fr",
    });
  });

  it("reads the given name or the initial an address spells beside a surname", async () => {
    // Inputs are "address|surname key".
    const beside = (f: (key: string, surname: string) => string) => (c: string) => f(`split_part(${c}, '|', 1)`, `split_part(${c}, '|', 2)`);
    const given = await table(
      ["blanchard.beatrice5166@orange.fr|blanchard", "catherineberger4506@gmail.com|berger", "nfrancois@gmail.com|francois", "le.goff@orange.fr|le goff", "jean.dupont@free.fr|martin", "x@free.fr|x"],
      beside(email.givenBesideSurname),
    );
    expect(given).toEqual({
      "blanchard.beatrice5166@orange.fr|blanchard": "beatrice",
      "catherineberger4506@gmail.com|berger": "catherine",
      "nfrancois@gmail.com|francois": null, // one letter: an initial, not a name
      "le.goff@orange.fr|le goff": null, // the surname alone
      "jean.dupont@free.fr|martin": null, // another surname
      "x@free.fr|x": null, // a surname of one letter is no anchor
    });
    const initial = await table(["nfrancois@gmail.com|francois", "n.francois@free.fr|francois", "francoisn@gmail.com|francois", "jean.francois@free.fr|francois"], beside(email.initialBeforeSurname));
    expect(initial).toEqual({ "nfrancois@gmail.com|francois": "n", "n.francois@free.fr|francois": "n", "francoisn@gmail.com|francois": null, "jean.francois@free.fr|francois": null });
  });

  it("tells an address of its own (a number of three digits or more) from a namesake's guess", async () => {
    const own = await table(["catherine.leroy9079@outlook.fr", "marie.picard1973@free.fr", "jp123@gmail.com", "mlaurent@gmail.com", "anneleroy48@gmail.com", "a1b2c3@free.fr", "dupont@mail123.fr", null], email.isDistinctive);
    expect(own).toEqual({
      "catherine.leroy9079@outlook.fr": true,
      "marie.picard1973@free.fr": true, // a year written in full
      "jp123@gmail.com": true,
      "mlaurent@gmail.com": false,
      "anneleroy48@gmail.com": false, // two digits: a birth year namesakes share
      "a1b2c3@free.fr": false, // digits, but no number of three
      "dupont@mail123.fr": false, // the domain's digits are not the holder's
      null: null,
    });
  });
});

describe("person names", () => {
  it("folds accents, case, hyphens and honorifics into one match key", async () => {
    const keys = await table(
      ["Hélène", "HELENE", "Helene", "hélène ", "Mme Hélène", "MLLE HELENE", "Jean-Pierre", "Jean Pierre", "  JEAN  PIERRE ", "M. Jean-Pierre", "Dr. Jean-Pierre",
       "D'Artagnan", "d’Artagnan", "Œdipe", "Lætitia", "Straße", "Müller", "Nuñez", "Ørsted", "Łukasz", "François", "Mme", "", null, "Jean-Pierre 2"],
      name.matchKey,
    );
    expect(new Set([keys["Hélène"], keys["HELENE"], keys["Helene"], keys["hélène "], keys["Mme Hélène"], keys["MLLE HELENE"]])).toEqual(new Set(["helene"]));
    expect(new Set([keys["Jean-Pierre"], keys["Jean Pierre"], keys["  JEAN  PIERRE "], keys["M. Jean-Pierre"], keys["Dr. Jean-Pierre"], keys["Jean-Pierre 2"]])).toEqual(new Set(["jean pierre"]));
    expect(keys["D'Artagnan"]).toBe("d artagnan");
    expect(keys["d’Artagnan"]).toBe("d artagnan");
    expect(keys).toMatchObject({ "Œdipe": "oedipe", "Lætitia": "laetitia", "Straße": "strasse", "Müller": "muller", "Nuñez": "nunez", "Ørsted": "orsted", "Łukasz": "lukasz", "François": "francois" });
    expect(keys).toMatchObject({ Mme: null, "": null, null: null });
  });

  it("gives placeholders no key, and keeps an initial M that is not Monsieur", async () => {
    const keys = await table(
      ["N/A", "n.a.", "XXX", "xx", "Inconnu", "INCONNUE", "-", ".", "NC", "Test", "M.", "Mme", "M-H", "M.-C.", "Mme H", "M. Dupont", "Mme Na", "Xavier", "Nadia", "Max"],
      name.matchKey,
    );
    for (const junk of ["N/A", "n.a.", "XXX", "xx", "Inconnu", "INCONNUE", "-", ".", "NC", "Test", "M.", "Mme", "Mme Na"]) expect(keys[junk], junk).toBeNull();
    // "M-H" is Marie-Hélène: the M is an initial (a title needs a word of two letters after it).
    expect(keys).toMatchObject({ "M-H": "m h", "M.-C.": "m c", "Mme H": "mme h", "M. Dupont": "dupont", Xavier: "xavier", Nadia: "nadia", Max: "max" });
  });

  it("gives the initials of compound first names, whole or abbreviated", async () => {
    const initials = await table(
      ["Jean-Michel", "J-M", "JM", "Jean-M.", "jean michel andre", "Marie-Hélène", "M-H", "Léa", "Hélène", "", null],
      (c) => name.initialsOfKey(name.matchKey(c)),
    );
    expect(initials).toMatchObject({
      "Jean-Michel": "jm", "J-M": "jm", JM: "jm", "Jean-M.": "jm", "jean michel andre": "jma", "Marie-Hélène": "mh", "M-H": "mh",
      "Léa": "lea", "Hélène": null, "": null, null: null,
    });
  });

  it("keeps particles in the key and separates them on request", async () => {
    const rows = await duck.eval(["Mme de la Fontaine", "DE LA FONTAINE", "d'Estaing", "Van der Berg", "Le Goff", "Dupont", "De"], {
      key: name.matchKey,
      bare: name.stripParticles,
    });
    expect(rows.map((r) => [r.key, r.bare])).toEqual([
      ["de la fontaine", "fontaine"], ["de la fontaine", "fontaine"], ["d estaing", "estaing"], ["van der berg", "berg"],
      ["le goff", "goff"], ["dupont", "dupont"], ["de", "de"],
    ]);
  });

  it("displays names in title case with accents, and gives first token and initial", async () => {
    const rows = await duck.eval(["  jean-PIERRE  d'ARTAGNAN ", "HÉLÈNE", "élodie", "o’neil", "", null], {
      display: name.display, first: name.firstToken, initial: name.initial,
    });
    expect(rows.map((r) => [r.display, r.first, r.initial])).toEqual([
      ["Jean-Pierre D'Artagnan", "jean", "j"], ["Hélène", "helene", "h"], ["Élodie", "elodie", "e"], ["O’Neil", "o", "o"],
      [null, null, null], [null, null, null],
    ]);
  });

  it("gives Jean-Pierre, Jean Pierre, JP, J.-P. and jeanpierre one canonical first name", async () => {
    const canon = await table(
      ["Jean-Pierre", "Jean Pierre", "JP", "J.-P.", "j-p", "jeanpierre", "JEAN-PIERRE", "JM", "Jean-Marie", "JC", "Jean Claude", "J.L.", "jb", "Marie-Claire", "MC", "Jeanne", "Pierre"],
      name.canonicalFirstName,
    );
    for (const k of ["Jean-Pierre", "Jean Pierre", "JP", "J.-P.", "j-p", "jeanpierre", "JEAN-PIERRE"]) expect(canon[k], k).toBe("jean pierre");
    expect([canon["JM"], canon["Jean-Marie"]]).toEqual(["jean marie", "jean marie"]);
    expect([canon["JC"], canon["Jean Claude"]]).toEqual(["jean claude", "jean claude"]);
    expect(canon["J.L."]).toBe("jean luc");
    expect(canon["jb"]).toBe("jean baptiste");
    expect(canon["Marie-Claire"]).toBe("marie claire");
    expect(canon["MC"]).toBe("mc"); // ambiguous (Marie-Claire / Marie-Christine): left alone
    expect([canon["Jeanne"], canon["Pierre"]]).toEqual(["jeanne", "pierre"]);
  });

  // Pairs documented in docs/normalisation.md.
  const MUST_COLLIDE: Array<[string, string]> = [
    ["Philippe", "Filipe"], ["Thomas", "Tomas"], ["Christophe", "Kristof"], ["Michel", "Michèle"], ["Michèle", "Michelle"],
    ["Laurent", "Lorand"], ["Gauthier", "Gautier"], ["Schmitt", "Schmidt"], ["Lefebvre", "Lefèvre"], ["Renaud", "Renault"],
    ["Renault", "Reno"], ["Dupont", "Dupond"], ["Rousseau", "Rousso"], ["Cécile", "Sesile"], ["Quentin", "Kentin"],
    ["Jérôme", "Gérome"], ["Georges", "Jorge"], ["Guy", "Gui"], ["Hélène", "HELENE"], ["Yvonne", "Ivonne"], ["Wilfried", "Vilfried"],
    ["Jean-Pierre", "Jean Pierre"], ["Mathieu", "Matthieu"], ["Catherine", "Katherine"], ["Faure", "Phaure"], ["Bernard", "Bernart"],
    ["Girard", "Girart"], ["Moreau", "Moreaux"], ["Arnaud", "Arnault"], ["Clément", "Clemant"],
  ];
  const MUST_NOT_COLLIDE: Array<[string, string]> = [
    ["Dupont", "Durand"], ["Martin", "Martine"], ["Jean", "Jeanne"], ["Louis", "Louise"], ["Bernard", "Bertrand"],
    ["Simon", "Simone"], ["Marie", "Mario"], ["Petit", "Petitjean"], ["Leroy", "Leroux"], ["Moreau", "Morel"],
    ["Pierre", "Pierrette"], ["Claude", "Claudine"], ["Lucas", "Luc"], ["Roux", "Rousseau"], ["Garcia", "Garnier"],
  ];

  it("collides the documented homophones and keeps the documented distinct names apart", async () => {
    const all = [...new Set([...MUST_COLLIDE.flat(), ...MUST_NOT_COLLIDE.flat()])];
    const key = await table(all, name.phonetic);
    const notColliding = MUST_COLLIDE.filter(([a, b]) => key[a] !== key[b]).map(([a, b]) => `${a}=${key[a]} ${b}=${key[b]}`);
    const colliding = MUST_NOT_COLLIDE.filter(([a, b]) => key[a] === key[b]).map(([a, b]) => `${a} ${b}=${key[a]}`);
    expect(notColliding).toEqual([]);
    expect(colliding).toEqual([]);
    expect(key).toMatchObject({ Philippe: "FILIP", Thomas: "TOMA", Christophe: "KRISTOF", Laurent: "LORAN", Schmitt: "XMI" });
  });

  it("is idempotent on match keys (phonetic(matchKey(x)) = phonetic(x))", async () => {
    const inputs = ["Jean-Pierre D'Hérouville", "Mme Hélène de la Tour", "JP"];
    const direct = await duck.map(inputs, name.phonetic);
    const viaKey = await duck.map(inputs, (c) => name.phonetic(name.matchKey(c)));
    expect(viaKey).toEqual(direct);
    const canonViaKey = await duck.map(inputs, (c) => name.canonicalFirstName(name.matchKey(c)));
    expect(canonViaKey).toEqual(await duck.map(inputs, name.canonicalFirstName));
  });
});

describe("addresses", () => {
  it("normalises street lines: abbreviations, accents, punctuation, bis/ter", async () => {
    const groups: string[][] = [
      ["12B, Av. du Gal de Gaulle", "12 bis avenue du Général de Gaulle", "12bis AVENUE DU GENERAL DE GAULLE", "12 b ave du gal de gaulle"],
      ["3 bd St-Michel", "3, Boulevard Saint Michel", "3 BLVD ST MICHEL", "3 boul. saint-michel"],
      ["7 ter r. de la Paix", "7t rue de la paix", "7 TER, RUE DE LA PAIX"],
      ["15 all. des Tilleuls", "15 allée des tilleuls"],
      ["4 imp. du Moulin", "4 impasse du moulin"],
      ["45 fbg St-Honoré", "45 faubourg saint honoré", "45 Fg St Honore"],
      ["n° 5 ch. des Vignes", "5 chemin des vignes", "5 chem des vignes"],
      ["9 pl. de l'Église", "9 place de l eglise"],
      ["2 rte de Lyon", "2 route de lyon"],
      ["1 quater sq. Ste-Anne", "1q square sainte anne"],
    ];
    const all = groups.flat();
    const out = await table(all, address.line);
    for (const g of groups) expect(new Set(g.map((x) => out[x])), g.join(" | ")).toHaveProperty("size", 1);
    expect(out["12B, Av. du Gal de Gaulle"]).toBe("12 bis avenue du general de gaulle");
    expect(out["3 bd St-Michel"]).toBe("3 boulevard saint michel");
    expect(out["7t rue de la paix"]).toBe("7 ter rue de la paix");
    expect(out["1q square sainte anne"]).toBe("1 quater square sainte anne");
    const other = await table(["10 Downing Street", "Bât. B, esc. 2, appt 12", "", null], address.line);
    expect(other).toEqual({ "10 Downing Street": "10 downing street", "Bât. B, esc. 2, appt 12": "batiment b escalier 2 appartement 12", "": null, null: null });
  });

  it("normalises postcodes by country", async () => {
    const fr = await table(["75001", "75 001", "F-75001", "7500", "1000", "01000", "00123", "123456", "75001 PARIS", "2A004", "", null], (c) => address.postcode(c));
    expect(fr).toEqual({
      "75001": "75001", "75 001": "75001", "F-75001": "75001", "7500": "07500", "1000": "01000", "01000": "01000",
      "00123": null, "123456": null, "75001 PARIS": null, "2A004": null, "": null, null: null,
    });
    const t = await duck.table(["sw1a1aa", "1234 ab", "1000001", "h2x1y4", "12345-6789", "L-1234", "1000", "8001", "tokyo 100", "75001"]);
    const rows = await duck.query(
      `SELECT ${address.postcode("v", "c")} AS p FROM ${t} JOIN (VALUES (0,'GB'),(1,'NL'),(2,'PT'),(3,'CA'),(4,'US'),(5,'LU'),(6,'BE'),(7,'CH'),(8,'JP'),(9,'fr')) AS x(id, c) USING (id) ORDER BY id`,
    );
    expect(rows.map((r) => r.p)).toEqual(["SW1A 1AA", "1234AB", "1000-001", "H2X 1Y4", "12345", "1234", "1000", "8001", "TOKYO100", "75001"]);
    const [be] = await duck.query(`SELECT ${address.postcode("'B-1000'", "BE")} AS a, ${address.postcode("'75001'", "BE")} AS b, ${address.postcode("CAST(1000 AS INTEGER)", "'fr'")} AS c`);
    expect(be).toEqual({ a: "1000", b: null, c: "01000" });
  });

  it("normalises cities: accents, saint/sainte, cedex, arrondissements", async () => {
    const out = await table(
      ["ST-ÉTIENNE CEDEX 2", "Saint Etienne", "saint-étienne", "PARIS CEDEX 07", "Paris 16e", "Paris", "Lyon 3ème", "LYON", "Ste-Foy-lès-Lyon", "75001 Paris", "L'Haÿ-les-Roses", "", null],
      address.city,
    );
    expect(out).toEqual({
      "ST-ÉTIENNE CEDEX 2": "saint etienne", "Saint Etienne": "saint etienne", "saint-étienne": "saint etienne",
      "PARIS CEDEX 07": "paris", "Paris 16e": "paris", Paris: "paris", "Lyon 3ème": "lyon", LYON: "lyon",
      "Ste-Foy-lès-Lyon": "sainte foy les lyon", "75001 Paris": "paris", "L'Haÿ-les-Roses": "l hay les roses", "": null, null: null,
    });
  });
});

describe("dates", () => {
  const iso = (f: (c: string) => string) => (c: string) => `CAST(${f(c)} AS VARCHAR)`;

  it("parses every documented format to the same DATE", async () => {
    const inputs = ["1984-03-05", "1984/03/05", "1984.03.05", "1984-3-5", "05/03/1984", "5/3/1984", "05-03-1984", "05.03.1984", "19840305",
      "1984-03-05T10:30:00Z", "1984-03-05T10:30:00+02:00", "1984-03-05 10:30:00.123", "05/03/1984 10:30", " 05/03/1984 "];
    expect(new Set(await duck.map(inputs, iso(dates.parse)))).toEqual(new Set(["1984-03-05"]));
    const [typed] = await duck.query(`SELECT ${iso(dates.parse)("DATE '2020-01-31'")} AS d, ${iso(dates.parse)("TIMESTAMP '2020-01-31 23:59:00'")} AS ts`);
    expect(typed).toEqual({ d: "2020-01-31", ts: "2020-01-31" });
  });

  it("rejects impossible and unparseable dates with a reason, never rolling them over", async () => {
    const cases: Array<[string | null, string | null, string | null]> = [
      // input, parse(), invalidReason() (birth range)
      ["31/02/1984", null, "impossible date"],
      ["30/02/2000", null, "impossible date"],
      ["29/02/1985", null, "impossible date"],
      ["29/02/1900", null, "impossible date"], // 1900 is not a leap year (century rule)
      ["29/02/1984", "1984-02-29", null],
      ["29/02/2000", "2000-02-29", null],
      ["31/04/1984", null, "impossible date"],
      ["1984-13-01", null, "impossible date"],
      ["00/01/1984", null, "impossible date"],
      ["32/01/1984", null, "impossible date"],
      ["19841305", null, "impossible date"],
      ["05/03/84", null, "unparseable"],
      ["1984-03", null, "unparseable"],
      ["hier", null, "unparseable"],
      ["03/05/1984/1", null, "unparseable"],
      ["", null, null],
      [null, null, null],
      ["1850-06-01", "1850-06-01", "out of range"],
      ["2999-01-01", "2999-01-01", "out of range"],
      ["0999-01-01", null, "out of range"],
    ];
    const rows = await duck.eval(cases.map((c) => c[0]), { p: iso(dates.parse), r: (c) => dates.invalidReason(c) });
    expect(rows.map((r) => [r.v, r.p, r.r])).toEqual(cases);
  });

  it("restricts birth dates to 1900-01-01 … today", async () => {
    const rows = await duck.eval(["1899-12-31", "1900-01-01", "2001-09-11", "2999-01-01", "31/02/1990"], {
      b: iso(dates.parseBirthDate), r: dates.birthDateInvalidReason, any: (c) => dates.invalidReason(c, "any"),
    });
    expect(rows.map((r) => [r.b, r.r, r.any])).toEqual([
      [null, "out of range", null], ["1900-01-01", null, null], ["2001-09-11", null, null], [null, "out of range", null], [null, "impossible date", "impossible date"],
    ]);
    const [today] = await duck.query(`SELECT ${dates.parseBirthDate("CAST(CURRENT_DATE AS VARCHAR)")} = CURRENT_DATE AS ok, ${dates.parseBirthDate("CAST(CURRENT_DATE + 1 AS VARCHAR)")} AS tomorrow`);
    expect(today).toEqual({ ok: true, tomorrow: null });
    expect(() => dates.invalidReason("v", "future")).toThrow(/range must be/);
  });
});

describe("engine-aware SQL text", () => {
  const text = (engine: string) => loadInclude<{ rx(e: string, p: string, r: string): string; matches(e: string, p: string): string; str(s: string): string }>("sql_text.js", { rcu_engine: engine });

  it("renders global regex replacement, matching and literals per engine", () => {
    expect(text("duckdb").rx("x", "a(b)", "\\1")).toBe("regexp_replace(x, 'a(b)', '\\1', 'g')");
    expect(text("postgres").rx("x", "a", "b")).toBe("regexp_replace(x, 'a', 'b', 'g')");
    expect(text("snowflake").rx("x", "a(b)", "\\1")).toBe("regexp_replace(x, 'a(b)', '\\\\1')");
    expect(text("redshift").rx("x", "a", "b")).toBe("regexp_replace(x, 'a', 'b')");
    expect(text("duckdb").matches("x", "^a$")).toBe("regexp_matches(x, '^a$')");
    expect(text("postgres").matches("x", "^a$")).toBe("(x ~ '^a$')");
    expect(text("snowflake").matches("x", "a")).toBe("regexp_like(x, '.*(a).*', 's')");
    expect(text("duckdb").str("o'neil")).toBe("'o''neil'");
  });

  it("renders the helpers for every engine without errors (display uses INITCAP outside DuckDB)", () => {
    for (const engine of ["duckdb", "postgres", "snowflake", "redshift"]) {
      const vars = { rcu_engine: engine };
      const n = loadInclude<NameHelpers>("person_name.js", vars);
      const p = loadInclude<{ e164(e: string, c?: string): string }>("phone.js", vars);
      const d = loadInclude<DateHelpers>("dates.js", vars);
      expect(n.display("v").toLowerCase().includes("initcap(")).toBe(engine !== "duckdb");
      expect(p.e164("v", "country").length).toBeGreaterThan(100);
      expect(d.parse("v")).toContain(engine === "snowflake" ? "date_from_parts" : engine === "redshift" ? "AS DATE" : "make_date");
    }
  });
});
