/**
 * includes/phone.js on real DuckDB, checked against libphonenumber-js on 5,000 seeded inputs in
 * the formats found in French customer files (national, +33, 0033, +33 (0), missing leading zero,
 * separators), foreign numbers of the supported countries, numbers of unsupported countries and
 * junk. Agreement is measured on the inputs libphonenumber says are valid; inputs it says are
 * invalid must never get an E.164 from us.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { parsePhoneNumberFromString as parseWithTypes } from "libphonenumber-js/max";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load, type PhoneHelpers } from "./harness.js";

const phone = load<PhoneHelpers>("phone.js");
const duck = new Duck();
beforeAll(() => duck.open());
afterAll(() => duck.close());

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

type Kind = "fr" | "foreign" | "unsupported" | "junk" | "random";
interface Sample {
  readonly input: string;
  readonly kind: Kind;
}

/** Seeded generator of phone inputs in varied formats. */
export function generatePhones(n: number, seed: number): Sample[] {
  const rnd = seeded(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const digits = (k: number) => Array.from({ length: k }, () => String(int(10))).join("");
  const pairs = (s: string, sep: string) => (s.match(/.{1,2}/g) ?? []).join(sep);
  const frNsn = () => pick(["6", "7", "1", "2", "3", "4", "5", "9", "8"]) + digits(8);
  const frFormats: Array<(nsn: string) => string> = [
    (x) => `0${x}`,
    (x) => `0${pairs(x.slice(1), " ").replace(/^/, x[0]! + " ")}`.replace(/^0(\d) /, "0$1"),
    (x) => pairs(`0${x}`, " "),
    (x) => pairs(`0${x}`, "."),
    (x) => pairs(`0${x}`, "-"),
    (x) => pairs(`0${x}`, "/"),
    (x) => `+33${x}`,
    (x) => `+33 ${x[0]} ${pairs(x.slice(1), " ")}`,
    (x) => `+33 (0)${x[0]} ${pairs(x.slice(1), " ")}`,
    (x) => `+33(0)${x}`,
    (x) => `0033${x}`,
    (x) => `0033 ${x[0]} ${pairs(x.slice(1), " ")}`,
    (x) => `0033 (0)${x}`,
    (x) => `+33 0${x}`,
    (x) => x, // missing leading zero
    (x) => `33${x}`,
    (x) => `(0${x[0]}) ${pairs(x.slice(1), "-")}`,
    (x) => `(+33) ${x[0]} ${pairs(x.slice(1), " ")}`,
    (x) => `  ${pairs(`0${x}`, "\u00a0")}  `,
    (x) => `+ 33 ${x}`,
  ];
  const foreign: Array<() => string> = [
    () => `+32 4${pick(["5", "6", "7", "8", "9"])}${digits(1)} ${digits(2)} ${digits(2)} ${digits(2)}`, // BE mobile
    () => `0032 2 ${digits(3)} ${digits(2)} ${digits(2)}`, // BE Brussels
    () => `+41 7${pick(["5", "6", "7", "8", "9"])} ${digits(3)} ${digits(2)} ${digits(2)}`, // CH mobile
    () => `+41 22 ${digits(3)} ${digits(2)} ${digits(2)}`, // CH Geneva
    () => `+352 6${pick(["21", "28", "61", "91"])} ${digits(3)} ${digits(3)}`, // LU mobile
    () => `+49 1${pick(["51", "52", "60", "62", "70", "71", "76"])} ${digits(8)}`, // DE mobile
    () => `+49 30 ${digits(8)}`, // DE Berlin
    () => `+34 6${digits(2)} ${digits(3)} ${digits(3)}`, // ES mobile
    () => `+34 91 ${digits(3)} ${digits(2)} ${digits(2)}`, // ES Madrid
    () => `+39 3${pick(["20", "28", "33", "35", "40", "47", "66", "88", "93"])} ${digits(3)} ${digits(4)}`, // IT mobile
    () => `+39 06 ${digits(4)} ${digits(4)}`, // IT Rome
    () => `+44 7${pick(["4", "5", "7", "8", "9"])}${digits(2)} ${digits(6)}`, // GB mobile
    () => `+44 20 ${digits(4)} ${digits(4)}`, // GB London
    () => `+351 9${pick(["1", "2", "3", "6"])}${digits(1)} ${digits(3)} ${digits(3)}`, // PT mobile
    () => `+31 6 ${digits(8)}`, // NL mobile
    () => `+377 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`, // MC mobile
    () => `+377 9${pick(["2", "3", "7", "8", "9"])} ${digits(2)} ${digits(2)} ${digits(2)}`, // MC fixed
    () => `+1 (${pick(["212", "415", "514", "416", "617", "312"])}) ${pick(["2", "3", "4", "5", "6", "7", "8", "9"])}${digits(2)}-${digits(4)}`, // US/CA
    () => `+212 6${digits(8)}`, // MA mobile
    () => `+262 692 ${digits(2)} ${digits(2)} ${digits(2)}`, // RE mobile
    () => `+590 690 ${digits(2)} ${digits(2)} ${digits(2)}`, // GP mobile
  ];
  const unsupported: Array<() => string> = [
    () => `+81 3 ${digits(4)} ${digits(4)}`, // JP
    () => `+86 139 ${digits(4)} ${digits(4)}`, // CN
    () => `+43 664 ${digits(7)}`, // AT
    () => `+48 ${pick(["50", "51", "60", "69", "72", "78", "88"])}${digits(1)} ${digits(3)} ${digits(3)}`, // PL
  ];
  const junk: Array<() => string> = [
    () => "0000000000",
    () => `0${pick(["6", "7", "1"])}00000000`,
    () => `0${int(10)}`.repeat(5),
    () => String(int(10)).repeat(10),
    () => "0612345678",
    () => "0123456789",
    () => digits(1 + int(5)),
    () => `0${frNsn()}${digits(1 + int(3))}`, // too long
    () => `0${frNsn().slice(0, 7 + int(1))}`, // too short
    () => `06 12 ${pick(["AB", "xx", "O1"])} 56 78`,
    () => pick(["N/A", "-", "inconnu", "néant", "0", "+", "+33", "00", "tel", "?"]),
    () => `06${digits(8)} ext ${digits(2)}`,
    () => `+${digits(2)}+${digits(9)}`,
    () => `06#${digits(8)}`,
    () => `++33${frNsn()}`,
    () => `+0${frNsn()}`,
    () => `0${frNsn()} / 0${frNsn()}`, // two numbers in one field
  ];
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.55) out.push({ input: pick(frFormats)(frNsn()), kind: "fr" });
    else if (r < 0.77) out.push({ input: pick(foreign)(), kind: "foreign" });
    else if (r < 0.8) out.push({ input: pick(unsupported)(), kind: "unsupported" });
    else if (r < 0.9) out.push({ input: pick(junk)(), kind: "junk" });
    else {
      // Random digit strings with random prefixes: the hard cases for both implementations.
      out.push({ input: pick(["", "0", "+", "00", "+33", "0033", "+3", "+4"]) + digits(4 + int(10)), kind: "random" });
    }
  }
  return out;
}

