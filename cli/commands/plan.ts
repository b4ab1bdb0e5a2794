/** `rcu plan`: the exact statements `rcu run` would execute; reads warehouse metadata only. */
import { buildPlan, type Plan } from "../../engine/plan/plan.js";
import { parseSelectors, selectActions } from "../../engine/plan/select.js";
import { readWarehouseState } from "../../engine/plan/state.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import type { Warehouse } from "../../engine/warehouses/types.js";
import { stylesFor, type CliIO } from "../io.js";
import { openProject, type CommonOptions, type Project } from "../project.js";
import { reportGraphErrors } from "./errors.js";

export interface PlanOptions extends CommonOptions {
  readonly select?: string[];
  readonly fullRefresh?: boolean;
}

/** Read the warehouse state the selected actions need, and plan them. */
export async function planOn(warehouse: Warehouse, project: Project, selected: ReadonlySet<string>, fullRefresh: boolean): Promise<Plan> {
  const conn = await warehouse.connect();
  try {
    const state = await readWarehouseState(conn, project.graph.actions.filter((a) => selected.has(a.id)));
    return buildPlan(project.graph, selected, state, project.dialect, { fullRefresh });
  } finally {
    await conn.close();
  }
}

export async function planCommand(opts: PlanOptions, io: CliIO): Promise<number> {
  const project = await openProject(opts, io);
  if (project.graph.errors.length) return reportGraphErrors(project, io);
  const selected = selectActions(project.graph, parseSelectors(opts.select ?? []));
  const warehouse = openWarehouse(project.config.profile, { readOnly: true });
  let plan: Plan;
  try {
    plan = await planOn(warehouse, project, selected, Boolean(opts.fullRefresh));
  } finally {
    await warehouse.close();
  }
  if (opts.json) {
    io.stdout.write(JSON.stringify(plan, null, 2) + "\n");
    return 0;
  }
  io.stdout.write(renderPlan(plan, io));
  return 0;
}

export function renderPlan(plan: Plan, io: CliIO): string {
  const s = stylesFor(io);
  const out: string[] = [];
  if (plan.prelude.length) out.push(s.bold("-- prelude"), ...plan.prelude.map((q) => q + ";"), "");
  for (const t of plan.tasks) {
    out.push(s.bold(`-- ${t.kind} ${t.id} (${t.file})`) + (t.notes.length ? s.dim(`  -- ${t.notes.join("; ")}`) : ""));
    const b = t.body;
    if (b.type === "sql") out.push(...b.statements.map((st) => terminate(st.sql)));
    else if (b.type === "assertion") out.push(...b.setup.map(terminate), terminate(b.countSql));
    out.push("");
  }
  return out.join("\n");
}

/** One statement per block, ended by exactly one semicolon. */
const terminate = (sql: string): string => sql.trim().replace(/;+\s*$/, "") + ";";
