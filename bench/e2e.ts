/**
 * End-to-end benchmark on the sample estate (issue #9's performance suite): for each size, the
 * time of every phase — extract, staging, identity, star, marts — with rows per second, peak RSS
 * and candidate pairs compared; the growth between sizes (near-linear is the goal); an incremental
 * run after 1 % new people (the estate regenerated 1 % larger, as a full export would be); and
 * orchestration overhead: the build's wall time against the sum of the engine's statement times
 * at --threads 1.
 *
 *   node dist/bench/e2e.js 10000,100000          # sizes (people); 1000000 takes tens of minutes
 *   node dist/bench/e2e.js 1000000 --no-incremental --memory 14GB   # skip the re-run; DuckDB memory
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { main } from "../cli/main.js";
import type { RunResults } from "../engine/execute/results.js";
import { DuckDBWarehouse } from "../engine/warehouses/duckdb/driver.js";
import { generateEstate } from "../sample/generate.js";
import { demoConfigYaml } from "../sample/demo-config.js";
import { writeFile } from "node:fs/promises";
import { ROOT } from "./rcu-cli.js";


const PHASES: Array<[string, RegExp]> = [
  ["staging", /^rcu_staging\.|^rcu_identity\.stg_person_/],
  ["identity", /^rcu_identity\.|^rcu_core\.(users|user_identifiers)$|^rcu_meta\./],
  ["star", /^rcu_core\./],
  ["marts", /^rcu_marts\./],
  ["reference", /^rcu_reference\./],
];

function phaseOf(id: string): string {
  if (id.startsWith("rcu_assertions.")) return "assertions";
  return PHASES.find(([, re]) => re.test(id))?.[0] ?? "other";
}

/** Run the CLI in-process, silently; returns the exit code and stdout. */
async function rcu(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const sink = (f: (s: string) => void) => ({ write: (s: string) => (f(s), true), isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await main(args, { stdout: sink((s) => (stdout += s)), stderr: sink(() => undefined), env: { NO_COLOR: "1" }, cwd });
  return { code, stdout };
}

async function scalar(db: string, sql: string): Promise<number> {
  const wh = new DuckDBWarehouse({ engine: "duckdb", path: db }, { readOnly: true });
  try {
    const conn = await wh.connect();
    const [row] = await conn.query(sql);
    await conn.close();
    return Number(Object.values(row ?? {})[0] ?? 0);
  } finally {
    await wh.close();
  }
}

function phases(results: RunResults): Record<string, { seconds: number; engineSeconds: number; actions: number }> {
  const out: Record<string, { seconds: number; engineSeconds: number; actions: number }> = {};
  for (const a of results.actions) {
    const p = phaseOf(a.id);
    const cur = out[p] ?? { seconds: 0, engineSeconds: 0, actions: 0 };
    out[p] = { seconds: cur.seconds + a.durationMs / 1000, engineSeconds: cur.engineSeconds + (a.engineMs ?? 0) / 1000, actions: cur.actions + 1 };
  }
  return out;
}

export interface E2eFigures {
  readonly people: number;
  readonly sourceRows: number;
  readonly personRecords: number;
  readonly candidatePairs: number;
  readonly extractSeconds: number;
  readonly extractRowsPerSecond: number;
  readonly buildSeconds: number;
  readonly phaseSeconds: Record<string, { seconds: number; engineSeconds: number; actions: number }>;
  readonly engineSecondsTotal: number;
  readonly orchestrationOverhead: number;
  readonly incrementalSeconds: number;
  readonly incrementalFraction: number;
  readonly peakRssMiB: number;
}

export async function benchEndToEnd(people: number, opts: { incremental?: boolean; memoryLimit?: string } = {}): Promise<E2eFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rcu-e2e-bench-"));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const data = path.join(dir, "data");
    await generateEstate({ people, seed: 42, outDir: data });
    const config = path.join(dir, "rcu.yaml");
    let yaml = demoConfigYaml({ projectDir: ROOT, dataDir: data, warehouse: path.join(dir, "warehouse.duckdb") });
    // The demo caps DuckDB at 4 GB; at 1M people candidate pairs need more (measured: out of memory).
    if (opts.memoryLimit) yaml = yaml.replace('memory_limit: "4GB"', `memory_limit: ${JSON.stringify(opts.memoryLimit)}, preserve_insertion_order: false`);
    await writeFile(config, yaml);
    const db = path.join(dir, "warehouse.duckdb");

    let t = performance.now();
    if ((await rcu(["extract", "--config", config], ROOT)).code !== 0) throw new Error("extract failed");
    const extractSeconds = (performance.now() - t) / 1000;
    const sourceRows = await scalar(db, "SELECT SUM(rows_landed) FROM rcu_meta.loads WHERE status = 'succeeded'");

    // One thread: the sum of statement times is then comparable with the wall time.
    t = performance.now();
    const build = await rcu(["run", "--config", config, "--skip-extract", "--threads", "1", "--json"], ROOT);
    const buildSeconds = (performance.now() - t) / 1000;
    const results = JSON.parse(build.stdout) as RunResults;
    if (build.code !== 0) {
      const failed = results.actions.filter((a) => a.status === "failed").map((a) => `${a.id}: ${String((a.error as { message?: string } | undefined)?.message ?? "").slice(0, 400)}`);
      throw new Error(`build failed at ${people} people:\n${failed.join("\n")}`);
    }
    const engineSecondsTotal = results.actions.reduce((n, a) => n + (a.engineMs ?? 0), 0) / 1000;

    const personRecords = await scalar(db, "SELECT COUNT(*) FROM rcu_identity.person_records");
    const candidatePairs = await scalar(db, "SELECT COUNT(*) FROM rcu_identity.candidate_pairs");

    // 1 % more people, as the next full export of every system would carry them.
    let incrementalSeconds = Number.NaN;
    if (opts.incremental !== false) {
      await generateEstate({ people: Math.round(people * 1.01), seed: 42, outDir: data });
      t = performance.now();
      if ((await rcu(["run", "--config", config, "--threads", "2"], ROOT)).code !== 0) throw new Error("incremental run failed");
      incrementalSeconds = (performance.now() - t) / 1000;
    }

    return {
      people,
      sourceRows,
      personRecords,
      candidatePairs,
      extractSeconds,
      extractRowsPerSecond: sourceRows / extractSeconds,
      buildSeconds,
      phaseSeconds: phases(results),
      engineSecondsTotal,
      orchestrationOverhead: (buildSeconds - engineSecondsTotal) / buildSeconds,
      incrementalSeconds,
      incrementalFraction: incrementalSeconds / (extractSeconds + buildSeconds),
      peakRssMiB: peak / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.argv[2] ?? "10000,100000").split(",").map(Number);
  const incremental = !process.argv.includes("--no-incremental");
  const memArg = process.argv.indexOf("--memory");
  const memoryLimit = memArg >= 0 ? process.argv[memArg + 1] : undefined;
  const figures: E2eFigures[] = [];
  for (const n of sizes) {
    const f = await benchEndToEnd(n, { incremental, ...(memoryLimit ? { memoryLimit } : {}) });
    figures.push(f);
    console.log(JSON.stringify(f));
  }
  for (let i = 1; i < figures.length; i++) {
    const a = figures[i - 1]!;
    const b = figures[i]!;
    const size = b.people / a.people;
    const time = (b.extractSeconds + b.buildSeconds) / (a.extractSeconds + a.buildSeconds);
    console.log(JSON.stringify({ growth: `${a.people} → ${b.people}`, sizeRatio: size, timeRatio: time, linearity: time / size }));
  }
}