interface Outcome {
  readonly input: string;
  readonly kind: Kind;
  readonly ours: string | null;
  readonly reason: string | null;
  readonly lib: string | null;
}

function libphonenumber(input: string): string | null {
  const p = parsePhoneNumberFromString(input, "FR");
  return p && p.isValid() ? p.number : null;
}

/**
 * Documented, accepted differences (docs/normalisation.md, "phone: known differences"):
 * libphonenumber accepts these inputs, we reject them on purpose.
 */
function documentedRejection(o: Outcome): string | null {
  if (o.reason === "junk number") return "junk (repeated or sequential digits)";
  if (o.reason === "unsupported country code") return "country outside COUNTRIES";
  if (o.reason === "letters") return "letters (extension, words) are never stripped";
  if (o.reason === "invalid characters") return "characters outside digits and separators";
  return null;
}

describe("phone.e164 against libphonenumber-js", () => {
  let outcomes: Outcome[] = [];

  beforeAll(async () => {
    const samples = generatePhones(5_000, 20261129);
    const rows = await duck.eval(
      samples.map((s) => s.input),
      { ours: (c) => phone.e164(c, "FR"), reason: (c) => phone.invalidReason(c, "FR") },
    );
    outcomes = samples.map((s, i) => ({
      input: s.input,
      kind: s.kind,
      ours: (rows[i]!.ours as string | null) ?? null,
      reason: (rows[i]!.reason as string | null) ?? null,
      lib: libphonenumber(s.input),
    }));
  });

  it("agrees with libphonenumber on ≥ 99.5% of the inputs it says are valid", () => {
    const valid = outcomes.filter((o) => o.lib !== null);
    const agree = valid.filter((o) => o.ours === o.lib);
    const undocumented = valid.filter((o) => o.ours !== o.lib && !(o.ours === null && documentedRejection(o)));
    const rate = agree.length / valid.length;
    const rateExcludingDocumented = (valid.length - undocumented.length) / valid.length;
    const byReason = new Map<string, number>();
    for (const o of valid.filter((x) => x.ours !== x.lib)) byReason.set(o.reason ?? "different number", (byReason.get(o.reason ?? "different number") ?? 0) + 1);
    console.log(
      `phone: ${outcomes.length} inputs, ${valid.length} valid per libphonenumber; exact agreement ${agree.length}/${valid.length} = ${(rate * 100).toFixed(2)}%; ` +
        `${(rateExcludingDocumented * 100).toFixed(2)}% counting documented rejections as agreed; disagreements by our reason: ${JSON.stringify(Object.fromEntries(byReason))}`,
    );
    expect(valid.length).toBeGreaterThan(3_500);
    expect(rateExcludingDocumented, JSON.stringify(undocumented.slice(0, 30), null, 1)).toBeGreaterThanOrEqual(0.995);
    // Raw agreement (documented rejections count as disagreements) on the generated numbers of supported countries (not the junk or unsupported-country samples).
    const supported = valid.filter((o) => o.kind === "fr" || o.kind === "foreign" || o.kind === "random");
    const rawSupported = supported.filter((o) => o.ours === o.lib).length / supported.length;
    console.log(`phone: raw agreement on supported-country inputs ${(rawSupported * 100).toFixed(2)}% (${supported.length} inputs); differences: ${JSON.stringify(supported.filter((o) => o.ours !== o.lib).map((o) => [o.input, o.reason]))}`);
    expect(rawSupported).toBeGreaterThanOrEqual(0.995);
  });

  it("never returns a number libphonenumber says is invalid, nor a different number", () => {
    const falsePositives = outcomes.filter((o) => o.ours !== null && o.lib === null);
    const different = outcomes.filter((o) => o.ours !== null && o.lib !== null && o.ours !== o.lib);
    const total = outcomes.filter((o) => o.lib === null).length;
    console.log(`phone: ${total} inputs invalid per libphonenumber, ${falsePositives.length} accepted by us; ${different.length} different numbers`);
    expect(falsePositives, JSON.stringify(falsePositives.slice(0, 30), null, 1)).toEqual([]);
    expect(different, JSON.stringify(different.slice(0, 30), null, 1)).toEqual([]);
  });

  it("phone.layers gives the same number and reason as the nested expressions, on the same inputs", async () => {
    const layered = await duck.evalLayers(outcomes.map((o) => o.input), phone.layers("v", "FR", "phone_"));
    const differ = outcomes.filter((o, i) => (layered[i]!.phone_e164 ?? null) !== o.ours || (layered[i]!.phone_invalid_reason ?? null) !== o.reason);
    expect(layered).toHaveLength(outcomes.length);
    expect(differ.slice(0, 10)).toEqual([]);
  });

  it("gives a reason exactly when it gives no number", () => {
    const bad = outcomes.filter((o) => (o.ours === null) === (o.reason === null));
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

describe("phone helpers: formats, junk and reasons", () => {
  it("normalises the usual French formats to the same E.164", async () => {
    const inputs = [
      "06 71 23 45 89", "0671234589", "06.71.23.45.89", "06-71-23-45-89", "+33 6 71 23 45 89", "+33671234589",
      "0033 6 71 23 45 89", "+33 (0)6 71 23 45 89", "0033 (0)6 71 23 45 89", "671234589", "33671234589",
      "(06) 71-23-45-89", "  06\u00a071\u00a023\u00a045\u00a089 ", "+33 06 71 23 45 89", "06/71/23/45/89",
    ];
    expect(new Set(await duck.map(inputs, (c) => phone.e164(c)))).toEqual(new Set(["+33671234589"]));
  });

  it("rejects junk and malformed numbers with a reason", async () => {
    const cases: Array<[string | null, string | null]> = [
      [null, null],
      ["", "empty"],
      ["   ", "empty"],
      ["06 12 AB 56 78", "letters"],
      ["0671234589 poste 12", "letters"],
      ["06#71234589", "invalid characters"],
      ["++33671234589", "invalid characters"],
      ["0000000000", "junk number"],
      ["0600000000", "junk number"],
      ["06 66 66 66 66", "junk number"],
      ["0612345678", "junk number"],
      ["0123456789", "junk number"],
      ["067123458", "wrong length"],
      ["06712345891", "wrong length"],
      ["12", "wrong length"],
      ["+81 3 1234 5678", "unsupported country code"],
      ["+32 47 12 93", "wrong length"],
      ["+32 1 72 94 48 31", "invalid number"],
      ["+34 312 907 341", "invalid number"],
      ["+34 512 907 341", null],
      ["0671234589", null],
    ];
    const reasons = await duck.map(cases.map((c) => c[0]), (c) => phone.invalidReason(c));
    expect(reasons).toEqual(cases.map((c) => c[1]));
  });

  it("takes the default country from a literal or from a column, per row", async () => {
    const table = await duck.table(["0470 12 34 56", "0470 12 34 56", "079 123 45 67", "(212) 555-0147", "+33 6 71 23 45 89"]);
    const rows = await duck.query(
      `SELECT ${phone.e164("t.v", "c.cc")} AS e, ${phone.invalidReason("t.v", "c.cc")} AS r
         FROM ${table} AS t JOIN (VALUES (0, 'BE'), (1, 'FR'), (2, 'ch'), (3, 'US'), (4, 'ZZ')) AS c(id, cc) USING (id) ORDER BY t.id`,
    );
    expect(rows.map((r) => r.e)).toEqual(["+32470123456", "+33470123456", "+41791234567", "+12125550147", "+33671234589"]);
    const [be] = await duck.query(`SELECT ${phone.e164("'0470 12 34 56'", "BE")} AS a, ${phone.e164("'0470 12 34 56'", "'be'")} AS b`);
    expect(be).toEqual({ a: "+32470123456", b: "+32470123456" });
    const [numeric] = await duck.query(`SELECT ${phone.e164("CAST(671234589 AS BIGINT)")} AS a, ${phone.invalidReason("CAST(NULL AS BIGINT)")} AS b`);
    expect(numeric).toEqual({ a: "+33671234589", b: null });
    const [zz] = await duck.query(`SELECT ${phone.invalidReason("'0470 12 34 56'", "'ZZ' || ''")} AS r`);
    expect(zz!.r).toBe("unsupported default country");
    expect(() => phone.e164("v", "ZZ")).toThrow(/unsupported default country "ZZ"/);
  });
});

describe("phone.isMobile against libphonenumber-js's number types", () => {
  it("reads every mobile number as mobile and every fixed line as not, in each country it knows; NANP numbers stay unknown", async () => {
    const rnd = seeded(20261204);
    const numbers: Array<{ e164: string; type: string }> = [];
    for (const country of Object.keys(phone.MOBILE)) {
      const code = phone.COUNTRIES[country]!.callingCode;
      let found = 0;
      for (let i = 0; i < 200_000 && found < 400; i++) {
        const nsn = Array.from({ length: 6 + Math.floor(rnd() * 7) }, () => Math.floor(rnd() * 10)).join("");
        const p = parseWithTypes(`+${code}${nsn}`);
        // Every region of the calling code: +262 is Réunion and Mayotte, +590 Guadeloupe and
        // Saint-Martin, +44 Great Britain and the Channel Islands.
        const type = p && p.isValid() && p.countryCallingCode === code ? p.getType() : undefined;
        if (type !== "MOBILE" && type !== "FIXED_LINE") continue;
        numbers.push({ e164: p!.number, type });
        found++;
      }
      expect(found, country).toBeGreaterThan(20);
    }
    const rows = await duck.eval(numbers.map((n) => n.e164), { mobile: (c) => phone.isMobile(c) });
    const wrong = numbers.filter((n, i) => rows[i]!.mobile !== (n.type === "MOBILE"));
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(numbers.filter((n) => n.type === "MOBILE").length).toBeGreaterThan(1000);
    const nanp = await duck.eval(["+12125550123", "+14165550123"], { mobile: (c) => phone.isMobile(c) });
    expect(nanp.map((r) => r.mobile)).toEqual([null, null]);
  });
});
