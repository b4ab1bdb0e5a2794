/**
 * The `destinations:` section of rcu.yaml: which prepared data goes to which business tool, mapped
 * to the tool's fields, for which purpose and on which legal basis. Parsed once at the edge.
 *
 * A destination reads a relation (a mart such as rcu_marts.customer_360) or a segment's members,
 * keyed by user_id. Sending requires, per user, a granted consent for the destination's purpose on
 * its channel (rcu_marts.user_consents), unless the destination states another legal basis (e.g.
 * `contract` for a service team's tool), which is then recorded in the audit trail.
 */
import { z } from "zod";
import { secretRef } from "../connectors/config.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const name = (what: string) => z.string().regex(NAME, `${what} must be letters, digits and _ (not starting with a digit)`);
const relation = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, "relation must be schema.table");

/** Destination field ← a column of the source relation, or { sql } over its columns. */
const fieldSource = z.union([name("column"), z.strictObject({ sql: z.string().min(1) })]);

const common = {
  /** Relation to read (default rcu_marts.customer_360); with `segment`, only its members. */
  from: relation.default("rcu_marts.customer_360"),
  segment: name("segment").optional(),
  /** Processing purpose; must match the segment's purpose when a segment is given. */
  purpose: name("purpose"),
  /** Channel whose consent (for `purpose`) each user must have granted. */
  consent: z.strictObject({ channel: name("channel") }).optional(),
  /** Another legal basis than consent (contract, legal_obligation, legitimate_interest …). */
  legal_basis: z.enum(["contract", "legal_obligation", "vital_interest", "public_task", "legitimate_interest"]).optional(),
  /** Destination field → source column. The key (user_id) is always sent as `key_field`. */
  columns: z.record(z.string().min(1).max(128), fieldSource).refine((c) => Object.keys(c).length > 0, "map at least one column"),
  key_field: z.string().min(1).max(128).default("user_id"),
  /** Destination fields sent as SHA-256 of their normalised value (advertising audiences). */
  hash: z.array(z.string().min(1)).default([]),
  batch_size: z.number().int().min(1).max(100_000).default(500),
};

const fileDestination = z.strictObject({
  type: z.literal("file"),
  format: z.enum(["csv", "jsonl", "parquet"]),
  /** Directory receiving one file per sync: <name>-<sync id>.<format>. */
  dir: z.string().min(1),
  ...common,
});

const httpDestination = z.strictObject({
  type: z.literal("http"),
  base_url: z.url(),
  headers: z.record(z.string().min(1), secretRef).optional(),
  upsert: z.strictObject({ method: z.enum(["POST", "PUT", "PATCH"]).default("POST"), path: z.string().min(1), records_field: z.string().min(1).default("records") }),
  delete: z.strictObject({ method: z.enum(["POST", "DELETE"]).default("POST"), path: z.string().min(1), keys_field: z.string().min(1).default("keys") }).optional(),
  timeout_ms: z.number().int().positive().default(30_000),
  max_retries: z.number().int().min(0).max(20).default(5),
  backoff_ms: z.number().int().min(0).default(500),
  /** Client-side rate limit. */
  max_requests_per_second: z.number().positive().max(10_000).default(10),
  ...common,
});

const postgresDestination = z.strictObject({
  type: z.literal("postgres"),
  /** Environment variable holding the connection URL (never the URL itself). */
  url_env: z.string().min(1),
  /** schema.table; created (text columns, key as primary key) when missing. */
  table: relation,
  ...common,
});

export const destinationSchema = z
  .discriminatedUnion("type", [fileDestination, httpDestination, postgresDestination])
  .superRefine((d, ctx) => {
    if (!d.consent === !d.legal_basis) {
      ctx.addIssue({ code: "custom", path: ["consent"], message: "give either consent: { channel } or legal_basis (exactly one)" });
    }
    if (d.legal_basis && d.purpose === "marketing") {
      ctx.addIssue({ code: "custom", path: ["legal_basis"], message: "marketing requires consent: { channel }" });
    }
    for (const h of d.hash) if (!(h in d.columns)) ctx.addIssue({ code: "custom", path: ["hash"], message: `"${h}" is not a field of columns` });
    if (d.key_field in d.columns) ctx.addIssue({ code: "custom", path: ["key_field"], message: `"${d.key_field}" is also a mapped column` });
  });
export type DestinationConfig = z.infer<typeof destinationSchema>;
export type FileDestination = Extract<DestinationConfig, { type: "file" }>;
export type HttpDestination = Extract<DestinationConfig, { type: "http" }>;
export type PostgresDestination = Extract<DestinationConfig, { type: "postgres" }>;

export const destinationsSchema = z.record(name("destination name"), destinationSchema);
export type DestinationsConfig = z.infer<typeof destinationsSchema>;
