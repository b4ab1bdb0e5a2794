// The golden record: one row per user_id, each attribute chosen by its survivorship rule from
// rcu.yaml (identity.survivorship.<attribute>: trust | most_recent | most_frequent |
// first_non_null), with provenance (which source record gave it, and when).
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const { q, lit } = identity_model;

// Attribute → default rule: identity_model.SURVIVORSHIP.
const ATTRIBUTES = identity_model.SURVIVORSHIP;

const ATTRIBUTE_DOCS = {
  email: "email (normalised)",
  phone_e164: "phone in E.164",
  title: "title as typed (Mme, M., Dr)",
  gender: "gender, F or M (from the titles, else the first name: rcu_identity.person_records.gender)",
  first_name: "first name (display form)",
  last_name: "last name (display form)",
  birth_date: "birth date",
  address_line: "address line",
  postcode: "postcode (normalised)",
  city: "city",
  country: "country (ISO 3166-1 alpha-2)",
};

/** ORDER BY of the candidates (columns value, trust, updated_at, record_key, frequency). */
function ordering(rule) {
  const recent = "COALESCE(c.updated_at, TIMESTAMP '1900-01-01') DESC";
  switch (rule) {
    case "trust": return `c.trust ASC, ${recent}, c.record_key`;
    case "most_recent": return `${recent}, c.trust ASC, c.record_key`;
    case "most_frequent": return `c.frequency DESC, c.trust ASC, ${recent}, c.record_key`;
    case "first_non_null": return `c.record_key`;
    default: throw new Error(`unknown survivorship rule "${rule}"`);
  }
}

publish("users", {
  type: "table",
  schema: "rcu_core",
  tags: ["identity", "core"],
  description: "The golden record: one row per person (user_id), attributes chosen by survivorship rules, with provenance per attribute.",
  columns: {
    user_id: "Stable person id (rcu_identity.identity_map); merges are recorded in rcu_identity.user_merges.",
    records: "Source records resolved to this person.",
    sources: "Distinct source systems holding this person.",
    first_seen_at: "When rcu first saw one of the person's records.",
    last_updated_at: "Latest update time among the person's records.",
    ...Object.fromEntries(Object.keys(ATTRIBUTES).flatMap((attr) => {
      const name = attr === "phone_e164" ? "phone" : attr;
      return [
        [name, `Surviving ${ATTRIBUTE_DOCS[attr]} (rule: ${ATTRIBUTES[attr]} by default; identity.survivorship.${attr}).`],
        [name + "_source", `Record (source:record_id) the ${name} comes from.`],
        [name + "_updated_at", `Update time of that record.`],
      ];
    })),
  },
  assertions: { uniqueKey: ["user_id"], nonNull: ["user_id"] },
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  const M = ctx.ref(S, "identity_map");
  const rules = { ...ATTRIBUTES, ...cfg.survivorship };
  const picks = Object.keys(ATTRIBUTES).map((attr) => {
    const rule = rules[attr];
    return `${q("pick_" + attr)} AS (
  SELECT user_id, value, record_key, updated_at FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.user_id ORDER BY ${ordering(rule)}) AS rn
    FROM (
      SELECT p.user_id, p.${q(attr)} AS value, p.record_key, p.updated_at, p.trust,
        ${rule === "most_frequent" ? `COUNT(*) OVER (PARTITION BY p.user_id, p.${q(attr)})` : "1"} AS frequency
      FROM resolved AS p
      WHERE p.${q(attr)} IS NOT NULL
    ) AS c
  ) AS ranked WHERE rn = 1
)`;
  });
  const cols = Object.keys(ATTRIBUTES).map((attr) => {
    const pk = q("pick_" + attr);
    const name = attr === "phone_e164" ? "phone" : attr;
    return `${pk}.value AS ${q(name)}, ${pk}.record_key AS ${q(name + "_source")}, ${pk}.updated_at AS ${q(name + "_updated_at")}`;
  });
  // Records joined to their user once, read by every attribute's pick.
  const used = ["record_key", "source", "updated_at", "trust", ...Object.keys(ATTRIBUTES)];
  return `WITH resolved AS ${portable.materialized()}(
  SELECT m.user_id, m.first_seen_at, ${used.map((c) => `p.${q(c)}`).join(", ")}
  FROM ${M} AS m JOIN ${P} AS p ON p.record_key = m.record_key
), base AS (
  SELECT user_id, COUNT(*) AS records, COUNT(DISTINCT source) AS sources,
    MIN(first_seen_at) AS first_seen_at, MAX(updated_at) AS last_updated_at
  FROM resolved
  GROUP BY user_id
), ${picks.join(",\n")}
SELECT base.user_id, base.records, base.sources, base.first_seen_at, base.last_updated_at,
  ${cols.join(",\n  ")}
FROM base
${Object.keys(ATTRIBUTES).map((attr) => `LEFT JOIN ${q("pick_" + attr)} ON ${q("pick_" + attr)}.user_id = base.user_id`).join("\n")}`;
});

publish("user_identifiers", {
  type: "table",
  schema: "rcu_core",
  tags: ["identity", "core"],
  description: "Bridge of every source record and identifier to its user_id: (user_id, source, record_id, id_type, id_value).",
  columns: {
    user_id: "The user.",
    record_key: "The source record (source:record_id).",
    source: "Person source (identity.person_sources).",
    record_id: "Record id within the source.",
    id_type: "record, email, phone, national_id, a configured identifier type, or a type of identifier seen in events (identity.sightings, e.g. device).",
    id_value: "The identifier, normalised (canonical email, E.164 phone …).",
  },
  assertions: { nonNull: ["user_id", "record_key"] },
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  const M = ctx.ref(S, "identity_map");
  const idTypes = identity_model.identifierTypes(cfg);
  const kinds = [...identity_model.BUILT_IN_KINDS, ...idTypes.map((t) => [t, "id_" + t])];
  return `WITH resolved AS ${portable.materialized()}(
  SELECT m.user_id, p.record_key, p.source, p.record_id, ${kinds.filter(([t]) => t !== "record").map(([, col]) => `p.${q(col)}`).join(", ")}
  FROM ${P} AS p JOIN ${M} AS m ON m.record_key = p.record_key
)
${[
    ...kinds.map(([type, col]) => `SELECT user_id, record_key, source, record_id, ${lit(type)} AS id_type, CAST(${q(col)} AS VARCHAR) AS id_value
FROM resolved WHERE ${q(col)} IS NOT NULL`),
    // Identifiers seen in events (identity.sightings), under their own type: each device a
    // record logged in on.
    ...(identity_model.sightingTypes(cfg).length
      ? [`SELECT r.user_id, r.record_key, r.source, r.record_id, s.id_type, s.id_value
FROM resolved AS r JOIN ${ctx.ref(S, "record_sightings")} AS s ON s.record_key = r.record_key`]
      : []),
  ].join("\nUNION ALL\n")}`;
});

assert("every_record_has_one_user")
  .tags(["identity"])
  .description("Every person record belongs to exactly one user.")
  .query((ctx) => `SELECT p.record_key, COUNT(m.user_id) AS users
FROM ${ctx.ref(S, "person_records")} AS p LEFT JOIN ${ctx.ref(S, "identity_map")} AS m ON m.record_key = p.record_key
GROUP BY p.record_key HAVING COUNT(m.user_id) <> 1`);
