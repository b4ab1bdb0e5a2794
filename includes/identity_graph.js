// Connected components of an identity graph, in plain SQL, for Dataform `operations`.
//
// Why this algorithm: records are nodes, match edges link them, and a person is a connected
// component. Warehouses have no loops in a single statement that all engines share, so the
// components are computed in a fixed number of rounds of a Shiloach–Vishkin style algorithm:
//   hook  — for every edge whose endpoints have different parents, the larger parent is pointed
//           at the smaller one (only roots move, so no cycle can form);
//   jump  — every node takes its grandparent as parent, twice (pointer jumping).
// Each round at least halves the depth of the forest, so rounds grow with log(n) even for long
// chains (measured on DuckDB: a 200,000-node path in random id order converges in 12 rounds, a
// random graph of 200,000 edges in 4). `unconvergedEdges` lists edges whose ends still carry
// different labels; the model asserts it is empty, so a graph that needs more rounds fails the run
// instead of splitting people silently.
//
// The rounds stop early under rcu's engine (includes/control.js): after each round a check asks
// whether any edge is left between two parents or any node's parent has a parent of its own; when
// neither, every further round would rewrite the tables unchanged, so they are skipped. A graph
// that converges in 4 rounds runs 4 rounds' statements instead of 20 (on Redshift, one Data API
// call per statement).
//
// Inputs are relations/subqueries given as SQL text, built by rcu's own definitions:
//   nodes: SELECT <node> AS node ...      (every record, including those without edges)
//   edges: SELECT <a> AS a, <b> AS b ...  (undirected; duplicates allowed)
// Node ids must be comparable (text or integers). Output: target(node, cluster_id) where
// cluster_id is the smallest node id of the component — deterministic for a given graph.
// With `numbered`, the caller has numbered the nodes already:
//   nodes: SELECT <node> AS node, <i> AS i ...  (i unique, increasing with node)
//   edges: SELECT <i of a> AS a, <i of b> AS b ...
// and the numbering (a sort of every node) and the edges' two joins on node ids are skipped.

const DEFAULT_ROUNDS = 20;

const { qualify, beside } = require("./relations");
const portable = require("./portable");
const control = require("./control");

/** A scratch relation next to `target` (same schema), e.g. users → users__cc_p. */
function scratch(target, suffix) {
  return beside(target, `__cc_${suffix}`);
}

/**
 * Statements computing connected components into `target`.
 * @param {{ nodes: string, edges: string, target: {schema: string, name: string}, rounds?: number, numbered?: boolean }} opts
 * @returns {string[]} statements for `operate(...).queries(...)`
 */
