/**
 * Stable ids on the sample estate (issue #5: "≥ 99.9 % of unchanged people keep their user_id
 * after a run with 5 % new records"), where households, nameless sign-ups and re-estimated EM
 * weights make it harder than on FEBRL (test/identity-e2e/febrl.test.ts checks it there).
 *
 * Generate P people and land them; hold back a share of every person source's raw rows (by a hash
 * of the record id, so the same rows whatever the engine's row order); resolve; put the rows back,
 * as a later load would land them; resolve again. "Unchanged people" are the true people none of
 * whose records were held back: each of their records should keep its user_id. The second run's
 * clusters are also compared with a full rebuild's (`--full-refresh`) on a copy of the warehouse.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { loadConfig } from "../cli/config.js";
import { duckdbDialect as d } from "../engine/warehouses/duckdb/dialect.js";
import { readTruth } from "../identity/evaluate.js";
import { rcu } from "./rcu-cli.js";

export interface StabilityBenchResult {
  readonly people: number;
  /** Share of each person source's rows held back from the first run. */
  readonly share: number;
  readonly heldBackRecords: number;
  readonly recordsSecondRun: number;
  /** Records of people with no held-back record, present in both runs. */
  readonly unchangedRecords: number;
  /** Of those, the share that kept their user_id. */
  readonly unchangedKept: number;
  /** Records of people who received a held-back record, present in both runs, and the share kept. */
  readonly touchedRecords: number;
  readonly touchedKept: number;
  /** The second run's partition of records into users equals a full rebuild's (ids aside). */
  readonly equalsFullRebuild: boolean;
  /** Users the second run and the full rebuild group differently (0 when equal). */
  readonly usersDifferingFromRebuild: number;
  readonly secondRunSeconds: number;
}

