/** Open the profile's warehouse for a command, and always close it. */
import { openWarehouse, type OpenOptions } from "../engine/warehouses/registry.js";
import type { Connection, Warehouse } from "../engine/warehouses/types.js";
import type { ProjectConfig } from "./config.js";

export async function withConnection<T>(
  config: ProjectConfig,
  options: OpenOptions,
  fn: (conn: Connection, warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const warehouse = openWarehouse(config.profile, options);
  try {
    const conn = await warehouse.connect();
    try {
      return await fn(conn, warehouse);
    } finally {
      await conn.close();
    }
  } finally {
    await warehouse.close();
  }
}
