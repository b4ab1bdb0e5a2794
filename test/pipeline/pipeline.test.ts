/**
 * The whole standard pipeline on every engine in `test/e2e/engines.ts` (filter with
 * RCU_TEST_ENGINES=duckdb,snowflake): one small sample estate is generated, then on each engine
 * landed (extract) and built (every definition: identity, star schema, marts), and the results
 * are compared across engines — the partition of person records into users, the golden records,
 * the facts and the customer 360 — exactly (see docs/warehouses.md, "Same results on every engine").
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate } from "../../sample/generate.js";
import { demoConfigYaml } from "../../sample/demo-config.js";
import { cli, ROOT, tempDir } from "../helpers.js";
import { AudienceServer } from "../distribute/audience-server.js";
import { e2eEngines, type E2eEngine, type EngineTarget } from "../e2e/engines.js";
import { compareSnapshots, snapshot, type Snapshot } from "./snapshot.js";

// RCU_PIPELINE_PEOPLE=10000 runs the same comparison on a larger estate (opt-in, not in CI: about
// 15 minutes on 2 cores, Redshift's build on PGlite nearly 5 of them); the timeouts grow with it.
const PEOPLE = Number(process.env.RCU_PIPELINE_PEOPLE ?? 400);
const SCALE = Math.max(1, PEOPLE / 400);
const SEED = 7;
const engines = e2eEngines();
const snapshots = new Map<string, Snapshot>();
/** Per engine: `rcu evaluate --json` and what `rcu sync` sent (rcu's own TypeScript SQL). */
const evaluations = new Map<string, unknown>();
const sent = new Map<string, string[]>();

let dataDir: string;
beforeAll(async () => {
  dataDir = path.join(await tempDir("rcu-pipeline-data-"), "data");
  await generateEstate({ people: PEOPLE, seed: SEED, outDir: dataDir, workers: 0 });
});

