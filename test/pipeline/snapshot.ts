/**
 * What the cross-engine pipeline test compares: the partition of person records into users, and
 * the rows of the identity, star and mart tables, normalised so that equal results compare equal
 * whatever the engine's client returns (Date, bigint, float noise).
 */
import type { Row } from "../../engine/warehouses/types.js";

/** Tables compared row by row (every column but the run-dependent ones below). */
export const COMPARED_TABLES = [
  "rcu_identity.person_records",
  "rcu_identity.u_probabilities",
  "rcu_identity.match_parameters",
  "rcu_identity.pair_scores",
  "rcu_core.users",
  "rcu_core.user_identifiers",
  "rcu_core.fact_orders",
  "rcu_core.fact_order_lines",
  "rcu_core.fact_web_events",
  "rcu_core.fact_web_sessions",
  "rcu_core.fact_email_events",
  "rcu_core.fact_interactions",
  "rcu_core.fact_consent_changes",
  "rcu_marts.customer_scores",
  "rcu_marts.customer_360",
  "rcu_marts.segment_membership",
  "rcu_marts.kpi_daily",
  "rcu_marts.kpi_daily_channel",
  "rcu_marts.user_consents",
  "rcu_marts.identity_quality",
  "rcu_marts.identity_quality:match_edges",
  "rcu_core.user_devices",
  "rcu_core.dim_geography",
  "rcu_core.dim_channel",
  "rcu_reference.dim_date",
] as const;

/**
 * Compared parts read by a query of their own: identity_quality's counts of links per decision
 * (match.edges.*) come from the scores, the rest from the clusters, facts and consents.
 */
const QUERIES: Readonly<Record<string, string>> = {
  "rcu_marts.identity_quality": "SELECT * FROM rcu_marts.identity_quality WHERE metric NOT LIKE 'match.edges.%'",
  "rcu_marts.identity_quality:match_edges": "SELECT * FROM rcu_marts.identity_quality WHERE metric LIKE 'match.edges.%'",
};

/** Columns that record when or in which run a row was built: they differ between any two runs. */
const RUN_DEPENDENT = new Set(["first_seen_at", "assigned_at", "loaded_at", "load_id", "built_at", "computed_at", "run_id", "member_since"]);

export interface Snapshot {
  /** Each user's record keys, sorted, as "k1|k2|…", the list sorted. */
  readonly clusters: string[];
  /** user_id → its clusters' key (user ids are derived from the cluster, so equal across engines). */
  readonly users: Array<[string, string]>;
  /** Normalised rows (JSON, sorted) per table. */
  readonly tables: Record<string, string[]>;
  /** Headline figures. */
  readonly figures: Record<string, number>;
}

type Sql = (sql: string) => Promise<Row[]>;

/**
 * A value as compared: instants as ISO text, numbers to 10 significant digits (sums of doubles
 * depend on the order an engine adds them in, which may vary between runs in the last bits: at
 * 12 digits a value on a rounding boundary showed up as a difference).
 */
function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? v : Number(v.toPrecision(10));
  if (typeof v === "object") return JSON.stringify(v);
  return v;
}

function rowText(r: Row): string {
  const keys = Object.keys(r).filter((k) => !RUN_DEPENDENT.has(k)).sort();
  return JSON.stringify(keys.map((k) => [k, norm(r[k])]));
}

export async function snapshot(sql: Sql): Promise<Snapshot> {
  const map = await sql("SELECT record_key, user_id FROM rcu_identity.identity_map");
  const byUser = new Map<string, string[]>();
  for (const r of map) byUser.set(String(r.user_id), [...(byUser.get(String(r.user_id)) ?? []), String(r.record_key)]);
  const users = [...byUser].map(([u, keys]) => [u, keys.sort().join("|")] as [string, string]).sort((a, b) => a[0].localeCompare(b[0]));
  const tables: Record<string, string[]> = {};
  for (const t of COMPARED_TABLES) tables[t] = (await sql(QUERIES[t] ?? `SELECT * FROM ${t}`)).map(rowText).sort();
  const [orders] = await sql(
    "SELECT COUNT(*) AS n, SUM(revenue) AS revenue, SUM(CASE WHEN is_revenue THEN 1 ELSE 0 END) AS revenue_orders, COUNT(DISTINCT user_id) AS buyers FROM rcu_core.fact_orders",
  );
  const [c360] = await sql(
    "SELECT COUNT(*) AS n, SUM(orders) AS orders, SUM(revenue) AS revenue, SUM(identities) AS identities, SUM(tickets) AS tickets, SUM(email_opens_90d) AS opens FROM rcu_marts.customer_360",
  );
  const figures: Record<string, number> = {
    person_records: map.length,
    users: byUser.size,
    fact_orders_rows: Number(orders?.n ?? 0),
    fact_orders_revenue: Number(norm(Number(orders?.revenue ?? 0))),
    fact_orders_revenue_orders: Number(orders?.revenue_orders ?? 0),
    fact_orders_buyers: Number(orders?.buyers ?? 0),
    customer_360_rows: Number(c360?.n ?? 0),
    customer_360_orders: Number(c360?.orders ?? 0),
    customer_360_revenue: Number(norm(Number(c360?.revenue ?? 0))),
    customer_360_identities: Number(c360?.identities ?? 0),
    customer_360_tickets: Number(c360?.tickets ?? 0),
    customer_360_email_opens_90d: Number(c360?.opens ?? 0),
  };
  for (const t of COMPARED_TABLES) figures[`${t} rows`] = tables[t]!.length;
  return { clusters: users.map(([, k]) => k).sort(), users, tables, figures };
}

