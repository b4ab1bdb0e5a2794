/** `rcu run` on Snowflake through the CLI: the run id reaches QUERY_TAG, the password goes nowhere. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import type { RunResults } from "../../../engine/execute/results.js";
import { cli, copyFixture } from "../../helpers.js";
import { startSnowflakeTestServer } from "../../servers/snowflake/server.js";

it("tags every statement of a run with the run id and never writes the password anywhere", async () => {
  const password = "pw-that-must-not-leak-9f3k";
  const server = await startSnowflakeTestServer({ account: "acme", users: { RCU: { password } } });
  try {
    const dir = await copyFixture("all-kinds");
    await writeFile(
      path.join(dir, "rcu.yaml"),
      `profiles:\n  local:\n    engine: snowflake\n    account: acme\n    user: rcu\n    database: analytics\n    warehouse: wh\n    password_env: SF_PASSWORD\n    query_tag: nightly\n    access_url: ${server.url}\n`,
    );
    await server.sql("analytics", `CREATE SCHEMA IF NOT EXISTS fx_src;
      CREATE TABLE fx_src.raw_customers AS SELECT * FROM (VALUES (1, 'Ada', 'ada@example.com')) t(id, name, email);
      CREATE TABLE fx_src.raw_orders AS SELECT * FROM (VALUES (10, 1, 12.5::DOUBLE, TIMESTAMP '2024-01-01 10:00:00')) t(order_id, customer_id, amount, updated_at)`);
    const r = await cli(["run", "--json"], dir, { SF_PASSWORD: password });
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as RunResults;
    const runTags = server.queryTags.filter((t) => t.includes(res.runId));
    expect(runTags.length).toBeGreaterThan(10);
    // Reading the warehouse's state for the plan happens before the run id exists: profile tag only.
    expect(new Set(server.queryTags)).toEqual(new Set(["nightly", `nightly:rcu:${res.runId}`]));
    const written = [r.stdout, r.stderr, await readFile(path.join(dir, "target", "run_results.json"), "utf8"), JSON.stringify(server.statements), JSON.stringify(server.logins)].join("\n");
    expect(written).not.toContain(password);
    const meta = await server.sql("analytics", "SELECT * FROM rcu_meta.runs");
    expect(JSON.stringify(meta)).not.toContain(password);
    expect(String(meta[0]!.WAREHOUSE)).toBe(`snowflake:acme/analytics as rcu via ${server.url}`);

    const missing = await cli(["run"], dir, {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SF_PASSWORD \(Snowflake password\) is not set/);
  } finally {
    await server.stop();
  }
});
