/**
 * PostgreSQL tables or queries via `pg`, streamed in chunks through a server-side cursor
 * (DECLARE … FETCH n) inside a read-only transaction; every value comes back as PostgreSQL's text
 * representation (raw = unchanged content). Incremental: `cursor_column >= persisted cursor`,
 * ordered by it; rows at the boundary already landed are skipped by the lander (by hash).
 */
import pg from "pg";
import { RcuError } from "../../engine/errors.js";
import type { PostgresSourceConfig } from "../config.js";
import type { ReadContext, RecordBatch, StreamReader } from "../types.js";

export function pgQuoteIdent(id: string): string {
  if (id.includes("\u0000")) throw new Error("identifier contains NUL");
  return `"${id.replace(/"/g, '""')}"`;
}

/** `schema.table` → `"schema"."table"` (each part quoted: config text never reaches SQL raw). */
export function pgQualified(table: string): string {
  return table.split(".").map(pgQuoteIdent).join(".");
}

/** Return every column as text: no JS conversion of dates, numerics, JSON. */
const TEXT_TYPES = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

export function postgresStreamReader(sourceName: string, source: PostgresSourceConfig, streamName: string): StreamReader {
  const stream = source.streams[streamName]!;
  const where = `${sourceName}.${streamName}`;
  return {
    source: sourceName,
    stream: streamName,
    async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
      const url = ctx.env[source.url_env];
      if (!url) {
        throw new RcuError("CONFIG", `${where}: environment variable ${source.url_env} (PostgreSQL URL) is not set`, {
          doing: "extract",
          action: where,
          hint: `Export ${source.url_env}=postgres://user:password@host:5432/db`,
        });
      }
      const base = stream.table ? `SELECT * FROM ${pgQualified(stream.table)}` : stream.query!;
      const since = ctx.state.cursor?.value ?? stream.initial;
      const col = stream.cursor_column ? pgQuoteIdent(stream.cursor_column) : null;
      let sql = `SELECT * FROM (${base}) AS rcu_q`;
      const params: string[] = [];
      if (col && since !== undefined) {
        params.push(since);
        // Compare in the column's own type: the text parameter is cast to it.
        sql += ` WHERE rcu_q.${col} >= CAST($1 AS ${"pg_typeof"})`;
      }
      if (col) sql += ` ORDER BY rcu_q.${col}`;
      const input = stream.table ? `postgres:${stream.table}` : `postgres:${streamName}(query)`;
      const client = new pg.Client({ connectionString: url, types: TEXT_TYPES });
      try {
        await client.connect();
      } catch (err) {
        throw new RcuError("USAGE", `${where}: cannot connect to PostgreSQL (${source.url_env}): ${(err as Error).message}`, { doing: "extract", action: where }, { kind: "transient", cause: err });
      }
      try {
        await client.query("BEGIN READ ONLY");
        if (params.length) {
          // Resolve the cursor column's type once, so the comparison is typed, not textual.
          const t = await client.query<{ t: string }>(`SELECT pg_typeof(rcu_q.${col})::text AS t FROM (${base}) AS rcu_q LIMIT 1`);
          const type = t.rows[0]?.t;
          if (type === undefined) {
            // Empty relation: nothing to read (and no type to compare the cursor in).
            await client.query("COMMIT");
            return;
          }
          sql = sql.replace(`CAST($1 AS pg_typeof)`, `CAST($1 AS ${type.split(" ").map((w) => (/^[a-z_ ]+$/.test(w) ? w : pgQuoteIdent(w))).join(" ")})`);
        }
        await client.query(`DECLARE rcu_cursor NO SCROLL CURSOR FOR ${sql}`, params);
        let offset = 0;
        for (;;) {
          const res = await client.query({ text: `FETCH ${Math.max(1, ctx.batchSize)} FROM rcu_cursor`, rowMode: "array" });
          if (res.rows.length === 0) break;
          const columns = res.fields.map((f) => f.name);
          const rows = res.rows as (string | null)[][];
          const positions = rows.map(() => ++offset);
          yield { input, columns, rows, positions, rejects: [] };
          if (res.rows.length < ctx.batchSize) break;
        }
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (err instanceof RcuError) throw err;
        throw new RcuError("USAGE", `${where}: PostgreSQL query failed: ${(err as Error).message}`, { doing: "extract", action: where, statement: sql }, { cause: err });
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
