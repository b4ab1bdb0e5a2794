/**
 * Errors in Snowflake's shape (code, SQL state, message) for the test server: what the SDK turns
 * into its error objects and what rcu's error handling inspects. Statements throw
 * SnowflakeSqlError; DuckDB's and the tokenizer's errors are mapped here so that a failure reads
 * as it would on Snowflake.
 */
import { SqlSyntaxError } from "./translate.js";

export interface SfError {
  readonly code: string;
  readonly sqlState: string;
  readonly message: string;
}

export class SnowflakeSqlError extends Error {
  constructor(readonly sf: SfError) {
    super(sf.message);
  }
}

/** DuckDB error text → Snowflake error code, SQL state and message shape. */
export function mapDuckError(message: string): SfError {
  const m = message.replace(/^(\w+ Error): /, "");
  if (/^Catalog Error/.test(message)) {
    if (/does not exist/.test(m)) {
      const name = /with name ([^\s!]+)/.exec(m)?.[1] ?? "";
      return { code: "002003", sqlState: "42S02", message: `SQL compilation error:\nObject '${name}' does not exist or not authorized.` };
    }
    if (/already exists/.test(m)) return { code: "002002", sqlState: "42710", message: `SQL compilation error:\n${m}` };
    return { code: "002003", sqlState: "42S02", message: `SQL compilation error:\n${m}` };
  }
  if (/^Parser Error/.test(message)) return { code: "001003", sqlState: "42000", message: `SQL compilation error:\nsyntax error ${m}` };
  if (/^Binder Error/.test(message)) return { code: "000904", sqlState: "42000", message: `SQL compilation error: error line 0 at position 0\ninvalid identifier: ${m}` };
  if (/^Conversion Error/.test(message)) {
    const value = /'([^']*)'/.exec(m)?.[1] ?? "";
    return { code: "100038", sqlState: "22018", message: `Numeric value '${value}' is not recognized` };
  }
  if (/^Constraint Error/.test(message)) return { code: "100072", sqlState: "22000", message: m };
  if (/^TransactionContext Error|Conflict/.test(message)) {
    return { code: "000625", sqlState: "57014", message: `Statement aborted because of a conflicting transaction: ${m}` };
  }
  if (/^INTERRUPT Error|Interrupted/i.test(message)) return { code: "000604", sqlState: "57014", message: "SQL execution canceled" };
  return { code: "002140", sqlState: "42601", message: `SQL compilation error:\n${m}` };
}

export function toSfError(e: unknown): SfError {
  if (e instanceof SnowflakeSqlError) return e.sf;
  if (e instanceof SqlSyntaxError) return { code: "001003", sqlState: "42000", message: `SQL compilation error:\nsyntax error: ${e.message}` };
  return mapDuckError(String((e as Error)?.message ?? e));
}
