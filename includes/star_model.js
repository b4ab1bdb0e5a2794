// The star schema's shared pieces: the model config (rcu.yaml `model:`, passed by rcu as the
// compile var `rcu_model`), the contracts every source maps onto, and the typed staging SELECT of
// one source. definitions/star and definitions/marts read these instead of naming source columns,
// so onboarding an orders or events source is configuration only (docs/star-schema.md).
//
// Under the official Dataform CLI the var is absent: every contract compiles empty (typed
// relations with no rows), which keeps definitions/ valid Dataform.

const portable = require("./portable");
const { ident: q, literal: lit } = require("./relations");

const SCHEMAS = { staging: "rcu_staging", core: "rcu_core", marts: "rcu_marts" };

/** The key of a dimension's unknown member (a fact row with no reference points at it). */
const UNKNOWN = "unknown";

// Contract → field → type. The same field lists as CONTRACTS in model/config.ts (a test checks).
// Types: text, ts (timestamp), num (decimal 18,2), int, bool, consent ('granted' | 'withdrawn').
const CONTRACTS = {
  products: { product_id: "text", name: "text", category: "text", brand: "text", price: "num", updated_at: "ts" },
  stores: { store_id: "text", name: "text", city: "text", postcode: "text", country: "text", opened_at: "ts" },
  campaigns: { campaign_id: "text", name: "text", subject: "text", channel: "text", sent_at: "ts" },
  orders: {
    order_id: "text", ordered_at: "ts", amount: "num", status: "text", is_revenue: "bool", currency: "text",
    channel: "text", store_id: "text", postcode: "text", country: "text", items: "int", updated_at: "ts",
  },
  order_lines: { order_id: "text", product_id: "text", line_no: "int", quantity: "int", unit_price: "num", amount: "num" },
  web_events: { occurred_at: "ts", device_id: "text", event_id: "text", type: "text", url: "text", product_id: "text", quantity: "int" },
  email_events: { occurred_at: "ts", type: "text", event_id: "text", campaign_id: "text" },
  interactions: { interaction_id: "text", occurred_at: "ts", channel: "text", subject: "text", status: "text", is_open: "bool", agent: "text" },
  consents: { channel: "text", status: "consent", changed_at: "ts", purpose: "text" },
};

/** What each contract field means (column descriptions of staging, facts and dimensions). */
const FIELD_DOCS = {
  product_id: "Product identifier (SKU) as the source writes it.",
  store_id: "Store (point of sale) code.",
  campaign_id: "Campaign identifier in the emailing platform.",
  order_id: "Order or till-ticket number, unique within its source.",
  interaction_id: "Ticket or interaction id, unique within its source.",
  event_id: "Event id when the source has one; otherwise the raw row hash identifies the event.",
  name: "Display name.",
  category: "Product category.",
  brand: "Product brand.",
  price: "List price (decimal).",
  city: "City.",
  postcode: "Postcode as written (normalised in dim_geography).",
  country: "ISO 3166-1 alpha-2 country code.",
  subject: "Subject line or reason.",
  channel: "Channel (web, store, email, phone, chat, sms, post, app …), lower case.",
  status: "Status as the source writes it.",
  is_revenue: "Whether the order counts as revenue (e.g. not cancelled or returned); NULL = yes.",
  is_open: "Whether the interaction is still open.",
  currency: "ISO 4217 currency code.",
  amount: "Amount including tax (decimal).",
  items: "Number of articles.",
  line_no: "Line number within the order.",
  quantity: "Quantity.",
  unit_price: "Unit price including tax (decimal).",
  ordered_at: "When the order was placed.",
  occurred_at: "When the event happened.",
  changed_at: "When the consent was given or withdrawn.",
  sent_at: "When the campaign was sent.",
  opened_at: "When the store opened.",
  updated_at: "Last update in the source system.",
  device_id: "Device or browser id (anonymous until a login links it to a person).",
  type: "Event type as the source writes it (page_view, login, sent, open, click …).",
  url: "Page URL or screen.",
  agent: "Agent who handled the interaction.",
  purpose: "Processing purpose the consent covers (marketing by default).",
  order_source: "The orders source the line's order_id belongs to (model.order_lines.<source>.order_source).",
};

