/**
 * Golden plans: the exact statements a run executes, per dialect, for a first build, an
 * incremental run and a full refresh. Files live in test/golden/<engine>/; after an intended
 * change, review the diff and regenerate with `npx vitest run test/unit/plan.test.ts -u`.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileProject } from "../../engine/compile/compile.js";
import type { Graph } from "../../engine/compile/graph.js";
import { buildPlan, type Plan, type RelationState } from "../../engine/plan/plan.js";
import { selectActions } from "../../engine/plan/select.js";
import { dialects } from "../../engine/warehouses/registry.js";
import type { EngineName } from "../../engine/warehouses/types.js";
import { renderPlan } from "../../cli/commands/plan.js";
import { FIXTURES } from "../helpers.js";

const io = { stdout: process.stdout, stderr: process.stderr, env: { NO_COLOR: "1" }, cwd: "." } as const;
const existingState = new Map<string, RelationState>([
  ["fx.customers", { kind: "table" }],
  ["fx.stg_customers", { kind: "table" }], // was a table, now a view: must be dropped first
  ["fx.orders_inc", { kind: "table", columns: ["order_id", "customer_id", "amount", "updated_at"] }],
  ["fx.events_log", { kind: "table", columns: ["order_id", "event", "updated_at"] }],
]);

describe.each(Object.keys(dialects) as EngineName[])("plan on %s", (engine) => {
  const d = dialects[engine];
  let graph: Graph;
  beforeAll(async () => {
    graph = await compileProject({ projectDir: path.join(FIXTURES, "all-kinds"), renderSpec: d.renderSpec, engine });
  });
  const plan = (relations: Map<string, RelationState>, fullRefresh = false): Plan =>
    buildPlan(graph, selectActions(graph, []), { relations }, d, { fullRefresh });
  const golden = (name: string) => path.join("..", "golden", engine, `${name}.sql`);

  it("first build", async () => {
    await expect(renderPlan(plan(new Map()), io)).toMatchFileSnapshot(golden("first-build"));
  });
  it("incremental run on existing tables", async () => {
    await expect(renderPlan(plan(existingState), io)).toMatchFileSnapshot(golden("incremental"));
  });
  it("full refresh (protected incremental kept)", async () => {
    await expect(renderPlan(plan(existingState, true), io)).toMatchFileSnapshot(golden("full-refresh"));
  });

  it("orders tasks after their dependencies and keeps disabled ones out of the SQL", () => {
    const p = plan(new Map());
    const pos = new Map(p.tasks.map((t, i) => [t.id, i]));
    for (const t of p.tasks) for (const dep of t.dependencies) expect(pos.get(dep)!).toBeLessThan(pos.get(t.id)!);
    const disabled = p.tasks.find((t) => t.id === "fx.disabled_table")!;
    expect(disabled.body).toEqual({ type: "none", reason: "disabled" });
    expect(p.prelude).toEqual([d.createSchema("fx"), d.createSchema("fx_assertions")]);
  });

  it("refuses, naming the action, a statement over the engine's size limit", () => {
    // The largest statement of the fixture's first build: a limit one byte under it is refused.
    const texts = (b: Plan["tasks"][number]["body"]) => (b.type === "sql" ? b.statements.map((st) => st.sql) : b.type === "assertion" ? [...b.setup, b.countSql, b.sampleSql] : []);
    const sizes = plan(new Map()).tasks.flatMap((t) => texts(t.body).map((sql) => [Buffer.byteLength(sql), t] as const));
    const [largest, task] = sizes.reduce((a, b) => (b[0] > a[0] ? b : a));
    const tight = { ...d, capabilities: { ...d.capabilities, maxStatementBytes: largest - 1 } };
    const refuse = () => buildPlan(graph, selectActions(graph, []), { relations: new Map() }, tight);
    expect(refuse).toThrow(`Action ${task.id} would send a statement of ${largest} bytes; ${engine} accepts at most ${largest - 1}.`);
    expect(() => buildPlan(graph, selectActions(graph, []), { relations: new Map() }, { ...tight, capabilities: { ...d.capabilities, maxStatementBytes: largest } })).not.toThrow();
  });

  it("refuses to plan a graph with compilation errors", () => {
    const broken: Graph = { ...graph, errors: [{ message: "boom", file: "definitions/x.sqlx" }] };
    expect(() => buildPlan(broken, new Set(), { relations: new Map() }, d)).toThrow(/compilation error/);
  });
});
