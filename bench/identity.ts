/**
 * Identity-resolution benchmark on the sample estate: generate P people, land them, run the
 * identity model, and report time per stage (from target/run_results.json), pairs compared,
 * peak RSS and accuracy against the estate's ground truth. Baseline in the same run: DuckDB's own
 * time to read the person records (a full scan of person_records) is not meaningful for matching,
 * so the figure reported is records per second and its growth from P to 10·P.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import type { RunResults } from "../engine/execute/results.js";
import { type FalseMerges, falseMerges } from "./households.js";
import { ROOT, rcu } from "./rcu-cli.js";


export interface IdentityBenchResult {
  readonly people: number;
  readonly personRecords: number;
  readonly candidatePairs: number;
  readonly extractSeconds: number;
  readonly identitySeconds: number;
  readonly stages: Record<string, number>;
  readonly recordsPerSecond: number;
  readonly peakRssMiB: number;
  readonly pairwiseF1: number;
  readonly precision: number;
  readonly recall: number;
  /** Users holding several true people, and of those, both members of a household. */
  readonly falseMerges: FalseMerges;
  /** Recall reachable from the evidence the records share (rcu evaluate --ceiling), per kind. */
  readonly ceiling: Record<string, { recall: number; f1: number }>;
}


export async function benchIdentity(opts: { people?: number } = {}): Promise<IdentityBenchResult> {
  const people = opts.people ?? 50_000;
  const dir = await mkdtemp(path.join(tmpdir(), "rcu-bench-identity-"));
  try {
    await rcu(["demo", "--people", String(people), "--out", dir]);
    const config = path.join(dir, "rcu.yaml");
    const t0 = performance.now();
    await rcu(["extract", "--config", config]);
    const t1 = performance.now();
    await rcu(["run", "--config", config, "--skip-extract", "--select", "tag:identity"]);
    const t2 = performance.now();
    const results = JSON.parse(await readFile(path.join(ROOT, "target", "run_results.json"), "utf8")) as RunResults;
    const stages: Record<string, number> = {};
    for (const a of results.actions) if (a.kind !== "assertion") stages[a.id] = Math.round(a.durationMs) / 1000;
    const ev = JSON.parse(await rcu(["evaluate", "--config", config, "--truth", path.join(dir, "data", "truth", "persons.csv"), "--json", "--ceiling"])) as {
      pairwise: { f1: number; precision: number; recall: number };
      ceiling: { levels: { evidence: string; recall: number; f1: number }[] };
    };
    const instance = await DuckDBInstance.create(path.join(dir, "warehouse.duckdb"), { access_mode: "READ_ONLY" });
    const conn = await instance.connect();
    const count = async (t: string) => Number((await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM ${t}`)).getRowObjectsJS()[0]!.n);
    const personRecords = await count("rcu_identity.person_records");
    const candidatePairs = await count("rcu_identity.candidate_pairs");
    const { seed } = JSON.parse(await readFile(path.join(dir, "data", "manifest.json"), "utf8")) as { seed: number };
    const merges = await falseMerges(conn, path.join(dir, "data", "truth", "persons.csv"), seed);
    conn.closeSync();
    instance.closeSync();
    const identitySeconds = (t2 - t1) / 1000;
    return {
      people,
      personRecords,
      candidatePairs,
      extractSeconds: Math.round((t1 - t0) / 100) / 10,
      identitySeconds: Math.round(identitySeconds * 10) / 10,
      stages,
      recordsPerSecond: Math.round(personRecords / identitySeconds),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      pairwiseF1: ev.pairwise.f1,
      precision: ev.pairwise.precision,
      recall: ev.pairwise.recall,
      falseMerges: merges,
      ceiling: Object.fromEntries(ev.ceiling.levels.map((l) => [l.evidence, { recall: Math.round(l.recall * 1e4) / 1e4, f1: Math.round(l.f1 * 1e4) / 1e4 }])),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--people");
  console.log(JSON.stringify(await benchIdentity(i >= 0 ? { people: Number(process.argv[i + 1]) } : {}), null, 2));
}
