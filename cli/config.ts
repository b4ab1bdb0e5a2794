/**
 * The project config (`rcu.yaml`), parsed once at the edge with zod into frozen, typed values.
 * Secrets never live in the file: remote profiles name the environment variables that hold them.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";
import { RcuError } from "../engine/errors.js";
import type { WarehouseProfile } from "../engine/warehouses/registry.js";
import { POSTGRES_SECRETS } from "../engine/warehouses/postgres/driver.js";
import { REDSHIFT_SECRETS } from "../engine/warehouses/redshift/driver.js";
import { resolveSecrets } from "../engine/warehouses/secrets.js";
import { SNOWFLAKE_SECRETS } from "../engine/warehouses/snowflake/driver.js";
import { sourcesConfigSchema, type SourcesConfig } from "../connectors/config.js";
import { identityProblems, identitySchema, type IdentityConfig } from "../identity/config.js";
import { modelProblems, modelSchema, type ModelConfig } from "../model/config.js";
import { destinationsSchema, type DestinationsConfig } from "../distribute/config.js";

export const CONFIG_FILE = "rcu.yaml";

const duckdbProfile = z.strictObject({
  engine: z.literal("duckdb"),
  path: z.string().min(1).default("./warehouse.duckdb"),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

/** Snowflake: secrets only through the environment variables the profile names. */
const snowflakeProfile = z
  .strictObject({
    engine: z.literal("snowflake"),
    account: z.string().min(1),
    user: z.string().min(1),
    database: z.string().min(1),
    schema: z.string().min(1).optional(),
    warehouse: z.string().min(1).optional(),
    role: z.string().min(1).optional(),
    password_env: envName.optional(),
    private_key_path: z.string().min(1).optional(),
    private_key_env: envName.optional(),
    private_key_passphrase_env: envName.optional(),
    access_url: z.url({ protocol: /^https?$/ }).optional(),
    query_tag: z.string().max(2000).optional(),
    login_retries: z.number().int().min(0).max(20).optional(),
  })
  .refine((p) => [p.password_env, p.private_key_path, p.private_key_env].filter(Boolean).length === 1, {
    message: "set exactly one of password_env, private_key_path, private_key_env",
  });

const postgresProfile = z
  .strictObject({
    engine: z.literal("postgres"),
    /** Env var holding a full `postgres://…` URL; or host/port/database/user/password_env. */
    url_env: envName.optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    password_env: envName.optional(),
    schema: z.string().min(1).optional(),
    ssl: z.union([z.boolean(), z.literal("no-verify")]).optional(),
    pool_size: z.number().int().min(1).max(100).optional(),
    append_method: z.enum(["copy", "insert"]).optional(),
  })
  .refine((p) => !(p.url_env && (p.host || p.port || p.database || p.user || p.password_env)), {
    message: "set either url_env or host/port/database/user/password_env, not both",
  });

const redshiftProfile = z
  .strictObject({
    engine: z.literal("redshift"),
    cluster_identifier: z.string().min(1).optional(),
    db_user: z.string().min(1).optional(),
    secret_arn: z.string().min(1).optional(),
    workgroup_name: z.string().min(1).optional(),
    database: z.string().min(1),
    region: z.string().min(1),
    endpoint: z.url().optional(),
    access_key_id_env: envName.optional(),
    secret_access_key_env: envName.optional(),
    session_token_env: envName.optional(),
    poll_interval_ms: z.number().int().min(1).max(10_000).optional(),
    statement_timeout_s: z.number().int().min(1).optional(),
  })
  .refine((p) => (p.cluster_identifier === undefined) !== (p.workgroup_name === undefined), {
    message: "set exactly one of cluster_identifier (provisioned) or workgroup_name (serverless)",
  })
  .refine((p) => p.workgroup_name !== undefined || p.db_user !== undefined || p.secret_arn !== undefined, {
    message: "a cluster needs db_user (temporary credentials) or secret_arn",
  })
  .refine((p) => (p.access_key_id_env === undefined) === (p.secret_access_key_env === undefined), {
    message: "set both access_key_id_env and secret_access_key_env, or neither (default credential chain)",
  });

const profileSchema = z.discriminatedUnion("engine", [duckdbProfile, snowflakeProfile, postgresProfile, redshiftProfile]);

const configSchema = z.strictObject({
  default_profile: z.string().min(1).optional(),
  profiles: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, "profile names use letters, digits, _ and -"), profileSchema).optional(),
  threads: z.number().int().min(1).max(64).optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  sources: sourcesConfigSchema.optional(),
  identity: identitySchema.optional(),
  model: modelSchema.optional(),
  destinations: destinationsSchema.optional(),
});

export interface ProjectConfig {
  readonly file: string | null;
  readonly profileName: string;
  readonly profile: WarehouseProfile;
  readonly threads: number;
  readonly vars: Readonly<Record<string, string>>;
  readonly identity: IdentityConfig;
  readonly sources: SourcesConfig;
  readonly model: ModelConfig;
  readonly destinations: DestinationsConfig;
}

