/**
 * `rcu sync` on the sample estate, against real local destinations: an HTTP API that throttles,
 * fails, loses responses and goes down on purpose; a PostgreSQL server (PGlite over the wire
 * protocol, the real `pg` client); files on disk. Nothing sent twice, nothing lost, no user
 * without consent ever sent, every send audited.
 */
import { readdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir, writeProjectFile } from "../helpers.js";
import { AudienceServer } from "./audience-server.js";
import { createPglite } from "../warehouses/pglite.js";

let out = "";
let config = "";
let db = "";
let baseYaml = "";
const api = new AudienceServer();
let apiUrl = "";
let pgDb: PGlite;
let pgServer: PGLiteSocketServer;
let pgUrl = "";
const env = () => ({ AUDIENCE_TOKEN: "s3cret-token", OPS_PG: pgUrl });

const sync = (...args: string[]) => cli(["sync", "--config", config, ...args], ROOT, env());
const q = <T = Record<string, unknown>>(sql: string) => duck<T>(db, sql);

async function withDestinations(yaml: string): Promise<void> {
  await writeProjectFile(out, "rcu.yaml", `${baseYaml}\ndestinations:\n${yaml}`);
}

const HTTP = (extra = "") => `  audience:
    type: http
    base_url: ${apiUrl}
    headers: { Authorization: { env: AUDIENCE_TOKEN, prefix: "Bearer " } }
    upsert: { path: /v1/members/upsert }
    delete: { path: /v1/members/delete }
    timeout_ms: 400
    max_retries: 4
    backoff_ms: 10
    max_requests_per_second: 1000
    batch_size: 50
    purpose: marketing
    consent: { channel: email }
    columns: { email: email, first_name: first_name, segment: rfm_segment }
${extra}`;

/** Users holding a granted marketing consent on email, straight from the consent history. */
async function consenting(): Promise<Set<string>> {
  const rows = await q<{ user_id: string }>(`SELECT user_id FROM (
      SELECT user_id, status, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY changed_at DESC, CASE WHEN status = 'withdrawn' THEN 0 ELSE 1 END) AS rn
      FROM rcu_core.fact_consent_changes WHERE channel_key = 'email' AND purpose = 'marketing' AND user_id IS NOT NULL) AS t
    WHERE rn = 1 AND status = 'granted'`);
  return new Set(rows.map((r) => r.user_id));
}

beforeAll(async () => {
  out = await tempDir("rcu-sync-");
  expect((await cli(["demo", "--people", "800", "--out", out, "--run", "--threads", "2"], ROOT)).code).toBe(0);
  config = path.join(out, "rcu.yaml");
  db = path.join(out, "warehouse.duckdb");
  baseYaml = await readFile(config, "utf8");
  apiUrl = await api.start();
  pgDb = await createPglite();
  pgServer = new PGLiteSocketServer({ db: pgDb, host: "127.0.0.1", port: 0 } as ConstructorParameters<typeof PGLiteSocketServer>[0]);
  await pgServer.start();
  pgUrl = `postgres://postgres:postgres@${pgServer.getServerConn()}/postgres`;
}, 240_000);

afterAll(async () => {
  await api.stop();
  await pgServer?.stop();
  await pgDb?.close();
});

