/**
 * The birth year an email spells (includes/email.js yearSpelled, person_records.email_year) and
 * the standard model's `email_year` comparison (includes/identity_comparisons.js) on real DuckDB: the
 * year is read from two final digits or a final 19xx / 20xx, and compared with the other
 * record's birth year only where the email's own record has none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duck, load } from "./harness.js";

interface Comparison { name: string; columns: string[]; levels: { label: string; when: string }[] }
const model = load<{ comparisons(): Comparison[] }>("identity_comparisons.js");
const match = load<{ comparisonVectors(o: { pairs: string; records: string; id: string; comparisons: Comparison[] }): string }>("identity_match.js");
const email = load<{ matchKey(e: string): string; yearSpelled(key: string): string }>("email.js");
const cmp = model.comparisons().filter((c) => c.name === "email_year");

// [record, email, birth year]
const records: [string, string | null, number | null][] = [
  ["anna_sub", "anna_chauvin99@orange.fr", null], // an email-only sign-up
  ["anna_card", null, 1999], // her loyalty card
  ["anna_dated", "anna_chauvin99@orange.fr", 1999], // a record with both
  ["namesake", null, 1988], // another Anna Chauvin
  ["four_digits", "marie.picard1973@wanadoo.fr", null],
  ["marie_card", "m.picard@free.fr", 1973], // her card, with another email: compared crosswise
  ["no_digits", "anna.chauvin@gmail.com", null],
  ["random", "c.fleury1762@gmail.com", null], // four digits that are no year
];

const duck = new Duck();
beforeAll(async () => {
  await duck.open();
  const lit = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v}'`);
  await duck.query(`CREATE TABLE raw_recs AS SELECT * FROM (VALUES ${records.map((r) => `(${r.map(lit).join(", ")})`).join(", ")}) AS t(record_key, email, birth_year)`);
  await duck.query(`CREATE TABLE keyed AS SELECT *, ${email.matchKey("email")} AS email_key FROM raw_recs`);
  await duck.query(`CREATE TABLE recs AS SELECT *, ${email.yearSpelled("email_key")} AS email_year FROM keyed`);
});
afterAll(() => duck.close());

async function level(l: string, r: string): Promise<string> {
  const [row] = await duck.query(match.comparisonVectors({ pairs: `(SELECT '${l}' AS id_l, '${r}' AS id_r)`, records: "recs", id: "record_key", comparisons: cmp }));
  const n = Number(row!.cmp_email_year);
  return n < 0 ? "missing" : (cmp[0]!.levels[n]?.label ?? "else");
}

describe("the birth year an email spells", () => {
  it("reads two final digits, or a final 19xx / 20xx, after a letter or a separator", async () => {
    const cases: Record<string, number | null> = {
      "anna_chauvin99@orange.fr": 99, "marie.picard1973@wanadoo.fr": 73, "leo.denis2004@gmail.com": 4, "alex07@free.fr": 7,
      "ecarre7.1@gmail.com": 71, // the Gmail key drops the dot a typo put between the digits
      "c.fleury1762@gmail.com": null, "bbernard883@gmail.com": null, "anna.chauvin@gmail.com": null, "2020@free.fr": null, "42@free.fr": null,
    };
    const rows = await duck.query(`SELECT e, ${email.yearSpelled(email.matchKey("e"))} AS y FROM (VALUES ${Object.keys(cases).map((e) => `('${e}')`).join(", ")}) AS t(e)`);
    expect(Object.fromEntries(rows.map((r) => [r.e, r.y === null ? null : Number(r.y)]))).toEqual(cases);
  });

  it("is compared with the other record's birth year where the email's record has none", async () => {
    expect(await level("anna_sub", "anna_card")).toBe("the other's birth year");
    expect(await level("anna_card", "anna_sub")).toBe("the other's birth year");
    expect(await level("anna_sub", "namesake")).toBe("else");
    expect(await level("four_digits", "marie_card")).toBe("the other's birth year");
  });

  it("leaves out pairs whose birth dates compare themselves, and emails that spell no year", async () => {
    expect(await level("anna_dated", "anna_card")).toBe("missing"); // birth_date weighs it
    expect(await level("anna_dated", "namesake")).toBe("missing");
    expect(await level("no_digits", "anna_card")).toBe("missing");
    expect(await level("random", "anna_card")).toBe("missing");
    expect(await level("anna_sub", "four_digits")).toBe("missing"); // no birth year on either
  });
});
