/**
 * includes/identity_graph.js on real DuckDB: the SQL components equal a union-find computed in
 * JS, for long chains, trees, random graphs and isolated nodes; too few rounds is detected; rcu's
 * engine, which stops the rounds once the labels are final, gives the same labels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBWarehouse } from "../../engine/warehouses/duckdb/driver.js";
import type { Connection } from "../../engine/warehouses/types.js";
import { loadInclude } from "../helpers.js";
import { runTask } from "../../engine/execute/run-task.js";
import { checkControls, statementControl } from "../../engine/plan/control.js";
import type { Task } from "../../engine/plan/plan.js";
import { dialects } from "../../engine/warehouses/registry.js";

const graph = loadInclude<{
  connectedComponents(o: { nodes: string; edges: string; target: { schema: string; name: string }; rounds?: number; numbered?: boolean }): string[];
  unconvergedEdges(o: { edges: string; clusters: string }): string;
}>("identity_graph.js");

let wh: DuckDBWarehouse;
let conn: Connection;
beforeAll(async () => {
  wh = new DuckDBWarehouse({ engine: "duckdb", path: ":memory:" });
  conn = await wh.connect();
  await conn.execute("CREATE SCHEMA g");
});
afterAll(async () => {
  await conn.close();
  await wh.close();
});

function unionFind(n: number, edges: Array<[number, number]>): number[] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const [a, b] of edges) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  // Label = smallest node of the component, like the SQL.
  const min = new Map<number, number>();
  for (let i = 0; i < n; i++) min.set(find(i), Math.min(min.get(find(i)) ?? i, i));
  return Array.from({ length: n }, (_, i) => min.get(find(i))!);
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The statements as rcu's engine runs an operation: early exits taken (plan/control.ts). */
async function runAsOperation(sqls: readonly string[]): Promise<{ skipped: number; executed: number }> {
  checkControls(sqls, { action: "g.clusters", file: "test" });
  const task: Task = {
    id: "g.clusters",
    kind: "operation",
    file: "test",
    target: { schema: "g", name: "clusters" },
    dependencies: [],
    body: { type: "sql", statements: sqls.map((sql) => ({ sql, role: "load" as const, ...statementControl(sql) })), atomic: false },
    notes: [],
  };
  const r = await runTask(task, conn, { dialect: dialects.duckdb });
  expect(r.error).toBeUndefined();
  return { skipped: r.skippedStatements ?? 0, executed: r.statements.length };
}

/**
 * Components of the graph, the statements run two ways: every one in order (as the official
 * Dataform CLI runs an operation), then by rcu's engine, which skips the rounds left once the
 * labels are final. Both must give the same labels.
 */
async function components(n: number, edges: Array<[number, number]>, rounds?: number): Promise<{ labels: number[]; unconverged: number; skipped: number }> {
  await conn.execute("CREATE OR REPLACE TABLE g.edge_input (a BIGINT, b BIGINT)");
  await conn.append({ schema: "g", name: "edge_input" }, ["a", "b"], edges);
  const target = { schema: "g", name: "clusters" };
  const sqls = graph.connectedComponents({
    nodes: `SELECT range AS node FROM range(${n})`,
    edges: "SELECT a, b FROM g.edge_input",
    target,
    ...(rounds ? { rounds } : {}),
  });
  const read = async () => {
    const rows = await conn.query("SELECT node, cluster_id FROM g.clusters ORDER BY node");
    const [bad] = await conn.query(`SELECT count(*) AS n FROM (${graph.unconvergedEdges({ edges: "SELECT a, b FROM g.edge_input", clusters: "g.clusters" })}) AS x`);
    return { labels: rows.map((r) => Number(r.cluster_id)), unconverged: Number(bad?.n) };
  };
  for (const sql of sqls) await conn.execute(sql);
  const everyRound = await read();
  await conn.execute("DROP TABLE g.clusters");
  const { skipped, executed } = await runAsOperation(sqls);
  expect(skipped + executed).toBe(sqls.length);
  expect(await read()).toEqual(everyRound);
  return { ...everyRound, skipped };
}

describe("connected components in SQL", () => {
  it("labels a long chain in random id order with its smallest id", async () => {
    const n = 20_000;
    const rnd = seeded(1);
    const order = Array.from({ length: n }, (_, i) => i).sort(() => rnd() - 0.5);
    const edges = order.slice(1).map((v, i) => [order[i]!, v] as [number, number]);
    const { labels, unconverged, skipped } = await components(n, edges);
    expect(unconverged).toBe(0);
    expect(new Set(labels)).toEqual(new Set([0]));
    // 20,000 nodes in a chain converge well before the 20th round.
    expect(skipped).toBeGreaterThan(0);
  });

  it("matches union-find on random sparse graphs, with isolated nodes kept", async () => {
    for (const seed of [2, 3, 4]) {
      const n = 5_000;
      const rnd = seeded(seed);
      const edges: Array<[number, number]> = Array.from({ length: 3_000 }, () => [Math.floor(rnd() * n), Math.floor(rnd() * n)]);
      const { labels, unconverged, skipped } = await components(n, edges);
      expect(unconverged).toBe(0);
      expect(labels).toEqual(unionFind(n, edges));
      expect(skipped).toBeGreaterThan(0);
    }
  });

  it("gives the same components from nodes numbered by the caller (numbered: text ids, edges by number)", async () => {
    const n = 5_000;
    const rnd = seeded(5);
    const edges: Array<[number, number]> = Array.from({ length: 3_000 }, () => [Math.floor(rnd() * n), Math.floor(rnd() * n)]);
    await conn.execute("CREATE OR REPLACE TABLE g.edge_input (a BIGINT, b BIGINT)");
    await conn.append({ schema: "g", name: "edge_input" }, ["a", "b"], edges);
    // Text ids whose order is the numbers' order, as person_records' record_key and record_num.
    const nodes = `SELECT 'n' || lpad(CAST(range AS VARCHAR), 5, '0') AS node, range AS i FROM range(${n})`;
    const run = async (name: string, numbered: boolean) => {
      const target = { schema: "g", name };
      for (const sql of graph.connectedComponents({
        nodes: numbered ? nodes : `SELECT node FROM (${nodes}) AS x`,
        edges: numbered ? "SELECT a, b FROM g.edge_input" : `SELECT 'n' || lpad(CAST(a AS VARCHAR), 5, '0') AS a, 'n' || lpad(CAST(b AS VARCHAR), 5, '0') AS b FROM g.edge_input`,
        target,
        numbered,
      })) await conn.execute(sql);
      return (await conn.query(`SELECT node, cluster_id FROM g.${name} ORDER BY node`)).map((r) => `${String(r.node)}>${String(r.cluster_id)}`);
    };
    const numbered = await run("by_number", true);
    expect(numbered).toEqual(await run("by_text", false));
    expect(numbered).toEqual(unionFind(n, edges).map((c, i) => `n${String(i).padStart(5, "0")}>n${String(c).padStart(5, "0")}`));
  });

  it("detects a graph that needs more rounds than it was given", async () => {
    const n = 5_000;
    const edges = Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]);
    const { unconverged, skipped } = await components(n, edges, 1);
    expect(unconverged).toBeGreaterThan(0);
    expect(skipped).toBe(0);
    // Four rounds are not enough for a 5,000-node path either: no round may be skipped early.
    const four = await components(n, edges, 4);
    expect(four.unconverged).toBeGreaterThan(0);
    expect(four.skipped).toBe(0);
  });
});
