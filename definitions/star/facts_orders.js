// Cold data: orders (e-shop orders and store till tickets alike, one row per order) and order
// lines. Incremental: each run merges the rows landed since the last run (watermark loaded_at, so
// late-arriving orders are picked up whatever their order date), then re-points user_id at the
// current identity map, since merges and splits change who an old order belongs to. A full
// refresh gives the same table (tested).
const { SCHEMAS, UNKNOWN, q } = star_model;
const stg = (ctx, c) => ctx.ref(SCHEMAS.staging, `stg_${c}`);
const map = (ctx) => ctx.ref(identity_model.SCHEMA, "identity_map");
const idCfg = identity_model.config();

const LINEAGE_COLUMNS = {
  source_key: "Model source (dim_source_system), e.g. orders.eshop.",
  person_record_key: "Identity person record the row names (source:record_id); NULL when anonymous.",
  raw_hash: "_rcu_hash of the raw row (lineage).",
  load_id: "Load that landed the raw row.",
  loaded_at: "When the raw row was landed (incremental watermark).",
};

publish("fact_orders", {
  type: "incremental",
  schema: SCHEMAS.core,
  uniqueKey: ["order_key"],
  tags: ["star", "fact"],
  description: "One row per order or till ticket, from every orders source, keyed to the user who placed it (NULL when anonymous).",
  columns: {
    order_key: "source:order_id, unique across sources.",
    order_id: star_model.FIELD_DOCS.order_id,
    user_id: "The customer (rcu_core.users); NULL for anonymous purchases or customers not resolved.",
    date_key: "Order date (dim_date).",
    channel_key: "Sales channel (dim_channel).",
    store_key: "Store (dim_store); 'unknown' when not a store sale.",
    geography_key: "Shipping or store postcode (dim_geography); 'unknown' when none.",
    ordered_at: star_model.FIELD_DOCS.ordered_at,
    status: star_model.FIELD_DOCS.status,
    is_revenue: "Counts as revenue (not cancelled or returned, per the source's is_revenue mapping).",
    amount: star_model.FIELD_DOCS.amount,
    revenue: "amount when is_revenue, else 0.",
    currency: star_model.FIELD_DOCS.currency,
    items: star_model.FIELD_DOCS.items,
    ...LINEAGE_COLUMNS,
  },
  assertions: { uniqueKey: ["order_key"], nonNull: ["order_key", "date_key", "channel_key", "store_key", "geography_key"] },
})
  .query((ctx) => {
    const country = `COALESCE(o.country, ${star_model.lit(idCfg.default_country)})`;
    return `SELECT
  o.source || ':' || o.order_id AS order_key,
  o.order_id,
  m.user_id,
  ${star_model.dateKeyOf("o.ordered_at")} AS date_key,
  COALESCE(lower(o.channel), '${UNKNOWN}') AS channel_key,
  COALESCE(o.store_id, '${UNKNOWN}') AS store_key,
  COALESCE(${country} || ':' || ${address.postcode("o.postcode", country)}, '${UNKNOWN}') AS geography_key,
  o.ordered_at, o.status,
  COALESCE(o.is_revenue, TRUE) AS is_revenue,
  o.amount,
  CASE WHEN COALESCE(o.is_revenue, TRUE) THEN o.amount ELSE 0 END AS revenue,
  o.currency, o.items,
  'orders.' || o.source AS source_key,
  o.person_record_key, o.raw_hash, o.load_id, o.loaded_at
FROM (
  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.source, s.order_id ORDER BY s.updated_at DESC NULLS LAST, s.loaded_at DESC) AS rn
  FROM ${stg(ctx, "orders")} AS s
  WHERE s.order_id IS NOT NULL AND s.ordered_at IS NOT NULL${ctx.incremental() ? `\n    AND s.${star_model.landedAfterSelf(ctx.self())}` : ""}
) AS o
LEFT JOIN ${map(ctx)} AS m ON m.record_key = o.person_record_key
WHERE o.rn = 1`;
  })
  .postOps((ctx) => star_model.repointUsers(ctx.self(), "person_record_key", `(SELECT record_key AS ${q("key")}, user_id FROM ${map(ctx)})`));

publish("fact_order_lines", {
  type: "incremental",
  schema: SCHEMAS.core,
  uniqueKey: ["order_line_key"],
  tags: ["star", "fact"],
  description: "One row per order line, keyed to its order (fact_orders), product and user.",
  columns: {
    order_line_key: "order_key#line_no (the raw row hash when the source has no line number).",
    order_key: "The order (fact_orders).",
    user_id: "The customer of the order (NULL when anonymous or the order has not arrived yet).",
    product_key: "Product (dim_product); 'unknown' when the line names none.",
    line_no: star_model.FIELD_DOCS.line_no,
    quantity: star_model.FIELD_DOCS.quantity,
    unit_price: star_model.FIELD_DOCS.unit_price,
    amount: "Line amount: the source's, else quantity × unit price.",
    ...LINEAGE_COLUMNS,
  },
  assertions: { uniqueKey: ["order_line_key"], nonNull: ["order_line_key", "order_key", "product_key"] },
})
  .query((ctx) => `SELECT
  l.order_line_key, l.order_key,
  o.user_id,
  COALESCE(l.product_id, '${UNKNOWN}') AS product_key,
  l.line_no, l.quantity, l.unit_price,
  COALESCE(l.amount, l.quantity * l.unit_price) AS amount,
  'order_lines.' || l.source AS source_key,
  o.person_record_key, l.raw_hash, l.load_id, l.loaded_at
FROM (
  SELECT k.*, ROW_NUMBER() OVER (PARTITION BY k.order_line_key ORDER BY k.loaded_at DESC, k.raw_hash) AS rn
  FROM (
    SELECT s.*,
      s.order_source || ':' || s.order_id || '#' || COALESCE(CAST(s.line_no AS ${portable.textType()}), s.raw_hash) AS order_line_key,
      s.order_source || ':' || s.order_id AS order_key
    FROM ${stg(ctx, "order_lines")} AS s
    WHERE s.order_id IS NOT NULL${ctx.incremental() ? `\n      AND s.${star_model.landedAfterSelf(ctx.self())}` : ""}
  ) AS k
) AS l
LEFT JOIN ${ctx.ref(SCHEMAS.core, "fact_orders")} AS o ON o.order_key = l.order_key
WHERE l.rn = 1`)
  // Lines take their order's user: re-point them after the orders fact was re-pointed.
  .postOps((ctx) => [
    `UPDATE ${ctx.self()} AS f SET ${q("person_record_key")} = o.${q("person_record_key")}
FROM ${ctx.ref(SCHEMAS.core, "fact_orders")} AS o
WHERE o.${q("order_key")} = f.${q("order_key")} AND ${star_model.differs("f." + q("person_record_key"), "o." + q("person_record_key"))}`,
    ...star_model.repointUsers(ctx.self(), "person_record_key", `(SELECT record_key AS ${q("key")}, user_id FROM ${map(ctx)})`),
  ]);
