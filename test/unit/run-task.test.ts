/**
 * Task execution logic: retries of transient engine errors for atomic tasks only, rollback after
 * a failure. The connection is a scripted stand-in: what is under test is rcu's reaction to the
 * engine's answers (the real engine paths are covered end to end in test/e2e).
 */
import { describe, expect, it } from "vitest";
import { RcuError } from "../../engine/errors.js";
import { runTask } from "../../engine/execute/run-task.js";
import type { Task } from "../../engine/plan/plan.js";
import { duckdbDialect } from "../../engine/warehouses/duckdb/dialect.js";
import type { Connection } from "../../engine/warehouses/types.js";

function scripted(failures: Array<RcuError | null>): Connection & { log: string[] } {
  const log: string[] = [];
  let i = 0;
  return {
    log,
    async execute(sql: string) {
      log.push(sql);
      if (sql === "ROLLBACK" || sql.startsWith("BEGIN") || sql === "COMMIT") return { rowsAffected: null };
      const f = failures[i++] ?? null;
      if (f) throw f;
      return { rowsAffected: 7 };
    },
    async query() { return [{ failing_rows: 0 }]; },
    async listRelations() { return []; },
    async listColumns() { return []; },
    async listColumnsOf() { return new Map(); },
    async append() { return 0; },
    async close() {},
  };
}

const task = (atomic: boolean): Task => ({
  id: "core.users", kind: "table", file: "definitions/users.sqlx", target: { schema: "core", name: "users" },
  dependencies: [], notes: [],
  body: {
    type: "sql", atomic,
    statements: atomic
      ? [{ sql: "BEGIN TRANSACTION", role: "control" }, { sql: "CREATE …", role: "load" }, { sql: "COMMIT", role: "control" }]
      : [{ sql: "CREATE …", role: "load" }],
  },
});
const conflict = () => new RcuError("SQL", "TransactionContext Error: write-write conflict", {}, { kind: "transient" });

describe("runTask", () => {
  it("retries an atomic task after a transient error and reports the attempts", async () => {
    const conn = scripted([conflict(), null]);
    const r = await runTask(task(true), conn, { dialect: duckdbDialect, retryDelayMs: 1 });
    expect(r.status).toBe("success");
    expect(r.attempts).toBe(2);
    expect(r.rowsAffected).toBe(7);
    expect(conn.log).toEqual(["BEGIN TRANSACTION", "CREATE …", "ROLLBACK", "BEGIN TRANSACTION", "CREATE …", "COMMIT"]);
  });
  it("never retries a non-atomic task (its statements may have partly applied)", async () => {
    const r = await runTask(task(false), scripted([conflict(), null]), { dialect: duckdbDialect, retryDelayMs: 1 });
    expect(r.status).toBe("failed");
    expect(r.attempts).toBe(1);
    expect(r.error).toMatchObject({ kind: "transient", action: "core.users", statement: "CREATE …" });
  });
  it("rolls back a transaction an operation opened itself when one of its statements fails", async () => {
    const op: Task = {
      id: "core.params", kind: "operation", file: "definitions/params.js", target: { schema: "core", name: "params" },
      dependencies: [], notes: [],
      body: { type: "sql", atomic: false, statements: ["s1", "BEGIN TRANSACTION", "s2", "s3", "COMMIT", "s4"].map((sql) => ({ sql, role: "load" as const })) },
    };
    const conn = scripted([null, new RcuError("SQL", "syntax error", {})]);
    const r = await runTask(op, conn, { dialect: duckdbDialect, retryDelayMs: 1 });
    expect(r.status).toBe("failed");
    expect(conn.log).toEqual(["s1", "BEGIN TRANSACTION", "s2", "ROLLBACK"]);
    // Outside its own transaction, a failing statement of an operation is not rolled back.
    const after = scripted([null, null, null, new RcuError("SQL", "syntax error", {})]);
    await runTask(op, after, { dialect: duckdbDialect, retryDelayMs: 1 });
    expect(after.log).toEqual(["s1", "BEGIN TRANSACTION", "s2", "s3", "COMMIT", "s4"]);
  });
  it("does not retry terminal errors, and gives up after the last attempt", async () => {
    const terminal = new RcuError("SQL", "Parser Error", {}, { kind: "terminal" });
    expect((await runTask(task(true), scripted([terminal, null]), { dialect: duckdbDialect, retryDelayMs: 1 })).attempts).toBe(1);
    const r = await runTask(task(true), scripted([conflict(), conflict(), conflict()]), { dialect: duckdbDialect, retryDelayMs: 1, maxAttempts: 3 });
    expect(r).toMatchObject({ status: "failed", attempts: 3 });
  });
});
