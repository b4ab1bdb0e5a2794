// Email engagement (sends, opens, clicks), contact-centre interactions and consent changes, each
// keyed to the user of the person record it names. Email events are large: incremental like the
// orders, with user_id re-pointed each run. Interactions and consents are small and rebuilt.
const { SCHEMAS, UNKNOWN, q } = star_model;
const stg = (ctx, c) => ctx.ref(SCHEMAS.staging, `stg_${c}`);
const map = (ctx) => ctx.ref(identity_model.SCHEMA, "identity_map");
const userOf = (ctx) => `(SELECT record_key AS ${q("key")}, user_id FROM ${map(ctx)})`;

const LINEAGE_COLUMNS = {
  person_record_key: "Identity person record the row names (source:record_id).",
  source_key: "Model source (dim_source_system).",
  raw_hash: "_rcu_hash of the raw row (lineage).",
  load_id: "Load that landed the raw row.",
  loaded_at: "When the raw row was landed.",
};

publish("fact_email_events", {
  type: "incremental",
  schema: SCHEMAS.core,
  uniqueKey: ["event_key"],
  tags: ["star", "fact", "hot"],
  description: "One row per email event (sent, open, click, bounce …), keyed to campaign and user.",
  columns: {
    event_key: "source:event_id (the raw row hash when the source has no event id).",
    user_id: "The recipient (rcu_core.users); NULL when the subscriber is not resolved.",
    campaign_key: "Campaign (dim_campaign); 'unknown' when none.",
    date_key: "Event date (dim_date).",
    occurred_at: star_model.FIELD_DOCS.occurred_at,
    type: "Event type, lower case (sent, open, click …).",
    ...LINEAGE_COLUMNS,
  },
  assertions: { uniqueKey: ["event_key"], nonNull: ["event_key", "campaign_key", "date_key", "type"] },
})
  .query((ctx) => `SELECT e.event_key, m.user_id,
  COALESCE(e.campaign_id, '${UNKNOWN}') AS campaign_key,
  ${star_model.dateKeyOf("e.occurred_at")} AS date_key,
  e.occurred_at, lower(e.type) AS type,
  e.person_record_key, 'email_events.' || e.source AS source_key, e.raw_hash, e.load_id, e.loaded_at
FROM (
  SELECT k.*, ROW_NUMBER() OVER (PARTITION BY k.event_key ORDER BY k.loaded_at DESC) AS rn
  FROM (
    SELECT s.*, s.source || ':' || COALESCE(s.event_id, s.raw_hash) AS event_key FROM ${stg(ctx, "email_events")} AS s
    WHERE s.occurred_at IS NOT NULL AND s.type IS NOT NULL${ctx.incremental() ? `\n      AND s.${star_model.landedAfterSelf(ctx.self())}` : ""}
  ) AS k
) AS e
LEFT JOIN ${map(ctx)} AS m ON m.record_key = e.person_record_key
WHERE e.rn = 1`)
  .postOps((ctx) => star_model.repointUsers(ctx.self(), "person_record_key", userOf(ctx)));

// Statuses that close a ticket when the source does not map is_open.
const CLOSED = ["closed", "resolved", "solved", "done", "cancelled", "clos", "résolu", "ferme", "fermé"];

publish("fact_interactions", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "fact"],
  description: "One row per contact-centre interaction (ticket, call, chat), keyed to user and channel.",
  columns: {
    interaction_key: "source:interaction_id.",
    user_id: "The customer; NULL when not resolved.",
    channel_key: "Contact channel (dim_channel).",
    date_key: "Date opened (dim_date).",
    occurred_at: "When the interaction was opened.",
    subject: star_model.FIELD_DOCS.subject,
    status: star_model.FIELD_DOCS.status,
    is_open: `Still open: the source's is_open, else a status other than ${CLOSED.join(", ")}.`,
    agent: star_model.FIELD_DOCS.agent,
    ...LINEAGE_COLUMNS,
  },
  assertions: { uniqueKey: ["interaction_key"], nonNull: ["interaction_key", "channel_key", "date_key"] },
}).query((ctx) => `SELECT i.source || ':' || i.interaction_id AS interaction_key, m.user_id,
  COALESCE(lower(i.channel), '${UNKNOWN}') AS channel_key,
  ${star_model.dateKeyOf("i.occurred_at")} AS date_key,
  i.occurred_at, i.subject, i.status,
  COALESCE(i.is_open, lower(COALESCE(i.status, '')) NOT IN (${CLOSED.map(star_model.lit).join(", ")})) AS is_open,
  i.agent,
  i.person_record_key, 'interactions.' || i.source AS source_key, i.raw_hash, i.load_id, i.loaded_at
FROM (
  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.source, s.interaction_id ORDER BY s.loaded_at DESC, s.raw_hash) AS rn
  FROM ${stg(ctx, "interactions")} AS s WHERE s.interaction_id IS NOT NULL AND s.occurred_at IS NOT NULL
) AS i
LEFT JOIN ${map(ctx)} AS m ON m.record_key = i.person_record_key
WHERE i.rn = 1`);

publish("fact_consent_changes", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "fact", "consent"],
  description: "Consent history: every consent given or withdrawn, per user, channel and purpose. The latest change per (user, channel, purpose) is the consent in force (rcu_marts.user_consents).",
  columns: {
    consent_change_key: "Hash of source, person record, channel, purpose, status and time.",
    user_id: "The person; NULL when the record is not resolved.",
    channel_key: "Channel the consent is for (dim_channel): email, sms, phone, post …",
    purpose: "Processing purpose (marketing by default).",
    status: "granted or withdrawn.",
    changed_at: star_model.FIELD_DOCS.changed_at,
    date_key: "Date of the change (dim_date).",
    ...LINEAGE_COLUMNS,
  },
  assertions: { uniqueKey: ["consent_change_key"], nonNull: ["consent_change_key", "channel_key", "purpose", "status", "changed_at"] },
}).query((ctx) => `SELECT DISTINCT
  md5(c.source || '|' || COALESCE(c.person_record_key, '') || '|' || lower(c.channel) || '|' || COALESCE(lower(c.purpose), 'marketing') || '|' || c.status || '|' || CAST(c.changed_at AS ${portable.textType()})) AS consent_change_key,
  m.user_id,
  lower(c.channel) AS channel_key,
  COALESCE(lower(c.purpose), 'marketing') AS purpose,
  c.status, c.changed_at,
  ${star_model.dateKeyOf("c.changed_at")} AS date_key,
  c.person_record_key, 'consents.' || c.source AS source_key, c.raw_hash, c.load_id, c.loaded_at
FROM ${stg(ctx, "consents")} AS c
LEFT JOIN ${map(ctx)} AS m ON m.record_key = c.person_record_key
WHERE c.channel IS NOT NULL AND c.status IS NOT NULL AND c.changed_at IS NOT NULL`);
