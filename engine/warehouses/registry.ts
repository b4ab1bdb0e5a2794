/**
 * Engine registry: maps a validated profile to its warehouse (driver). The only place that knows
 * every driver; shared code asks here and gets the interfaces from `types.ts`.
 */
import { DuckDBWarehouse, type DuckDBProfile, type OpenOptions } from "./duckdb/driver.js";
import { SnowflakeWarehouse, type SnowflakeProfile } from "./snowflake/driver.js";
import type { Warehouse } from "./types.js";

export { dialectFor, dialects } from "./dialects.js";
export type WarehouseProfile = DuckDBProfile | SnowflakeProfile;
export type { SnowflakeProfile };
export type { OpenOptions };

export function openWarehouse(profile: WarehouseProfile, options: OpenOptions = {}): Warehouse {
  switch (profile.engine) {
    case "duckdb":
      return new DuckDBWarehouse(profile, options);
    case "snowflake":
      // Snowflake has no read-only session mode: `rcu plan` only reads (listRelations/listColumns).
      return new SnowflakeWarehouse(profile);
  }
}