const DEFAULTS = { session_timeout_minutes: 30, churn_after_days: 365, segments: {} };

function config() {
  const vars = (dataform.projectConfig && dataform.projectConfig.vars) || {};
  const raw = vars.rcu_model ? JSON.parse(vars.rcu_model) : {};
  const cfg = { ...DEFAULTS, ...raw };
  for (const c of Object.keys(CONTRACTS)) cfg[c] = raw[c] || {};
  return cfg;
}

/** Sources of a contract, sorted by name (deterministic SQL). */
function sourcesOf(cfg, contract) {
  return Object.entries(cfg[contract] || {}).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * A configured field as raw SQL: a column (quoted), { sql } (trusted expression), { value }
 * (literal), or an engine-portable form ({ json, path }, { timestamp, format }: portable.fieldForm).
 */
function field(f) {
  if (f === undefined || f === null) return "NULL";
  if (typeof f === "object" && typeof f.sql === "string") return `(${f.sql})`;
  const form = portable.fieldForm(f, q);
  if (form !== undefined) return form;
  if (typeof f === "object" && "value" in f) return typeof f.value === "string" ? lit(f.value) : lit(String(f.value));
  return q(f);
}

/** Text with blanks as NULL: sources write '' and '   ' for "no value". */
function text(expr) {
  return `NULLIF(trim(CAST(${expr} AS ${portable.textType()})), '')`;
}

const TRUE_WORDS = ["true", "t", "1", "yes", "y", "oui", "o"];
const FALSE_WORDS = ["false", "f", "0", "no", "n", "non"];
const GRANTED = ["granted", "subscribed", "opt_in", "optin", "opted_in", "consented", ...TRUE_WORDS];
const WITHDRAWN = ["withdrawn", "unsubscribed", "opt_out", "optout", "opted_out", "revoked", ...FALSE_WORDS];
const inList = (words) => words.map(lit).join(", ");

/** A field converted to its contract type; unparseable values become NULL (never an error). */
function typed(type, f) {
  const t = text(field(f));
  switch (type) {
    case "text": return t;
    case "ts": return portable.tryTimestamp(t);
    case "num": return portable.tryDecimal(t);
    case "int": return portable.tryInteger(t);
    case "bool": return `CASE WHEN lower(${t}) IN (${inList(TRUE_WORDS)}) THEN TRUE WHEN lower(${t}) IN (${inList(FALSE_WORDS)}) THEN FALSE END`;
    case "consent": return `CASE WHEN lower(${t}) IN (${inList(GRANTED)}) THEN 'granted' WHEN lower(${t}) IN (${inList(WITHDRAWN)}) THEN 'withdrawn' END`;
    default: throw new Error(`unknown contract type ${type}`);
  }
}

const SQL_TYPES = { text: null, ts: "TIMESTAMP", num: "DECIMAL(18,2)", int: "BIGINT", bool: "BOOLEAN", consent: null };
const sqlType = (type) => SQL_TYPES[type] || portable.textType();

/** Columns every staging relation carries besides its contract fields. */
const LINEAGE = ["source", "person_record_key", "raw_hash", "load_id", "loaded_at"];

/** The typed SELECT of one configured source of `contract` (a staging view's body). */
function stagingSelect(ctx, contract, name, src) {
  const [schema, table] = String(src.relation).split(".");
  const person = src.person
    ? `CASE WHEN ${text(field(src.person.key))} IS NOT NULL THEN ${lit(src.person.source + ":")} || ${text(field(src.person.key))} END`
    : "NULL";
  const cols = Object.entries(CONTRACTS[contract]).map(([f, type]) => `${typed(type, src[f])} AS ${q(f)}`);
  const extra = contract === "order_lines" ? [`${lit(orderSourceOf(config(), src))} AS ${q("order_source")}`] : [];
  return `SELECT
  ${lit(name)} AS ${q("source")},
  CAST(${person} AS ${portable.textType()}) AS ${q("person_record_key")},
  ${[...cols, ...extra].join(",\n  ")},
  ${q("_rcu_hash")} AS ${q("raw_hash")},
  ${q("_rcu_load_id")} AS ${q("load_id")},
  CAST(${q("_rcu_loaded_at")} AS TIMESTAMP) AS ${q("loaded_at")}
FROM ${ctx.ref(schema, table)}${src.where ? `\nWHERE ${src.where.sql}` : ""}`;
}

/** The same columns with no rows, for a contract no source maps onto. */
function emptySelect(contract) {
  const t = portable.textType();
  const cols = [
    `CAST(NULL AS ${t}) AS ${q("source")}`,
    `CAST(NULL AS ${t}) AS ${q("person_record_key")}`,
    ...Object.entries(CONTRACTS[contract]).map(([f, type]) => `CAST(NULL AS ${sqlType(type)}) AS ${q(f)}`),
    ...(contract === "order_lines" ? [`CAST(NULL AS ${t}) AS ${q("order_source")}`] : []),
    `CAST(NULL AS ${t}) AS ${q("raw_hash")}`,
    `CAST(NULL AS ${t}) AS ${q("load_id")}`,
    `CAST(NULL AS TIMESTAMP) AS ${q("loaded_at")}`,
  ];
  return `SELECT ${cols.join(", ")} WHERE 1 = 0`;
}

/** The orders source an order-lines source belongs to (the only one when not configured). */
function orderSourceOf(cfg, src) {
  if (src.order_source) return src.order_source;
  const names = Object.keys(cfg.orders || {});
  return names.length === 1 ? names[0] : "orders";
}

/** `source:id` — keys of orders, lines and interactions are unique per source, not across. */
function sourceKey(sourceCol, idExpr) {
  return `${sourceCol} || ':' || ${idExpr}`;
}

/** The incremental watermark: rows landed after the newest already in `self`. */
function landedAfterSelf(self, column) {
  return `${column || "loaded_at"} > (SELECT COALESCE(MAX(${q("loaded_at")}), CAST('1900-01-01' AS TIMESTAMP)) FROM ${self})`;
}

/** The model's reference date: `as_of` from config, or the day of the run. */
function asOf(cfg) {
  return cfg.as_of ? `CAST(${lit(cfg.as_of)} AS DATE)` : "CURRENT_DATE";
}

/** Neither equal nor both NULL (IS DISTINCT FROM, which Redshift lacks). */
function differs(a, b) {
  return `(${a} <> ${b} OR (${a} IS NULL AND ${b} IS NOT NULL) OR (${a} IS NOT NULL AND ${b} IS NULL))`;
}

/**
 * Statements that re-point an incremental fact's user_id at the current identity map: a merge or
 * split since the rows were written changes their user, and incremental runs must end equal to a
 * full refresh. `userOf` is a relation (key, user_id) keyed by the fact's `keyCol`.
 */
function repointUsers(self, keyCol, userOf) {
  return [
    `UPDATE ${self} AS f SET ${q("user_id")} = u.${q("user_id")}
FROM ${userOf} AS u
WHERE u.${q("key")} = f.${q(keyCol)} AND ${differs(`f.${q("user_id")}`, `u.${q("user_id")}`)}`,
    `UPDATE ${self} AS f SET ${q("user_id")} = NULL
WHERE f.${q("user_id")} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${userOf} AS u WHERE u.${q("key")} = f.${q(keyCol)})`,
  ];
}

/** A date's key yyyymmdd (integer), the conformed key of dim_date. */
function dateKeyOf(expr) {
  return `CAST(EXTRACT(YEAR FROM ${expr}) * 10000 + EXTRACT(MONTH FROM ${expr}) * 100 + EXTRACT(DAY FROM ${expr}) AS INTEGER)`;
}

module.exports = {
  SCHEMAS, UNKNOWN, CONTRACTS, FIELD_DOCS, LINEAGE, config, sourcesOf, field, text, typed, sqlType, stagingSelect, emptySelect,
  orderSourceOf, sourceKey, landedAfterSelf, asOf, differs, repointUsers, dateKeyOf, q, lit,
};
