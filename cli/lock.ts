/** The run lock around commands that write to the warehouse (run, extract, sync, forget). */
import { randomBytes } from "node:crypto";
import { acquireRunLock } from "../engine/execute/lock.js";
import { openWarehouse } from "../engine/warehouses/registry.js";
import type { ProjectConfig } from "./config.js";
import type { CliIO } from "./io.js";

export interface LockFlags {
  readonly waitLock?: number;
  readonly breakLock?: boolean;
}

export async function withRunLock<T>(config: ProjectConfig, flags: LockFlags, io: CliIO, command: string, fn: () => Promise<T>): Promise<T> {
  const warehouse = openWarehouse(config.profile);
  const holderId = `${command}-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  let lock;
  try {
    lock = await acquireRunLock(warehouse, {
      holderId,
      command,
      waitSeconds: flags.waitLock ?? 0,
      breakLock: Boolean(flags.breakLock),
      onWait: (h) => io.stderr.write(`waiting for the run lock: ${h.command} ${h.holderId} (host ${h.host}, pid ${h.pid || "?"}) holds it since ${h.acquiredAt.toISOString()}\n`),
    });
  } finally {
    // DuckDB allows one process per file: the command opens its own connections.
    await warehouse.close();
  }
  try {
    return await fn();
  } finally {
    // The warehouse reopens for the release (closed meanwhile so the command could open it).
    try {
      await lock.release();
    } finally {
      await warehouse.close();
    }
  }
}