async function withWarehouse<T>(file: string, f: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    return await f(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function userIds(file: string): Promise<Map<string, string>> {
  return withWarehouse(file, async (c) => {
    const rows = (await c.runAndReadAll("SELECT record_key, user_id FROM rcu_identity.identity_map")).getRowObjectsJS() as { record_key: string; user_id: string }[];
    return new Map(rows.map((r) => [r.record_key, r.user_id]));
  });
}

/** Users as sorted lists of their record keys, for comparing two partitions whatever the ids. */
function partition(ids: Map<string, string>): Set<string> {
  const byUser = new Map<string, string[]>();
  for (const [key, user] of ids) {
    const keys = byUser.get(user);
    if (keys) keys.push(key);
    else byUser.set(user, [key]);
  }
  return new Set([...byUser.values()].map((keys) => keys.sort().join("\n")));
}

/** `keep` (`--keep`): leave the estate's directory, its path in the result, with first-run.duckdb beside the warehouse. */
export async function benchStability(opts: { people?: number; share?: number; keep?: boolean } = {}): Promise<StabilityBenchResult & { dir?: string }> {
  const people = opts.people ?? 10_000;
  const share = opts.share ?? 0.05;
  const dir = await mkdtemp(path.join(tmpdir(), "rcu-bench-stability-"));
  try {
    await rcu(["demo", "--people", String(people), "--out", dir]);
    const config = path.join(dir, "rcu.yaml");
    const project = await loadConfig(dir, undefined, config);
    if (project.profile.engine !== "duckdb") throw new Error(`${config}: the stability benchmark runs on the embedded DuckDB profile`);
    const warehouse = path.resolve(dir, project.profile.path);
    await rcu(["extract", "--config", config]);

    // Hold back `share` of every person source's rows, keyed by record id.
    const sources = Object.entries(project.identity.person_sources).map(([name, s]) => {
      if (typeof s.record_id !== "string") throw new Error(`${config}: identity.person_sources.${name}.record_id is an expression; the benchmark needs a column`);
      // identity.person_sources' relation is validated as schema.table.
      const [schema, table] = s.relation.split(".") as [string, string];
      return { name, relation: d.qualify({ schema, name: table }), id: d.quoteIdentifier(s.record_id), held: d.qualify({ schema: "rcu_bench_held", name }) };
    });
    const permille = Math.round(share * 1000);
    const held = new Set<string>();
    await withWarehouse(warehouse, async (c) => {
      await c.run("CREATE SCHEMA IF NOT EXISTS rcu_bench_held");
      for (const s of sources) {
        const hold = `hash(CAST(${s.id} AS VARCHAR)) % 1000 < ${permille}`;
        await c.run(`CREATE OR REPLACE TABLE ${s.held} AS SELECT * FROM ${s.relation} WHERE ${hold}`);
        const ids = (await c.runAndReadAll(`SELECT DISTINCT CAST(${s.id} AS VARCHAR) AS id FROM ${s.held}`)).getRowObjectsJS() as { id: string }[];
        for (const r of ids) held.add(`${s.name}:${r.id}`);
        await c.run(`DELETE FROM ${s.relation} WHERE ${hold}`);
      }
    });
    await rcu(["run", "--config", config, "--skip-extract", "--select", "tag:identity"]);
    const before = await userIds(warehouse);
    if (opts.keep) await copyFile(warehouse, path.join(dir, "first-run.duckdb"));

    // The held-back rows arrive, as a later load would land them.
    await withWarehouse(warehouse, async (c) => {
      for (const s of sources) await c.run(`INSERT INTO ${s.relation} SELECT * FROM ${s.held}`);
      await c.run("DROP SCHEMA rcu_bench_held CASCADE");
    });
    const t0 = performance.now();
    await rcu(["run", "--config", config, "--skip-extract", "--select", "tag:identity"]);
    const secondRunSeconds = (performance.now() - t0) / 1000;
    const after = await userIds(warehouse);

    // A full rebuild of the same data on a copy: the same clusters, whatever their ids.
    const copy = path.join(dir, "rebuild.duckdb");
    await copyFile(warehouse, copy);
    const rebuildConfig = path.join(dir, "rebuild.yaml");
    const yaml = (await readFile(config, "utf8")).split(project.profile.path).join(copy);
    // Otherwise the "rebuild" would run on the warehouse itself and equal it trivially.
    if (!yaml.includes(copy)) throw new Error(`${config}: the warehouse path ${project.profile.path} is not written as such; cannot point a copy of the config at the rebuild`);
    await writeFile(rebuildConfig, yaml);
    await rcu(["run", "--config", rebuildConfig, "--skip-extract", "--full-refresh", "--select", "tag:identity"]);
    const rebuilt = await userIds(copy);

    // Truth: which people received a held-back record.
    const entityOf = await readTruth(path.join(dir, "data", "truth", "persons.csv"));
    const touched = new Set([...held].map((k) => entityOf.get(k)).filter((e): e is string => e !== undefined));
    let unchanged = 0, unchangedKept = 0, touchedBoth = 0, touchedKept = 0;
    for (const [key, user] of after) {
      const old = before.get(key);
      if (old === undefined) continue;
      const entity = entityOf.get(key);
      if (entity !== undefined && touched.has(entity)) {
        touchedBoth++;
        if (old === user) touchedKept++;
      } else {
        unchanged++;
        if (old === user) unchangedKept++;
      }
    }
    const mine = partition(after);
    const theirs = partition(rebuilt);
    const differing = [...mine].filter((u) => !theirs.has(u)).length;
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    return {
      people,
      share,
      heldBackRecords: held.size,
      recordsSecondRun: after.size,
      unchangedRecords: unchanged,
      unchangedKept: round(unchangedKept / unchanged),
      touchedRecords: touchedBoth,
      touchedKept: round(touchedKept / touchedBoth),
      equalsFullRebuild: differing === 0 && mine.size === theirs.size,
      usersDifferingFromRebuild: differing,
      secondRunSeconds: Math.round(secondRunSeconds * 10) / 10,
      ...(opts.keep ? { dir } : {}),
    };
  } finally {
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  console.log(JSON.stringify(await benchStability({ people: arg("--people"), share: arg("--share"), keep: process.argv.includes("--keep") }), null, 2));
}
