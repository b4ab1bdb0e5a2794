/**
 * Engine registry: maps a validated profile to its warehouse (driver). The only place that knows
 * every driver; shared code asks here and gets the interfaces from `types.ts`.
 */
import { DuckDBWarehouse, type DuckDBProfile, type OpenOptions as DuckDBOpenOptions } from "./duckdb/driver.js";
import { PostgresWarehouse, type Env, type PostgresProfile } from "./postgres/driver.js";
import { RedshiftWarehouse, type RedshiftProfile } from "./redshift/driver.js";
import { SnowflakeWarehouse, type SnowflakeProfile } from "./snowflake/driver.js";
import type { Warehouse } from "./types.js";

export { dialectFor, dialects } from "./dialects.js";
export type WarehouseProfile = DuckDBProfile | SnowflakeProfile | PostgresProfile | RedshiftProfile;
export type { SnowflakeProfile };

export interface OpenOptions extends DuckDBOpenOptions {
  /**
   * The environment secrets are read from (PostgreSQL and Redshift: `password_env`, `url_env`, …).
   * The CLI passes its own; inner code never reads `process.env`. Read at `connect()`, not before.
   * (Snowflake's secrets are resolved earlier, when rcu.yaml is loaded, into never-printed values.)
   */
  readonly env?: Env;
}

export function openWarehouse(profile: WarehouseProfile, options: OpenOptions = {}): Warehouse {
  switch (profile.engine) {
    case "duckdb":
      return new DuckDBWarehouse(profile, options);
    case "snowflake":
      // Snowflake has no read-only session mode: `rcu plan` only reads (listRelations/listColumns).
      return new SnowflakeWarehouse(profile);
    case "postgres":
      return new PostgresWarehouse(profile, options.env ? { env: options.env } : {});
    case "redshift":
      return new RedshiftWarehouse(profile, options.env ? { env: options.env } : {});
  }
}
