/**
 * The whole standard pipeline (extract, identity resolution, star schema, marts) on PostgreSQL and
 * on Redshift (through the Data API test server), compared with DuckDB on the same sample estate:
 * the same partition of person records into users, the same golden attributes, the same facts and
 * the same customer_360 figures and the same `rcu evaluate` accuracy. Engines from
 * test/e2e/engines.ts (RCU_TEST_ENGINES=postgres,redshift filters). DuckDB runs with the compile
 * var rcu_portable_hash=true, so its random pairs (u) and EM samples are drawn with the MD5 hash
 * the other engines use; with DuckDB's own hash() the sample estate gives 307 users on DuckDB and
 * 296 on PostgreSQL/Redshift (docs/warehouses.md). RCU_PIPELINE_DEBUG=1 prints, per identity
 * table, the rows that differ between the engine and DuckDB.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateEstate } from "../../sample/generate.js";
import { demoConfigYaml } from "../../sample/demo-config.js";
import type { Row } from "../../engine/warehouses/types.js";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { e2eEngines, type E2eEngine } from "../e2e/engines.js";

const PEOPLE = Number(process.env.RCU_PIPELINE_PEOPLE ?? 300);

/** The demo's rcu.yaml for another engine: only its profile replaced (the mappings are portable). */
export function portableDemoConfig(yamlText: string, profile: { engine: string }): string {
  // The demo's mappings are engine-neutral (field forms { json }, { timestamp }, portable SQL):
  // only the profile changes.
  const text = yamlText;
  const start = text.indexOf("default_profile:");
  const end = text.indexOf("threads:");
  return text.slice(0, start) + stringify({ default_profile: "wh", profiles: { wh: profile } }) + text.slice(end);
}

export { PEOPLE };

const targets = e2eEngines().filter((e) => e.name === "postgres" || e.name === "redshift");

interface Snapshot {
  /** Each user's record keys, sorted, the users sorted: the partition of person records. */
  partition: string[];
  /** Golden attributes, keyed by the user's smallest record key. */
  users: Record<string, Row>;
  facts: Row[];
  c360: Row[];
}

/** Numbers as numbers (DuckDB BIGINT/DECIMAL and PostgreSQL NUMERIC come back differently). */
const num = (r: Row): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) && k !== "user_id") ? Number(v) : v]));

async function snapshot(sql: (text: string) => Promise<Row[]>): Promise<Snapshot> {
  const map = await sql("SELECT record_key, user_id FROM rcu_identity.identity_map");
  const byUser = new Map<string, string[]>();
  for (const r of map) {
    const k = String(r.user_id);
    byUser.set(k, [...(byUser.get(k) ?? []), String(r.record_key)]);
  }
  const anchor = new Map<string, string>();
  for (const [u, keys] of byUser) anchor.set(u, keys.sort()[0]!);
  const partition = [...byUser.values()].map((k) => k.join(" ")).sort();
  const golden = await sql(
    "SELECT user_id, email, phone, first_name, last_name, CAST(birth_date AS VARCHAR(20)) AS birth_date, postcode, city, country FROM rcu_core.users",
  );
  const users: Record<string, Row> = {};
  for (const r of golden) {
    const { user_id, ...rest } = r;
    users[anchor.get(String(user_id)) ?? `?${String(user_id)}`] = num(rest);
  }
  const facts = await sql(
    `SELECT 'orders' AS f, COUNT(*) AS n, ROUND(SUM(revenue), 2) AS revenue FROM rcu_core.fact_orders
     UNION ALL SELECT 'order_lines', COUNT(*), NULL FROM rcu_core.fact_order_lines
     UNION ALL SELECT 'web_events', COUNT(*), NULL FROM rcu_core.fact_web_events
     UNION ALL SELECT 'email_events', COUNT(*), NULL FROM rcu_core.fact_email_events
     UNION ALL SELECT 'interactions', COUNT(*), NULL FROM rcu_core.fact_interactions
     ORDER BY 1`,
  );
  const c360rows = await sql("SELECT user_id, identities, sources_present, orders, ROUND(revenue, 2) AS revenue, web_orders, store_orders, preferred_channel, tickets, open_tickets, emails_sent_90d, email_opens_90d, recency_days, r_score, f_score, m_score, rfm_segment, lifecycle_stage, consent_email FROM rcu_marts.customer_360");
  const c360 = c360rows.map((r) => ({ ...num(r), user_id: anchor.get(String(r.user_id)) ?? `?${String(r.user_id)}` })).sort((a, b) => String(a.user_id).localeCompare(String(b.user_id)));
  return { partition, users, facts: facts.map((r) => ({ f: r.f, n: Number(r.n), revenue: r.revenue === null ? null : Number(r.revenue) })), c360 };
}

