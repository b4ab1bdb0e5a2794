/**
 * Warehouse secrets. rcu.yaml names environment variables (`password_env`, …), never secrets; the
 * CLI resolves them once, when it loads the config, into `Secret`s on the profile (`secrets`).
 * Drivers reveal them only to hand them to their client, so nothing below the CLI reads the
 * environment. A variable that is not set is reported when a driver needs it (at connect), so
 * commands that never connect (`rcu compile`) do not need it.
 */
import { inspect } from "node:util";
import { RcuError } from "../errors.js";
import type { EngineName } from "./types.js";

/** A secret value that never prints (logs, JSON, inspect all show `[secret]`). */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[secret]";
  }
  toJSON(): string {
    return "[secret]";
  }
  [inspect.custom](): string {
    return "[secret]";
  }
}

/** The profile keys naming a variable (`password_env`) → the secret's key on the profile (`password`). */
export type SecretNames = Readonly<Record<string, string>>;

/**
 * Each variable the profile names and the environment sets, as a Secret under its key in
 * `names` (`{ password_env: "password" }` turns `password_env: PGPASSWORD` into `password`).
 */
export function resolveSecrets(
  profile: object,
  names: SecretNames,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, Secret> {
  const out: Record<string, Secret> = {};
  for (const [key, secret] of Object.entries(names)) {
    const variable = (profile as Readonly<Record<string, unknown>>)[key];
    const value = typeof variable === "string" ? env[variable] : undefined;
    if (value !== undefined && value !== "") out[secret] = new Secret(value);
  }
  return out;
}

/** The secret's value, or the error naming the variable to export. */
export function requireSecret(secret: Secret | undefined, variable: string, what: string, engine: EngineName): string {
  if (secret) return secret.reveal();
  throw new RcuError("CONFIG", `Environment variable ${variable} (${what}) is not set.`, {
    engine,
    hint: `Export ${variable} before running rcu; rcu.yaml names the variable, never the secret.`,
  });
}
