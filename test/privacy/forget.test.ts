/**
 * `rcu forget` on the sample estate: after erasing a person, a full re-extract of the unchanged
 * source files and a full rebuild, no column of any table or view in the warehouse contains the
 * person's identifiers; the destination that held them was told to delete them; everyone else is
 * untouched.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir, writeProjectFile } from "../helpers.js";
import { AudienceServer } from "../distribute/audience-server.js";

let out = "";
let config = "";
let db = "";
const api = new AudienceServer();
const q = <T = Record<string, unknown>>(sql: string) => duck<T>(db, sql);
const rcu = (...args: string[]) => cli([...args, "--config", config], ROOT, { AUDIENCE_TOKEN: "t" });

interface Person {
  user_id: string;
  email: string;
  records: string[];
  ids: string[];
  strings: string[];
}

/** A user with records in several sources, orders and an email and phones nobody else has. */
async function pickPerson(): Promise<Person> {
  const [u] = await q<{ user_id: string; email: string }>(`
    SELECT c.user_id, c.email FROM rcu_marts.customer_360 c
    WHERE c.identities >= 3 AND c.sources_count >= 3 AND c.orders > 0 AND c.email IS NOT NULL AND c.consent_email = 'granted'
      AND NOT EXISTS (
        SELECT 1 FROM rcu_identity.person_records p JOIN rcu_identity.identity_map m ON m.record_key = p.record_key
        JOIN rcu_identity.person_records p2 ON (p2.email_key = p.email_key OR p2.phone_e164 = p.phone_e164)
        JOIN rcu_identity.identity_map m2 ON m2.record_key = p2.record_key
        WHERE m.user_id = c.user_id AND m2.user_id <> c.user_id)
    ORDER BY c.user_id LIMIT 1`);
  expect(u).toBeDefined();
  const recs = await q<{ record_key: string; record_id: string; email: string | null; phone_e164: string | null }>(
    `SELECT p.record_key, p.record_id, p.email, p.phone_e164 FROM rcu_identity.person_records p JOIN rcu_identity.identity_map m ON m.record_key = p.record_key WHERE m.user_id = '${u!.user_id}'`,
  );
  const raws: string[] = [];
  for (const src of ["crm_contacts", "eshop_customers", "email_subscribers", "contact_centre_tickets", "stores_loyalty_cards"]) {
    const ids = recs.filter((r) => r.record_key.startsWith(`${src}:`)).map((r) => `'${r.record_id}'`);
    if (!ids.length) continue;
    for (const r of await q<{ email_raw: string | null; phone_raw: string | null }>(`SELECT email_raw, phone_raw FROM rcu_identity.stg_person_${src} WHERE record_id IN (${ids.join(",")})`)) {
      for (const v of [r.email_raw, r.phone_raw]) if (v && v.trim().length >= 6) raws.push(v.trim());
    }
  }
  const strings = [...new Set([...recs.flatMap((r) => [r.email, r.phone_e164]).filter((v): v is string => Boolean(v)), ...raws])];
  return { user_id: u!.user_id, email: u!.email, records: recs.map((r) => r.record_key), ids: recs.map((r) => r.record_id), strings };
}

/**
 * Every column of every table and view, as text: exact ids in any column, substrings (emails,
 * phones) in any column. Each relation's rows are turned into their columns' texts once, in a
 * MATERIALIZED CTE: with a condition per column, DuckDB inlined a view's column expressions into
 * every condition that named them (the contact centre's name split, 16 columns × 6 conditions),
 * and this check took 20–27 s of the test, three times; now 1.2–1.7 s, with the same hits.
 */
