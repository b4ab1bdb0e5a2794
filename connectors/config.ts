/**
 * The `sources:` section of rcu.yaml. Validated with zod; every message names the offending key
 * (zod reports the path, `formatSourcesError` renders it as `sources.crm.streams.contacts.path`).
 *
 * ```yaml
 * sources:
 *   crm:
 *     type: files
 *     format: csv
 *     csv: { delimiter: ";", encoding: windows-1252 }
 *     schema_drift: evolve
 *     streams:
 *       contacts: { path: "data/crm/contacts_*.csv", primary_key: [id], write_disposition: merge }
 * ```
 */
import { z } from "zod";
import { RcuError } from "../engine/errors.js";

/** Source and stream names become table names (`raw.<source>_<stream>`): keep them plain. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const identifier = (what: string) =>
  z.string().regex(IDENTIFIER, {
    message: `${what} must match ${IDENTIFIER.source} (letters, digits, underscore; not starting with a digit)`,
  });

export const columnTypeSchema = z.enum(["text", "bigint", "double", "boolean", "timestamp", "json"]);
export const schemaDriftSchema = z.enum(["evolve", "freeze", "discard_row", "discard_value"]);
export const writeDispositionSchema = z.enum(["append", "replace", "merge"]);

/** Options every stream has; a source may set them as defaults for all its streams. */
/** A duration such as 30m, 6h or 2d. */
const duration = z.string().regex(/^\d+(m|h|d)$/, "a duration such as 30m, 6h or 2d");

/** Age of a stream's last successful load that makes `rcu status` warn, or fail. */
const freshnessSchema = z.strictObject({ warn_after: duration.optional(), error_after: duration.optional() });

const streamCommon = {
  freshness: freshnessSchema.optional(),
  primary_key: z.array(z.string().min(1)).min(1).optional(),
  write_disposition: writeDispositionSchema.optional(),
  schema_drift: schemaDriftSchema.optional(),
  /** Declared column types; undeclared columns land as text (raw = unchanged content). */
  columns: z.record(z.string().min(1), columnTypeSchema).optional(),
  batch_size: z.number().int().positive().max(1_000_000).optional(),
};

export const secretRef = z.union([
  z.string(),
  z.strictObject({ env: z.string().min(1), prefix: z.string().optional() }),
]);

const csvOptions = z.strictObject({
  delimiter: z.string().min(1).max(4).default(","),
  quote: z.string().length(1).default('"'),
  escape: z.string().length(1).optional(),
  encoding: z.enum(["utf-8", "utf8", "latin1", "iso-8859-1", "windows-1252", "cp1252", "utf-16le"]).default("utf-8"),
  header: z.boolean().default(true),
  /** Column names when the file has no header (or to override it: the header row is then skipped). */
  columns: z.array(z.string().min(1)).optional(),
});

const fileStream = z.strictObject({
  ...streamCommon,
  /** Glob relative to the project directory: `*`, `?`, `**`, `{a,b}`. */
  path: z.string().min(1),
  /** For JSON documents that are not a top-level array: where the records are (`data.items`). */
  records_path: z.string().optional(),
});

const filesSource = z.strictObject({
  type: z.literal("files"),
  format: z.enum(["csv", "jsonl", "json"]),
  /** Text encoding of JSON / JSON Lines files (CSV: `csv.encoding`). */
  encoding: z.enum(["utf-8", "utf8", "latin1", "iso-8859-1", "windows-1252", "cp1252", "utf-16le"]).optional(),
  csv: csvOptions.optional(),
  ...streamCommon,
  streams: z.record(identifier("stream name"), fileStream),
});

const pagination = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("none") }),
  z.strictObject({
    type: z.literal("page"),
    page_param: z.string().default("page"),
    start: z.number().int().default(1),
    size_param: z.string().optional(),
    size: z.number().int().positive().optional(),
  }),
  z.strictObject({
    type: z.literal("offset"),
    offset_param: z.string().default("offset"),
    limit_param: z.string().default("limit"),
    limit: z.number().int().positive().default(100),
  }),
  z.strictObject({
    type: z.literal("cursor"),
    cursor_param: z.string().default("cursor"),
    /** Where the next cursor is in the response body, e.g. `meta.next_cursor`. */
    cursor_path: z.string().min(1),
  }),
  z.strictObject({ type: z.literal("link") }),
]);

const httpStream = z.strictObject({
  ...streamCommon,
  path: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Where the records are in each response, e.g. `data.items`; empty: the body is the array. */
  records_path: z.string().default(""),
  pagination: pagination.default({ type: "none" }),
  incremental: z
    .strictObject({
      /** Field of each record holding its change time/version (top-level). */
      cursor_field: z.string().min(1),
      /** Query parameter the persisted cursor is sent in, e.g. `updated_since`. */
      param: z.string().min(1),
      initial: z.string().optional(),
    })
    .optional(),
});

const httpSource = z.strictObject({
  type: z.literal("http"),
  base_url: z.url(),
  /** Header values: literal strings or `{ env: VAR, prefix: "Bearer " }` resolved at extract. */
  headers: z.record(z.string().min(1), secretRef).optional(),
  timeout_ms: z.number().int().positive().default(30_000),
  max_retries: z.number().int().min(0).max(20).default(5),
  backoff_ms: z.number().int().min(0).default(500),
  max_pages: z.number().int().positive().default(100_000),
  ...streamCommon,
  streams: z.record(identifier("stream name"), httpStream),
});

