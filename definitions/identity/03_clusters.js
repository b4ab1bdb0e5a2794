// Clustering: connected components of the linked pairs (includes/identity_graph.js), in two
// tiers so that a record without a first name — an email-only newsletter sign-up, a ticket
// saying "Mme Dupont" — can join a person but never bridge two: such "weak" records attach to
// the one person (cluster of named records) they match, and stay alone when they match several.
// Households sharing an email or a landline therefore stay apart even when a nameless record
// carries the shared value.
// An assertion fails the run if the fixed number of rounds did not converge.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;

/** Links whose two records are both named, or both nameless. */
const sameKindEdges = (ctx) => `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE (ra.first_key IS NULL) = (rb.first_key IS NULL)`;

const strongEdges = (ctx) => `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE ra.first_key IS NOT NULL AND rb.first_key IS NOT NULL`;

operate("person_clusters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Each person record (node) with its cluster id: connected components of the links between records with a first name; records without one attach to the cluster of the named records they match when that is a single cluster (otherwise they form their own components).")
  .queries((ctx) => {
    const self = ctx.self();
    const beside = (suffix) => `${self.slice(0, -1)}${suffix}"`;
    const strong = beside("__strong");
    const records = ctx.ref(S, "person_records");
    const edges = ctx.ref(S, "match_edges");
    // One pass computes both kinds of components: edges between two named records, and edges
    // between two nameless ones — they never touch, so their components never mix.
    return [
      ...identity_graph.connectedComponents({
        nodes: `SELECT record_key AS node FROM ${records}`,
        edges: sameKindEdges(ctx),
        target: strong,
        rounds: cfg.matching.cluster_rounds,
      }),
      ...portable.replaceTable(self, `AS
WITH both_ways AS (
  SELECT a AS node, b AS other, match_probability FROM ${edges}
  UNION ALL
  SELECT b AS node, a AS other, match_probability FROM ${edges}
), weak_links AS (
  -- Only when every named record it matches is one person: a nameless sign-up carrying a
  -- household's shared email could be any of them (at a million records, such guesses were
  -- two thirds of the false links).
  SELECT x.node, MIN(sc.cluster_id) AS cluster_id
  FROM both_ways AS x
  JOIN ${records} AS w ON w.record_key = x.node AND w.first_key IS NULL
  JOIN ${records} AS s ON s.record_key = x.other AND s.first_key IS NOT NULL
  JOIN ${strong} AS sc ON sc.node = x.other
  GROUP BY x.node
  HAVING COUNT(DISTINCT sc.cluster_id) = 1
)
SELECT c.node, COALESCE(l.cluster_id, c.cluster_id) AS cluster_id
FROM ${strong} AS c LEFT JOIN weak_links AS l ON l.node = c.node`),
      `DROP TABLE IF EXISTS ${strong}`,
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
