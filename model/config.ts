/**
 * The `model:` section of rcu.yaml: how the landed source tables map onto the star schema's
 * contracts (products, stores, campaigns, orders, order lines, web events, email events,
 * contact-centre interactions, consent changes) and which segments to materialise. Like the
 * identity section, onboarding a source is configuration only: definitions/star and
 * definitions/marts are generated from these mappings (includes/star_model.js).
 *
 * A field is a column name (quoted by the dialect), `{ sql: … }` (an expression the project owner
 * writes, trusted like SQLX), `{ value: … }` (a constant, quoted as a literal), or one of the
 * engine-portable forms of identity/config.ts (`{ json, path }`, `{ timestamp, format }`).
 */
import { z } from "zod";
import { fieldSchema as identityField } from "../identity/config.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const name = (what: string) => z.string().regex(NAME, `${what} must be letters, digits and _ (not starting with a digit)`);

export const modelFieldSchema = z.union([
  identityField,
  z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }),
]);
export type ModelField = z.infer<typeof modelFieldSchema>;

const relation = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, "relation must be schema.table");

/** The person a row belongs to: a record of an identity person source, by its record_id. */
export const personLinkSchema = z.strictObject({
  source: name("person source"),
  key: modelFieldSchema,
});

/**
 * Every contract: its fields (required ones first), as in includes/star_model.js CONTRACTS.
 * `person` links a row to identity; `where` filters the source's rows.
 */
export const CONTRACTS = {
  products: { required: ["product_id"], optional: ["name", "category", "brand", "price", "updated_at"] },
  stores: { required: ["store_id"], optional: ["name", "city", "postcode", "country", "opened_at"] },
  campaigns: { required: ["campaign_id"], optional: ["name", "subject", "channel", "sent_at"] },
  orders: {
    required: ["order_id", "ordered_at", "amount"],
    optional: ["status", "is_revenue", "currency", "channel", "store_id", "postcode", "country", "items", "updated_at"],
  },
  order_lines: { required: ["order_id", "product_id"], optional: ["line_no", "quantity", "unit_price", "amount"] },
  web_events: { required: ["occurred_at", "device_id"], optional: ["event_id", "type", "url", "product_id", "quantity"] },
  email_events: { required: ["occurred_at", "type"], optional: ["event_id", "campaign_id"] },
  interactions: { required: ["interaction_id", "occurred_at"], optional: ["channel", "subject", "status", "is_open", "agent"] },
  consents: { required: ["channel", "status", "changed_at"], optional: ["purpose"] },
} as const;
export type ContractName = keyof typeof CONTRACTS;

function contractSource<C extends ContractName>(contract: C) {
  const { required, optional } = CONTRACTS[contract];
  const fields: Record<string, z.ZodType> = {};
  for (const f of required) fields[f] = modelFieldSchema;
  for (const f of optional) fields[f] = modelFieldSchema.optional();
  return z.strictObject({
    relation,
    where: z.strictObject({ sql: z.string().min(1) }).optional(),
    person: personLinkSchema.optional(),
    /** Order lines only: the orders source their order_id belongs to (keys are per source). */
    ...(contract === "order_lines" ? { order_source: name("orders source") } : {}),
    ...fields,
  });
}

const sources = <C extends ContractName>(c: C) => z.record(name(`${c} source name`), contractSource(c)).default({});

export const segmentSchema = z.strictObject({
  description: z.string().min(1),
  /** What the segment may be used for; distribution checks consent for it (e.g. marketing). */
  purpose: name("purpose").default("marketing"),
  /** SQL condition over rcu_marts.customer_360 columns. */
  where: z.string().min(1),
});

export const modelSchema = z.strictObject({
  /** Date the marts measure recency from (ISO); default: the day of the run. */
  as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "an ISO date such as 2026-10-31").optional(),
  /** Inactivity that ends a web session. */
  session_timeout_minutes: z.number().int().min(1).max(24 * 60).default(30),
  /** Days without purchase after which an active customer counts as lapsed (churn rule). */
  churn_after_days: z.number().int().min(1).max(3650).default(365),
  products: sources("products"),
  stores: sources("stores"),
  campaigns: sources("campaigns"),
  orders: sources("orders"),
  order_lines: sources("order_lines"),
  web_events: sources("web_events"),
  email_events: sources("email_events"),
  interactions: sources("interactions"),
  consents: sources("consents"),
  segments: z.record(name("segment name"), segmentSchema).default({}),
});
export type ModelConfig = z.infer<typeof modelSchema>;

/** The compile var carrying the model config into definitions/ (Dataform vars are strings). */
export const MODEL_VAR = "rcu_model";

/**
 * Cross-section checks zod cannot express per field: person links name identity person sources,
 * order lines name an orders source. Returns one message per problem (path: message).
 */
export function modelProblems(model: ModelConfig, personSources: readonly string[]): string[] {
  const problems: string[] = [];
  const persons = new Set(personSources);
  for (const contract of Object.keys(CONTRACTS) as ContractName[]) {
    for (const [src, def] of Object.entries(model[contract] as Record<string, { person?: { source: string }; order_source?: string }>)) {
      if (def.person && !persons.has(def.person.source)) {
        problems.push(
          `model.${contract}.${src}.person.source: "${def.person.source}" is not an identity person source (defined: ${[...persons].join(", ") || "none"})`,
        );
      }
      if (contract === "order_lines") {
        if (def.order_source && !(def.order_source in model.orders)) {
          problems.push(`model.order_lines.${src}.order_source: "${def.order_source}" is not a model.orders source`);
        } else if (!def.order_source && Object.keys(model.orders).length > 1) {
          problems.push(`model.order_lines.${src}.order_source: required when there are several model.orders sources`);
        }
      }
    }
  }
  if (Object.keys(model.order_lines).length && !Object.keys(model.orders).length) {
    problems.push("model.order_lines: order lines need at least one model.orders source");
  }
  return problems;
}
