/**
 * The layered forms used by person_records (dates.birthDateLayers, person_name.*OfKey) give the
 * same values as the nested helpers they replace there (phone.layers: see phone.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load, type DateHelpers, type NameHelpers } from "./harness.js";

const dates = load<DateHelpers>("dates.js");
const names = load<NameHelpers>("person_name.js");
const duck = new Duck();
beforeAll(() => duck.open());
afterAll(() => duck.close());

const iso = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v ?? null);

describe("layered normalisations", () => {
  it("birthDateLayers: the date and the reason of parseBirthDate and birthDateInvalidReason", async () => {
    const inputs = [
      "1984-03-05", "1984/3/5", "05/03/1984", "5.3.1984", "19840305", "1984-03-05T10:30:00Z", "05/03/1984 10:30",
      "31/02/1990", "29/02/2000", "29/02/1900", "1984-13-01", "00/01/1980", "05/03/84", "1899-12-31", "2999-01-01",
      "", "   ", "hier", " 12 / 03 / 1975 ", null,
    ];
    const nested = await duck.eval(inputs, { d: dates.parseBirthDate, r: dates.birthDateInvalidReason });
    const layered = await duck.evalLayers(inputs, dates.birthDateLayers("v", "birth_"));
    expect(layered.map((r) => [iso(r.birth_date), r.birth_date_invalid_reason ?? null])).toEqual(nested.map((r) => [iso(r.d), r.r ?? null]));
    // Not vacuous: valid, impossible and unparseable inputs are all there.
    expect(new Set(nested.map((r) => r.r))).toEqual(new Set([null, "impossible date", "unparseable", "out of range"]));
  });

  it("phoneticOfKey and canonicalFirstNameOfKey on a match key equal phonetic and canonicalFirstName on the raw name", async () => {
    const inputs = ["Jean-Pierre", "JP", "j.-p.", "Philippe", "Filipe", "Hélène", "Mme Françoise", "Lefebvre", "Lefèvre", "jeanpierre", "Œdipe", "", null];
    const nested = await duck.eval(inputs, { p: names.phonetic, c: names.canonicalFirstName });
    const keyed = await duck.evalLayers(inputs, [[["k", names.matchKey("v")]], [["p", names.phoneticOfKey("k")], ["c", names.canonicalFirstNameOfKey("k")]]]);
    expect(keyed.map((r) => [r.p ?? null, r.c ?? null])).toEqual(nested.map((r) => [r.p ?? null, r.c ?? null]));
    expect(keyed.find((r) => r.v === "JP")!.c).toBe("jean pierre");
  });
});
