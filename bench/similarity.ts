/**
 * Redshift's plain-SQL Jaro–Winkler and edit distance (includes/similarity.js), against a native
 * function on the same engine in the same run: PostgreSQL (PGlite, the engine under the Redshift
 * test server), where rcu's PL/pgSQL `rcu_jaro_winkler` and fuzzystrmatch's `levenshtein` compute
 * the same scores. Each side scores every distinct pair of a list of French names, their typos and
 * other names, as the comparison vectors do (grouped by the strings, then the score), best of
 * `runs`; the pairs scored differently are counted too (0 expected: both are DuckDB's scores).
 *
 * `node dist/bench/similarity.js [--pairs N]`
 */
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadIncludes, renderInclude, type IncludeModule } from "../engine/compile/includes.js";
import { FEMALE_FIRST, MALE_FIRST, SURNAMES } from "../sample/data/names.js";
import { typo } from "../sample/dirt.js";
import { stripAccents } from "../sample/person.js";
import { Rng } from "../sample/prng.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface SimilarityBenchResult {
  readonly pairs: number;
  readonly runs: number;
  /** Seconds, best of `runs`. */
  readonly plainSqlJaroWinklerSeconds: number;
  readonly functionJaroWinklerSeconds: number;
  /** plain SQL / function: how much dearer Redshift's formulation is than a native function. */
  readonly jaroWinklerRatio: number;
  readonly jaroWinklerDiffering: number;
  readonly plainSqlEditDistanceSeconds: number;
  readonly levenshteinSeconds: number;
  readonly editDistanceRatio: number;
  /** Pairs whose distance differs, both capped at 3 (the plain SQL is exact up to 2). */
  readonly editDistanceDiffering: number;
}

/** Matching keys as person_records holds them: lower case, accents folded, hyphens as spaces. */
const key = (s: string) => stripAccents(s).toLowerCase().replace(/-/g, " ");

function namePairs(count: number): Array<[string, string]> {
  const names = [...new Set([...FEMALE_FIRST, ...MALE_FIRST, ...SURNAMES].map(([n]) => key(n)))];
  const rng = new Rng(28);
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  // Half a name against its typo (or two), half two names: what candidate and random pairs hold.
  for (let guard = 0; out.length < count && guard < count * 20; guard++) {
    const a = names[rng.int(names.length)]!;
    const b = rng.chance(0.5) ? (rng.chance(0.5) ? typo(a, rng) : typo(typo(a, rng), rng)) : names[rng.int(names.length)]!;
    if (a === b || !a || !b || seen.has(`${a}|${b}`)) continue;
    seen.add(`${a}|${b}`);
    out.push([a, b]);
  }
  return out;
}

async function best<T>(runs: number, f: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  let seconds = Infinity;
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await f();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, value: value as T };
}

export async function benchSimilarity(opts: { pairs?: number; runs?: number } = {}): Promise<SimilarityBenchResult> {
  const runs = opts.runs ?? 3;
  const pairs = namePairs(opts.pairs ?? 20_000);
  const redshift = loadIncludes(ROOT, { rcu_engine: "redshift" })("similarity");
  const postgres = loadIncludes(ROOT, { rcu_engine: "postgres" })("similarity");
  const db = new PGlite({ extensions: { fuzzystrmatch } });
  try {
    await db.exec("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch");
    for (const sql of (postgres.similaritySetup as () => string[])()) await db.exec(sql);
    await db.exec("CREATE TABLE s (k int, a text, b text)");
    const lit = (x: string) => `'${x.replace(/'/g, "''")}'`;
    for (let i = 0; i < pairs.length; i += 2000) {
      await db.exec(`INSERT INTO s VALUES ${pairs.slice(i, i + 2000).map(([a, b]) => `(1, ${lit(a)}, ${lit(b)})`).join(", ")}`);
    }
    await db.exec("ANALYZE s");
    const scores = async (sql: string) => new Map((await db.query<{ a: string; b: string; v: number | string | null }>(sql)).rows.map((r) => [`${r.a}|${r.b}`, r.v === null ? null : Number(r.v)]));
    const call = (mod: IncludeModule, fn: string, ...args: string[]) => renderInclude(mod, fn, ...args);
    // As identity_match.scoredPairs: counts per distinct pair of strings, joined back, then the score.
    const ctes = (redshift.similarityCountsCtes as (s: string, n: string) => string[])("s", "counts");
    const plainJw = `WITH ${ctes.join(",\n")}
SELECT s.a, s.b, ${call(redshift, "similarityOfJaro", call(redshift, "jaroOfCounts", "c.v", "s.a", "s.b"), "s.a", "s.b")} AS v
FROM s LEFT JOIN counts AS c ON c.k = s.k AND c.a = s.a AND c.b = s.b`;
    const functionJw = `SELECT a, b, ${call(postgres, "similarity", "a", "b")} AS v FROM s`;
    const plainEdits = `WITH e AS (${call(redshift, "editDistanceByStrings", "s")}) SELECT s.a, s.b, LEAST(e.v, 3) AS v FROM s LEFT JOIN e ON e.k = s.k AND e.a = s.a AND e.b = s.b`;
    const levenshtein = `SELECT a, b, LEAST(${call(postgres, "editDistance", "a", "b")}, 3) AS v FROM s`;
    const pj = await best(runs, () => scores(plainJw));
    const fj = await best(runs, () => scores(functionJw));
    const pe = await best(runs, () => scores(plainEdits));
    const le = await best(runs, () => scores(levenshtein));
    const differing = (x: Map<string, number | null>, y: Map<string, number | null>) => [...x].filter(([k, v]) => y.get(k) !== v).length;
    return {
      pairs: pairs.length,
      runs,
      plainSqlJaroWinklerSeconds: pj.seconds,
      functionJaroWinklerSeconds: fj.seconds,
      jaroWinklerRatio: pj.seconds / fj.seconds,
      jaroWinklerDiffering: differing(pj.value, fj.value),
      plainSqlEditDistanceSeconds: pe.seconds,
      levenshteinSeconds: le.seconds,
      editDistanceRatio: pe.seconds / le.seconds,
      editDistanceDiffering: differing(pe.value, le.value),
    };
  } finally {
    await db.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--pairs");
  console.log(JSON.stringify(await benchSimilarity({ pairs: at >= 0 ? Number(process.argv[at + 1]) : undefined })));
}