const pgStream = z
  .strictObject({
    ...streamCommon,
    /** `schema.table` or `table` (quoted for you), or a full `query` (trusted SQL from rcu.yaml). */
    table: z.string().min(1).optional(),
    query: z.string().min(1).optional(),
    cursor_column: z.string().min(1).optional(),
    initial: z.string().optional(),
  })
  .refine((s) => (s.table === undefined) !== (s.query === undefined), {
    message: "set exactly one of `table` or `query`",
  });

const postgresSource = z.strictObject({
  type: z.literal("postgres"),
  /** Env var holding a connection URL (`postgres://user:pass@host/db`); never put it in rcu.yaml. */
  url_env: z.string().min(1),
  ...streamCommon,
  streams: z.record(identifier("stream name"), pgStream),
});

export const sourceConfigSchema = z.discriminatedUnion("type", [filesSource, httpSource, postgresSource]);
export const sourcesConfigSchema = z.record(identifier("source name"), sourceConfigSchema);

export type SourceConfig = z.infer<typeof sourceConfigSchema>;
export type SourcesConfig = z.infer<typeof sourcesConfigSchema>;
export type FilesSourceConfig = z.infer<typeof filesSource>;
export type FileStreamConfig = z.infer<typeof fileStream>;
export type CsvOptions = z.infer<typeof csvOptions>;
export type HttpSourceConfig = z.infer<typeof httpSource>;
export type HttpStreamConfig = z.infer<typeof httpStream>;
export type PaginationConfig = z.infer<typeof pagination>;
export type PostgresSourceConfig = z.infer<typeof postgresSource>;
export type PostgresStreamConfig = z.infer<typeof pgStream>;
export type ColumnType = z.infer<typeof columnTypeSchema>;
export type SchemaDrift = z.infer<typeof schemaDriftSchema>;
export type WriteDisposition = z.infer<typeof writeDispositionSchema>;

/** Stream options after source-level defaults are applied. */
export interface StreamOptions {
  readonly primaryKey: readonly string[] | undefined;
  readonly writeDisposition: WriteDisposition;
  readonly schemaDrift: SchemaDrift;
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly batchSize: number;
  readonly cursorField: string | undefined;
}

/** Minutes in a duration such as 30m, 6h or 2d. */
export function durationMinutes(d: string): number {
  const n = Number(d.slice(0, -1));
  return d.endsWith("d") ? n * 1440 : d.endsWith("h") ? n * 60 : n;
}

/** The freshness thresholds of a stream (its own, else its source's), in minutes. */
export function streamFreshness(source: SourceConfig, streamName: string): { warnAfter?: number; errorAfter?: number } {
  const s = (source.streams as Record<string, { freshness?: z.infer<typeof freshnessSchema> }>)[streamName];
  const f = s?.freshness ?? source.freshness;
  return {
    ...(f?.warn_after ? { warnAfter: durationMinutes(f.warn_after) } : {}),
    ...(f?.error_after ? { errorAfter: durationMinutes(f.error_after) } : {}),
  };
}

export function streamOptions(source: SourceConfig, streamName: string): StreamOptions {
  const s = (source.streams as Record<string, z.infer<typeof fileStream> | z.infer<typeof httpStream> | z.infer<typeof pgStream>>)[
    streamName
  ];
  if (!s) throw new RcuError("CONFIG", `Unknown stream ${streamName}`);
  const primaryKey = s.primary_key ?? source.primary_key;
  const writeDisposition = s.write_disposition ?? source.write_disposition ?? "append";
  if (writeDisposition === "merge" && !primaryKey) {
    throw new RcuError("CONFIG", `Stream ${streamName}: write_disposition "merge" needs a primary_key`, {
      doing: "read sources config",
    });
  }
  const cursorField =
    "incremental" in s && s.incremental ? s.incremental.cursor_field : "cursor_column" in s ? s.cursor_column : undefined;
  return {
    primaryKey,
    writeDisposition,
    schemaDrift: s.schema_drift ?? source.schema_drift ?? "evolve",
    columns: { ...(source.columns ?? {}), ...(s.columns ?? {}) },
    batchSize: s.batch_size ?? source.batch_size ?? 50_000,
    cursorField,
  };
}

/** Validate raw YAML data; throws an RcuError naming every bad key. */
export function parseSourcesConfig(data: unknown): SourcesConfig {
  const r = sourcesConfigSchema.safeParse(data ?? {});
  if (r.success) return r.data;
  throw new RcuError("CONFIG", `Invalid sources configuration:\n${formatSourcesError(r.error)}`, {
    doing: "read sources config",
    file: "rcu.yaml",
  });
}

export function formatSourcesError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      // zod reports a bad record key as "Invalid key in record" with the real reason nested.
      const nested = "issues" in i && Array.isArray(i.issues) ? (i.issues as Array<{ message: string }>)[0]?.message : undefined;
      const where = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      return `  sources${where}: ${nested ?? i.message}`;
    })
    .join("\n");
}
