/**
 * Jaro–Winkler against DuckDB's built-in, on French names and their typos, on a real PostgreSQL
 * (PGlite):
 * - Redshift's plain-SQL form (similarity.similarityCountsCtes, then jaroOfCounts, then
 *   similarityOfJaro) must give DuckDB's score on every pair of ASCII keys too, computed once per
 *   distinct pair of strings and joined back (identity_match.scoredPairs) as inlined
 *   (similarity()); the edit distance (editDistance) must be the same in both forms, and DuckDB's
 *   up to 2.
 * - PostgreSQL's function (similarity.similaritySetup) must give DuckDB's score on every pair of
 *   ASCII keys (DuckDB counts bytes: see below).
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEMALE_FIRST, MALE_FIRST, SURNAMES } from "../../sample/data/names.js";
import { typo } from "../../sample/dirt.js";
import { Rng } from "../../sample/prng.js";
import { duck, loadInclude, tempDir } from "../helpers.js";

interface Similarity {
  similarity(a: string, b: string): string;
  editDistance(a: string, b: string): string;
  similaritySetup(): string[];
}
const redshift = loadInclude<Similarity>("similarity.js", { rcu_engine: "redshift" });
type PerPair = { column: string; similarityOf?: [string, string]; editsOf?: [string, string]; sql?: string };
type Scored = { ctes: string[]; from: string };
const redshiftMatch = loadInclude<{ scoredPairs(pairs: string, records: string, id: string, columns: PerPair[]): Scored }>("identity_match.js", { rcu_engine: "redshift" });
const pg = loadInclude<Similarity>("similarity.js", { rcu_engine: "postgres" });
const duckdb = loadInclude<Similarity>("similarity.js", { rcu_engine: "duckdb" });

/** Matching keys as person_records holds them: lower case, accents folded, hyphens as spaces. */
const key = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/-/g, " ");

function pairs(): Array<[string | null, string | null]> {
  const names = [...FEMALE_FIRST, ...MALE_FIRST, ...SURNAMES].map(([n]) => key(n));
  const rng = new Rng(11);
  const out: Array<[string | null, string | null]> = [];
  names.forEach((n, i) => {
    out.push([n, n], [n, typo(n, rng)], [typo(n, rng), n]);
    for (let k = 1; k <= 2; k++) out.push([n, names[(i + k) % names.length]!]);
  });
  out.push(["zoe", "zeo"], ["jeanne", "anne"], ["a", "b"], ["a", "a"], ["", "anne"], [null, "anne"], ["anne", null], ["marie claire", "claire marie"]);
  // Snowflake's documented examples (lower case: its comparison ignores case), for the truncation.
  out.push(["gute nacht", "ich weis nicht"], ["snowflake", "oracle"]);
  // Repeated letters out of step, and address lines (long, many spaces and repeated letters).
  out.push(["aaaa", "aaab"], ["abab", "baba"], ["isabelle", "isabele"], ["anne marie", "marie anne"], ["aabbaabb", "abababab"]);
  out.push(["12 rue de la republique", "12 r de la republique"], ["3 avenue des champs elysees", "3 av des champs elysee"], ["le clos des vignes 45 chemin des pres", "45 chemin des pres le clos des vignes"]);
  // Edit distances of two (a character moved, deleted and substituted, two deleted) and three.
  out.push(["12345", "13452"], ["75011", "7501"], ["19800312", "198012"], ["martin", "mratni"], ["ab", "ba"], ["abc", ""], ["ab c", "ab"]);
  return out;
}

// DuckDB counts a string's bytes, PostgreSQL its characters: they differ on "bœuf" (œ is two
// bytes), never on ASCII — and matching keys are ASCII (person_name.matchKey folds œ to oe).
const ascii = (x: string | null) => x === null || /^[\x00-\x7f]*$/.test(x);
const lit = (s: string | null) => (s === null ? "NULL" : `'${s.replace(/'/g, "''")}'`);
const values = (ps: Array<[string | null, string | null]>) => ps.map(([a, b], i) => `(${i}, ${lit(a)}, ${lit(b)})`).join(", ");

let db: PGlite;
const input = pairs();
beforeAll(async () => {
  db = new PGlite();
  await db.exec(`CREATE TABLE pairs AS SELECT * FROM (VALUES ${values(input)}) AS v(i, a, b)`);
});
afterAll(() => db?.close());

async function pgScores(select: string): Promise<Map<number, number | null>> {
  const r = await db.query<{ i: number; s: string | number | null }>(select);
  return new Map(r.rows.map((row) => [Number(row.i), row.s === null ? null : Number(row.s)]));
}

async function duckdbScores(expr = duckdb.similarity("a", "b")): Promise<Map<number, number | null>> {
  const file = `${await tempDir("rcu-jw-")}/jw.duckdb`;
  await duck(file, `CREATE TABLE pairs AS SELECT * FROM (VALUES ${values(input)}) AS v(i, a, b)`);
  const rows = (await duck(file, `SELECT i, ${expr} AS s FROM pairs`)) as Array<{ i: number; s: number | null }>;
  return new Map(rows.map((r) => [Number(r.i), r.s === null ? null : Number(r.s)]));
}

