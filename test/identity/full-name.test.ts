/**
 * person_name.splitFullName on real DuckDB: a name typed in one field (a contact centre's
 * "customer_name") split into first and last name, case and accents kept for display; and the
 * gender a title states (genderOfTitle), for a title field or a full name's leading honorific.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

const name = load<{ splitFullName(e: string): { first: string; last: string; title: string }; genderOfTitle(e: string): string }>("person_name.js");
const duck = new Duck();
beforeAll(() => duck.open());
afterAll(() => duck.close());

describe("splitFullName", () => {
  it("splits on honorifics, capitals, particles, and otherwise the first word", async () => {
    const cases: Array<[string | null, string | null, string | null]> = [
      // input, first, last
      ["Jean Dupont", "Jean", "Dupont"],
      ["  Jean   Dupont ", "Jean", "Dupont"],
      ["Anne Sophie Garnier", "Anne", "Sophie Garnier"], // ambiguous: the first word, as documented
      ["Dupont", null, "Dupont"],
      ["Mme Dupont", null, "Dupont"],
      ["M. Le Gall", null, "Le Gall"],
      ["monsieur Jean Dupont", null, "Jean Dupont"], // after an honorific, all is the last name
      ["DUPONT Hélène", "Hélène", "DUPONT"],
      ["Hélène DUPONT", "Hélène", "DUPONT"],
      ["LE GALL Hervé", "Hervé", "LE GALL"],
      ["Hervé LE GALL", "Hervé", "LE GALL"],
      ["Anne-Sophie GARNIER", "Anne-Sophie", "GARNIER"],
      ["JEAN-PIERRE DUPONT", "JEAN-PIERRE", "DUPONT"], // all in capitals: no clue, the first word
      ["Le Gall Hervé", "Hervé", "Le Gall"],
      ["da Silva Maxime", "Maxime", "da Silva"],
      ["de la Fontaine Jean", "Jean", "de la Fontaine"],
      ["Le Roux", "Le", "Roux"], // two words: a particle alone is no surname
      ["Hervé Le Gall", "Hervé", "Le Gall"],
      ["", null, null],
      [null, null, null],
    ];
    const rows = await duck.eval(cases.map((c) => c[0]), { first: (c) => name.splitFullName(c).first, last: (c) => name.splitFullName(c).last });
    expect(rows.map((r) => [r.v, r.first, r.last])).toEqual(cases);
  });

  it("keeps a leading honorific as the title, and reads the gender it states", async () => {
    const cases: Array<[string | null, string | null, string | null]> = [
      // input, title, gender of the title
      ["Mme Dupont", "Mme", "F"],
      ["M. Le Gall", "M.", "M"],
      ["M Charles", "M", "M"],
      ["monsieur Jean Dupont", "monsieur", "M"],
      ["MADAME Martin", "MADAME", "F"],
      ["Mlle Roux", "Mlle", "F"],
      ["Mrs. Smith", "Mrs.", "F"],
      ["Dr Dupont", "Dr", null], // a title stating no gender
      ["Madame", null, null], // one word: a last name, not a title
      ["Jean Dupont", null, null],
      ["M-H Dupont", null, null], // Marie-Hélène's initials, not Monsieur
      [null, null, null],
    ];
    const split = await duck.eval(cases.map((c) => c[0]), { title: (c) => name.splitFullName(c).title });
    const titles = split.map((r) => r.title as string | null);
    const genders = await duck.map(titles, (c) => name.genderOfTitle(c));
    expect(split.map((r, i) => [r.v, r.title, genders[i]])).toEqual(cases);
  });

  it("reads the gender of a title field however it is typed", async () => {
    const inputs = ["Mme", "MME", "Mme.", "Madame", "Mlle", "Melle", "Ms", "M.", "M", "Mr", "MR.", "Monsieur", " m. ", "Dr", "Me", "Pr", "", "X", null];
    const out = await duck.map(inputs, (c) => name.genderOfTitle(c));
    expect(Object.fromEntries(inputs.map((v, i) => [String(v), out[i]]))).toEqual({
      Mme: "F", MME: "F", "Mme.": "F", Madame: "F", Mlle: "F", Melle: "F", Ms: "F",
      "M.": "M", M: "M", Mr: "M", "MR.": "M", Monsieur: "M", " m. ": "M",
      Dr: null, Me: null, Pr: null, "": null, X: null, null: null,
    });
  });
});
