/** The installed `rcu` binary (dist/, built by `npm test`): help, version, exit codes. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyFixture, ROOT } from "../helpers.js";

const BIN = path.join(ROOT, "dist", "cli", "main.js");
const rcu = (args: string[], cwd = ROOT) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

describe("rcu binary", () => {
  it("prints help with every command and exits 0", () => {
    const r = rcu(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["compile", "plan", "run"]) expect(r.stdout).toContain(c);
    const run = rcu(["run", "--help"]);
    expect(run.stdout).toContain("--full-refresh");
    expect(run.stdout).toContain("Exit codes");
  });
  it("exits 2 on a usage error and 1 on a failed run", async () => {
    expect(rcu(["run", "--threads", "abc"]).status).toBe(2);
    const dir = await copyFixture("all-kinds");
    // The fixture's raw tables do not exist: actions reading them fail, the run exits 1.
    const r = rcu(["run", "--select", "stg_customers+"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*fx\.stg_customers/);
    expect(r.stdout).toMatch(/raw_customers/);
  });
  it("compiles with --json into the typed graph", () => {
    const r = rcu(["compile", "--json"]);
    expect(r.status).toBe(0);
    const g = JSON.parse(r.stdout) as { actions: Array<{ id: string; kind: string }> };
    expect(g.actions.find((a) => a.id === "rcu_reference.dim_date")?.kind).toBe("table");
  });
});
