/** Shared helpers for connector tests: a temp project dir and a real DuckDB warehouse file. */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBWarehouse } from "../../engine/warehouses/duckdb/driver.js";
import type { Row } from "../../engine/warehouses/types.js";

export interface TestProject {
  readonly dir: string;
  readonly dbPath: string;
  warehouse: DuckDBWarehouse;
  write(rel: string, content: string | Buffer): Promise<string>;
  query(sql: string): Promise<Row[]>;
  reopen(): Promise<void>;
  close(): Promise<void>;
  /** Close and delete the project directory. */
  dispose(): Promise<void>;
}

export async function testProject(): Promise<TestProject> {
  const dir = await mkdtemp(path.join(tmpdir(), "rcu-conn-"));
  const dbPath = path.join(dir, "warehouse.duckdb");
  const p: TestProject = {
    dir,
    dbPath,
    warehouse: new DuckDBWarehouse({ engine: "duckdb", path: dbPath, options: { threads: "2" } }),
    async write(rel, content) {
      const abs = path.join(dir, rel);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
      return abs;
    },
    async query(sql) {
      const c = await p.warehouse.connect();
      try {
        return await c.query(sql);
      } finally {
        await c.close();
      }
    },
    async reopen() {
      await p.warehouse.close();
      p.warehouse = new DuckDBWarehouse({ engine: "duckdb", path: dbPath, options: { threads: "2" } });
    },
    async close() {
      await p.warehouse.close();
    },
    async dispose() {
      await p.warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return p;
}
