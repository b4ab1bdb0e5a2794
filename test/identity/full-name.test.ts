/**
 * person_name.splitFullName on real DuckDB: a name typed in one field (a contact centre's
 * "customer_name") split into first and last name, case and accents kept for display.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

const name = load<{ splitFullName(e: string): { first: string; last: string } }>("person_name.js");
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
});
