/**
 * Each documented dirt rate, measured back from the generated files (joined to the canonical
 * person through the ground truth) on 20k people. Tolerances are absolute and a few standard
 * errors wide, plus slack where other dirt can mask or mimic the one measured.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRT } from "../../sample/config.js";
import { OCR_CONFUSIONS } from "../../sample/dirt.js";
import { STREET_TYPES } from "../../sample/data/places.js";
import { DOMAIN_TYPOS } from "../../sample/data/places.js";
import { indexOfEntity, person, stripAccents, type Person } from "../../sample/person.js";
import { fold, loadRecords, makeEstate, readCsv, type PersonRecord } from "./estate.js";

const SEED = 20_000;
const PEOPLE = 20_000;
let dir: string;
let cleanup: () => Promise<void>;
let records: PersonRecord[];
const canon = new Map<string, Person>();
const P = (r: PersonRecord): Person => {
  let p = canon.get(r.entity);
  if (!p) canon.set(r.entity, (p = person(SEED, indexOfEntity(r.entity))));
  return p;
};

beforeAll(async () => {
  const e = await makeEstate(PEOPLE, SEED);
  dir = e.dir;
  cleanup = e.cleanup;
  records = loadRecords(dir).records;
});
afterAll(() => cleanup());

function expectRate(name: string, hits: number, n: number, expected: number, tol: number): void {
  const r = hits / n;
  expect(n, `${name}: sample size`).toBeGreaterThan(200);
  expect(Math.abs(r - expected), `${name}: observed ${r.toFixed(4)} on ${n}, expected ${expected} ± ${tol}`).toBeLessThanOrEqual(tol);
}

const JUNK_VALUES = new Set(["N/A", "-", ".", "inconnu", "XXX", "NA"]);
const named = (): PersonRecord[] => records.filter((r) => r.first !== null && r.last !== null);
const clean = (r: PersonRecord): boolean => !JUNK_VALUES.has(r.first!) && !JUNK_VALUES.has(r.last!);
const isSwapped = (r: PersonRecord, p: Person): boolean =>
  [fold(p.last), fold(p.maiden ?? "-")].includes(fold(r.first!)) && fold(r.last!) === fold(p.first) && fold(p.first) !== fold(p.last);
/** The surname the record uses (current or maiden), when recognisable. */
const lastUsed = (r: PersonRecord, p: Person): string => (p.maiden && fold(r.last!) === fold(p.maiden) ? p.maiden : p.last);

function editDistance1(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, y: string): boolean => x === y;
  if (a.length === b.length) return rest(a.slice(i + 1), b.slice(i + 1)) || (a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a.slice(i + 2), b.slice(i + 2)));
  return a.length > b.length ? rest(a.slice(i + 1), b.slice(i)) : rest(a.slice(i), b.slice(i + 1));
}

