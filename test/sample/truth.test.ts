import { parsePhoneNumber } from "libphonenumber-js/max";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexOfEntity, person } from "../../sample/person.js";
import { fold, loadRecords, makeEstate, type PersonRecord } from "./estate.js";

const SEED = 7;
const PEOPLE = 8000;
let cleanup: () => Promise<void>;
let records: PersonRecord[];
let truthRows: string[][];

beforeAll(async () => {
  const e = await makeEstate(PEOPLE, SEED);
  cleanup = e.cleanup;
  ({ records, truthRows } = loadRecords(e.dir));
});
afterAll(() => cleanup());

const digits = (s: string | null): string => (s ?? "").replace(/\D/g, "").replace(/^33/, "0").replace(/^0033/, "0").slice(-9);

describe("ground truth", () => {
  it("has the documented header and stable source names", () => {
    expect(new Set(truthRows.map((r) => r[0]))).toEqual(
      new Set(["crm_contacts", "eshop_customers", "email_subscribers", "contact_centre_tickets", "stores_loyalty_cards"]),
    );
  });

  it("maps every valid person-bearing record exactly once, and nothing else", () => {
    const keys = truthRows.map((r) => `${r[0]}/${r[1]}`);
    expect(new Set(keys).size).toBe(keys.length);
    const recordKeys = records.map((r) => `${r.source}/${r.id}`);
    expect(new Set(recordKeys).size).toBe(recordKeys.length);
    expect(new Set(recordKeys)).toEqual(new Set(keys));
    for (const r of records) expect(r.entity, `${r.source}/${r.id}`).toMatch(/^P\d{8}$/);
    for (const row of truthRows) expect(indexOfEntity(row[2]!)).toBeLessThan(PEOPLE);
  });

  it("links records to the person they describe (names/emails/phones mostly agree with the canonical person)", () => {
    let agree = 0;
    let n = 0;
    for (const r of records) {
      const p = person(SEED, indexOfEntity(r.entity));
      n++;
      const names = r.last !== null && [fold(p.last), fold(p.maiden ?? "")].includes(fold(r.last));
      const mail = r.email !== null && r.email !== "" && [p.email, p.oldEmail].some((e) => e && fold(e.split("@")[0]!) === fold(r.email!.split("@")[0]!.replace(/\+.*/, "")));
      const phone = r.phone !== null && r.phone !== "" && [p.mobile, p.sharedPhone].some((x) => x && digits(x) === digits(r.phone));
      if (names || mail || phone) agree++;
    }
    expect(agree / n).toBeGreaterThan(0.97);
  });

  it("contains households: distinct persons sharing an email, a phone, an address", () => {
    const by = (key: (r: PersonRecord) => string | null): number => {
      const m = new Map<string, Set<string>>();
      for (const r of records) {
        const k = key(r);
        if (!k) continue;
        let s = m.get(k);
        if (!s) m.set(k, (s = new Set()));
        s.add(r.entity);
      }
      // Households are pairs (2k, 2k+1): count keys shared by exactly such a pair.
      let pairs = 0;
      for (const s of m.values()) {
        const ids = [...s].map(indexOfEntity).sort((a, b) => a - b);
        if (ids.length === 2 && ids[0]! % 2 === 0 && ids[1] === ids[0]! + 1) pairs++;
      }
      return pairs;
    };
    const junk = /^(test@test\.com|a@a\.fr|noemail@noemail\.com|pasdemail@gmail\.com|xxx@xxx\.xx|client@magasin\.fr)$/;
    expect(by((r) => (r.email && !junk.test(r.email) ? r.email.toLowerCase() : null))).toBeGreaterThan(20);
    expect(by((r) => (r.phone && digits(r.phone).length === 9 && !/^(0{9}|6{1}0{8}|123456789|999999999|612345678)$/.test(digits(r.phone)) ? digits(r.phone) : null))).toBeGreaterThan(20);
    expect(by((r) => (r.street && r.postcode ? `${r.postcode}|${fold(r.street.replace(/^\S+\s+\S+\s+/, ""))}|${r.street.match(/^\d+/)?.[0]}` : null))).toBeGreaterThan(100);
  });

  it("contains homonyms: many distinct persons called Marie Martin", () => {
    const maries = new Set(records.filter((r) => r.first === "Marie" && r.last === "Martin").map((r) => r.entity));
    expect(maries.size).toBeGreaterThanOrEqual(5);
  });

  it("writes valid, unique French phone numbers (checked with libphonenumber-js), in every written format", () => {
    const mobiles = new Set<string>();
    for (let i = 0; i < PEOPLE; i++) {
      const p = person(SEED, i);
      mobiles.add(p.mobile);
      expect(parsePhoneNumber(p.mobile, "FR").getType(), p.mobile).toBe("MOBILE");
      if (p.sharedPhone) expect(parsePhoneNumber(p.sharedPhone, "FR").isValid(), p.sharedPhone).toBe(true);
    }
    expect(mobiles.size).toBe(PEOPLE);
    let checked = 0;
    for (const r of records) {
      if (!r.phone || r.source === "contact_centre_tickets" || /^[1-9]\d{8}$/.test(r.phone)) continue;
      const p = person(SEED, indexOfEntity(r.entity));
      const parsed = parsePhoneNumber(r.phone.replace(/^0033 ?/, "+33"), "FR");
      if ([p.mobile, p.sharedPhone].some((x) => x && x.slice(1) === parsed.nationalNumber)) {
        expect(parsed.isValid(), r.phone).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});
