/** Redshift Data API failures as RcuErrors, transient (retried) or terminal. */
import { RcuError, errorMessage } from "../../errors.js";

const TRANSIENT_EXCEPTIONS = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "InternalServerException",
  "ServiceUnavailableException",
  "ActiveStatementsExceededException",
  "ActiveSessionsExceededException",
  "ActiveWaitingRequestsExceededException",
  "DatabaseConnectionException",
  "QueryTimeoutException",
  "TimeoutError",
  "RequestTimeout",
]);
// Request timeout, too many requests, server errors: whatever the body's exception name (a 408
// arrives as "UnknownError").
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_TEXT =
  /serializable isolation violation|could not serialize|deadlock|concurrent transaction|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|connection (was )?(reset|closed|terminated)|too many connections|throttl|rate exceeded/i;

export function classifyRedshiftError(err: unknown, statement?: string): RcuError {
  if (err instanceof RcuError) return err;
  const name = (err as { name?: unknown } | null)?.name;
  const message = errorMessage(err);
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  const transient =
    (typeof name === "string" && TRANSIENT_EXCEPTIONS.has(name)) || TRANSIENT_TEXT.test(message) || (typeof status === "number" && TRANSIENT_STATUS.has(status));
  const hint =
    name === "CredentialsProviderError"
      ? "No AWS credentials: set the profile's access_key_id_env/secret_access_key_env, or configure the default chain (AWS_PROFILE, SSO, instance role)."
      : /does not exist/i.test(message)
        ? "The relation does not exist: check the ref()/schema, or run its upstream actions first."
        : /permission denied/i.test(message)
          ? "The database user lacks a privilege on this object: GRANT it, or use another user/secret."
          : undefined;
  return new RcuError(
    "SQL",
    // SDK exceptions are named by their type (ThrottlingException: …); failed SQL by its text only.
    typeof name === "string" && name !== "Error" && name !== "StatementFailed" && !message.includes(name) ? `${name}: ${message}` : message,
    { engine: "redshift", ...(statement ? { statement } : {}), ...(hint ? { hint } : {}) },
    { kind: transient ? "transient" : "terminal", cause: err },
  );
}

/** A statement that failed on the server: its Error text, classified by what it says. */
export class StatementFailed extends Error {
  override readonly name = "StatementFailed";
}