async function diagnose(pg: (t: string) => Promise<Row[]>, dk: (t: string) => Promise<Row[]>): Promise<void> {
  const key = (r: Row) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v]));
  for (const [name, sql] of [
    ["person_records", "SELECT * FROM rcu_identity.person_records"],
    ["candidate_pairs", "SELECT id_l, id_r, first_rule, rules_matched FROM rcu_identity.candidate_pairs"],
    ["comparison_vectors", "SELECT * FROM rcu_identity.comparison_vectors"],
    ["u_probabilities", "SELECT * FROM rcu_identity.u_probabilities"],
    ["match_parameters", "SELECT * FROM rcu_identity.match_parameters"],
    ["match_edges", "SELECT a, b FROM rcu_identity.match_edges"],
  ] as const) {
    const a = new Set((await pg(sql)).map(key));
    const b = new Set((await dk(sql)).map(key));
    const onlyPg = [...a].filter((x) => !b.has(x));
    const onlyDk = [...b].filter((x) => !a.has(x));
    console.log(`${name}: pg ${a.size} duckdb ${b.size}; only pg ${onlyPg.length}, only duckdb ${onlyDk.length}`);
    if (name === "person_records") {
      const byKey = new Map((await dk(sql)).map((r) => [String(r.record_key), r]));
      const diffs = new Map<string, string[]>();
      for (const r of await pg(sql)) {
        const d = byKey.get(String(r.record_key));
        if (!d) continue;
        for (const k of Object.keys(r)) {
          if (key({ v: r[k] }) !== key({ v: d[k] })) diffs.set(k, [...(diffs.get(k) ?? []), `${JSON.stringify(r[k])} vs ${JSON.stringify(d[k])}`]);
        }
      }
      for (const [k, v] of diffs) console.log(`  column ${k}: ${v.length} differ, e.g. ${v.slice(0, 3).join("; ")}`);
    }
    for (const x of onlyPg.slice(0, 3)) console.log("  pg:", x);
    for (const x of onlyDk.slice(0, 3)) console.log("  dk:", x);
  }
}

async function estate(): Promise<{ dataDir: string; yaml: (profile: { engine: string } | null, warehouse: string) => string }> {
  const root = await tempDir("rcu-pipeline-");
  const dataDir = path.join(root, "data");
  await generateEstate({ people: PEOPLE, seed: 7, outDir: dataDir });
  return {
    dataDir,
    yaml: (profile, warehouse) => {
      const text = demoConfigYaml({ projectDir: ROOT, dataDir, warehouse });
      return profile ? portableDemoConfig(text, profile) : text;
    },
  };
}

/** `rcu evaluate --json` against the estate's ground truth: pairwise and B-cubed figures. */
async function evaluation(config: string, env: Record<string, string>): Promise<unknown> {
  const r = await cli(["evaluate", "--config", config, "--truth", truthFile, "--json"], ROOT, env);
  expect(r.code).toBe(0);
  const e = JSON.parse(r.stdout) as { pairwise: unknown; b_cubed: unknown; entities: unknown; missingFromWarehouse: number };
  return { pairwise: e.pairwise, b_cubed: e.b_cubed, entities: e.entities, missingFromWarehouse: e.missingFromWarehouse };
}
let truthFile = "";

describe.skipIf(targets.length === 0)("standard pipeline on PostgreSQL and Redshift", () => {
  let data: Awaited<ReturnType<typeof estate>>;
  let baseline: Snapshot;
  let duckFile: string;
  let duckEvaluation: unknown;

  beforeAll(async () => {
    data = await estate();
    truthFile = path.join(data.dataDir, "truth", "persons.csv");
    const dir = await tempDir("rcu-pipeline-duckdb-");
    const db = path.join(dir, "warehouse.duckdb");
    const config = path.join(dir, "rcu.yaml");
    await writeFile(config, data.yaml(null, db));
    // Random pairs and EM samples drawn with the MD5 hash every engine shares (DuckDB's hash() is its own).
    const r = await cli(["run", "--config", config, "--threads", "2", "--vars", "rcu_portable_hash=true"], ROOT);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    baseline = await snapshot((text) => duck(db, text) as Promise<Row[]>);
    duckFile = db;
    duckEvaluation = await evaluation(config, {});
  }, 300_000);

  it.each(targets.map((e) => [e.name, e] as [string, E2eEngine]))("%s gives DuckDB's clusters, golden records, facts and marts", async (_name, engine) => {
    const dir = await tempDir(`rcu-pipeline-${engine.name}-`);
    const wh = await engine.setup(dir);
    try {
      const { parse } = await import("yaml");
      const { readFile } = await import("node:fs/promises");
      const profile = (parse(await readFile(path.join(dir, "rcu.yaml"), "utf8")) as { profiles: { wh: { engine: string } } }).profiles.wh;
      const config = path.join(dir, "rcu.yaml");
      await writeFile(config, data.yaml(profile, ""));
      const r = await cli(["run", "--config", config, "--threads", "2"], ROOT, wh.env);
      if (r.code !== 0) console.log(r.stdout, r.stderr);
      if (process.env.RCU_PIPELINE_DEBUG_SQL) for (const q of process.env.RCU_PIPELINE_DEBUG_SQL.split(";;")) console.log(q, await wh.sql(q).catch((e: Error) => e.message));
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const got = await snapshot(wh.sql);
      if (process.env.RCU_PIPELINE_DEBUG) await diagnose(wh.sql, (text) => duck(duckFile, text) as Promise<Row[]>);
      expect(got.partition.length).toBe(baseline.partition.length);
      expect(got.partition).toEqual(baseline.partition);
      expect(got.users).toEqual(baseline.users);
      expect(got.facts).toEqual(baseline.facts);
      expect(got.c360).toEqual(baseline.c360);
      // rcu evaluate (identity/evaluate.ts) reads the engine's identity map: the same accuracy.
      expect(await evaluation(config, wh.env)).toEqual(duckEvaluation);
    } finally {
      await wh.close();
    }
  }, 600_000);
});
