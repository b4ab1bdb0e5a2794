import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileProject } from "../../engine/compile/compile.js";
import type { Graph } from "../../engine/compile/graph.js";
import { parseSelectors, selectActions } from "../../engine/plan/select.js";
import { duckdbDialect } from "../../engine/warehouses/duckdb/dialect.js";
import { FIXTURES } from "../helpers.js";

let graph: Graph;
beforeAll(async () => {
  graph = await compileProject({ projectDir: path.join(FIXTURES, "all-kinds"), renderSpec: duckdbDialect.renderSpec, engine: "duckdb" });
});

const sel = (...s: string[]) => [...selectActions(graph, parseSelectors(s))].sort();

describe("selection", () => {
  it("selects everything by default", () => {
    expect(sel()).toHaveLength(graph.actions.length);
  });
  it("selects by bare name, by schema.name and by file", () => {
    expect(sel("customers")).toEqual(["fx.customers"]);
    expect(sel("fx.customers")).toEqual(["fx.customers"]);
    expect(sel("definitions/orders_inc.sqlx")).toEqual(["fx.orders_inc"]);
  });
  it("selects by tag", () => {
    expect(sel("tag:daily")).toEqual(["fx.events_log", "fx.orders_inc"]);
  });
  it("adds upstream with +name", () => {
    expect(sel("+customers")).toEqual(["fx.customers", "fx.stg_customers", "fx_src.raw_customers"]);
  });
  it("adds downstream with name+", () => {
    expect(sel("orders_inc+")).toEqual([
      "fx.customer_revenue",
      "fx.orders_inc",
      "fx_assertions.positive_amounts",
    ]);
  });
  it("unions comma-separated and repeated selectors", () => {
    expect(sel("customers,orders_inc", "tag:ops")).toEqual(["fx.after_op", "fx.customers", "fx.op_snapshot", "fx.orders_inc"]);
  });
  it("rejects an unknown selector with a suggestion", () => {
    expect(() => sel("custmers")).toThrow(/matches no action/);
    try {
      sel("custmers");
    } catch (e) {
      expect((e as { context: { hint: string } }).context.hint).toContain("fx.customers");
    }
  });
});