// Timeouts are at least 5× the slowest engine's time measured alone (Redshift: 36 s, 38 s, 15 s):
// another test file runs beside this one (vitest.config.ts), and the machine's speed varies by
// nearly 2× within hours.
describe.each(engines)("standard pipeline on $name", (engine: E2eEngine) => {
  let dir: string;
  let wh: EngineTarget;
  const api = new AudienceServer();
  let apiUrl: string;
  beforeAll(async () => {
    dir = await tempDir(`rcu-pipeline-${engine.name}-`);
    wh = await engine.setup(dir);
    apiUrl = await api.start();
  });
  afterAll(async () => {
    await wh?.close();
    await api.stop();
  });

  it("lands every source and builds every definition", async () => {
    const config = path.join(dir, "rcu.yaml");
    const destinations = `destinations:
  audience:
    type: http
    base_url: ${apiUrl}
    headers: { Authorization: { env: AUDIENCE_TOKEN } }
    upsert: { path: /v1/members/upsert }
    delete: { path: /v1/members/delete }
    purpose: marketing
    consent: { channel: email }
    columns: { email: email, first_name: first_name }
`;
    await writeFile(config, demoConfigYaml({ projectDir: ROOT, dataDir, warehouse: path.join(dir, "unused.duckdb"), profile: wh.profile }) + destinations);
    const r = await cli(["run", "--config", config, "--threads", "2"], ROOT, wh.env);
    // On failure, show each failed action's first lines (its statement is long).
    const failures = r.stdout.split(/\n(?=\S)/).filter((b) => /^FAIL/.test(b)).map((b) => b.slice(0, 1200));
    expect({ code: r.code, failures, stderr: r.stderr }).toEqual({ code: 0, failures: [], stderr: "" });
    expect(r.stdout).toMatch(/Run succeeded/);
    const snap = await snapshot(wh.sql);
    expect(snap.users.length).toBeGreaterThan(PEOPLE / 2);
    expect(snap.figures.fact_orders_rows).toBeGreaterThan(0);
    snapshots.set(engine.name, snap);
  }, 180_000 * SCALE);

  it("changes nothing when run again on unchanged sources (incremental facts, stable ids)", async () => {
    const config = path.join(dir, "rcu.yaml");
    const r = await cli(["run", "--config", config, "--threads", "2"], ROOT, wh.env);
    if (r.code !== 0) console.log(r.stdout.split(/\n(?=\S)/).filter((b) => /^FAIL/.test(b)).map((b) => b.slice(0, 1500)).join("\n"));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const again = await snapshot(wh.sql);
    expect(compareSnapshots(snapshots.get(engine.name)!, again).differences).toEqual([]);
  }, 240_000 * SCALE);

  it("evaluates, explains, reports status and erases a person with rcu's own SQL", async () => {
    const config = path.join(dir, "rcu.yaml");
    const run = (...args: string[]) => cli([...args, "--config", config], ROOT, { ...wh.env, AUDIENCE_TOKEN: "t" });
    const sync = await run("sync", "--json");
    expect(sync.stderr).toBe("");
    expect(sync.code).toBe(0);
    expect(api.members.size).toBeGreaterThan(0);
    sent.set(engine.name, [...api.members.keys()].sort());
    const ev = await run("evaluate", "--truth", path.join(dataDir, "truth", "persons.csv"), "--json");
    expect(ev.stderr).toBe("");
    const e = JSON.parse(ev.stdout) as { pairwise: { f1: number }; missingFromWarehouse: number };
    expect(e.missingFromWarehouse).toBe(0);
    evaluations.set(engine.name, e);

    // A person whose email no other user's record holds (`forget --email` refuses an email that
    // several people share, such as a household's mailbox: at 10k people the first user had one).
    const [someone] = await wh.sql(`WITH vals AS (
        SELECT p.email AS v, m.user_id FROM rcu_identity.person_records AS p JOIN rcu_identity.identity_map AS m ON m.record_key = p.record_key WHERE p.email IS NOT NULL
        UNION ALL SELECT p.email_key, m.user_id FROM rcu_identity.person_records AS p JOIN rcu_identity.identity_map AS m ON m.record_key = p.record_key WHERE p.email_key IS NOT NULL
      ), held AS (SELECT v, COUNT(DISTINCT user_id) AS holders FROM vals GROUP BY v),
      alone AS (SELECT x.user_id FROM vals AS x JOIN held AS h ON h.v = x.v GROUP BY x.user_id HAVING MAX(h.holders) = 1)
      SELECT u.user_id, u.email FROM rcu_core.users AS u JOIN alone AS a ON a.user_id = u.user_id
      WHERE u.email IS NOT NULL AND u.records >= 2 ORDER BY u.user_id LIMIT 1`);
    const explain = await run("identity", "explain", String(someone!.user_id), "--json");
    expect(explain.stderr).toBe("");
    expect(explain.code).toBe(0);
    // Each linked pair's evidence (the pair_evidence view, on this engine) adds up to its weight.
    const x = JSON.parse(explain.stdout) as { pairs: Array<{ id_l: string; id_r: string; linked: boolean; match_weight: number }>; evidence: Array<{ id_l: string; id_r: string; weight: number }> };
    const linked = x.pairs.filter((p) => p.linked);
    expect(linked.length).toBeGreaterThan(0);
    for (const p of linked) {
      const terms = x.evidence.filter((t) => t.id_l === p.id_l && t.id_r === p.id_r);
      expect(terms.length, `${engine.name} ${p.id_l} ${p.id_r}`).toBeGreaterThan(4);
      expect(terms.reduce((sum, t) => sum + Number(t.weight), 0)).toBeCloseTo(Number(p.match_weight), 6);
    }
    const status = await run("status", "--json");
    expect(status.stderr).toBe("");
    expect((JSON.parse(status.stdout) as { runs: Array<{ status: string }> }).runs[0]!.status).toBe("success");

    const dry = await run("forget", "--email", String(someone!.email), "--dry-run", "--json");
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    const real = await run("forget", "--email", String(someone!.email), "--json");
    expect(real.stderr).toBe("");
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ users: 1, residual: {} });
    expect(await wh.sql(`SELECT user_id FROM rcu_core.users WHERE user_id = '${String(someone!.user_id)}'`)).toEqual([]);
    expect(api.members.has(String(someone!.user_id))).toBe(false);
  }, 240_000 * SCALE);

  it("follows a steward's pins: splits a user, merges two, with rcu's own SQL", async () => {
    const config = path.join(dir, "rcu.yaml");
    const run = (...args: string[]) => cli([...args, "--config", config], ROOT, wh.env);
    const [split] = await wh.sql(`SELECT user_id, MIN(record_key) AS r1, MAX(record_key) AS r2 FROM rcu_identity.identity_map
      GROUP BY user_id HAVING COUNT(*) = 2 ORDER BY user_id LIMIT 1`);
    const alone = await wh.sql(`SELECT user_id, MIN(record_key) AS r FROM rcu_identity.identity_map GROUP BY user_id HAVING COUNT(*) = 1 ORDER BY user_id LIMIT 2`);
    expect(split && alone.length === 2, "a user of two records and two of one").toBe(true);
    for (const [label, records] of [["one", [split!.r1]], ["two", [split!.r2]], ["three", alone.map((a) => a.r)]] as const) {
      const r = await run("identity", "pin", label, ...records.map(String), "--reason", `pipeline test: ${label}`);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    }
    const r = await run("run", "--select", "tag:identity", "--threads", "2");
    if (r.code !== 0) console.log(r.stdout.split(/\n(?=\S)/).filter((b) => /^FAIL/.test(b)).map((b) => b.slice(0, 1500)).join("\n"));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const keys = [split!.r1, split!.r2, alone[0]!.r, alone[1]!.r].map((k) => `'${String(k).replace(/'/g, "''")}'`).join(", ");
    const users = new Map((await wh.sql(`SELECT record_key, user_id FROM rcu_identity.identity_map WHERE record_key IN (${keys})`)).map((x) => [String(x.record_key), String(x.user_id)]));
    expect(users.get(String(split!.r1))).not.toBe(users.get(String(split!.r2)));
    expect(users.get(String(alone[0]!.r))).toBe(users.get(String(alone[1]!.r)));
    const pins = await run("identity", "pins", "--json");
    expect((JSON.parse(pins.stdout) as Array<{ person: string; status: string }>).map((p) => `${p.person} ${p.status}`)).toEqual(["one applied", "three applied", "two applied"]);
  }, 240_000 * SCALE);
});

describe.runIf(engines.length > 1)("the same results on every engine", () => {
  it("resolves the same people, golden records, facts and customer 360", () => {
    const [first, ...others] = engines.map((e) => e.name);
    const base = snapshots.get(first!);
    expect(base, `${first} ran`).toBeDefined();
    // expect.soft: every engine is compared before the test fails, so that one engine's
    // difference does not hide another's.
    for (const name of others) {
      const other = snapshots.get(name);
      expect.soft(other, `${name} ran`).toBeDefined();
      if (!other) continue;
      const diff = compareSnapshots(base!, other);
      console.log(`${first} vs ${name}: ${JSON.stringify(diff.summary)}`);
      expect.soft(diff.differences, `${first} vs ${name}`).toEqual([]);
      expect.soft(evaluations.get(name), `rcu evaluate on ${name}`).toEqual(evaluations.get(first!));
      expect.soft(sent.get(name), `users rcu sync sent from ${name}`).toEqual(sent.get(first!));
    }
  });
});
