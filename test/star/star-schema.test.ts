/**
 * The star schema and marts on the sample estate, end to end on DuckDB:
 * - figures in facts and marts reconcile with the source files, computed here independently
 *   (parsed in the test, persons taken from the estate's ground truth, not from rcu's identity);
 * - late-arriving events and identity changes flow into incremental runs (anonymous browsing is
 *   attributed once its device logs in; a changed address opens a new users_history version);
 * - after incremental runs, a full refresh rebuilds exactly the same facts.
 */
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";

let out = "";
let config = "";
let db = "";
const q = <T = Record<string, unknown>>(sql: string) => duck<T>(db, sql);
const run = async (...extra: string[]) => {
  const r = await cli(["run", "--config", config, "--threads", "2", ...extra], ROOT);
  if (r.code !== 0) throw new Error(`rcu run failed (${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  return r;
};

interface Expected {
  orders: number;
  revenue: number;
  perEntity: Map<string, { orders: number; revenue: number }>;
}

/** Orders and revenue straight from the files, persons from truth/persons.csv. */
async function expectedFromFiles(data: string): Promise<Expected> {
  const truth = new Map<string, string>();
  for (const line of (await readFile(path.join(data, "truth", "persons.csv"), "utf8")).split("\n").slice(1)) {
    const [source, id, entity] = line.split(",");
    if (source && id && entity) truth.set(`${source}:${id}`, entity);
  }
  const e: Expected = { orders: 0, revenue: 0, perEntity: new Map() };
  const add = (entity: string | undefined, revenue: number | null) => {
    e.orders++;
    if (revenue !== null) e.revenue += revenue;
    if (!entity || revenue === null) return;
    const p = e.perEntity.get(entity) ?? { orders: 0, revenue: 0 };
    p.orders++;
    p.revenue += revenue;
    e.perEntity.set(entity, p);
  };
  for (const line of (await readFile(path.join(data, "eshop", "orders.jsonl"), "utf8")).split("\n")) {
    let o: { customer_id: number; status: string; total_eur: number };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      continue; // malformed lines are quarantined by the connector
    }
    const counts = o.status !== "cancelled" && o.status !== "returned";
    add(truth.get(`eshop_customers:${o.customer_id}`), counts ? o.total_eur : null);
  }
  for (const line of (await readFile(path.join(data, "stores", "purchases.csv"), "utf8")).split("\n").slice(1)) {
    const f = line.replace(/\r$/, "").split(";");
    if (f.length !== 6) continue; // wrong column count: quarantined
    add(f[2] ? truth.get(`stores_loyalty_cards:${f[2]}`) : undefined, Number(f[4]!.replace(",", ".")));
  }
  return e;
}

beforeAll(async () => {
  out = await tempDir("rcu-star-");
  const r = await cli(["demo", "--people", "1500", "--out", out], ROOT);
  expect(r.code).toBe(0);
  config = path.join(out, "rcu.yaml");
  db = path.join(out, "warehouse.duckdb");
  await run();
}, 240_000);

describe("star schema and marts on the sample estate", () => {
  it("reconciles orders and revenue with the source files", async () => {
    const exp = await expectedFromFiles(path.join(out, "data"));
    const [fact] = await q<{ orders: number; revenue: number }>(
      "SELECT COUNT(*) AS orders, CAST(SUM(revenue) AS DOUBLE) AS revenue FROM rcu_core.fact_orders",
    );
    expect(fact!.orders).toBe(exp.orders);
    expect(fact!.revenue).toBeCloseTo(exp.revenue, 2);
    const [kpi] = await q<{ revenue: number }>("SELECT CAST(SUM(revenue) AS DOUBLE) AS revenue FROM rcu_marts.kpi_daily");
    expect(kpi!.revenue).toBeCloseTo(exp.revenue, 2);
    const [byChannel] = await q<{ revenue: number }>("SELECT CAST(SUM(revenue) AS DOUBLE) AS revenue FROM rcu_marts.kpi_daily_channel");
    expect(byChannel!.revenue).toBeCloseTo(exp.revenue, 2);

    // Per true person: users holding exactly one person's records, all of them, must show that
    // person's orders and revenue in customer_360.
    const truthRows = (await readFile(path.join(out, "data", "truth", "persons.csv"), "utf8")).split("\n").slice(1).filter(Boolean);
    const entityOf = new Map(truthRows.map((l) => { const [s, id, e] = l.split(","); return [`${s}:${id}`, e!]; }));
    const map = await q<{ record_key: string; user_id: string }>("SELECT record_key, user_id FROM rcu_identity.identity_map");
    const usersOfEntity = new Map<string, Set<string>>();
    const entitiesOfUser = new Map<string, Set<string>>();
    for (const m of map) {
      const ent = entityOf.get(m.record_key)!;
      (usersOfEntity.get(ent) ?? usersOfEntity.set(ent, new Set()).get(ent)!).add(m.user_id);
      (entitiesOfUser.get(m.user_id) ?? entitiesOfUser.set(m.user_id, new Set()).get(m.user_id)!).add(ent);
    }
    const c360 = new Map(
      (await q<{ user_id: string; orders: number; revenue: number }>("SELECT user_id, orders, CAST(revenue AS DOUBLE) AS revenue FROM rcu_marts.customer_360"))
        .map((r) => [r.user_id, r]),
    );
    let checked = 0;
    let buyers = 0;
    for (const [user, ents] of entitiesOfUser) {
      const ent = [...ents][0]!;
      if (ents.size !== 1 || usersOfEntity.get(ent)!.size !== 1) continue;
      const want = exp.perEntity.get(ent) ?? { orders: 0, revenue: 0 };
      const got = c360.get(user)!;
      expect({ user, orders: got.orders, revenue: Math.round(got.revenue * 100) }).toEqual({ user, orders: want.orders, revenue: Math.round(want.revenue * 100) });
      checked++;
      if (want.orders > 0) buyers++;
    }
    // Users mixing or splitting true persons are excluded; their share follows identity accuracy
    // (pairwise F1 ≈ 0.93 on the sample estate today).
    expect(checked).toBeGreaterThan(entitiesOfUser.size * 0.7);
    expect(buyers).toBeGreaterThan(300);
    // Conservation: identified revenue in the mart equals revenue of identified orders in the files.
    const identified = [...exp.perEntity.values()].reduce((s, p) => s + p.revenue, 0);
    const [mart] = await q<{ revenue: number }>("SELECT CAST(SUM(revenue) AS DOUBLE) AS revenue FROM rcu_marts.customer_360");
    expect(mart!.revenue).toBeCloseTo(identified, 2);
  });

  it("documents every column of the star schema and marts, and every assertion passed", async () => {
    const compiled = await cli(["compile", "--config", config, "--json"], ROOT);
    type Action = { kind: string; target: { schema: string; name: string }; description?: string; columns?: Array<{ path: string[]; description?: string }> };
    const graph = JSON.parse(compiled.stdout) as { actions: Action[] };
    const marts = graph.actions.filter((t) => t.kind !== "assertion" && ["rcu_core", "rcu_marts", "rcu_staging"].includes(t.target.schema));
    expect(marts.length).toBeGreaterThan(15);
    for (const t of marts) {
      const cols = await q<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = '${t.target.schema}' AND table_name = '${t.target.name}'`,
      );
      expect(cols.length).toBeGreaterThan(0);
      const documented = new Set((t.columns ?? []).filter((c) => c.description).map((c) => c.path.join(".")));
      const missing = cols.map((c) => c.column_name).filter((c) => !documented.has(c));
      expect({ table: `${t.target.schema}.${t.target.name}`, missing }).toEqual({ table: `${t.target.schema}.${t.target.name}`, missing: [] });
      expect(t.description).toBeTruthy();
    }
  });

  it("attributes late anonymous browsing once the device logs in, versions changed users, and a full refresh equals the incremental result", async () => {
    const data = path.join(out, "data");
    const [cust] = await q<{ id: string; user_id: string }>(
      `SELECT c.id, m.user_id FROM raw.eshop_customers AS c JOIN rcu_identity.identity_map AS m ON m.record_key = 'eshop_customers:' || c.id ORDER BY c.id LIMIT 1`,
    );
    // 1. Anonymous events on a new device, dated in the past (late-arriving).
    const ev = (ts: string, type: string, extra = "") => `{"ts":"${ts}","type":"${type}","device_id":"d-latecomer"${extra}}\n`;
    await appendFile(path.join(data, "web", "events.jsonl"),
      ev("2024-03-01T10:00:00Z", "page_view", ',"url":"/"') + ev("2024-03-01T10:03:00Z", "add_to_cart", ',"sku":"SKU-999999","quantity":1'));
    await run();
    const anon = await q<{ user_id: string | null }>("SELECT user_id FROM rcu_core.fact_web_events WHERE device_id = 'd-latecomer'");
    expect(anon.map((r) => r.user_id)).toEqual([null, null]);
    const [inferred] = await q<{ n: number }>("SELECT COUNT(*) AS n FROM rcu_core.dim_product WHERE product_key = 'SKU-999999' AND is_inferred");
    expect(inferred!.n).toBe(1);

    // 2. The device logs in; the customer also moves house (a golden-record change).
    await appendFile(path.join(data, "web", "events.jsonl"), ev("2024-03-01T10:10:00Z", "login", `,"customer_id":${cust!.id},"email":"x@example.com"`));
    const custFile = path.join(data, "eshop", "customers.jsonl");
    const lines = (await readFile(custFile, "utf8")).split("\n");
    const i = lines.findIndex((l) => l.startsWith(`{"id":${cust!.id},`));
    const rec = JSON.parse(lines[i]!) as { address: unknown; updated_at: string };
    rec.address = { line1: "1 place de la Comédie", postcode: "34000", city: "Montpellier", country: "FR" };
    rec.updated_at = "2026-10-30T12:00:00Z";
    lines[i] = JSON.stringify(rec);
    await writeFile(custFile, lines.join("\n"));
    await run();
    const known = await q<{ user_id: string | null }>("SELECT user_id FROM rcu_core.fact_web_events WHERE device_id = 'd-latecomer'");
    expect(known.map((r) => r.user_id)).toEqual([cust!.user_id, cust!.user_id, cust!.user_id]);
    const [session] = await q<{ user_id: string; identified_by: string; events: number }>(
      "SELECT user_id, identified_by, events FROM rcu_core.fact_web_sessions WHERE device_id = 'd-latecomer'",
    );
    expect(session).toEqual({ user_id: cust!.user_id, identified_by: "login", events: 3 });
    const history = await q<{ city: string; is_current: boolean; valid_from: string; valid_to: string | null; change_reason: string }>(
      `SELECT city, is_current, CAST(valid_from AS VARCHAR) AS valid_from, CAST(valid_to AS VARCHAR) AS valid_to, change_reason FROM rcu_core.users_history WHERE user_id = '${cust!.user_id}' ORDER BY valid_from`,
    );
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({ city: "Montpellier", is_current: true, valid_to: null, change_reason: "changed" });
    expect(history[0]).toMatchObject({ is_current: false, valid_to: history[1]!.valid_from });

    // 3. Full refresh: the same facts as the incremental runs built.
    const facts = {
      fact_orders: "order_key", fact_order_lines: "order_line_key", fact_web_events: "event_key", fact_email_events: "event_key",
      fact_web_sessions: "session_key", fact_interactions: "interaction_key", customer_360: "user_id",
    };
    const snapshot = async () => {
      const s: Record<string, unknown[]> = {};
      for (const [t, key] of Object.entries(facts)) {
        const schema = t === "customer_360" ? "rcu_marts" : "rcu_core";
        s[t] = await q(`SELECT * FROM ${schema}.${t} ORDER BY ${key}`);
      }
      return s;
    };
    const incremental = await snapshot();
    const [versions] = await q<{ n: number }>("SELECT COUNT(*) AS n FROM rcu_core.users_history");
    await run("--full-refresh");
    const full = await snapshot();
    for (const t of Object.keys(facts)) expect({ t, rows: full[t] }).toEqual({ t, rows: incremental[t] });
    // History is state: a full refresh neither resets it nor adds versions for unchanged users.
    const [after] = await q<{ n: number }>("SELECT COUNT(*) AS n FROM rcu_core.users_history");
    expect(after!.n).toBe(versions!.n);
  }, 240_000);
});
