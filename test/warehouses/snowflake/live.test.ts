/**
 * Opt-in smoke test against a real Snowflake account. Skipped unless these are set:
 *
 *   RCU_SNOWFLAKE_LIVE_ACCOUNT    account identifier (e.g. myorg-myaccount)
 *   RCU_SNOWFLAKE_LIVE_USER       user
 *   RCU_SNOWFLAKE_LIVE_PASSWORD   password            (or RCU_SNOWFLAKE_LIVE_PRIVATE_KEY_PATH)
 *   RCU_SNOWFLAKE_LIVE_DATABASE   a database the role may create schemas in
 *   RCU_SNOWFLAKE_LIVE_WAREHOUSE  a warehouse        (optional: RCU_SNOWFLAKE_LIVE_ROLE)
 *
 * It creates a schema `RCU_SMOKE_<random>`, exercises the driver, and drops the schema.
 * Run: RCU_SNOWFLAKE_LIVE_ACCOUNT=… npx vitest run test/warehouses/snowflake/live.test.ts
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SnowflakeWarehouse, type SnowflakeProfile } from "../../../engine/warehouses/snowflake/driver.js";
import { Secret } from "../../../engine/warehouses/secrets.js";

const env = process.env;
const live = Boolean(
  env.RCU_SNOWFLAKE_LIVE_ACCOUNT && env.RCU_SNOWFLAKE_LIVE_USER && env.RCU_SNOWFLAKE_LIVE_DATABASE &&
    (env.RCU_SNOWFLAKE_LIVE_PASSWORD || env.RCU_SNOWFLAKE_LIVE_PRIVATE_KEY_PATH),
);

describe.skipIf(!live)("snowflake live smoke (RCU_SNOWFLAKE_LIVE_*)", () => {
  it("connects, builds, merges, appends, introspects and cleans up", async () => {
    const profile: SnowflakeProfile = {
      engine: "snowflake",
      account: env.RCU_SNOWFLAKE_LIVE_ACCOUNT!,
      user: env.RCU_SNOWFLAKE_LIVE_USER!,
      database: env.RCU_SNOWFLAKE_LIVE_DATABASE!,
      warehouse: env.RCU_SNOWFLAKE_LIVE_WAREHOUSE,
      role: env.RCU_SNOWFLAKE_LIVE_ROLE,
      query_tag: "rcu-live-smoke",
      ...(env.RCU_SNOWFLAKE_LIVE_PRIVATE_KEY_PATH
        ? { private_key_path: env.RCU_SNOWFLAKE_LIVE_PRIVATE_KEY_PATH }
        : { password_env: "RCU_SNOWFLAKE_LIVE_PASSWORD", secrets: { password: new Secret(env.RCU_SNOWFLAKE_LIVE_PASSWORD!) } }),
    };
    const wh = new SnowflakeWarehouse(profile);
    const d = wh.dialect;
    const conn = await wh.connect({ queryTag: "smoke" });
    const schema = `rcu_smoke_${randomBytes(4).toString("hex")}`;
    const rel = { schema, name: "people" };
    try {
      await conn.execute(d.createSchema(schema));
      await conn.execute(d.createTableAs(rel, "SELECT 1 AS id, 'Ada' AS name, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS seen", { replace: true }));
      expect(await conn.append(rel, ["id", "name", "seen"], [[2, "Bob \\ 'q'", new Date()], [3, null, null]])).toBe(2);
      const [merge] = d.upsert(rel, "SELECT 3 AS id, 'Chloé' AS name, NULL::TIMESTAMP_NTZ AS seen", ["id"], ["id", "name", "seen"]);
      await conn.execute(merge!);
      expect(await conn.query(`SELECT id, name FROM ${d.qualify(rel)} ORDER BY id`)).toEqual([
        { id: 1, name: "Ada" },
        { id: 2, name: "Bob \\ 'q'" },
        { id: 3, name: "Chloé" },
      ]);
      expect((await conn.listRelations()).some((r) => r.schema === schema && r.name === "people")).toBe(true);
      expect((await conn.listColumns(rel)).map((c) => c.name)).toEqual(["id", "name", "seen"]);
      const many = await conn.query("SELECT SEQ4() AS n FROM TABLE(GENERATOR(ROWCOUNT => 200000))");
      expect(many).toHaveLength(200000);
    } finally {
      await conn.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdentifier(schema)}`).catch(() => undefined);
      await conn.close();
    }
  }, 300_000);
});
