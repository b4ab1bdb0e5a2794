/**
 * The run lock: two rcu processes writing to one warehouse never interleave. The second exits 75
 * with who holds the lock, or waits for it with --wait-lock; a dead holder's lock is taken over.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireRunLock } from "../../engine/execute/lock.js";
import { RcuError } from "../../engine/errors.js";
import { DuckDBWarehouse } from "../../engine/warehouses/duckdb/driver.js";
import { cli, copyFixture, ROOT, tempDir } from "../helpers.js";

const SEED = `CREATE SCHEMA IF NOT EXISTS fx_src;
CREATE OR REPLACE TABLE fx_src.raw_customers AS SELECT * FROM (VALUES (1, 'Ada', 'ada@example.com')) t(id, name, email);
CREATE OR REPLACE TABLE fx_src.raw_orders AS SELECT * FROM (VALUES (10, 1, 12.5::DOUBLE, TIMESTAMP '2024-01-01 10:00:00')) t(order_id, customer_id, amount, updated_at);`;

describe("run lock", () => {
  it("lets one holder in, names it to the next, and takes over dead or broken locks", async () => {
    const dir = await tempDir("rcu-lock-");
    const wh = new DuckDBWarehouse({ engine: "duckdb", path: path.join(dir, "w.duckdb") });
    const base = { command: "run", waitSeconds: 0, host: "ci-host" };
    const first = await acquireRunLock(wh, { ...base, holderId: "run-A", pid: 111, isAlive: () => true });
    const busy = await acquireRunLock(wh, { ...base, holderId: "run-B", pid: 222, isAlive: () => true }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RcuError);
    expect((busy as RcuError).code).toBe("LOCKED");
    expect((busy as RcuError).kind).toBe("transient");
    expect((busy as RcuError).message).toMatch(/run run-A \(host ci-host, pid 111\) holds the run lock/);
    // Waiting: the holder releases while B waits.
    setTimeout(() => void first.release(), 300);
    const waited = await acquireRunLock(wh, { ...base, holderId: "run-B", pid: 222, waitSeconds: 10, pollMs: 50, isAlive: () => true });
    // B's process died (same host): C takes over.
    const c = await acquireRunLock(wh, { ...base, holderId: "run-C", pid: 333, isAlive: (pid) => pid !== 222 });
    // An operator breaks C's lock.
    const d = await acquireRunLock(wh, { ...base, holderId: "run-D", pid: 444, breakLock: true, isAlive: () => true });
    await d.release();
    void waited;
    void c;
    await wh.close();
  });

  it("makes a second rcu run exit 75 while another process holds the lock, and wait with --wait-lock", async () => {
    const dir = await copyFixture("all-kinds");
    const db = path.join(dir, "warehouse.duckdb");
    const seed = new DuckDBWarehouse({ engine: "duckdb", path: db });
    const conn = await seed.connect();
    for (const sql of SEED.split(";\n")) await conn.execute(sql);
    await conn.close();
    await seed.close();
    // Another process takes the lock and holds it for 2.5 s.
    const holder = spawn(process.execPath, ["--input-type=module", "-e", `
      const { acquireRunLock } = await import(${JSON.stringify(path.join(ROOT, "dist/engine/execute/lock.js"))});
      const { DuckDBWarehouse } = await import(${JSON.stringify(path.join(ROOT, "dist/engine/warehouses/duckdb/driver.js"))});
      const wh = new DuckDBWarehouse({ engine: "duckdb", path: ${JSON.stringify(db)} });
      const lock = await acquireRunLock(wh, { holderId: "nightly-build", command: "run", waitSeconds: 0 });
      await wh.close();
      console.log("locked");
      await new Promise((r) => setTimeout(r, 2500));
      await lock.release();
      await wh.close();
    `], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => holder.stdout.on("data", (b: Buffer) => b.toString().includes("locked") && resolve()));
    const busy = await cli(["run"], dir);
    expect(busy.code).toBe(75);
    expect(busy.stderr).toMatch(/is busy: run nightly-build \(host .*, pid \d+\) holds the run lock since/);
    expect(busy.stderr).toMatch(/--wait-lock/);
    const waited = await cli(["run", "--wait-lock", "30"], dir);
    expect(waited.stderr).toMatch(/waiting for the run lock: run nightly-build/);
    expect(waited.code).toBe(0);
    if (holder.exitCode === null) await new Promise((r) => holder.on("exit", r));
    expect(holder.exitCode).toBe(0);
  }, 60_000);
});
