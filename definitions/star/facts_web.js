// Hot data: web and app events, the devices people log in on, and sessions.
// Attribution: an event names a person only at login. A device on which exactly one user has ever
// logged in belongs to that user, so all its events — the anonymous browsing before the first
// login included — are attributed to them once they are identified. Devices shared by several
// users (a family tablet) attribute only login events. Each run re-applies this to past events.
const cfg = star_model.config();
const { SCHEMAS, UNKNOWN, q } = star_model;
const stg = (ctx, c) => ctx.ref(SCHEMAS.staging, `stg_${c}`);
const map = (ctx) => ctx.ref(identity_model.SCHEMA, "identity_map");

publish("user_devices", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "hot"],
  description: "Devices seen at login, and the users who logged in on them (one row per device and user).",
  columns: {
    device_id: star_model.FIELD_DOCS.device_id,
    user_id: "User who logged in on the device.",
    logins: "Login events of this user on this device.",
    first_login_at: "First login of this user on this device.",
    last_login_at: "Latest login of this user on this device.",
    users_on_device: "Distinct users who logged in on the device; above 1 the device is shared and only login events are attributed.",
  },
  assertions: { uniqueKey: ["device_id", "user_id"], nonNull: ["device_id", "user_id"] },
}).query((ctx) => `SELECT d.*, COUNT(*) OVER (PARTITION BY d.device_id) AS users_on_device
FROM (
  SELECT e.device_id, m.user_id, COUNT(*) AS logins, MIN(e.occurred_at) AS first_login_at, MAX(e.occurred_at) AS last_login_at
  FROM ${stg(ctx, "web_events")} AS e JOIN ${map(ctx)} AS m ON m.record_key = e.person_record_key
  WHERE e.device_id IS NOT NULL
  GROUP BY e.device_id, m.user_id
) AS d`);

/**
 * Joins giving alias `e` its attributed user, ATTRIBUTED(e): its login's user, else (not a login)
 * its device's only user. The "not a login" test stays out of the ON clause: DuckDB turns a
 * one-sided predicate there into a nested-loop join (5 s instead of 10 ms at 400k events).
 */
const attribution = (ctx, e) => `LEFT JOIN ${map(ctx)} AS m ON m.record_key = ${e}.person_record_key
LEFT JOIN (SELECT device_id, user_id FROM ${ctx.ref(SCHEMAS.core, "user_devices")} WHERE users_on_device = 1) AS d
  ON d.device_id = ${e}.device_id`;
const ATTRIBUTED = (e) => `COALESCE(m.user_id, CASE WHEN ${e}.person_record_key IS NULL THEN d.user_id END)`;

publish("fact_web_events", {
  type: "incremental",
  schema: SCHEMAS.core,
  uniqueKey: ["event_key"],
  tags: ["star", "fact", "hot"],
  description: "One row per web or app event, attributed to a user when identified (at login, or through a device only that user logs in on).",
  columns: {
    event_key: "source:event_id (the raw row hash when the source has no event id).",
    user_id: "Attributed user; NULL while the device is anonymous or shared.",
    date_key: "Event date (dim_date).",
    product_key: "Product viewed or added (dim_product); 'unknown' when none.",
    device_id: star_model.FIELD_DOCS.device_id,
    occurred_at: star_model.FIELD_DOCS.occurred_at,
    type: "Event type, lower case.",
    url: star_model.FIELD_DOCS.url,
    quantity: star_model.FIELD_DOCS.quantity,
    person_record_key: "The person record a login names (source:record_id); NULL for other events.",
    source_key: "Model source, e.g. web_events.web.",
    raw_hash: "_rcu_hash of the raw row.",
    load_id: "Load that landed the raw row.",
    loaded_at: "When the raw row was landed (incremental watermark).",
  },
  assertions: { uniqueKey: ["event_key"], nonNull: ["event_key", "date_key", "device_id", "product_key"] },
})
  .query((ctx) => `SELECT e.event_key,
  ${ATTRIBUTED("e")} AS user_id,
  ${star_model.dateKeyOf("e.occurred_at")} AS date_key,
  COALESCE(e.product_id, '${UNKNOWN}') AS product_key,
  e.device_id, e.occurred_at, lower(e.type) AS type, e.url, e.quantity, e.person_record_key,
  'web_events.' || e.source AS source_key, e.raw_hash, e.load_id, e.loaded_at
FROM (
  SELECT k.*, ROW_NUMBER() OVER (PARTITION BY k.event_key ORDER BY k.loaded_at DESC) AS rn
  FROM (
    SELECT s.*, s.source || ':' || COALESCE(s.event_id, s.raw_hash) AS event_key FROM ${stg(ctx, "web_events")} AS s
    WHERE s.occurred_at IS NOT NULL AND s.device_id IS NOT NULL${ctx.incremental() ? `\n      AND s.${star_model.landedAfterSelf(ctx.self())}` : ""}
  ) AS k
) AS e
${attribution(ctx, "e")}
WHERE e.rn = 1`)
  .postOps((ctx) => [
    // Past events follow identity changes and devices becoming known (or shared).
    `UPDATE ${ctx.self()} AS f SET ${q("user_id")} = a.${q("user_id")}
FROM (SELECT x.${q("event_key")}, ${ATTRIBUTED("x")} AS ${q("user_id")} FROM ${ctx.self()} AS x
${attribution(ctx, "x")}) AS a
WHERE a.${q("event_key")} = f.${q("event_key")} AND ${star_model.differs("f." + q("user_id"), "a." + q("user_id"))}`,
  ]);

