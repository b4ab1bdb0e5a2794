// Integrity of the star schema: every fact key joins to its dimension (inferred and unknown
// members make this hold by construction; the assertion proves it), every user a fact names
// exists, and revenue reconciles between the typed source orders and the orders fact.
const { SCHEMAS, q } = star_model;
const core = (ctx, name) => ctx.ref(SCHEMAS.core, name);

// fact → [column, dimension, dimension key, nullable]
const REFERENCES = {
  fact_orders: [["date_key", "rcu_reference.dim_date", "date_key"], ["channel_key", "dim_channel", "channel_key"], ["store_key", "dim_store", "store_key"], ["geography_key", "dim_geography", "geography_key"], ["user_id", "users", "user_id", true]],
  fact_order_lines: [["order_key", "fact_orders", "order_key"], ["product_key", "dim_product", "product_key"], ["user_id", "users", "user_id", true]],
  fact_web_events: [["date_key", "rcu_reference.dim_date", "date_key"], ["product_key", "dim_product", "product_key"], ["user_id", "users", "user_id", true]],
  fact_web_sessions: [["date_key", "rcu_reference.dim_date", "date_key"], ["user_id", "users", "user_id", true]],
  fact_email_events: [["date_key", "rcu_reference.dim_date", "date_key"], ["campaign_key", "dim_campaign", "campaign_key"], ["user_id", "users", "user_id", true]],
  fact_interactions: [["date_key", "rcu_reference.dim_date", "date_key"], ["channel_key", "dim_channel", "channel_key"], ["user_id", "users", "user_id", true]],
  fact_consent_changes: [["channel_key", "dim_channel", "channel_key"], ["user_id", "users", "user_id", true]],
};

for (const [fact, refs] of Object.entries(REFERENCES)) {
  assert(`${fact}_references`)
    .tags(["star", "integrity"])
    .description(`Every key of ${fact} exists in its dimension (${refs.map(([c, d]) => `${c} → ${d}`).join(", ")}).`)
    .query((ctx) => refs
      .map(([col, dim, key, nullable]) => {
        const [schema, name] = dim.includes(".") ? dim.split(".") : [SCHEMAS.core, dim];
        return `SELECT '${col}' AS reference, CAST(f.${q(col)} AS ${portable.textType()}) AS missing_key, COUNT(*) AS fact_rows
FROM ${core(ctx, fact)} AS f
WHERE ${nullable ? `f.${q(col)} IS NOT NULL AND ` : ""}NOT EXISTS (SELECT 1 FROM ${ctx.ref(schema, name)} AS d WHERE d.${q(key)} = f.${q(col)})
GROUP BY f.${q(col)}`;
      })
      .join("\nUNION ALL\n"));
}

assert("orders_revenue_reconciles")
  .tags(["star", "integrity"])
  .description("Per orders source, the orders and their amounts in the typed source (stg_orders, latest version of each order) equal those in fact_orders.")
  .query((ctx) => `WITH src AS (
  SELECT 'orders.' || source AS source_key, COUNT(*) AS orders, COALESCE(SUM(amount), 0) AS amount FROM (
    SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.source, s.order_id ORDER BY s.updated_at DESC NULLS LAST, s.loaded_at DESC) AS rn
    FROM ${ctx.ref(SCHEMAS.staging, "stg_orders")} AS s WHERE s.order_id IS NOT NULL AND s.ordered_at IS NOT NULL
  ) AS latest WHERE rn = 1 GROUP BY source
), fact AS (
  SELECT source_key, COUNT(*) AS orders, COALESCE(SUM(amount), 0) AS amount FROM ${core(ctx, "fact_orders")} GROUP BY source_key
)
SELECT COALESCE(src.source_key, fact.source_key) AS source_key, src.orders AS source_orders, fact.orders AS fact_orders,
  src.amount AS source_amount, fact.amount AS fact_amount
FROM src FULL OUTER JOIN fact ON fact.source_key = src.source_key
WHERE src.orders IS NULL OR fact.orders IS NULL OR src.orders <> fact.orders OR src.amount <> fact.amount`);

assert("users_history_one_current_version")
  .tags(["star", "integrity"])
  .description("Every user has exactly one current version in users_history, and no current version belongs to a vanished user.")
  .query((ctx) => `SELECT u.user_id, COUNT(h.user_id) AS current_versions
FROM ${core(ctx, "users")} AS u LEFT JOIN ${core(ctx, "users_history")} AS h ON h.user_id = u.user_id AND h.is_current
GROUP BY u.user_id HAVING COUNT(h.user_id) <> 1
UNION ALL
SELECT h.user_id, 1 FROM ${core(ctx, "users_history")} AS h
WHERE h.is_current AND NOT EXISTS (SELECT 1 FROM ${core(ctx, "users")} AS u WHERE u.user_id = h.user_id)`);
