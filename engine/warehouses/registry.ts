/**
 * Engine registry: maps a validated profile to its warehouse (driver) and dialect. The only place
 * that knows every engine; shared code asks here and gets the interfaces from `types.ts`.
 */
import { duckdbDialect } from "./duckdb/dialect.js";
import { DuckDBWarehouse, type DuckDBProfile, type OpenOptions } from "./duckdb/driver.js";
import type { Dialect, EngineName, Warehouse } from "./types.js";

export type WarehouseProfile = DuckDBProfile;

export const dialects: Readonly<Record<EngineName, Dialect>> = Object.freeze({
  duckdb: duckdbDialect,
});

export function dialectFor(engine: EngineName): Dialect {
  return dialects[engine];
}

export type { OpenOptions };

export function openWarehouse(profile: WarehouseProfile, options: OpenOptions = {}): Warehouse {
  switch (profile.engine) {
    case "duckdb":
      return new DuckDBWarehouse(profile, options);
  }
}