describe("Jaro–Winkler on PostgreSQL (rcu_jaro_winkler)", () => {
  it("gives DuckDB's score on every pair of ASCII keys", async () => {
    expect(pg.similaritySetup()).toHaveLength(1);
    for (const sql of pg.similaritySetup()) await db.exec(sql);
    const scores = await pgScores(`SELECT i, ${pg.similarity("a", "b")} AS s FROM pairs`);
    const reference = await duckdbScores();
    expect(input.length).toBeGreaterThan(1800);
    const differ = input.map((p, i) => [p, scores.get(i), reference.get(i)] as const).filter(([, a, b]) => a !== b);
    expect(differ.filter(([[a, b]]) => ascii(a) && ascii(b))).toEqual([]);
    expect(differ.length).toBeLessThan(10);
    // Not a vacuous equality: the pairs span the bands.
    expect(new Set(scores.values()).size).toBeGreaterThan(40);
    expect(scores.get(input.findIndex(([a, b]) => a === "jeanne" && b === "anne"))).toBe(0.8);
    // Truncated to whole percent, as Snowflake's JAROWINKLER_SIMILARITY documents: 56 for a
    // score of 0.5651 (rounded, 57), 61 for 0.6111.
    const at = (a: string, b: string) => input.findIndex(([x, y]) => x === a && y === b);
    expect([reference.get(at("gute nacht", "ich weis nicht")), reference.get(at("snowflake", "oracle"))]).toEqual([0.56, 0.61]);
    expect([scores.get(at("gute nacht", "ich weis nicht")), scores.get(at("snowflake", "oracle"))]).toEqual([0.56, 0.61]);
  });
});

describe("Jaro–Winkler in plain SQL (Redshift)", () => {
  it("gives DuckDB's score on every pair of ASCII keys, computed once per pair in inner queries as inlined", async () => {
    // As identity_match.comparisonVectors computes it (scoredPairs): counts, then the Jaro score,
    // then Jaro–Winkler, each in an inner query, over the two records of each pair.
    await db.exec(`CREATE TABLE IF NOT EXISTS sides AS SELECT 2 * i AS id, a AS k FROM pairs UNION ALL SELECT 2 * i + 1, b FROM pairs`);
    const scored = redshiftMatch.scoredPairs("(SELECT i, 2 * i AS id_l, 2 * i + 1 AS id_r FROM pairs)", "sides", "id", [
      { column: "jw_k_k", similarityOf: ["k", "k"] },
      { column: "edits_k", editsOf: ["l.k", "r.k"] },
    ]);
    const over = (select: string) => `WITH ${scored.ctes.join(",\n")}\n${select} FROM ${scored.from} AS p`;
    const counted = await pgScores(over(`SELECT p.i, p."jw_k_k" AS s`));
    expect(counted.size).toBe(input.length);
    // similarity() inlined, on the pairs of names only a typo apart.
    const typos = input.map((_, i) => i).filter((i) => i % 5 === 1 || i % 5 === 2).join(", ");
    const inlined = await pgScores(`SELECT i, ${redshift.similarity("a", "b")} AS s FROM pairs WHERE i IN (${typos})`);
    expect(inlined.size).toBeGreaterThan(700);
    for (const [i, s] of inlined) expect([i, s]).toEqual([i, counted.get(i)]);
    // The edit distance, counted per distinct pair of strings, equals the one inlined per pair on
    // every pair (equal, NULL and empty strings included).
    const edits = await pgScores(over(`SELECT p.i, p."edits_k" AS s`));
    const editsInlined = await pgScores(`SELECT i, ${redshift.editDistance("a", "b")} AS s FROM pairs`);
    expect(editsInlined.size).toBe(input.length);
    expect([...editsInlined].filter(([i, d]) => edits.get(i) !== d)).toEqual([]);
    expect([null, 0, 1, 2, 3].every((d) => [...edits.values()].includes(d))).toBe(true);
    // … and DuckDB's Levenshtein distance up to 2, and 3 or more where it is 3 or more.
    const levenshtein = await duckdbScores(duckdb.editDistance("a", "b"));
    const bounded = (d: number | null | undefined) => (d == null ? d : Math.min(d, 3));
    const differs = input.map((p, i) => [p, bounded(edits.get(i)), bounded(levenshtein.get(i))] as const).filter(([, x, y]) => x !== y);
    expect(differs.filter(([[a, b]]) => ascii(a) && ascii(b))).toEqual([]);
    expect([...levenshtein.values()].filter((d) => d === 2).length).toBeGreaterThan(50);

    const reference = await duckdbScores();
    expect(input.length).toBeGreaterThan(1800);
    const differ = input.map((p, i) => [p, counted.get(i), reference.get(i)] as const).filter(([, a, b]) => a !== b);
    expect(differ.filter(([[a, b]]) => ascii(a) && ascii(b))).toEqual([]);
    // Not a vacuous equality: the pairs span the bands, and the pairs the former approximation
    // (the k-th occurrence of a letter matched with the k-th) scored lower are DuckDB's here.
    expect(new Set(counted.values()).size).toBeGreaterThan(40);
    expect(counted.get(input.findIndex(([a, b]) => a === "jeanne" && b === "anne"))).toBe(0.8);
  });
});