publish("fact_web_sessions", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "fact", "hot"],
  description: `Web and app sessions: a device's events with no gap longer than ${cfg.session_timeout_minutes} minutes (model.session_timeout_minutes). Rebuilt from fact_web_events each run, so late events re-cut sessions correctly.`,
  columns: {
    session_key: "device_id#n, n = the session's rank on the device.",
    device_id: star_model.FIELD_DOCS.device_id,
    user_id: "The user who logged in during the session, else the device's user; NULL when anonymous.",
    identified_by: "login (a login in the session), device (the device's only user) or NULL.",
    date_key: "Session start date (dim_date).",
    started_at: "First event.",
    ended_at: "Last event.",
    duration_seconds: "ended_at − started_at.",
    events: "Events in the session.",
    page_views: "page_view events.",
    add_to_carts: "add_to_cart events.",
    logins: "login events.",
  },
  assertions: { uniqueKey: ["session_key"], nonNull: ["session_key", "device_id", "date_key"] },
}).query((ctx) => {
  const prev = `LAG(occurred_at) OVER (PARTITION BY device_id ORDER BY occurred_at, event_key)`;
  const count = (type) => `SUM(CASE WHEN type = '${type}' THEN 1 ELSE 0 END)`;
  return `WITH marked AS (
  SELECT event_key, device_id, occurred_at, type, user_id, person_record_key,
    CASE WHEN ${prev} IS NULL OR ${portable.secondsBetween(prev, "occurred_at")} > ${cfg.session_timeout_minutes * 60} THEN 1 ELSE 0 END AS is_start
  FROM ${ctx.ref(SCHEMAS.core, "fact_web_events")}
), numbered AS (
  SELECT marked.*, SUM(is_start) OVER (PARTITION BY device_id ORDER BY occurred_at, event_key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_no
  FROM marked
)
SELECT device_id || '#' || CAST(session_no AS ${portable.textType()}) AS session_key,
  device_id,
  COALESCE(MAX(CASE WHEN person_record_key IS NOT NULL THEN user_id END), MAX(user_id)) AS user_id,
  CASE WHEN MAX(CASE WHEN person_record_key IS NOT NULL THEN user_id END) IS NOT NULL THEN 'login'
       WHEN MAX(user_id) IS NOT NULL THEN 'device' END AS identified_by,
  ${star_model.dateKeyOf("MIN(occurred_at)")} AS date_key,
  MIN(occurred_at) AS started_at, MAX(occurred_at) AS ended_at,
  ${portable.secondsBetween("MIN(occurred_at)", "MAX(occurred_at)")} AS duration_seconds,
  COUNT(*) AS events, ${count("page_view")} AS page_views, ${count("add_to_cart")} AS add_to_carts, ${count("login")} AS logins
FROM numbered
GROUP BY device_id, session_no`;
});
