import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ActionResult, RunResults } from "../../engine/execute/results.js";
import { createRunReporter } from "../../cli/reporter.js";
import type { CliIO } from "../../cli/io.js";

function io(tty: boolean, env: Record<string, string> = {}): { io: CliIO; text: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const chunks: Buffer[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c));
  return { io: { stdout, stderr: new PassThrough(), env, cwd: "." }, text: () => Buffer.concat(chunks).toString() };
}

const ok: ActionResult = {
  id: "core.users", kind: "table", file: "definitions/users.sqlx", status: "success", startedAt: null, finishedAt: null,
  durationMs: 1500, rowsAffected: 42, statements: [], attempts: 1,
};
const failed: ActionResult = {
  ...ok, id: "core.orders", status: "failed", rowsAffected: null,
  error: { message: "Binder Error: no column x", file: "definitions/orders.sqlx", statement: "SELECT x", hint: "fix it" },
};
const results = (actions: ActionResult[]): RunResults => ({
  runId: "r1", rcuVersion: "0", dataformCoreVersion: "0", warehouse: "duckdb:x", command: "run", selection: [],
  fullRefresh: false, threads: 1, status: "failed", startedAt: "", finishedAt: "", durationMs: 2000,
  summary: { total: 2, success: 1, failed: 1, skipped: 0, disabled: 0 }, actions,
});

function play(target: CliIO, json = false) {
  const report = createRunReporter(target, json);
  report({ type: "run_start", runId: "r1", total: 2, warehouse: "duckdb:x" });
  report({ type: "action_start", id: "core.users", kind: "table" });
  report({ type: "action_end", result: ok });
  report({ type: "action_start", id: "core.orders", kind: "table" });
  report({ type: "action_end", result: failed });
  report({ type: "run_end", results: results([ok, failed]) });
}

describe("run reporter", () => {
  it("prints one plain line per event off a TTY, with failures explained", () => {
    const t = io(false);
    play(t.io);
    const out = t.text();
    expect(out).not.toMatch(/\u001b/);
    expect(out).toContain("START table core.users");
    expect(out).toContain("OK   [1/2] table core.users 1.50s, 42 rows");
    expect(out).toContain("FAIL [2/2] table core.orders");
    expect(out).toContain("Binder Error: no column x");
    expect(out).toContain("statement:\n        SELECT x");
    expect(out).toContain("Run failed in 2.00s: 1 succeeded, 1 failed");
  });
  it("keeps a live status line and colours on a TTY", () => {
    const t = io(true);
    play(t.io);
    expect(t.text()).toContain("\r\u001b[2K");
    expect(t.text()).toMatch(/running: core\.users/);
    expect(t.text()).toContain("\u001b[32m");
  });
  it("respects NO_COLOR on a TTY", () => {
    const t = io(true, { NO_COLOR: "1" });
    play(t.io);
    expect(t.text()).not.toMatch(/\u001b\[3\dm/);
  });
  it("prints nothing in --json mode (the caller prints the results)", () => {
    const t = io(true);
    play(t.io, true);
    expect(t.text()).toBe("");
  });
});
