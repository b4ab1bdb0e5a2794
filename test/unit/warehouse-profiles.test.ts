/** rcu.yaml profiles for the remote engines: validated at load, secrets only named in the file, resolved from the environment once and never printed. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { stringify } from "yaml";
import { loadConfig } from "../../cli/config.js";
import { RcuError } from "../../engine/errors.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import { Secret } from "../../engine/warehouses/secrets.js";
import { tempDir } from "../helpers.js";

async function load(profile: Record<string, unknown>, env: Record<string, string> = {}) {
  const dir = await tempDir();
  await writeFile(path.join(dir, "rcu.yaml"), stringify({ default_profile: "p", profiles: { p: profile } }));
  return loadConfig(dir, undefined, undefined, env);
}
async function rejection(profile: Record<string, unknown>): Promise<string> {
  try {
    await load(profile);
  } catch (err) {
    if (err instanceof RcuError && err.code === "CONFIG") return err.message;
    throw err;
  }
  throw new Error("expected the profile to be rejected");
}

describe("postgres profiles", () => {
  it("accepts fields or a URL variable, and describes the target without secrets", async () => {
    const c = await load({ engine: "postgres", host: "db", port: 5433, database: "dw", user: "rcu", password_env: "PGPASSWORD", schema: "rcu", ssl: "no-verify" });
    expect(c.profile).toMatchObject({ engine: "postgres", host: "db", port: 5433, password_env: "PGPASSWORD" });
    expect(openWarehouse(c.profile).description).toBe("postgres:rcu@db:5433/dw");
    const u = await load({ engine: "postgres", url_env: "DATABASE_URL" });
    expect(openWarehouse(u.profile).description).toBe("postgres:$DATABASE_URL");
  });

  it("rejects an inline password, a URL mixed with fields, and a bad variable name", async () => {
    expect(await rejection({ engine: "postgres", host: "db", password: "hunter2" })).toMatch(/profiles\.p.*password/);
    expect(await rejection({ engine: "postgres", url_env: "DATABASE_URL", host: "db" })).toMatch(/url_env or host/);
    expect(await rejection({ engine: "postgres", password_env: "not a name" })).toMatch(/environment variable name/);
  });
});

describe("secrets of remote profiles", () => {
  it("are read once from the named variables into values that never print; unset ones stay absent", async () => {
    const pg = await load({ engine: "postgres", host: "db", password_env: "PGPASSWORD" }, { PGPASSWORD: "hunter2-pg", OTHER: "x" });
    const rs = await load(
      { engine: "redshift", workgroup_name: "wg", database: "dev", region: "eu-west-1", access_key_id_env: "K", secret_access_key_env: "S", session_token_env: "T" },
      { K: "AKID-hunter2", S: "hunter2-aws" },
    );
    const url = await load({ engine: "postgres", url_env: "DATABASE_URL" }, { DATABASE_URL: "postgres://rcu:hunter2@db/dw" });
    const sf = await load(
      { engine: "snowflake", account: "a", user: "u", database: "d", private_key_env: "SF_KEY", private_key_passphrase_env: "SF_PASS" },
      { SF_KEY: "-----hunter2-key-----", SF_PASS: "hunter2-pass" },
    );
    expect(pg.profile).toMatchObject({ secrets: { password: expect.any(Secret) } });
    expect(url.profile).toMatchObject({ secrets: { url: expect.any(Secret) } });
    expect(Object.keys((sf.profile as { secrets: object }).secrets).sort()).toEqual(["privateKey", "privateKeyPassphrase"]);
    expect(Object.keys((rs.profile as { secrets: object }).secrets).sort()).toEqual(["accessKeyId", "secretAccessKey"]);
    for (const cfg of [pg, url, sf, rs]) {
      expect(JSON.stringify(cfg)).not.toContain("hunter2");
      expect(inspect(cfg, { depth: 10 })).not.toContain("hunter2");
    }
    // The missing session token is named when the driver needs it, at connect.
    await expect(openWarehouse(rs.profile).connect()).rejects.toThrow(/Environment variable T \(AWS session token\) is not set/);
  });
});

describe("redshift profiles", () => {
  it("accepts a cluster with db_user or a secret, and a serverless workgroup", async () => {
    const c = await load({ engine: "redshift", cluster_identifier: "c1", db_user: "rcu", database: "dev", region: "eu-west-1" });
    expect(openWarehouse(c.profile).description).toBe("redshift:cluster c1/dev (eu-west-1)");
    const s = await load({ engine: "redshift", workgroup_name: "wg", database: "dev", region: "us-east-1", endpoint: "http://127.0.0.1:9999", access_key_id_env: "K", secret_access_key_env: "S" });
    expect(openWarehouse(s.profile).description).toBe("redshift:workgroup wg/dev (us-east-1, http://127.0.0.1:9999)");
  });

  it("rejects ambiguous targets, a cluster without user or secret, half a key pair, inline keys", async () => {
    expect(await rejection({ engine: "redshift", cluster_identifier: "c", workgroup_name: "w", database: "d", region: "r" })).toMatch(/exactly one of cluster_identifier/);
    expect(await rejection({ engine: "redshift", database: "d", region: "r" })).toMatch(/exactly one of cluster_identifier/);
    expect(await rejection({ engine: "redshift", cluster_identifier: "c", database: "d", region: "r" })).toMatch(/db_user .* or secret_arn/);
    expect(await rejection({ engine: "redshift", workgroup_name: "w", database: "d", region: "r", access_key_id_env: "K" })).toMatch(/both access_key_id_env/);
    expect(await rejection({ engine: "redshift", workgroup_name: "w", database: "d", region: "r", secret_access_key: "x" })).toMatch(/secret_access_key/);
  });
});
