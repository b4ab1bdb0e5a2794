/**
 * The run lock: two rcu processes writing to the same warehouse (run, extract, sync, forget) never
 * interleave. The lock is a row in the warehouse itself (`rcu_meta.run_lock`), so it works for
 * schedulers on different machines, not only for processes on one host.
 *
 * Taking it is an `INSERT … WHERE NOT EXISTS` in a transaction, then reading back who holds it:
 * engines serialise writes to one table (DuckDB has one writer per file, PostgreSQL and Redshift
 * serialisable transactions abort one of two racing inserts, Snowflake locks the table for DML),
 * so exactly one contender sees itself as holder. A lock whose holder died is stale and taken over:
 * same host and the process is gone, or older than `staleAfterSeconds` (a crashed remote runner).
 */
import { hostname } from "node:os";
import { RcuError } from "../errors.js";
import { createMetaTable } from "../warehouses/sql-common.js";
import type { Connection, Dialect, MetaColumnType, Relation, Warehouse } from "../warehouses/types.js";
import { META_SCHEMA } from "./meta-log.js";

export const RUN_LOCK: Relation = { schema: META_SCHEMA, name: "run_lock" };
const COLUMNS: Array<[string, MetaColumnType]> = [
  ["lock_name", "text"], ["holder_id", "text"], ["command", "text"], ["host", "text"], ["pid", "bigint"], ["acquired_at", "timestamp"],
];

export interface LockOptions {
  /** Who takes it (e.g. the run id) and what for, shown to whoever waits. */
  readonly holderId: string;
  readonly command: string;
  /** Wait this long for a held lock before giving up (0: give up at once). */
  readonly waitSeconds: number;
  /** Take over a lock older than this whatever its holder (a runner that died elsewhere). */
  readonly staleAfterSeconds?: number;
  /** Remove any lock first (an operator who knows the holder is gone). */
  readonly breakLock?: boolean;
  readonly onWait?: (holder: LockHolder) => void;
  /** Injectable for tests. */
  readonly host?: string;
  readonly pid?: number;
  readonly isAlive?: (pid: number) => boolean;
  readonly pollMs?: number;
}

export interface LockHolder {
  readonly holderId: string;
  readonly command: string;
  readonly host: string;
  readonly pid: number;
  readonly acquiredAt: Date;
}

export interface RunLock {
  release(): Promise<void>;
}

const isFileLock = (err: unknown): boolean => err instanceof RcuError && /lock on file|Conflicting lock/i.test(err.message);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function withConn<T>(warehouse: Warehouse, fn: (c: Connection, d: Dialect) => Promise<T>): Promise<T> {
  const conn = await warehouse.connect();
  try {
    return await fn(conn, warehouse.dialect);
  } finally {
    await conn.close();
  }
}

async function currentHolder(c: Connection, d: Dialect): Promise<LockHolder | null> {
  const rows = await c.query(`SELECT holder_id, command, host, pid, acquired_at FROM ${d.qualify(RUN_LOCK)} WHERE lock_name = 'run'`);
  const r = rows[0];
  if (!r) return null;
  return { holderId: String(r.holder_id), command: String(r.command), host: String(r.host), pid: Number(r.pid), acquiredAt: new Date(String(r.acquired_at)) };
}

/**
 * Take the warehouse's run lock, waiting up to `waitSeconds`. A busy warehouse is an RcuError with
 * code LOCKED (transient): the caller's exit code tells schedulers to retry later.
 */
export async function acquireRunLock(warehouse: Warehouse, o: LockOptions): Promise<RunLock> {
  const host = o.host ?? hostname();
  const pid = o.pid ?? process.pid;
  const alive = o.isAlive ?? processAlive;
  const stale = o.staleAfterSeconds ?? 24 * 3600;
  const deadline = Date.now() + o.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    let holder: LockHolder | null;
    try {
      holder = await withConn(warehouse, async (c, d) => {
        await c.execute(d.createSchema(META_SCHEMA));
        await c.execute(createMetaTable(d, RUN_LOCK, COLUMNS));
        const existing = await currentHolder(c, d);
        const dead =
          existing !== null &&
          (o.breakLock ||
            (existing.host === host && existing.pid !== pid && !alive(existing.pid)) ||
            Date.now() - existing.acquiredAt.getTime() > stale * 1000);
        await c.execute(d.begin());
        try {
          if (dead) await c.execute(`DELETE FROM ${d.qualify(RUN_LOCK)} WHERE lock_name = 'run' AND holder_id = ${d.parameter(1)}`, [existing!.holderId]);
          await c.execute(
            `INSERT INTO ${d.qualify(RUN_LOCK)} (lock_name, holder_id, command, host, pid, acquired_at)
SELECT 'run', ${d.parameter(1)}, ${d.parameter(2)}, ${d.parameter(3)}, ${d.parameter(4)}, ${d.parameter(5)}
WHERE NOT EXISTS (SELECT 1 FROM ${d.qualify(RUN_LOCK)} WHERE lock_name = 'run')`,
            [o.holderId, o.command, host, pid, new Date()],
          );
          await c.execute(d.commit());
        } catch (err) {
          await c.execute(d.rollback()).catch(() => undefined);
          // A racing contender won (serialisation failure or conflict): read who holds it.
          if (!(err instanceof RcuError && err.kind === "transient")) throw err;
        }
        return currentHolder(c, d);
      });
    } catch (err) {
      // DuckDB: another process has the file open, so it holds the warehouse outright.
      if (isFileLock(err)) {
        await warehouse.close();
        const m = /PID (\d+)/.exec((err as Error).message);
        holder = { holderId: "another process", command: "unknown", host, pid: m ? Number(m[1]) : 0, acquiredAt: new Date() };
      } else throw err;
    }
    if (holder && holder.holderId === o.holderId) {
      return {
        release: async () => {
          // A waiter polling a DuckDB file holds it for an instant: retry the open for a while.
          for (let attempt = 0; ; attempt++) {
            try {
              return await withConn(warehouse, async (c, d) => {
                await c.execute(`DELETE FROM ${d.qualify(RUN_LOCK)} WHERE lock_name = 'run' AND holder_id = ${d.parameter(1)}`, [o.holderId]);
              });
            } catch (err) {
              if (!(isFileLock(err) && attempt < 100)) throw err;
              await warehouse.close();
              await sleep(100);
            }
          }
        },
      };
    }
    const who = holder ?? { holderId: "unknown", command: "unknown", host: "?", pid: 0, acquiredAt: new Date() };
    if (Date.now() >= deadline) {
      throw new RcuError(
        "LOCKED",
        `The warehouse ${warehouse.description} is busy: ${who.command} ${who.holderId} (host ${who.host}, pid ${who.pid || "?"}) holds the run lock since ${who.acquiredAt.toISOString()}.`,
        {
          doing: o.command,
          engine: warehouse.engine,
          hint: o.waitSeconds
            ? `Still busy after waiting ${o.waitSeconds}s. Retry later, or wait longer with --wait-lock <seconds>; if that process is gone, --break-lock.`
            : "Wait for it with --wait-lock <seconds>, or retry later; if that process is gone, --break-lock.",
        },
        { kind: "transient" },
      );
    }
    if (!announced) o.onWait?.(who);
    announced = true;
    // Let go of the warehouse while waiting: an open DuckDB file would keep the holder from
    // releasing (DuckDB allows one process per file).
    await warehouse.close();
    await sleep(Math.min(o.pollMs ?? 2000, Math.max(50, deadline - Date.now())));
  }
}
