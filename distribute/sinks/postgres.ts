/**
 * PostgreSQL destinations for operational apps: upserts with INSERT … ON CONFLICT on the key and
 * deletes by key, each batch one statement (atomic and idempotent, so a retried batch never
 * applies twice). The table is created with text columns and the key as primary key if missing.
 */
import pg from "pg";
import { RcuError } from "../../engine/errors.js";
import type { PostgresDestination } from "../config.js";
import type { OutRecord, Sink } from "./types.js";

const ident = (s: string) => `"${s.split('"').join('""')}"`;

export async function openPostgresSink(
  name: string,
  dest: PostgresDestination,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Sink> {
  const url = env[dest.url_env];
  if (!url) {
    throw new RcuError("CONFIG", `destination ${name}: environment variable ${dest.url_env} is not set`, {
      doing: "sync",
      action: name,
      hint: `Export ${dest.url_env} (a postgres:// URL) before running rcu sync.`,
    });
  }
  const [schema, table] = dest.table.split(".") as [string, string];
  const target = `${ident(schema)}.${ident(table)}`;
  const fields = [dest.key_field, ...Object.keys(dest.columns)];
  const client = new pg.Client({ connectionString: url });
  const fail = (err: unknown, doing: string): never => {
    const e = err as Error & { code?: string };
    // Class 08 (connection) and 40 (serialisation) are worth retrying on the next run.
    const transient = /^(08|40|53|57P)/.test(e.code ?? "") || /ECONNRE|ETIMEDOUT|terminat/i.test(e.message);
    throw new RcuError("WAREHOUSE", `destination ${name}: ${doing} ${dest.table} failed: ${e.message}`, { doing: "sync", action: name }, { kind: transient ? "transient" : "terminal", cause: err });
  };
  try {
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${target} (${fields.map((f, i) => `${ident(f)} text${i === 0 ? " PRIMARY KEY" : ""}`).join(", ")})`,
    );
  } catch (err) {
    await client.end().catch(() => undefined);
    fail(err, "preparing");
  }
  const update = fields.slice(1).map((f) => `${ident(f)} = EXCLUDED.${ident(f)}`).join(", ");
  return {
    durablePerBatch: true,
    async upsert(records: readonly OutRecord[]) {
      if (!records.length) return;
      const params: Array<string | null> = [];
      const rows = records.map((r) => `(${fields.map((f) => `$${params.push(r[f] ?? null)}`).join(", ")})`);
      await client
        .query(`INSERT INTO ${target} (${fields.map(ident).join(", ")}) VALUES ${rows.join(", ")} ON CONFLICT (${ident(dest.key_field)}) DO UPDATE SET ${update}`, params)
        .catch((err: unknown) => fail(err, "upserting into"));
    },
    async remove(keys) {
      if (!keys.length) return;
      await client.query(`DELETE FROM ${target} WHERE ${ident(dest.key_field)} = ANY($1::text[])`, [keys]).catch((err: unknown) => fail(err, "deleting from"));
    },
    async finish() {
      await client.end();
      return `postgres table ${dest.table}`;
    },
    async abort() {
      await client.end().catch(() => undefined);
    },
  };
}
