// Conformed dimensions of the star schema. Keys are the business ids (a SKU, a store code), so
// facts keep them as they arrive and never need rewriting. Each dimension holds:
//   - the members its sources describe (the latest version of each key),
//   - inferred members: keys facts reference that no source describes yet (late-arriving
//     dimension rows, Kimball's "inferred member"); they fill in when the source catches up,
//   - one unknown member (key 'unknown') that facts with no reference point at.
// So every fact key joins to exactly one dimension row (asserted in assertions.js).
const { SCHEMAS, UNKNOWN, q, lit } = star_model;
const stg = (ctx, c) => ctx.ref(SCHEMAS.staging, `stg_${c}`);

/**
 * A conformed dimension. `attrs`: contract columns kept (besides the key); `referenced`: [contract,
 * column] pairs whose values must exist in the dimension; `unknownName`: the unknown member's name.
 */
function dimension(name, spec) {
  publish(name, {
    type: "table",
    schema: SCHEMAS.core,
    tags: ["star", "dimension"],
    description: spec.description,
    columns: {
      [spec.key]: `Conformed key (${spec.idCol}); '${UNKNOWN}' for the unknown member.`,
      ...Object.fromEntries(spec.attrs.map((a) => [a, star_model.FIELD_DOCS[a]])),
      source: "Model source the member comes from (NULL for inferred and unknown members).",
      is_inferred: "True for members only known from facts referencing them (late-arriving) and for the unknown member.",
    },
    assertions: { uniqueKey: [spec.key], nonNull: [spec.key] },
  }).query((ctx) => {
    const attrs = spec.attrs.map(q);
    const nulls = spec.attrs.map((a) => `NULL AS ${q(a)}`);
    const id = q(spec.idCol);
    const refs = spec.referenced.map(([c, col]) => `SELECT ${q(col)} AS id FROM ${stg(ctx, c)} WHERE ${q(col)} IS NOT NULL`);
    return `WITH ranked AS (
  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY ${id} ORDER BY ${spec.order || "s.loaded_at DESC"}, s.source) AS rn
  FROM ${stg(ctx, spec.contract)} AS s WHERE ${id} IS NOT NULL
), known AS (
  SELECT * FROM ranked WHERE rn = 1
), referenced AS (
  ${refs.join("\n  UNION\n  ")}
)
SELECT ${id} AS ${q(spec.key)}, ${attrs.join(", ")}, source, FALSE AS is_inferred FROM known
UNION ALL
SELECT r.id, ${nulls.join(", ")}, NULL, TRUE FROM referenced AS r
WHERE NOT EXISTS (SELECT 1 FROM known AS k WHERE k.${id} = r.id)
UNION ALL
SELECT ${lit(UNKNOWN)}, ${spec.attrs.map((a) => (a === "name" ? `${lit(spec.unknownName)} AS ${q(a)}` : `NULL AS ${q(a)}`)).join(", ")}, NULL, TRUE`;
  });
}

dimension("dim_product", {
  description: "Products (one row per product_id), with inferred members for products sold or viewed before the catalogue lists them.",
  contract: "products",
  key: "product_key",
  idCol: "product_id",
  attrs: ["name", "category", "brand", "price"],
  order: "s.updated_at DESC NULLS LAST, s.loaded_at DESC",
  referenced: [["order_lines", "product_id"], ["web_events", "product_id"]],
  unknownName: "Unknown product",
});

dimension("dim_store", {
  description: "Stores (points of sale), with inferred members for store codes seen on tickets only. E-shop orders point at the unknown member.",
  contract: "stores",
  key: "store_key",
  idCol: "store_id",
  attrs: ["name", "city", "postcode", "country"],
  referenced: [["orders", "store_id"]],
  unknownName: "No store",
});

dimension("dim_campaign", {
  description: "Marketing campaigns, with inferred members for campaigns known only from their email events.",
  contract: "campaigns",
  key: "campaign_key",
  idCol: "campaign_id",
  attrs: ["name", "subject", "channel", "sent_at"],
  order: "s.sent_at DESC NULLS LAST, s.loaded_at DESC",
  referenced: [["email_events", "campaign_id"]],
  unknownName: "Unknown campaign",
});

// Channel names and families for the common values; others keep their code as name.
const CHANNELS = [
  ["web", "E-shop (web)", "online"], ["app", "Mobile app", "online"], ["store", "Stores", "offline"],
  ["email", "Email", "contact"], ["sms", "SMS", "contact"], ["phone", "Phone", "contact"],
  ["chat", "Chat", "contact"], ["post", "Post", "contact"], ["social", "Social networks", "online"],
];

publish("dim_channel", {
  type: "table",
  schema: SCHEMAS.core,
  tags: ["star", "dimension"],
  description: "Channels of sales, contact and consent: every channel value the facts carry (lower case), plus the unknown member.",
  columns: {
    channel_key: "Channel code, lower case ('unknown' for the unknown member).",
    name: "Display name.",
    channel_family: "online, offline (stores) or contact (email, phone, chat …); NULL when not a known channel.",
  },
  assertions: { uniqueKey: ["channel_key"], nonNull: ["channel_key"] },
}).query((ctx) => {
  const known = CHANNELS.map(([k, n, f]) => `SELECT ${lit(k)} AS channel_key, ${lit(n)} AS name, ${lit(f)} AS channel_family`).join("\n  UNION ALL ");
  const seen = [["orders", "channel"], ["interactions", "channel"], ["campaigns", "channel"], ["consents", "channel"]]
    .map(([c, col]) => `SELECT lower(${q(col)}) AS channel_key FROM ${stg(ctx, c)} WHERE ${q(col)} IS NOT NULL`)
    .join("\n  UNION ");
  return `WITH known AS (
  ${known}
), seen AS (
  ${seen}
  UNION SELECT 'web' UNION SELECT 'email'
)
SELECT s.channel_key, COALESCE(k.name, s.channel_key) AS name, k.channel_family
FROM seen AS s LEFT JOIN known AS k ON k.channel_key = s.channel_key
UNION ALL
SELECT ${lit(UNKNOWN)}, 'Unknown channel', NULL`;
});
