/** Snowflake profiles in rcu.yaml: validated, secrets only from the variables they name, never printed. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../cli/config.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import { tempDir } from "../helpers.js";

const profile = (extra: string) =>
  ["default_profile: sf", "profiles:", "  sf:", "    engine: snowflake", "    account: myorg-acct", "    user: RCU_USER", "    database: ANALYTICS", "    schema: rcu", "    warehouse: TRANSFORM_WH", "    role: RCU_ROLE", ...extra.split("\n").map((l) => `    ${l}`), ""].join("\n");

async function project(yaml: string): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, "rcu.yaml"), yaml);
  return dir;
}

describe("snowflake profile", () => {
  it("resolves the password from the named variable and never shows it", async () => {
    const dir = await project(profile("password_env: SF_PW\nquery_tag: nightly"));
    const cfg = await loadConfig(dir, undefined, undefined, { SF_PW: "hunter2-secret" });
    expect(cfg.profile).toMatchObject({ engine: "snowflake", account: "myorg-acct", password_env: "SF_PW", query_tag: "nightly" });
    expect(JSON.stringify(cfg)).not.toContain("hunter2-secret");
    expect(inspect(cfg, { depth: 10 })).not.toContain("hunter2-secret");
    const wh = openWarehouse(cfg.profile);
    expect(wh.engine).toBe("snowflake");
    expect(wh.description).toBe("snowflake:myorg-acct/ANALYTICS.rcu as RCU_USER");
  });

  it("resolves a relative private key path against the project", async () => {
    const dir = await project(profile("private_key_path: keys/rsa_key.p8"));
    const cfg = await loadConfig(dir);
    expect(cfg.profile).toMatchObject({ private_key_path: path.join(dir, "keys/rsa_key.p8") });
  });

  it("requires exactly one way to authenticate, and a http(s) access_url", async () => {
    await expect(loadConfig(await project(profile("password_env: A\nprivate_key_env: B")))).rejects.toThrow(/exactly one of password_env, private_key_path, private_key_env/);
    await expect(loadConfig(await project(profile("")))).rejects.toThrow(/exactly one of/);
    await expect(loadConfig(await project(profile("password_env: A\naccess_url: ftp://x")))).rejects.toThrow(/access_url/);
    await expect(loadConfig(await project(profile("password: plain-text-secret")))).rejects.toThrow(/password/);
  });
});