describe("rcu sync", () => {
  it("sends consenting users once through throttling, errors, lost responses and an outage, then resumes", async () => {
    await withDestinations(HTTP());
    const want = await consenting();
    expect(want.size).toBeGreaterThan(100);
    // Request 1: 429; 2: 500; 3: applied but the response is lost; 6 onwards: down.
    api.modes = (n) => (n === 1 ? "429" : n === 2 ? "500" : n === 3 ? "apply-then-hang" : n >= 6 ? "down" : "ok");
    const first = await sync("--json");
    expect(first.code).toBe(1);
    const r1 = JSON.parse(first.stdout) as { destinations: Array<{ status: string; upsertsSent: number; upsertsPending: number; error: { message: string } }> };
    expect(r1.destinations[0]).toMatchObject({ status: "failed", upsertsPending: want.size });
    expect(r1.destinations[0]!.error.message).toMatch(/failed after 5 attempts \(HTTP 503\)/);
    const sentBefore = r1.destinations[0]!.upsertsSent;
    expect(sentBefore).toBeGreaterThan(0);
    expect(api.members.size).toBe(sentBefore); // what the API applied is exactly what rcu recorded

    api.modes = () => "ok";
    const second = await sync("--json");
    expect(second.code).toBe(0);
    const r2 = JSON.parse(second.stdout) as { destinations: Array<{ upsertsSent: number }> };
    expect(r2.destinations[0]!.upsertsSent).toBe(want.size - sentBefore);

    expect(new Set(api.members.keys())).toEqual(want);
    expect([...api.applications.values()].every((n) => n === 1)).toBe(true);
    expect(api.authHeaders.every((h) => h === "Bearer s3cret-token")).toBe(true);
    expect(first.stdout + second.stdout).not.toContain("s3cret-token");

    // Unchanged data: nothing to send.
    const third = await sync("--json");
    expect((JSON.parse(third.stdout) as { destinations: Array<{ upsertsPending: number; deletesPending: number }> }).destinations[0])
      .toMatchObject({ upsertsPending: 0, deletesPending: 0 });

    // The audit trail: one row per record sent, with purpose, basis and the consent relied on.
    const audit = await q<{ n: number; users: number; no_consent: number }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users, SUM(CASE WHEN consent_at IS NULL THEN 1 ELSE 0 END) AS no_consent FROM rcu_meta.sync_audit WHERE destination = 'audience' AND op = 'upsert' AND purpose = 'marketing' AND basis = 'consent' AND consent_channel = 'email'",
    );
    expect(audit[0]).toEqual({ n: want.size, users: want.size, no_consent: 0 });
  }, 120_000);

  it("removes a user downstream when their consent is withdrawn, and sends changes only", async () => {
    await withDestinations(HTTP());
    const [victim, changed] = [...api.members.keys()].sort();
    // The marts as a rebuild would leave them: a withdrawal for one user, a new segment for another.
    await q(`UPDATE rcu_marts.user_consents SET status = 'withdrawn' WHERE user_id = '${victim}' AND channel_key = 'email'`);
    await q(`UPDATE rcu_marts.customer_360 SET rfm_segment = 'champions_test' WHERE user_id = '${changed}'`);
    const before = api.requests;
    const r = await sync("--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).destinations[0]).toMatchObject({ upsertsSent: 1, deletesSent: 1 });
    expect(api.requests - before).toBe(2);
    expect(api.members.has(victim!)).toBe(false);
    expect(api.deletes).toEqual([victim]);
    expect(api.members.get(changed!)).toMatchObject({ segment: "champions_test" });
    const [del] = await q<{ n: number }>(`SELECT COUNT(*) AS n FROM rcu_meta.sync_audit WHERE op = 'delete' AND user_id = '${victim}'`);
    expect(del!.n).toBe(1);
  }, 60_000);

  it("writes CSV, JSON Lines and Parquet files, hashing advertising identifiers, only when something changed", async () => {
    await withDestinations(`  erp_csv:
    type: file
    format: csv
    dir: ${out}/exports
    purpose: service
    legal_basis: contract
    columns: { "Nom; complet": last_name, Ville: city }
  newsletter_jsonl:
    type: file
    format: jsonl
    dir: ${out}/exports
    segment: engaged_email_readers
    purpose: marketing
    consent: { channel: email }
    columns: { email: email }
  ads_parquet:
    type: file
    format: parquet
    dir: ${out}/exports
    purpose: marketing
    consent: { channel: email }
    columns: { em: email }
    hash: [em]
`);
    const r = await sync();
    expect(r.code).toBe(0);
    const files = (await readdir(path.join(out, "exports"))).filter((f) => !f.startsWith("."));
    try {
      const csv = files.find((f) => f.startsWith("erp_csv-"))!;
      const lines = (await readFile(path.join(out, "exports", csv), "utf8")).trim().split("\n");
      expect(lines[0]).toBe('_op,user_id,"Nom; complet",Ville');
      const [users] = await q<{ n: number }>("SELECT COUNT(*) AS n FROM rcu_marts.customer_360");
      expect(lines.length - 1).toBe(users!.n); // a contract basis: every user, no consent needed

      const jsonl = files.find((f) => f.startsWith("newsletter_jsonl-"))!;
      const members = (await readFile(path.join(out, "exports", jsonl), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { user_id: string });
      const [seg] = await q<{ n: number }>(
        "SELECT COUNT(*) AS n FROM rcu_marts.segment_membership m JOIN rcu_marts.user_consents c ON c.user_id = m.user_id AND c.channel_key = 'email' AND c.purpose = 'marketing' AND c.status = 'granted' WHERE m.segment = 'engaged_email_readers'",
      );
      expect(members.length).toBe(seg!.n);

      const parquet = path.join(out, "exports", files.find((f) => f.startsWith("ads_parquet-"))!);
      const rows = await duck<{ user_id: string; em: string }>(":memory:", `SELECT user_id, em FROM read_parquet('${parquet}') ORDER BY user_id LIMIT 1`);
      const [clear] = await q<{ email: string }>(`SELECT email FROM rcu_marts.customer_360 WHERE user_id = '${rows[0]!.user_id}'`);
      expect(rows[0]!.em).toBe(createHash("sha256").update(clear!.email.trim().toLowerCase()).digest("hex"));

      const again = await sync();
      expect(again.code).toBe(0);
      expect((await readdir(path.join(out, "exports"))).filter((f) => !f.startsWith("."))).toHaveLength(files.length);
    } finally {
      await import("node:fs/promises").then((fs) => fs.rm(path.join(out, "exports"), { recursive: true, force: true }));
    }
  }, 60_000);

  it("upserts into a PostgreSQL table and keeps it equal to the consenting users", async () => {
    await withDestinations(`  ops_db:
    type: postgres
    url_env: OPS_PG
    table: crm.contacts
    purpose: marketing
    consent: { channel: email }
    batch_size: 200
    columns: { email: email, "last name": last_name }
`);
    expect((await sync()).code).toBe(0);
    const want = await q<{ user_id: string; email: string }>(
      "SELECT c.user_id, c.email FROM rcu_marts.customer_360 c JOIN rcu_marts.user_consents u ON u.user_id = c.user_id AND u.channel_key = 'email' AND u.purpose = 'marketing' AND u.status = 'granted' ORDER BY c.user_id",
    );
    const got = await pgDb.query<{ user_id: string; email: string }>(`SELECT user_id, email FROM crm.contacts ORDER BY user_id COLLATE "C"`);
    expect(got.rows).toEqual(want);
  }, 60_000);

  it("refuses a marketing destination without consent, and a segment used for another purpose", async () => {
    await withDestinations(`  bad:
    type: file
    format: csv
    dir: ${out}/exports
    segment: open_service_tickets
    purpose: marketing
    legal_basis: legitimate_interest
    columns: { e: email }
`);
    const r = await sync();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/destinations\.bad\.consent: give either consent|destinations\.bad\.legal_basis: marketing requires consent/);
    await withDestinations(`  bad:
    type: file
    format: csv
    dir: ${out}/exports
    segment: open_service_tickets
    purpose: marketing
    consent: { channel: email }
    columns: { e: email }
`);
    const r2 = await sync();
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/destinations\.bad\.purpose: "marketing" differs from segment open_service_tickets's purpose "service"/);
  });
});
