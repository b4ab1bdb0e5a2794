/** Reads the warehouse metadata a plan needs — the only I/O on the way to a plan. */
import type { Action } from "../compile/graph.js";
import { relationId } from "../compile/graph.js";
import { columnsKey } from "../warehouses/sql-common.js";
import type { Connection } from "../warehouses/types.js";
import type { RelationState, WarehouseState } from "./plan.js";

export async function readWarehouseState(conn: Connection, actions: readonly Action[]): Promise<WarehouseState> {
  const wanted = new Set(actions.map((a) => a.id));
  const relations = new Map<string, RelationState>();
  for (const r of await conn.listRelations()) {
    const id = relationId(r);
    if (wanted.has(id)) relations.set(id, { kind: r.kind });
  }
  // Column lists only where a plan uses them: existing incremental tables, in one catalog read.
  const incremental = actions.filter((a) => a.kind === "incremental" && relations.get(a.id)?.kind === "table");
  const columns = await conn.listColumnsOf(incremental.map((a) => a.target));
  for (const a of incremental) {
    relations.set(a.id, { ...relations.get(a.id)!, columns: (columns.get(columnsKey(a.target)) ?? []).map((c) => c.name) });
  }
  return { relations };
}
