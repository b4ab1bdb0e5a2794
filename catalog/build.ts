/**
 * The catalogue behind `rcu docs`: every source, model, assertion and mart of the compiled graph
 * with its description, columns (documented descriptions merged with the warehouse's types), SQL,
 * tags, upstream and downstream, and — when the warehouse is reachable — the last run's status,
 * duration and rows. Pure data; catalog/site.ts renders it.
 */
import type { Action, Graph } from "../engine/compile/graph.js";
import { columnsKey } from "../engine/warehouses/sql-common.js";
import type { ColumnInfo, Connection, Dialect, Relation } from "../engine/warehouses/types.js";

export interface CatalogColumn {
  readonly name: string;
  readonly type: string | null;
  readonly description: string | null;
}

export interface CatalogNode {
  readonly id: string;
  readonly kind: Action["kind"];
  /** Layer for grouping and colour: source, staging, identity, core, marts, reference, assertion, other. */
  readonly layer: string;
  readonly schema: string;
  readonly name: string;
  readonly file: string;
  readonly description: string | null;
  readonly tags: readonly string[];
  readonly disabled: boolean;
  readonly sql: string | null;
  readonly columns: readonly CatalogColumn[];
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  readonly exists: boolean | null;
  readonly lastRun: { status: string; finishedAt: string | null; durationMs: number | null; rows: number | null; error: string | null } | null;
}

export interface Catalog {
  readonly generatedAt: string;
  readonly engine: string;
  readonly warehouse: string | null;
  readonly lastRunId: string | null;
  readonly nodes: readonly CatalogNode[];
}

function layerOf(a: Action): string {
  if (a.kind === "assertion") return "assertion";
  if (a.kind === "declaration") return "source";
  const s = a.target.schema;
  if (s === "raw") return "source";
  if (s.endsWith("staging")) return "staging";
  if (s.endsWith("identity")) return "identity";
  if (s.endsWith("core")) return "core";
  if (s.endsWith("marts")) return "marts";
  if (s.endsWith("reference")) return "reference";
  if (s.endsWith("meta")) return "meta";
  return "other";
}

function sqlOf(a: Action): string | null {
  switch (a.kind) {
    case "table":
    case "view":
    case "assertion":
      return a.query;
    case "incremental":
      return a.query;
    case "operation":
      return a.queries.join(";\n\n");
    case "declaration":
      return null;
  }
}

/** Build the catalogue; `conn` (optional) adds column types, existence and last run results. */
export async function buildCatalog(graph: Graph, engine: string, conn?: { conn: Connection; dialect: Dialect; description: string }): Promise<Catalog> {
  const downstream = new Map<string, string[]>();
  for (const a of graph.actions) for (const dep of a.dependencies) downstream.set(dep, [...(downstream.get(dep) ?? []), a.id]);

  let relations: Map<string, Relation> | null = null;
  const runs = new Map<string, CatalogNode["lastRun"]>();
  let lastRunId: string | null = null;
  if (conn) {
    relations = new Map((await conn.conn.listRelations()).map((r) => [`${r.schema}.${r.name}`, r]));
    if (relations.has("rcu_meta.runs") && relations.has("rcu_meta.action_runs")) {
      const d = conn.dialect;
      const [last] = await conn.conn.query(d.limitRows(`SELECT run_id FROM ${d.qualify({ schema: "rcu_meta", name: "runs" })} ORDER BY started_at DESC`, 1));
      lastRunId = last ? String(last.run_id) : null;
      if (lastRunId) {
        const rows = await conn.conn.query(
          `SELECT action_id, status, finished_at, duration_ms, rows_affected, failing_rows, error_message FROM ${d.qualify({ schema: "rcu_meta", name: "action_runs" })} WHERE run_id = ${d.parameter(1)}`,
          [lastRunId],
        );
        for (const r of rows) {
          runs.set(String(r.action_id), {
            status: String(r.status),
            finishedAt: r.finished_at ? new Date(String(r.finished_at)).toISOString() : null,
            durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
            rows: r.rows_affected === null || r.rows_affected === undefined ? (r.failing_rows === null || r.failing_rows === undefined ? null : Number(r.failing_rows)) : Number(r.rows_affected),
            error: r.error_message ? String(r.error_message).split("\n")[0]!.slice(0, 500) : null,
          });
        }
      }
    }
  }

  // Every present relation's columns in one catalog read (on Snowflake and Redshift, one round
  // trip rather than one per action).
  const keyOf = (a: Action) => `${a.target.schema}.${a.target.name}`;
  const present = relations ? graph.actions.map((a) => relations!.get(keyOf(a))).filter((r): r is Relation => r !== undefined) : [];
  const columnLists = conn && present.length ? await conn.conn.listColumnsOf(present) : new Map<string, ColumnInfo[]>();
  const nodes: CatalogNode[] = [];
  for (const a of graph.actions) {
    const key = keyOf(a);
    const rel = relations?.get(key);
    const documented = new Map(a.columns.map((c) => [c.path.join("."), c.description]));
    let columns: CatalogColumn[] = a.columns.map((c) => ({ name: c.path.join("."), type: null, description: c.description }));
    if (conn && rel) {
      const actual = columnLists.get(columnsKey(rel)) ?? [];
      columns = actual.map((c) => ({ name: c.name, type: c.type, description: documented.get(c.name) ?? null }));
      // Documented columns the table does not have (yet) stay listed, without a type.
      for (const [name, description] of documented) if (!actual.some((c) => c.name === name)) columns.push({ name, type: null, description });
    }
    nodes.push({
      id: a.id,
      kind: a.kind,
      layer: layerOf(a),
      schema: a.target.schema,
      name: a.target.name,
      file: a.file,
      description: a.description ?? null,
      tags: a.tags,
      disabled: a.disabled,
      sql: sqlOf(a),
      columns,
      upstream: [...a.dependencies].sort(),
      downstream: [...(downstream.get(a.id) ?? [])].sort(),
      exists: relations ? relations.has(key) : null,
      lastRun: runs.get(a.id) ?? null,
    });
  }
  nodes.sort((x, y) => x.id.localeCompare(y.id));
  return { generatedAt: new Date().toISOString(), engine, warehouse: conn?.description ?? null, lastRunId, nodes };
}