function connectedComponents(opts) {
  const rounds = opts.rounds || DEFAULT_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 64) throw new Error(`rounds must be 1..64, got ${rounds}`);
  const t = opts.target;
  const N = scratch(t, "n");
  const E = scratch(t, "edges");
  const P = scratch(t, "p");
  const H = scratch(t, "h");
  const J = scratch(t, "j");
  // Where the rounds' early exit lands: unique per target (an operation may compute several).
  const done = `cc_done_${qualify(t).replace(/"/g, "")}`.replace(/[^A-Za-z0-9_]/g, "_");
  const out = [];
  // Nodes are numbered in their own order, so the smallest number of a component is its
  // smallest node id; the rounds then join and copy integers, not record keys (3× faster on a
  // million records).
  const bothWays = `(
  SELECT a, b FROM (${opts.edges}) AS e1 WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
  UNION ALL
  SELECT b AS a, a AS b FROM (${opts.edges}) AS e2 WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
) AS both_ways`;
  if (opts.numbered) {
    out.push(...portable.replaceTable(N, `AS
SELECT node, i FROM (${opts.nodes}) AS n WHERE node IS NOT NULL`));
    out.push(...portable.replaceTable(E, `AS
SELECT DISTINCT a, b FROM ${bothWays}`));
  } else {
    out.push(...portable.replaceTable(N, `AS
SELECT node, ROW_NUMBER() OVER (ORDER BY node) AS i FROM (SELECT DISTINCT node FROM (${opts.nodes}) AS n WHERE node IS NOT NULL) AS all_nodes`));
    out.push(...portable.replaceTable(E, `AS
SELECT DISTINCT na.i AS a, nb.i AS b FROM ${bothWays}
JOIN ${N} AS na ON na.node = both_ways.a
JOIN ${N} AS nb ON nb.node = both_ways.b`));
  }
  out.push(...portable.replaceTable(P, `AS
SELECT i AS node, i AS parent FROM ${N}`));
  for (let r = 0; r < rounds; r++) {
    out.push(...portable.replaceTable(H, `AS
WITH hooks AS (
  SELECT pv.parent AS node, MIN(pu.parent) AS parent
  FROM ${E} AS e
  JOIN ${P} AS pu ON pu.node = e.a
  JOIN ${P} AS pv ON pv.node = e.b
  WHERE pu.parent < pv.parent
  GROUP BY pv.parent
)
SELECT p.node, CASE WHEN hooks.parent IS NOT NULL AND hooks.parent < p.parent THEN hooks.parent ELSE p.parent END AS parent
FROM ${P} AS p LEFT JOIN hooks ON hooks.node = p.node`));
    out.push(...portable.replaceTable(J, `AS
SELECT x.node, y.parent FROM ${H} AS x JOIN ${H} AS y ON y.node = x.parent`));
    out.push(...portable.replaceTable(P, `AS
SELECT x.node, y.parent FROM ${J} AS x JOIN ${J} AS y ON y.node = x.parent`));
    // Contract the edges onto the current parents: a node and its parent are in one component,
    // so the components are unchanged, and edges inside a finished component disappear — after
    // a few rounds the hooks join nearly nothing.
    if (r < rounds - 1) {
      out.push(...portable.replaceTable(H, `AS
SELECT DISTINCT pa.parent AS a, pb.parent AS b FROM ${E} AS e
JOIN ${P} AS pa ON pa.node = e.a
JOIN ${P} AS pb ON pb.node = e.b
WHERE pa.parent <> pb.parent`));
      out.push(...portable.replaceTable(E, `AS SELECT a, b FROM ${H}`));
      out.push(control.skipIfEmpty(done, `SELECT 1 AS pending FROM (
  SELECT 1 AS x FROM ${E}
  UNION ALL
  SELECT 1 AS x FROM ${P} AS x JOIN ${P} AS y ON y.node = x.parent WHERE y.parent <> x.parent
) AS unfinished LIMIT 1`));
    }
  }
  const [first, ...rest] = portable.replaceTable(qualify(t), `AS
SELECT n.node, c.node AS cluster_id FROM ${P} AS p
JOIN ${N} AS n ON n.i = p.node
JOIN ${N} AS c ON c.i = p.parent`);
  out.push(rounds > 1 ? control.labelled(done, first) : first, ...rest);
  for (const s of ["h", "j", "p", "edges", "n"]) out.push(`DROP TABLE IF EXISTS ${scratch(t, s)}`);
  // Each round one transaction (one Data API call on Redshift rather than ten).
  return control.transactions(out);
}

/**
 * Edges whose two ends carry different cluster ids: empty when the labelling converged. Used as
 * a Dataform assertion after the clustering operation, so too few rounds fail the run.
 */
function unconvergedEdges({ edges, clusters }) {
  return `SELECT e.a, e.b, ca.cluster_id AS cluster_a, cb.cluster_id AS cluster_b
FROM (${edges}) AS e
JOIN ${clusters} AS ca ON ca.node = e.a
JOIN ${clusters} AS cb ON cb.node = e.b
WHERE ca.cluster_id <> cb.cluster_id`;
}

module.exports = { connectedComponents, unconvergedEdges, DEFAULT_ROUNDS };
