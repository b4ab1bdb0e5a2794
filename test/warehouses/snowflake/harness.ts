/** Shared setup for tests against the Snowflake protocol test server. */
import { generateKeyPairSync } from "node:crypto";
import { SnowflakeWarehouse, type SnowflakeProfile } from "../../../engine/warehouses/snowflake/driver.js";
import { Secret } from "../../../engine/warehouses/secrets.js";
import { startSnowflakeTestServer, type SnowflakeTestServer } from "../../servers/snowflake/server.js";

export const PASSWORD = "s3cret-pa55";
export const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});

export async function startServer(chunkRows = 1000): Promise<SnowflakeTestServer> {
  return startSnowflakeTestServer({
    account: "rcutest",
    users: { RCU: { password: PASSWORD }, KEYUSER: { publicKey: keys.publicKey } },
    chunkRows,
  });
}

export function passwordProfile(server: SnowflakeTestServer, extra: Partial<SnowflakeProfile> = {}): SnowflakeProfile {
  return {
    engine: "snowflake",
    account: "rcutest",
    user: "rcu",
    database: "rcu_test",
    warehouse: "test_wh",
    role: "rcu_role",
    password_env: "RCU_SNOWFLAKE_PASSWORD",
    access_url: server.url,
    login_retries: 0,
    secrets: { password: new Secret(PASSWORD) },
    ...extra,
  };
}

export function warehouse(server: SnowflakeTestServer, extra: Partial<SnowflakeProfile> = {}): SnowflakeWarehouse {
  return new SnowflakeWarehouse(passwordProfile(server, extra));
}
