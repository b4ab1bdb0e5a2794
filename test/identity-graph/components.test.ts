/**
 * includes/identity_graph.js on real DuckDB: the SQL components equal a union-find computed in
 * JS, for long chains, trees, random graphs and isolated nodes; too few rounds is detected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBWarehouse } from "../../engine/warehouses/duckdb/driver.js";
import type { Connection } from "../../engine/warehouses/types.js";
import { loadInclude } from "../helpers.js";

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

async function components(n: number, edges: Array<[number, number]>, rounds?: number): Promise<{ labels: number[]; unconverged: number }> {
  await conn.execute("CREATE OR REPLACE TABLE g.edge_input (a BIGINT, b BIGINT)");
  await conn.append({ schema: "g", name: "edge_input" }, ["a", "b"], edges);
  const target = { schema: "g", name: "clusters" };
  for (const sql of graph.connectedComponents({
    nodes: `SELECT range AS node FROM range(${n})`,
    edges: "SELECT a, b FROM g.edge_input",
    target,
    ...(rounds ? { rounds } : {}),
  })) await conn.execute(sql);
  const rows = await conn.query("SELECT node, cluster_id FROM g.clusters ORDER BY node");
  const [bad] = await conn.query(`SELECT count(*) AS n FROM (${graph.unconvergedEdges({ edges: "SELECT a, b FROM g.edge_input", clusters: "g.clusters" })}) AS x`);
  return { labels: rows.map((r) => Number(r.cluster_id)), unconverged: Number(bad?.n) };
}

describe("connected components in SQL", () => {
  it("labels a long chain in random id order with its smallest id", async () => {
    const n = 20_000;
    const rnd = seeded(1);
    const order = Array.from({ length: n }, (_, i) => i).sort(() => rnd() - 0.5);
    const edges = order.slice(1).map((v, i) => [order[i]!, v] as [number, number]);
    const { labels, unconverged } = await components(n, edges);
    expect(unconverged).toBe(0);
    expect(new Set(labels)).toEqual(new Set([0]));
  });

  it("matches union-find on random sparse graphs, with isolated nodes kept", async () => {
    for (const seed of [2, 3, 4]) {
      const n = 5_000;
      const rnd = seeded(seed);
      const edges: Array<[number, number]> = Array.from({ length: 3_000 }, () => [Math.floor(rnd() * n), Math.floor(rnd() * n)]);
      const { labels, unconverged } = await components(n, edges);
      expect(unconverged).toBe(0);
      expect(labels).toEqual(unionFind(n, edges));
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
    const { unconverged } = await components(n, edges, 1);
    expect(unconverged).toBeGreaterThan(0);
  });
});
