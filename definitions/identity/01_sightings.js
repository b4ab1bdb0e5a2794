// Identifiers seen beside person records in event tables (rcu.yaml identity.sightings): each
// device an e-shop account logged in on. A record may have many, so they are rows here rather
// than person_records columns; matching blocks and links on them like on an email or a phone
// (02_matching.js: first names must agree, a value seen with too many records links nobody).
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const { lit, field } = identity_model;
const sightings = Object.entries(cfg.sightings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

publish("record_sightings", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Each identifier seen beside a person record in an event table (identity.sightings: a device at login), once per record, type and value.",
  columns: {
    record_key: "The person record the events name (source:record_id).",
    record_num: "person_records.record_num of that record, for this build's joins.",
    id_type: "The sighted identifier type (identity.sightings.<name>.identifiers).",
    id_value: "The identifier, trimmed.",
    times_seen: "Events naming this record with this value.",
    first_seen_at: "Earliest event (NULL without seen_at).",
    last_seen_at: "Latest event (NULL without seen_at).",
  },
  assertions: { uniqueKey: ["record_key", "id_type", "id_value"] },
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  // One SELECT per sighting and identifier type. An erased person's sighted values stay out
  // (rcu_meta.suppressions, hashed as rcu forget hashes them: kind seen:<type>).
  const events = sightings.flatMap(([, s]) => {
    const [schema, name] = String(s.relation).split(".");
    return Object.entries(s.identifiers)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, f]) => `SELECT ${lit(s.person.source + ":")} || CAST(${field(s.person.key)} AS VARCHAR) AS record_key, ${lit(type)} AS id_type,
    NULLIF(trim(CAST(${field(f)} AS VARCHAR)), '') AS id_value, ${s.seen_at === undefined ? "CAST(NULL AS TIMESTAMP)" : portable.tryTimestamp(`CAST(${field(s.seen_at)} AS VARCHAR)`)} AS seen_at
  FROM ${ctx.ref(schema, name)}${s.where ? ` WHERE ${s.where.sql}` : ""}`);
  });
  if (!events.length) {
    return `SELECT CAST(NULL AS VARCHAR) AS record_key, CAST(NULL AS BIGINT) AS record_num, CAST(NULL AS VARCHAR) AS id_type, CAST(NULL AS VARCHAR) AS id_value,
  CAST(NULL AS BIGINT) AS times_seen, CAST(NULL AS TIMESTAMP) AS first_seen_at, CAST(NULL AS TIMESTAMP) AS last_seen_at WHERE 1 = 0`;
  }
  return `SELECT e.record_key, p.record_num, e.id_type, e.id_value, COUNT(*) AS times_seen, MIN(e.seen_at) AS first_seen_at, MAX(e.seen_at) AS last_seen_at
FROM (
  ${events.join("\n  UNION ALL\n  ")}
) AS e
JOIN ${P} AS p ON p.record_key = e.record_key
CROSS JOIN ${ctx.ref("rcu_meta", "privacy_salt")} AS salt
WHERE e.id_value IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM ${ctx.ref("rcu_meta", "suppressions")} AS x
  WHERE x.value_hash = ${portable.sha256Hex("salt.salt || ':seen:' || e.id_type || ':' || e.id_value")}
)
GROUP BY e.record_key, p.record_num, e.id_type, e.id_value`;
});
