// Clustering: connected components of the linked pairs (includes/identity_graph.js), in two
// tiers so that a record without a first name — an email-only newsletter sign-up, a ticket
// saying "Mme Dupont" — can join a person but never bridge two: such "weak" records attach to
// the single strong record they match best. Households sharing an email or a landline therefore
// stay apart even when a nameless record carries the shared value.
// An assertion fails the run if the fixed number of rounds did not converge.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;

const strongEdges = (ctx) => `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE ra.first_key IS NOT NULL AND rb.first_key IS NOT NULL`;

operate("person_clusters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Each person record (node) with its cluster id: connected components of the links between records with a first name; records without one attach to the cluster of the named record they match best (or form their own components).")
  .queries((ctx) => {
    const self = ctx.self();
    const beside = (suffix) => `${self.slice(0, -1)}${suffix}"`;
    const strong = beside("__strong");
    const weak = beside("__weak");
    const records = ctx.ref(S, "person_records");
    const edges = ctx.ref(S, "match_edges");
    return [
      ...identity_graph.connectedComponents({
        nodes: `SELECT record_key AS node FROM ${records} WHERE first_key IS NOT NULL`,
        edges: strongEdges(ctx),
        target: strong,
        rounds: cfg.matching.cluster_rounds,
      }),
      // Weak records with no strong neighbour: components among themselves.
      ...identity_graph.connectedComponents({
        nodes: `SELECT record_key AS node FROM ${records} WHERE first_key IS NULL`,
        edges: `SELECT e.a, e.b FROM ${edges} AS e
  JOIN ${records} AS ra ON ra.record_key = e.a JOIN ${records} AS rb ON rb.record_key = e.b
  WHERE ra.first_key IS NULL AND rb.first_key IS NULL`,
        target: weak,
        rounds: cfg.matching.cluster_rounds,
      }),
      `CREATE OR REPLACE TABLE ${self} AS
WITH weak_links AS (
  SELECT w.record_key AS node, sc.cluster_id,
    ROW_NUMBER() OVER (PARTITION BY w.record_key ORDER BY e.match_probability DESC, sc.cluster_id) AS rn
  FROM ${records} AS w
  JOIN ${edges} AS e ON w.record_key IN (e.a, e.b)
  JOIN ${strong} AS sc ON sc.node = CASE WHEN e.a = w.record_key THEN e.b ELSE e.a END
  WHERE w.first_key IS NULL
)
SELECT node, cluster_id FROM ${strong}
UNION ALL
SELECT w.node, COALESCE(l.cluster_id, w.cluster_id) AS cluster_id
FROM ${weak} AS w LEFT JOIN weak_links AS l ON l.node = w.node AND l.rn = 1`,
      `DROP TABLE IF EXISTS ${strong}`,
      `DROP TABLE IF EXISTS ${weak}`,
    ];
  });

assert("person_clusters_converged")
  .tags(["identity"])
  .description("Every link between named records ended in one cluster; otherwise raise identity.matching.cluster_rounds.")
  .query((ctx) =>
    identity_graph.unconvergedEdges({
      edges: strongEdges(ctx),
      clusters: ctx.ref(S, "person_clusters"),
    }),
  );
