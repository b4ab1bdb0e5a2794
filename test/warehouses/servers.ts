/**
 * Local servers for the remote engines, driven through their real client SDKs:
 * - PostgreSQL: PGlite (PG 17 in WebAssembly) behind `@electric-sql/pglite-socket`, a real PG
 *   wire server on 127.0.0.1 for `pg`.
 * - Redshift: PGlite behind the Data API stand-in (test/servers/redshift-data-api), for
 *   `@aws-sdk/client-redshift-data`.
 * `sql` reads/writes the same PGlite database directly, for seeding and checking.
 */
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { POSTGRES_SECRETS, type PostgresProfile } from "../../engine/warehouses/postgres/driver.js";
import { REDSHIFT_SECRETS, type RedshiftProfile } from "../../engine/warehouses/redshift/driver.js";
import { resolveSecrets } from "../../engine/warehouses/secrets.js";
import { startRedshiftDataApiServer, type RedshiftDataApiServer } from "../servers/redshift-data-api/server.js";
import { createPglite } from "./pglite.js";

export interface TestPostgres {
  readonly db: PGlite;
  /** The profile as rcu.yaml states it (variables named, for configs a test writes) … */
  readonly profile: PostgresProfile;
  /** … and as the CLI hands it to the driver, secrets resolved from `env`. */
  readonly withSecrets: PostgresProfile;
  readonly env: Record<string, string>;
  sql<T = Record<string, unknown>>(text: string): Promise<T[]>;
  stop(): Promise<void>;
}

export interface TestRedshift extends Omit<TestPostgres, "profile" | "withSecrets"> {
  readonly profile: RedshiftProfile;
  readonly withSecrets: RedshiftProfile;
  readonly server: RedshiftDataApiServer;
}

async function direct<T>(db: PGlite, text: string): Promise<T[]> {
  const results = await db.exec(text);
  return (results.at(-1)?.rows ?? []) as T[];
}

/**
 * Several client sessions share PGlite's one backend. The socket server already serves only the
 * session that opened a transaction until it ends; this view of the database makes it do the same
 * for an extended-protocol exchange (Parse … Sync), so another session's messages cannot slip
 * between a Parse and its Bind (which fails with "unnamed prepared statement does not exist").
 */
function serialisedSessions(db: PGlite): PGlite {
  let open = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "isInTransaction") return () => open || target.isInTransaction();
      if (prop === "execProtocolRawStream") {
        return (message: Uint8Array, options: Parameters<PGlite["execProtocolRawStream"]>[1]) => {
          const type = String.fromCharCode(message[0] ?? 0);
          if ("PBDEHC".includes(type)) open = true;
          else if (type === "S" || type === "Q") open = false;
          return target.execProtocolRawStream(message, options);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function startPostgres(options: { extensions?: PGliteOptions["extensions"] } = {}): Promise<TestPostgres> {
  const db = await createPglite(options.extensions ? { extensions: options.extensions } : {});
  const server = new PGLiteSocketServer({ db: serialisedSessions(db), host: "127.0.0.1", port: 0, maxConnections: 16 } as ConstructorParameters<typeof PGLiteSocketServer>[0]);
  await server.start();
  const [host, port] = server.getServerConn().split(":");
  // PGlite's socket server cannot take COPY FROM STDIN (the session loses protocol sync), so
  // tests load with multi-row INSERTs; COPY is the default for real servers.
  const profile: PostgresProfile = { engine: "postgres", host: host!, port: Number(port), database: "postgres", user: "postgres", password_env: "RCU_TEST_PGPASSWORD", append_method: "insert" };
  const env = { RCU_TEST_PGPASSWORD: "not-a-real-secret" };
  return {
    db,
    profile,
    withSecrets: { ...profile, secrets: resolveSecrets(profile, POSTGRES_SECRETS, env) },
    env,
    sql: (text) => direct(db, text),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

export async function startRedshift(options: { pageSize?: number; latencyMs?: number } = {}): Promise<TestRedshift> {
  const db = await createPglite();
  const server = await startRedshiftDataApiServer({ db, pageSize: options.pageSize ?? 3, latencyMs: options.latencyMs ?? 2 });
  const profile: RedshiftProfile = {
    engine: "redshift",
    cluster_identifier: "rcu-test",
    db_user: "rcu",
    database: "dev",
    region: "eu-west-1",
    endpoint: server.url,
    access_key_id_env: "RCU_TEST_AWS_KEY",
    secret_access_key_env: "RCU_TEST_AWS_SECRET",
    poll_interval_ms: 2,
  };
  const env = { RCU_TEST_AWS_KEY: "AKIDEXAMPLE", RCU_TEST_AWS_SECRET: "not-a-real-secret" };
  return {
    db,
    server,
    profile,
    withSecrets: { ...profile, secrets: resolveSecrets(profile, REDSHIFT_SECRETS, env) },
    env,
    sql: (text) => direct(db, text),
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