/**
 * Two compared values of column `column` alike: equal, or numbers within one unit of their 10th
 * significant digit. Rounding alone cannot absorb the last bits of a float: a value on a rounding
 * boundary rounds either way (at 10k people, 5 of 35,820 pair_scores rows of one engine differed
 * between two runs by one unit in the 10th digit, 9.056648454e-11 against 9.056648455e-11).
 * A weight (a column named *_weight: a sum of log-odds terms) is alike within 1e-12 too: where its
 * terms cancel, it keeps their absolute error, not a relative one of its own (a match weight of
 * 7e-6, the sum of terms near ±10, differed between two DuckDB runs by 9e-14: 10k people, session
 * 26). No two weights that really differ are that close.
 */
function alike(column: string, x: unknown, y: unknown): boolean {
  if (typeof x === "number" && typeof y === "number") {
    const d = Math.abs(x - y);
    return d <= 1.5e-9 * Math.max(Math.abs(x), Math.abs(y)) || (column.endsWith("_weight") && d <= 1e-12);
  }
  return x === y;
}

/** Two row texts (rowText) alike column by column. */
function rowsAlike(a: string, b: string): boolean {
  const x = JSON.parse(a) as [string, unknown][];
  const y = JSON.parse(b) as [string, unknown][];
  return x.length === y.length && x.every(([k, v], i) => y[i]![0] === k && alike(k, v, y[i]![1]));
}

/** A row text with its numbers blanked: only rows of one shape can be alike. */
function shape(row: string): string {
  return JSON.stringify((JSON.parse(row) as [string, unknown][]).map(([k, v]) => [k, typeof v === "number" ? null : v]));
}

/**
 * Rows of `a` and of `b` left once the exact matches, then the alike ones, are paired. Leftovers
 * are grouped by shape first, so that thousands of real differences are not compared pairwise.
 */
function unpaired(a: readonly string[], b: readonly string[]): [string[], string[]] {
  const x = missing(a, b);
  const y = missing(b, a);
  const byShape = new Map<string, number[]>();
  y.forEach((r, j) => {
    const k = shape(r);
    const group = byShape.get(k);
    if (group) group.push(j);
    else byShape.set(k, [j]);
  });
  const used = new Set<number>();
  const left = x.filter((r) => {
    const i = (byShape.get(shape(r)) ?? []).find((j) => !used.has(j) && rowsAlike(r, y[j]!));
    if (i === undefined) return true;
    used.add(i);
    return false;
  });
  return [left, y.filter((_, j) => !used.has(j))];
}

/** Rows of `a` missing from `b` (as multisets). */
function missing(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const r of b) left.set(r, (left.get(r) ?? 0) + 1);
  const out: string[] = [];
  for (const r of a) {
    const n = left.get(r) ?? 0;
    if (n > 0) left.set(r, n - 1);
    else out.push(r);
  }
  return out;
}

export interface Comparison {
  /** One line per difference (empty when the engines agree). */
  readonly differences: string[];
  readonly summary: Record<string, unknown>;
}

/** Every compared table, the clusters and the user ids of two engines' snapshots. */
export function compareSnapshots(a: Snapshot, b: Snapshot): Comparison {
  const differences: string[] = [];
  const onlyA = missing(a.clusters, b.clusters);
  const onlyB = missing(b.clusters, a.clusters);
  if (onlyA.length || onlyB.length) differences.push(`clusters: ${onlyA.length} only in the first engine (${onlyA.slice(0, 3).join(" ; ")}), ${onlyB.length} only in the second (${onlyB.slice(0, 3).join(" ; ")})`);
  const ids = missing(a.users.map((u) => u.join("=")), b.users.map((u) => u.join("=")));
  if (ids.length) differences.push(`user ids: ${ids.length} users have another id or records (${ids.slice(0, 3).join(" ; ")})`);
  const tableDiffs: Record<string, number> = {};
  for (const t of COMPARED_TABLES) {
    const ra = a.tables[t] ?? [];
    const rb = b.tables[t] ?? [];
    const [x, y] = unpaired(ra, rb);
    tableDiffs[t] = x.length + y.length;
    if (x.length || y.length) differences.push(`${t}: ${x.length} rows only in the first engine, ${y.length} only in the second; e.g.\n  ${x.slice(0, 2).join("\n  ")}\n  vs\n  ${y.slice(0, 2).join("\n  ")}`);
  }
  for (const k of Object.keys(a.figures)) if (!alike(k, a.figures[k], b.figures[k])) differences.push(`${k}: ${a.figures[k]} vs ${b.figures[k]}`);
  return {
    differences,
    summary: { clustersOnlyInFirst: onlyA.length, clustersOnlyInSecond: onlyB.length, tableRowDifferences: tableDiffs, figures: a.figures },
  };
}