async function mentions(p: Person): Promise<string[]> {
  const cols = await q<{ s: string; t: string; c: string }>(
    "SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2, 3",
  );
  const byTable = new Map<string, string[]>();
  for (const c of cols) byTable.set(`"${c.s}"."${c.t}"`, [...(byTable.get(`"${c.s}"."${c.t}"`) ?? []), c.c]);
  const lit = (v: string) => `'${v.split("'").join("''")}'`;
  const exact = `[${[p.user_id, ...p.records, ...p.ids].map((x) => lit(x.toLowerCase())).join(", ")}]`;
  // chr(1) between the columns: no substring searched for spans two of them.
  const found = p.strings.map((x) => `texts LIKE ${lit(`%${x.toLowerCase()}%`)}`);
  const counts = [...byTable].map(([table, columns]) => {
    const values = `[${columns.map((c) => `lower(CAST(r."${c}" AS VARCHAR))`).join(", ")}]`;
    return `SELECT ${lit(table)} AS t, (
  WITH v AS MATERIALIZED (SELECT ${values} AS vals FROM ${table} AS r),
  w AS MATERIALIZED (SELECT vals, array_to_string(vals, chr(1)) AS texts FROM v)
  SELECT COUNT(*) FROM w WHERE list_has_any(vals, ${exact})${found.map((f) => ` OR ${f}`).join("")}) AS n`;
  });
  const rows = await q<{ t: string; n: number }>(counts.join("\nUNION ALL\n"));
  const hits = rows.filter((r) => r.n > 0).map((r) => `${r.t}: ${r.n}`);
  return hits;
}

beforeAll(async () => {
  out = await tempDir("rcu-forget-");
  expect((await cli(["demo", "--people", "800", "--out", out, "--run", "--threads", "2"], ROOT)).code).toBe(0);
  config = path.join(out, "rcu.yaml");
  db = path.join(out, "warehouse.duckdb");
  const url = await api.start();
  await writeProjectFile(out, "rcu.yaml", `${await readFile(config, "utf8")}
destinations:
  audience:
    type: http
    base_url: ${url}
    headers: { Authorization: { env: AUDIENCE_TOKEN } }
    upsert: { path: /v1/members/upsert }
    delete: { path: /v1/members/delete }
    purpose: marketing
    consent: { channel: email }
    columns: { email: email }
`);
  expect((await rcu("sync")).code).toBe(0);
}, 240_000);

afterAll(() => api.stop());

