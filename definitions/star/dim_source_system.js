// Source systems: every configured identity person source and model source, so facts, users'
// provenance and quality marts can name where a row came from. Built from rcu.yaml alone.
const { SCHEMAS, UNKNOWN, CONTRACTS, lit } = star_model;
const model = star_model.config();
const identity = identity_model.config();

const rows = [
  ...Object.entries(identity.person_sources).map(([name, s]) => ["person", name, s.relation, Number(s.trust || 10)]),
  ...Object.keys(CONTRACTS).flatMap((c) => star_model.sourcesOf(model, c).map(([name, s]) => [c, name, s.relation, null])),
].sort((a, b) => (a[0] + "." + a[1]).localeCompare(b[0] + "." + b[1]));

publish("dim_source_system", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "dimension"],
  description: "Configured sources: identity person sources (kind person) and model sources (kind = contract), from rcu.yaml.",
  columns: {
    source_key: "kind.name, e.g. person.crm_contacts or orders.eshop; facts carry it.",
    kind: "person (identity.person_sources) or the model contract (orders, web_events …).",
    name: "Source name in rcu.yaml.",
    relation: "Landed table (schema.table) the source reads.",
    trust: "Survivorship trust rank of a person source (1 = most trusted).",
  },
  assertions: { uniqueKey: ["source_key"], nonNull: ["source_key"] },
}).query(() => {
  const select = ([kind, name, rel, trust]) =>
    `SELECT ${lit(kind + "." + name)} AS source_key, ${lit(kind)} AS kind, ${lit(name)} AS name, ${lit(rel)} AS relation, ${trust === null ? "CAST(NULL AS INTEGER)" : `CAST(${trust} AS INTEGER)`} AS trust`;
  return [...rows.map(select), select([UNKNOWN, UNKNOWN, "", null]).replace(`'${UNKNOWN}.${UNKNOWN}'`, lit(UNKNOWN))].join("\nUNION ALL\n");
});
