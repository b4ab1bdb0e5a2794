// Clustering: connected components of the linked pairs (includes/identity_graph.js), with an
// assertion that fails the run if the fixed number of rounds did not converge.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;

operate("person_clusters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Each person record (node) with its cluster id: the smallest record_key of its connected component in the identity graph.")
  .queries((ctx) =>
    identity_graph.connectedComponents({
      nodes: `SELECT record_key AS node FROM ${ctx.ref(S, "person_records")}`,
      edges: `SELECT a, b FROM ${ctx.ref(S, "match_edges")}`,
      target: ctx.self(),
      rounds: cfg.matching.cluster_rounds,
    }),
  );

assert("person_clusters_converged")
  .tags(["identity"])
  .description("Every linked pair ended in one cluster; otherwise raise identity.matching.cluster_rounds.")
  .query((ctx) =>
    identity_graph.unconvergedEdges({
      edges: `SELECT a, b FROM ${ctx.ref(S, "match_edges")}`,
      clusters: ctx.ref(S, "person_clusters"),
    }),
  );