const DEFAULT_PROFILE = "local";

function describeIssues(file: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.join(".") : "(top level)";
      return `${file}: ${where}: ${i.message}`;
    })
    .join("\n");
}

/** `file` (default: <projectDir>/rcu.yaml); relative paths inside it are relative to projectDir. */
export async function loadConfig(
  projectDir: string,
  profileName?: string,
  configFile?: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<ProjectConfig> {
  const file = configFile ? path.resolve(projectDir, configFile) : path.join(projectDir, CONFIG_FILE);
  let raw: unknown = {};
  let found = true;
  try {
    const text = await readFile(file, "utf8");
    raw = parseYaml(text) ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") found = false;
    else if (err instanceof YAMLParseError) {
      throw new RcuError("CONFIG", `${file}: not valid YAML: ${err.message}`, { file, hint: "Fix the YAML syntax." });
    } else throw err;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RcuError("CONFIG", `Invalid project config:\n${describeIssues(file, parsed.error)}`, {
      file,
      hint: "See the README's configuration section for every key and its expected value.",
    });
  }
  const cfg = parsed.data;
  const identity = cfg.identity ?? identitySchema.parse({});
  const model = cfg.model ?? modelSchema.parse({});
  const destinations = cfg.destinations ?? {};
  const problems = [...identityProblems(identity), ...modelProblems(model, Object.keys(identity.person_sources))];
  // A segment is declared with a purpose; a destination may only use it for that purpose.
  for (const [name, dest] of Object.entries(destinations)) {
    if (!dest.segment) continue;
    const seg = model.segments[dest.segment];
    if (!seg) problems.push(`destinations.${name}.segment: "${dest.segment}" is not declared in model.segments`);
    else if (seg.purpose !== dest.purpose) {
      problems.push(`destinations.${name}.purpose: "${dest.purpose}" differs from segment ${dest.segment}'s purpose "${seg.purpose}"`);
    }
  }
  if (problems.length) {
    throw new RcuError("CONFIG", `Invalid project config:\n${problems.map((p) => `${file}: ${p}`).join("\n")}`, {
      file,
      hint: "See docs/identity.md for the identity section and docs/star-schema.md for the model section.",
    });
  }
  const profiles: Record<string, WarehouseProfile> = {
    [DEFAULT_PROFILE]: { engine: "duckdb", path: "./warehouse.duckdb" },
    ...(cfg.profiles ?? {}),
  };
  const name = profileName ?? cfg.default_profile ?? DEFAULT_PROFILE;
  const chosen = profiles[name];
  if (!chosen) {
    throw new RcuError("CONFIG", `Profile "${name}" is not defined in ${file}.`, {
      file,
      hint: `Defined profiles: ${Object.keys(profiles).join(", ")}.`,
    });
  }
  return Object.freeze({
    file: found ? file : null,
    profileName: name,
    profile: Object.freeze(resolveProfileSecrets(resolveProfilePaths(chosen, projectDir), env)),
    threads: cfg.threads ?? 4,
    vars: Object.freeze({ ...(cfg.vars ?? {}) }),
    identity: Object.freeze(identity),
    sources: Object.freeze(cfg.sources ?? {}),
    model: Object.freeze(model),
    destinations: Object.freeze(destinations),
  });
}

/** Relative DuckDB paths are relative to the project directory, not the shell's cwd. */
function resolveProfilePaths(p: WarehouseProfile, projectDir: string): WarehouseProfile {
  if (p.engine === "duckdb" && p.path !== ":memory:" && !path.isAbsolute(p.path)) {
    return { ...p, path: path.join(projectDir, p.path) };
  }
  if (p.engine === "snowflake" && p.private_key_path && !path.isAbsolute(p.private_key_path)) {
    return { ...p, private_key_path: path.join(projectDir, p.private_key_path) };
  }
  return p;
}

/**
 * Secrets for remote profiles, read once from the environment variables the profile names into
 * never-printed values (engine/warehouses/secrets.ts). A missing variable is reported by the
 * driver when it connects, so commands that never connect (compile) do not need it.
 */
export function resolveProfileSecrets(p: WarehouseProfile, env: Readonly<Record<string, string | undefined>>): WarehouseProfile {
  switch (p.engine) {
    case "duckdb":
      return p;
    case "snowflake":
      return { ...p, secrets: resolveSecrets(p, SNOWFLAKE_SECRETS, env) };
    case "postgres":
      return { ...p, secrets: resolveSecrets(p, POSTGRES_SECRETS, env) };
    case "redshift":
      return { ...p, secrets: resolveSecrets(p, REDSHIFT_SECRETS, env) };
  }
}

/** `--vars a=1,b=2` (repeatable) → record; a malformed pair is a usage error. */
export function parseVars(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(","))) {
    if (!pair.trim()) continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new RcuError("USAGE", `--vars expects key=value pairs, got "${pair}".`, { hint: "Example: --vars country=FR,since=2024-01-01" });
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return out;
}
