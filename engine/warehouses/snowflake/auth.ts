/** SDK connection options from a Snowflake profile: session settings and password or key-pair authentication. */
import { readFile } from "node:fs/promises";
import type * as SnowflakeSdk from "snowflake-sdk";
import { RcuError, errorMessage } from "../../errors.js";
import { requireSecret } from "../secrets.js";
import { ARRAY_BINDING_THRESHOLD } from "./statements.js";
import type { SnowflakeProfile } from "./driver.js";

export async function connectionOptions(p: SnowflakeProfile, queryTag: string | undefined): Promise<SnowflakeSdk.ConnectionOptions> {
  const s = p.secrets ?? {};
  const base: Record<string, unknown> = {
    account: p.account,
    username: p.user,
    database: p.database,
    ...(p.schema ? { schema: p.schema } : {}),
    ...(p.warehouse ? { warehouse: p.warehouse } : {}),
    ...(p.role ? { role: p.role } : {}),
    ...(p.access_url ? { accessUrl: p.access_url } : {}),
    ...(queryTag ? { queryTag } : {}),
    ...(p.login_retries !== undefined ? { sfRetryMaxLoginRetries: p.login_retries } : {}),
    application: "rcu",
    clientSessionKeepAlive: false,
    jsTreatIntegerAsBigInt: true,
    arrayBindingThreshold: ARRAY_BINDING_THRESHOLD,
  };
  if (p.private_key_path || p.private_key_env) {
    let key: string;
    if (p.private_key_env) {
      key = requireSecret(s.privateKey, p.private_key_env, "Snowflake private key", "snowflake");
    } else {
      try {
        key = await readFile(p.private_key_path!, "utf8");
      } catch (err) {
        throw new RcuError("CONFIG", `Cannot read the Snowflake private key file ${p.private_key_path}: ${errorMessage(err)}`, {
          engine: "snowflake",
          hint: "private_key_path must name a PEM (PKCS#8) private key file readable by rcu.",
        });
      }
    }
    const passphrase = p.private_key_passphrase_env ? requireSecret(s.privateKeyPassphrase, p.private_key_passphrase_env, "Snowflake private key passphrase", "snowflake") : undefined;
    return {
      ...base,
      authenticator: "SNOWFLAKE_JWT",
      privateKey: key,
      ...(passphrase ? { privateKeyPass: passphrase } : {}),
    } as SnowflakeSdk.ConnectionOptions;
  }
  if (!p.password_env) {
    throw new RcuError("CONFIG", "The Snowflake profile names no credentials.", {
      engine: "snowflake",
      hint: "Set password_env (a variable holding the password), or private_key_path / private_key_env for key-pair authentication.",
    });
  }
  return { ...base, password: requireSecret(s.password, p.password_env, "Snowflake password", "snowflake") } as SnowflakeSdk.ConnectionOptions;
}
