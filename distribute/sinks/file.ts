/**
 * File destinations for ERP and contact-centre imports: one file per sync in the destination's
 * directory, `<name>-<sync id>.<csv|jsonl|parquet>`, holding the changes with an `_op` column
 * (upsert / delete). Written to a temporary name and renamed at the end, so an importer never
 * reads half a file. Parquet goes through an in-memory DuckDB (already rcu's embedded engine),
 * whatever the warehouse is.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { DuckDBInstance } from "@duckdb/node-api";
import type { FileDestination } from "../config.js";
import type { OutRecord, Sink } from "./types.js";

const OP = "_op";

function csvCell(v: string | null): string {
  if (v === null) return "";
  return /[",\r\n;]/.test(v) || v !== v.trim() ? `"${v.split('"').join('""')}"` : v;
}

export async function openFileSink(name: string, dest: FileDestination, dir: string, syncId: string): Promise<Sink> {
  await mkdir(dir, { recursive: true });
  const fields = [OP, dest.key_field, ...Object.keys(dest.columns)];
  const final = path.join(dir, `${name}-${syncId}.${dest.format}`);
  // Parquet is converted from a JSON Lines staging file at the end.
  const staging = path.join(dir, `.${name}-${syncId}.${dest.format === "csv" ? "csv" : "jsonl"}.tmp`);
  const out: WriteStream = createWriteStream(staging, { encoding: "utf8" });
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  if (dest.format === "csv") await write(fields.map(csvCell).join(",") + "\n");
  let rows = 0;
  const line = async (op: string, rec: OutRecord) => {
    rows++;
    const values = fields.map((f) => (f === OP ? op : (rec[f] ?? null)));
    if (dest.format === "csv") await write(values.map(csvCell).join(",") + "\n");
    else await write(JSON.stringify(Object.fromEntries(fields.map((f, i) => [f, values[i]]))) + "\n");
  };
  const close = async () => {
    out.end();
    await once(out, "finish");
  };
  return {
    durablePerBatch: false,
    async upsert(records) {
      for (const r of records) await line("upsert", r);
    },
    async remove(keys) {
      for (const k of keys) await line("delete", { [dest.key_field]: k });
    },
    async finish() {
      await close();
      if (dest.format === "parquet") {
        const tmp = final + ".tmp";
        const db = await DuckDBInstance.create(":memory:");
        const conn = await db.connect();
        try {
          const lit = (s: string) => `'${s.split("'").join("''")}'`;
          const columns = `{${fields.map((f) => `${lit(f)}: 'VARCHAR'`).join(", ")}}`;
          const source = rows ? `read_json(${lit(staging)}, format = 'newline_delimited', columns = ${columns})` : `(SELECT ${fields.map((f) => `CAST(NULL AS VARCHAR) AS "${f.split('"').join('""')}"`).join(", ")} WHERE 1 = 0)`;
          await conn.run(`COPY (SELECT * FROM ${source}) TO ${lit(tmp)} (FORMAT parquet)`);
        } finally {
          conn.closeSync();
          db.closeSync();
        }
        await rename(tmp, final);
        await rm(staging, { force: true });
      } else {
        await rename(staging, final);
      }
      return final;
    },
    async abort() {
      out.destroy();
      await rm(staging, { force: true });
    },
  };
}
