/** Snowflake SDK and SQL failures as RcuErrors, transient (retried) or terminal, with hints. */
import { RcuError, errorMessage } from "../../errors.js";

/** HTTP statuses and Snowflake codes worth retrying (throttling, unavailability, lock waits, expiry). */
const TRANSIENT_HTTP = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  "000625", // statement aborted: too many waiters for a lock
  "000630", // statement reached its statement or warehouse timeout
  "000610", // statement aborted (warehouse suspended/resized while running)
  "390112", // session token expired (the SDK renews it; seen only if renewal failed)
  "390114", // master token expired: a new login (next attempt) succeeds
  "401001", // SDK: could not connect
  "401002", // SDK: HTTP failure (status in `response`)
  "402001", // SDK: could not download a result chunk
  "402002",
]);
const AUTH_CODES = new Set(["390100", "390101", "390144", "390102", "390318"]);

interface SdkError {
  code?: string | number;
  sqlState?: string;
  message?: string;
  response?: { statusCode?: number; status?: number };
  cause?: unknown;
}

function httpStatusOf(e: SdkError): number | undefined {
  const direct = e.response?.statusCode ?? e.response?.status;
  if (direct) return direct;
  const c = e.cause as SdkError | undefined;
  return c?.response?.statusCode ?? c?.response?.status;
}

export function classifySnowflakeError(err: unknown, statement?: string): RcuError {
  if (err instanceof RcuError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as SdkError;
  const code = e.code === undefined ? "" : String(e.code);
  const state = e.sqlState ?? "";
  const status = httpStatusOf(e);
  const transient =
    (status !== undefined && TRANSIENT_HTTP.has(status)) ||
    // A bare HTTP failure without a status is a network failure.
    (code === "401002" && status === undefined) ||
    (code !== "401002" && TRANSIENT_CODES.has(code)) ||
    state.startsWith("08") ||
    state === "40001";
  const parts = [errorMessage(err)];
  if (code && !parts[0]!.includes(code)) parts.push(`(code ${code}${state ? `, SQL state ${state}` : ""}${status ? `, HTTP ${status}` : ""})`);
  else if (status) parts.push(`(HTTP ${status})`);
  const hint = AUTH_CODES.has(code)
    ? "Check the profile's account, user and credentials (password_env / private_key_path / private_key_env)."
    : code === "000606"
      ? "No warehouse is in use: set `warehouse` in the Snowflake profile."
      : code === "002003"
        ? "Snowflake stores unquoted names in upper case; rcu writes lower-case names as upper case. Check the object exists and the role can see it."
        : undefined;
  return new RcuError(
    "SQL",
    parts.join(" "),
    { engine: "snowflake", ...(statement ? { statement } : {}), ...(hint ? { hint } : {}) },
    { kind: transient ? "transient" : "terminal", cause: err },
  );
}