describe("dirt rates (20k people, measured from the files)", () => {
  it("names: swapped, upper case, accent loss, compound variants, maiden names, typos, junk", () => {
    let swapped = 0, upper = 0, upperN = 0, junk = 0, n = 0;
    let accentN = 0, accentLost = 0, compoundN = 0, compound = 0, maidenN = 0, maiden = 0, typoN = 0, typo = 0;
    for (const r of named()) {
      const p = P(r);
      n++;
      if (!clean(r)) {
        junk++;
        continue;
      }
      if (isSwapped(r, p)) {
        swapped++;
        continue;
      }
      if (p.first.includes("-")) {
        compoundN++;
        if (stripAccents(r.first!).toLowerCase() !== stripAccents(p.first).toLowerCase()) compound++;
        continue;
      }
      if (p.maiden) {
        maidenN++;
        if (fold(r.last!) === fold(p.maiden)) maiden++;
      }
      const letters = (r.first! + r.last!).replace(/[^\p{L}]/gu, "");
      upperN++;
      if (letters.length > 3 && letters === letters.toUpperCase()) upper++;
      const last = lastUsed(r, p);
      if (r.source !== "stores_loyalty_cards") {
        if (/[À-ÿŒœ]/.test(p.first + last)) {
          accentN++;
          if (!/[À-ÿŒœ]/.test(r.first! + r.last!)) accentLost++;
        }
        typoN++;
        const f1 = stripAccents(r.first!).toLowerCase(), f0 = stripAccents(p.first).toLowerCase();
        const l1 = stripAccents(r.last!).toLowerCase(), l0 = stripAccents(last).toLowerCase();
        if (editDistance1(f1, f0) || editDistance1(l1, l0)) typo++;
      }
    }
    expectRate("swappedNames", swapped, n, DIRT.swappedNames, 0.004);
    expectRate("upperCase", upper, upperN, DIRT.upperCase, 0.012);
    expectRate("junkValue (names)", junk, n, DIRT.junkValue, 0.003);
    expectRate("accentLoss", accentLost, accentN, DIRT.accentLoss, 0.02);
    expectRate("compoundVariant", compound, compoundN, DIRT.compoundVariant, 0.04);
    expectRate("maidenNameUse", maiden, maidenN, DIRT.maidenNameUse, 0.03);
    expectRate("typo", typo, typoN, DIRT.typo, 0.008);
  });

  it("OCR-like errors on loyalty cards (keyed from paper forms)", () => {
    const RULES = OCR_CONFUSIONS;
    let n = 0, hits = 0;
    for (const r of named()) {
      if (r.source !== "stores_loyalty_cards" || !clean(r)) continue;
      const p = P(r);
      if (isSwapped(r, p) || p.first.includes("-")) continue;
      n++;
      const last = lastUsed(r, p);
      const forms = (s: string): string[] => [s, stripAccents(s), s.toUpperCase(), stripAccents(s).toUpperCase()];
      const ocrOf = (orig: string, got: string): boolean => !forms(orig).includes(got) && RULES.some(([re, to]) => re.test(orig) && forms(orig.replace(re, to)).includes(got));
      if ((ocrOf(p.first, r.first!) && forms(last).includes(r.last!)) || (ocrOf(last, r.last!) && forms(p.first).includes(r.first!))) hits++;
    }
    // An OCR slip is sometimes masked by a later typo or junk value, hence the low side.
    expectRate("ocr", hits, n, DIRT.ocr * 0.95, 0.012);
  });

  it("phones: formats, missing, junk", () => {
    const FORMATS: Record<keyof typeof DIRT.phoneFormats, RegExp> = {
      spaced: /^0[1-9]( \d\d){4}$/, compact: /^0[1-9]\d{8}$/, plus33: /^\+33[1-9]\d{8}$/, zero033: /^0033 [1-9]( \d\d){4}$/,
      dotted: /^0[1-9](\.\d\d){4}$/, missingZero: /^[1-9]\d{8}$/,
    };
    const JUNK = new Set(["0000000000", "0600000000", "0123456789", "9999999999", "00", "0612345678"]);
    const counts: Record<string, number> = {};
    let n = 0, missing = 0, junk = 0, formatted = 0;
    for (const r of records) {
      if (r.phone === null || r.source === "contact_centre_tickets") continue;
      n++;
      if (r.phone === "") {
        missing++;
        continue;
      }
      const p = P(r);
      const nine = r.phone.replace(/\D/g, "").slice(-9);
      if (![p.mobile, p.sharedPhone].some((x) => x && x.slice(1) === nine)) {
        if (JUNK.has(r.phone)) junk++;
        continue;
      }
      formatted++;
      for (const [k, re] of Object.entries(FORMATS)) if (re.test(r.phone)) counts[k] = (counts[k] ?? 0) + 1;
    }
    expectRate("missingPhone", missing, n, DIRT.missingPhone, 0.01);
    expectRate("junkPhone", junk, n, DIRT.junkPhone * (1 - DIRT.missingPhone), 0.003);
    for (const [k, w] of Object.entries(DIRT.phoneFormats)) expectRate(`phone ${k}`, counts[k] ?? 0, formatted, w, 0.012);
    // Agents' typing noise on tickets.
    const tickets = records.filter((r) => r.source === "contact_centre_tickets" && r.phone);
    const noisy = tickets.filter((r) => /-|\((portable|fixe)\)$|^\d{3} \d{3} \d+$/.test(r.phone!)).length;
    expectRate("agentPhoneNoise", noisy, tickets.length, DIRT.agentPhoneNoise, 0.05);
  });

  it("emails: missing, junk, case, gmail dots, +tags, domain typos, old addresses", () => {
    const JUNK = new Set(["test@test.com", "a@a.fr", "noemail@noemail.com", "pasdemail@gmail.com", "xxx@xxx.xx", "client@magasin.fr"]);
    const TYPO_DOMAINS = new Set(Object.values(DOMAIN_TYPOS).flat());
    let optN = 0, missing = 0, n = 0, junk = 0, cased = 0, tag = 0, typo = 0, gmailN = 0, dots = 0, oldN = 0, old = 0;
    for (const r of records) {
      if (r.email === null || r.source === "contact_centre_tickets") continue;
      const optional = r.source === "crm_contacts" || r.source === "stores_loyalty_cards";
      if (optional) optN++;
      if (r.email === "") {
        missing++;
        continue;
      }
      n++;
      if (JUNK.has(r.email)) {
        junk++;
        continue;
      }
      const p = P(r);
      const e = r.email.toLowerCase();
      if (e !== r.email) cased++;
      if (e.includes("+")) tag++;
      const [local, domain] = e.split("@") as [string, string];
      if (TYPO_DOMAINS.has(domain)) typo++;
      const base = local.replace(/\+.*/, "");
      const source = [p.email, p.oldEmail].find((x) => x && x.split("@")[0]!.replace(/\./g, "") === base.replace(/\./g, ""));
      if (source?.endsWith("@gmail.com") && domain === "gmail.com") {
        gmailN++;
        if (source.split("@")[0] !== base) dots++;
      }
      if (p.oldEmail && p.oldEmail !== p.email) {
        oldN++;
        if (source === p.oldEmail) old++;
      }
    }
    expectRate("missingEmail", missing, optN, DIRT.missingEmail, 0.01);
    expectRate("junkEmail", junk, n, DIRT.junkEmail, 0.003);
    expectRate("emailCase", cased, n, DIRT.emailCase, 0.006);
    expectRate("plusTag", tag, n, DIRT.plusTag, 0.005);
    expectRate("domainTypo", typo, n, DIRT.domainTypo, 0.003);
    expectRate("gmailDots", dots, gmailN, DIRT.gmailDots, 0.03);
    expectRate("old email kept", old, oldN, DIRT.oldValueUse, 0.05);
    // Share of persons who changed email, from the files: persons whose records show two mailboxes.
    expectRate("emailChanged (persons)", new Set(records.filter((r) => P(r).oldEmail).map((r) => r.entity)).size, new Set(records.map((r) => r.entity)).size, DIRT.emailChanged, 0.02);
  });

  it("addresses: abbreviations, bis/ter, postcode typos, missing, movers", () => {
    const FULL = new Set(STREET_TYPES.map((t) => t[0]));
    let n = 0, missing = 0, abbrev = 0, bis = 0, pcTypo = 0, moverN = 0, oldUsed = 0;
    for (const r of records) {
      if (r.street === null || r.source === "email_subscribers") continue;
      n++;
      if (r.street === "") {
        missing++;
        continue;
      }
      const p = P(r);
      const m = /^(\d+)( ?(?:bis|ter|BIS|TER|B|T))? (\S+) /.exec(r.street);
      if (!m) continue;
      if (!FULL.has(m[3]!)) abbrev++;
      if (m[2]) bis++;
      const isOld = p.oldAddress !== null && Number(m[1]) === p.oldAddress.number && r.street.endsWith(p.oldAddress.street) && r.street !== "";
      const a = isOld ? p.oldAddress! : p.address;
      if (r.postcode !== a.postcode) pcTypo++;
      if (p.oldAddress && r.source !== "eshop_customers") {
        moverN++;
        if (isOld) oldUsed++;
      }
    }
    const present = n - missing;
    expectRate("missingAddress", missing, n, DIRT.missingAddress, 0.008);
    expectRate("addressAbbrev", abbrev, present, DIRT.addressAbbrev, 0.015);
    expectRate("bisTer", bis, present, DIRT.bisTer, 0.01);
    expectRate("postcodeTypo", pcTypo, present, DIRT.postcodeTypo, 0.003);
    expectRate("old address kept (CRM, loyalty)", oldUsed, moverN, DIRT.oldValueUse, 0.06);
    const persons = new Set(records.map((r) => r.entity));
    expectRate("moved (persons)", [...persons].filter((e) => person(SEED, indexOfEntity(e)).oldAddress).length, persons.size, DIRT.moved, 0.012);
  });

  it("households: share of person pairs living at one address, sharing an email or a phone", () => {
    const addrs = new Map<string, Set<string>>();
    const mails = new Map<string, Set<string>>();
    const phones = new Map<string, Set<string>>();
    for (const r of records) {
      const nine = (r.phone ?? "").replace(/\D/g, "").slice(-9);
      if (nine.length === 9 && !/^(000000000|600000000|123456789|999999999|612345678)$/.test(nine)) {
        const s = phones.get(r.entity) ?? new Set();
        s.add(nine);
        phones.set(r.entity, s);
      }
      if (r.street) {
        const m = /^(\d+)\S*(?: (?:bis|ter|BIS|TER|B|T))? \S+ (.*)$/.exec(r.street);
        if (m) {
          const s = addrs.get(r.entity) ?? new Set();
          s.add(`${m[1]}|${fold(m[2]!)}`);
          addrs.set(r.entity, s);
        }
      }
      if (r.email) {
        const s = mails.get(r.entity) ?? new Set();
        s.add(r.email.toLowerCase());
        mails.set(r.entity, s);
      }
    }
    let pairs = 0, together = 0, mailPairs = 0, sharedMail = 0, phonePairs = 0, sharedPhone = 0;
    const id = (i: number): string => "P" + String(i + 1).padStart(8, "0");
    for (let i = 0; i + 1 < PEOPLE; i += 2) {
      const a = addrs.get(id(i)), b = addrs.get(id(i + 1));
      if (a && b) {
        pairs++;
        if ([...a].some((x) => b.has(x))) together++;
      }
      const pa = phones.get(id(i)), pb = phones.get(id(i + 1));
      if (pa && pb && a && b && [...a].some((x) => b.has(x))) {
        phonePairs++;
        if ([...pa].some((x) => pb.has(x))) sharedPhone++;
      }
      const ma = mails.get(id(i)), mb = mails.get(id(i + 1));
      if (ma && mb && a && b && [...a].some((x) => b.has(x))) {
        mailPairs++;
        if ([...ma].some((x) => mb.has(x) && !/test@test|a@a\.fr|noemail|pasdemail|xxx@|client@magasin/.test(x))) sharedMail++;
      }
    }
    expectRate("household", together, pairs, DIRT.household, 0.02);
    // Seen from the files, a shared mailbox shows only when both members' records carry it.
    expect(sharedMail / mailPairs).toBeGreaterThan(DIRT.householdSharedEmail * 0.5);
    expect(sharedMail / mailPairs).toBeLessThan(DIRT.householdSharedEmail + 0.05);
    // Same for the shared landline (used on 70 % of the members' records).
    expect(sharedPhone / phonePairs).toBeGreaterThan(DIRT.householdSharedPhone * 0.5);
    expect(sharedPhone / phonePairs).toBeLessThan(DIRT.householdSharedPhone + 0.05);
  });

  it("devices seeing two accounts: a person's second e-shop account, a household's tablet", () => {
    const entityOf = new Map<string, string>();
    for (const r of records) if (r.source === "eshop_customers") entityOf.set(r.id, r.entity);
    const accountsOn = new Map<string, Set<string>>();
    for (const line of readFileSync(path.join(dir, "web/events.jsonl"), "utf8").split("\n")) {
      if (!line.includes('"login"')) continue;
      let e: { device_id?: string; customer_id?: number };
      try { e = JSON.parse(line) as typeof e; } catch { continue; } // the malformed rows
      if (!e.device_id || e.customer_id === undefined) continue;
      const s = accountsOn.get(e.device_id) ?? new Set();
      s.add(String(e.customer_id));
      accountsOn.set(e.device_id, s);
    }
    const samePerson = new Set<string>();
    const loggedIn = new Set<string>();
    let households = 0;
    for (const accounts of accountsOn.values()) {
      const people = [...new Set([...accounts].map((a) => entityOf.get(a)).filter((x): x is string => x !== undefined))];
      for (const p of people) loggedIn.add(p);
      if (people.length === 1 && accounts.size > 1) samePerson.add(people[0]!);
      if (people.length > 1) {
        // Two people on one device are the two members of a household living together.
        expect(people).toHaveLength(2);
        const [a, b] = people.map((x) => person(SEED, indexOfEntity(x)));
        expect(a!.household, `${a!.entityId} and ${b!.entityId} on one device`).not.toBeNull();
        expect(a!.household).toBe(b!.household);
        households++;
      }
    }
    const twoAccounts = [...loggedIn].filter((e) => records.filter((r) => r.source === "eshop_customers" && r.entity === e).length === 2);
    expectRate("secondAccountSameDevice", twoAccounts.filter((e) => samePerson.has(e)).length, twoAccounts.length, DIRT.secondAccountSameDevice, 0.1);
    // Households together (20 % of pairs) with a tablet (30 %), both members logging in (≈ 0.55 × 0.7 each).
    const expected = (PEOPLE / 2) * DIRT.household * DIRT.householdTablet * (0.55 * 0.7) ** 2;
    expect(households).toBeGreaterThan(expected * 0.5);
    expect(households).toBeLessThan(expected * 1.6);
  });

  it("within-source duplicates and missing birth dates", () => {
    const perEntity = (source: string): number[] => {
      const m = new Map<string, number>();
      for (const r of records) if (r.source === source) m.set(r.entity, (m.get(r.entity) ?? 0) + 1);
      return [...m.values()];
    };
    const dup = (source: string): [number, number] => {
      const v = perEntity(source);
      return [v.filter((x) => x > 1).length, v.length];
    };
    expectRate("crmDuplicate", ...dup("crm_contacts"), DIRT.crmDuplicate, 0.01);
    expectRate("eshopSecondAccount", ...dup("eshop_customers"), DIRT.eshopSecondAccount, 0.008);
    expectRate("storesSecondCard", ...dup("stores_loyalty_cards"), DIRT.storesSecondCard, 0.008);
    const crm = readCsv(path.join(dir, "crm/contacts.csv"), ";", "latin1");
    const col = crm.header.indexOf("date_naissance");
    expectRate("missingBirthDate (CRM)", crm.rows.filter((r) => r[col] === "").length, crm.rows.length, DIRT.missingBirthDate, 0.02);
    expect(readFileSync(path.join(dir, "manifest.json"), "utf8")).toContain('"typo"');
  });
});
