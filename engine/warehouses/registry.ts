/**
 * Engine registry: maps a validated profile to its warehouse (driver). The only place that knows
 * every driver; shared code asks here and gets the interfaces from `types.ts`.
 */
import { DuckDBWarehouse, type DuckDBProfile, type OpenOptions as DuckDBOpenOptions } from "./duckdb/driver.js";
import { PostgresWarehouse, type PostgresProfile } from "./postgres/driver.js";
import { RedshiftWarehouse, type RedshiftProfile } from "./redshift/driver.js";
import { SnowflakeWarehouse, type SnowflakeProfile } from "./snowflake/driver.js";
import type { Warehouse } from "./types.js";

export { dialectFor, dialects } from "./dialects.js";
export type WarehouseProfile = DuckDBProfile | SnowflakeProfile | PostgresProfile | RedshiftProfile;
export type { SnowflakeProfile };

/** Secrets are on the profile already (`secrets`, resolved by the CLI: see secrets.ts). */
export type OpenOptions = DuckDBOpenOptions;

export function openWarehouse(profile: WarehouseProfile, options: OpenOptions = {}): Warehouse {
  switch (profile.engine) {
    case "duckdb":
      return new DuckDBWarehouse(profile, options);
    case "snowflake":
      // Snowflake has no read-only session mode: `rcu plan` only reads (listRelations/listColumns).
      return new SnowflakeWarehouse(profile);
    case "postgres":
      return new PostgresWarehouse(profile);
    case "redshift":
      return new RedshiftWarehouse(profile);
  }
}