describe("rcu forget", () => {
  it("erases a person everywhere, tells the destination, and keeps them out of later extracts and rebuilds", async () => {
    const p = await pickPerson();
    expect(api.members.has(p.user_id)).toBe(true);
    expect((await mentions(p)).length).toBeGreaterThan(5);
    const othersBefore = await q<{ record_key: string; user_id: string }>(
      `SELECT record_key, user_id FROM rcu_identity.identity_map WHERE user_id <> '${p.user_id}' ORDER BY record_key`,
    );
    const [ordersBefore] = await q<{ n: number; mine: number }>(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN user_id = '${p.user_id}' THEN 1 ELSE 0 END) AS mine FROM rcu_core.fact_orders`,
    );

    // A dry run reports and changes nothing.
    const dry = await rcu("forget", "--email", ` ${p.email.toUpperCase()} `, "--dry-run", "--json");
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as { dryRun: boolean; users: number; rowsRemoved: number; destinations: Array<{ status: string }> };
    expect(planned).toMatchObject({ dryRun: true, users: 1, destinations: [{ status: "dry_run" }] });
    expect(planned.rowsRemoved).toBeGreaterThan(10);
    expect((await mentions(p)).length).toBeGreaterThan(5);

    const real = await rcu("forget", "--email", p.email, "--json");
    expect(real.stderr).toBe("");
    expect(real.code).toBe(0);
    const report = JSON.parse(real.stdout) as { users: number; records: number; residual: Record<string, number>; destinations: Array<{ status: string }>; tables: Array<{ relation: string }> };
    expect(report).toMatchObject({ users: 1, records: p.records.length, residual: {}, destinations: [{ destination: "audience", status: "deleted" }] });
    expect(report.tables.map((t) => t.relation)).toEqual(expect.arrayContaining(["raw.crm_contacts", "rcu_identity.identity_map", "rcu_core.users", "rcu_marts.customer_360", "rcu_meta.sync_state"].filter((r) => r !== "raw.crm_contacts" || p.records.some((k) => k.startsWith("crm_contacts:")))));
    expect(api.members.has(p.user_id)).toBe(false);
    expect(api.deletes).toContain(p.user_id);
    // The report is for the data protection officer: counts, never the person's values.
    const [stored] = await q<{ report: string }>("SELECT CAST(report AS VARCHAR) AS report FROM rcu_meta.erasures");
    for (const v of [p.email, ...p.records]) expect(stored!.report).not.toContain(v);

    // The source files still hold the person: a full re-extract lands them, the suppression list removes them.
    const extract = await rcu("extract", "--full");
    expect(extract.code, `rcu extract --full:\n${extract.stdout}\n${extract.stderr}`).toBe(0);
    expect(extract.stdout).toMatch(/SUPPRESSED \d+ re-landed row/);
    expect((await rcu("run", "--skip-extract", "--full-refresh")).code).toBe(0);
    expect((await rcu("sync")).code).toBe(0);
    expect(api.members.has(p.user_id)).toBe(false);
    expect(await mentions(p)).toEqual([]);

    // Everyone else keeps their user_id and their orders.
    const othersAfter = await q<{ record_key: string; user_id: string }>(`SELECT record_key, user_id FROM rcu_identity.identity_map ORDER BY record_key`);
    expect(othersAfter).toEqual(othersBefore);
    const [ordersAfter] = await q<{ n: number }>("SELECT COUNT(*) AS n FROM rcu_core.fact_orders");
    expect(ordersAfter!.n).toBe(ordersBefore!.n - ordersBefore!.mine);
  }, 240_000);

  it("reports, column by column, what it could not erase: free text in a table rcu does not manage", async () => {
    const p = await pickPerson();
    const lit = (v: string) => `'${v.split("'").join("''")}'`;
    // An agent's notes, outside the model: rcu deletes by identifier columns, so free text stays,
    // and the residual scan must say where.
    await q(`CREATE TABLE rcu_marts.agent_notes (note VARCHAR, topic VARCHAR, score INTEGER);
      INSERT INTO rcu_marts.agent_notes VALUES
        (${lit(`called back ${p.email.toUpperCase()} about a refund`)}, 'refund', 1),
        (${lit(`wrote to ${p.email}`)}, ${lit(`account ${p.user_id}`)}, 2),
        ('nothing about them', 'other', 3);
      INSERT INTO rcu_meta.rejected_records (load_id, source, stream, input, position, raw, reason, rejected_at)
      VALUES ('test', 'crm', 'contacts', 'contacts.csv', 99, ${lit(`"x";"${p.email.toUpperCase()}";"1999-02-30"`)}, 'impossible date', now())`);
    const r = await rcu("forget", "--email", p.email);
    expect(r.code).toBe(1);
    // The quarantined copy is rcu's own: deleted whatever the case of the email in it.
    expect(await q("SELECT raw FROM rcu_meta.rejected_records WHERE load_id = 'test'")).toEqual([]);
    expect(r.stdout).toContain("NOT CLEAN: identifiers still found in rcu_marts.agent_notes.note (2), rcu_marts.agent_notes.topic (1)");
    // The stored report (for the data protection officer) says the same.
    const [stored] = await q<{ report: string }>("SELECT CAST(report AS VARCHAR) AS report FROM rcu_meta.erasures ORDER BY requested_at DESC LIMIT 1");
    const report = JSON.parse(stored!.report) as { users: number; residual: Record<string, number> };
    expect(report.users).toBe(1);
    expect(report.residual).toEqual({ "rcu_marts.agent_notes.note": 2, "rcu_marts.agent_notes.topic": 1 });
  }, 60_000);

  it("refuses an ambiguous or unknown person and a missing selector, erasing nothing", async () => {
    const none = await rcu("forget", "--email", "nobody@nowhere.example");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no person matches the email/);
    const noSel = await rcu("forget");
    expect(noSel.code).toBe(2);
    expect(noSel.stderr).toMatch(/exactly one of --email, --phone, --user-id, --source-record/);
    // A shared household email matches two people.
    const [shared] = await q<{ email: string }>(`
      SELECT p.email FROM rcu_identity.person_records p JOIN rcu_identity.identity_map m ON m.record_key = p.record_key
      WHERE p.email_key IS NOT NULL GROUP BY p.email HAVING COUNT(DISTINCT m.user_id) = 2 ORDER BY p.email LIMIT 1`);
    if (shared) {
      const r = await rcu("forget", "--email", shared.email);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/2 people match the email given .* nothing was erased/);
    }
  }, 60_000);
});
