/**
 * Every engine's dialect, keyed by engine name. Pure and cheap to import (no drivers), so
 * compile-only paths such as `rcu compile` never load a warehouse SDK.
 */
import { duckdbDialect } from "./duckdb/dialect.js";
import { snowflakeDialect } from "./snowflake/dialect.js";
import { postgresDialect } from "./postgres/dialect.js";
import { redshiftDialect } from "./redshift/dialect.js";
import type { Dialect, EngineName } from "./types.js";

export const dialects: Readonly<Record<EngineName, Dialect>> = Object.freeze({
  duckdb: duckdbDialect,
  snowflake: snowflakeDialect,
  postgres: postgresDialect,
  redshift: redshiftDialect,
});

export function dialectFor(engine: EngineName): Dialect {
  return dialects[engine];
}
