import { afterEach, describe, expect, it } from "vitest";
import { landedRelations } from "../../connectors/declarations.js";
import { listLoads, runExtract } from "../../connectors/extract.js";
import { globToRegExp } from "../../connectors/files/glob.js";
import type { ExtractEvent } from "../../connectors/types.js";
import { testProject, type TestProject } from "./helpers.js";

let p: TestProject;
afterEach(async () => p?.dispose());

describe("JSON sources", () => {
  it("JSON Lines: objects land, bad lines are quarantined with line numbers", async () => {
    p = await testProject();
    await p.write("e/1.jsonl", '{"id":1,"a":"x","n":{"k":[1,2]}}\n\n{"id":2,"b":true}\nnot json\n[1,2]\n{"id":3,"a":null}\n');
    const r = await runExtract({
      sources: { ev: { type: "files", format: "jsonl", streams: { events: { path: "e/*.jsonl" } } } },
      warehouse: p.warehouse,
      env: {},
      projectDir: p.dir,
    });
    expect(r.streams[0]).toMatchObject({ rowsIn: 5, rowsLanded: 3, rowsRejected: 2 });
    const rows = await p.query(`SELECT id, a, n, b, _rcu_position AS pos FROM raw.ev_events ORDER BY pos`);
    expect(rows).toEqual([
      { id: "1", a: "x", n: '{"k":[1,2]}', b: null, pos: 1 },
      { id: "2", a: null, n: null, b: "true", pos: 3 },
      { id: "3", a: null, n: null, b: null, pos: 6 },
    ]);
    const rej = await p.query(`SELECT position, raw, reason FROM rcu_meta.rejected_records ORDER BY position`);
    expect(rej.map((x) => [x.position, x.raw])).toEqual([[4, "not json"], [5, "[1,2]"]]);
    expect(String(rej[0]!.reason)).toMatch(/invalid JSON/);
  });

  it("JSON arrays are streamed element by element; documents use records_path", async () => {
    p = await testProject();
    const items = Array.from({ length: 3000 }, (_, i) => ({ id: i, s: `he said "hi, [x]" {${i}}` }));
    await p.write("j/big.json", "\uFEFF[\n" + items.map((x) => JSON.stringify(x)).join(",\n") + ",\n 42, {\"id\": \"broken\" \n]\n");
    await p.write("d/doc.json", JSON.stringify({ data: { items: [{ id: 1 }, { id: 2 }] } }));
    const r = await runExtract({
      sources: {
        js: {
          type: "files",
          format: "json",
          batch_size: 1000,
          streams: { arr: { path: "j/*.json" }, doc: { path: "d/*.json", records_path: "data.items" } },
        },
      },
      warehouse: p.warehouse,
      env: {},
      projectDir: p.dir,
    });
    expect(r.streams[0]).toMatchObject({ rowsIn: 3002, rowsLanded: 3000, rowsRejected: 2 });
    expect(r.streams[1]).toMatchObject({ rowsLanded: 2 });
    const one = await p.query(`SELECT s FROM raw.js_arr WHERE id = '7'`);
    expect(one[0]!.s).toBe('he said "hi, [x]" {7}');
  });
});

describe("write dispositions", () => {
  it("merge upserts on the primary key (last record wins); replace rebuilds the table", async () => {
    p = await testProject();
    const sources = (wd: string) => ({
      crm: { type: "files", format: "csv", streams: { c: { path: "m/*.csv", primary_key: ["id"], write_disposition: wd } } },
    });
    await p.write("m/1.csv", "id,v\n1,a\n2,b\n2,b2\n,nokey\n");
    const r1 = await runExtract({ sources: sources("merge"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r1.streams[0]).toMatchObject({ rowsIn: 4, rowsLanded: 3, rowsRejected: 1 });
    await p.write("m/2.csv", "id,v\n2,B\n3,c\n");
    await runExtract({ sources: sources("merge"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(await p.query(`SELECT id, v FROM raw.crm_c ORDER BY id`)).toEqual([
      { id: "1", v: "a" },
      { id: "2", v: "B" },
      { id: "3", v: "c" },
    ]);

    await p.dispose();
    p = await testProject();
    await p.write("m/1.csv", "id,v\n1,a\n");
    await p.write("m/2.csv", "id,v\n2,b\n");
    await runExtract({ sources: sources("replace"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    const same = await runExtract({ sources: sources("replace"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(same.streams[0]!.status).toBe("unchanged");
    expect((await p.query(`SELECT COUNT(*) AS n FROM raw.crm_c`))[0]!.n).toBe(2);
    await p.write("m/2.csv", "id,v\n2,bb\n3,c\n");
    const changed = await runExtract({ sources: sources("replace"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(changed.streams[0]).toMatchObject({ rowsLanded: 3, inputs: ["m/1.csv", "m/2.csv"] });
    expect(await p.query(`SELECT id, v FROM raw.crm_c ORDER BY id`)).toEqual([
      { id: "1", v: "a" },
      { id: "2", v: "bb" },
      { id: "3", v: "c" },
    ]);
  });
});

describe("API surface", () => {
  it("landedRelations, listLoads, progress events, selection, glob", async () => {
    const sources = {
      crm: { type: "files", format: "csv", streams: { contacts: { path: "x/*.csv" }, orders: { path: "y/**/*.csv" } } },
      api: { type: "http", base_url: "http://127.0.0.1:1", streams: { items: { path: "items" } } },
    };
    expect(landedRelations(sources)).toEqual([
      { schema: "raw", name: "api_items" },
      { schema: "raw", name: "crm_contacts" },
      { schema: "raw", name: "crm_orders" },
    ]);
    p = await testProject();
    await p.write("x/1.csv", "a\n1\n2\n");
    await p.write("y/2024/01/o.csv", "a\n1\n");
    const events: ExtractEvent[] = [];
    const r = await runExtract({ sources, warehouse: p.warehouse, env: {}, projectDir: p.dir, select: ["crm"], onEvent: (e) => events.push(e) });
    expect(r.streams.map((s) => [s.stream, s.rowsLanded])).toEqual([["contacts", 2], ["orders", 1]]);
    expect(events.some((e) => e.type === "progress" && e.rows === 2 && e.rowsPerSecond > 0)).toBe(true);
    await expect(runExtract({ sources, warehouse: p.warehouse, env: {}, projectDir: p.dir, select: ["nope"] })).rejects.toThrow(/nope/);
    const c = await p.warehouse.connect();
    const loads = await listLoads(c, 10, p.warehouse);
    await c.close();
    expect(loads.map((l) => [l.stream, l.status, l.rowsLanded])).toEqual(expect.arrayContaining([["contacts", "succeeded", 2], ["orders", "succeeded", 1]]));
    expect(globToRegExp("data/**/*.{csv,tsv}").test("data/a/b/c.tsv")).toBe(true);
    expect(globToRegExp("data/*.csv").test("data/a/b.csv")).toBe(false);
  });
});

describe("generic bulk path (staging tables + Connection.append)", () => {
  it("lands, evolves, types, rejects and replaces like the DuckDB fast path", async () => {
    p = await testProject();
    const sources = (wd: string) => ({
      crm: { type: "files", format: "csv", streams: { g: { path: "g/*.csv", write_disposition: wd, columns: { n: "bigint" } } } },
    });
    await p.write("g/1.csv", "id,n\n1,10\n2,x\n");
    await p.write("g/2.csv", "id,n,extra\n3,30,E\n4,,\n5,1,2,3\n");
    const run = (wd: string) => runExtract({ sources: sources(wd), warehouse: p.warehouse, env: {}, projectDir: p.dir, genericBulk: true });
    const r = await run("append");
    expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsIn: 5, rowsLanded: 3, rowsRejected: 2 });
    expect(await p.query(`SELECT id, n, extra FROM raw.crm_g ORDER BY id`)).toEqual([
      { id: "1", n: 10, extra: null },
      { id: "3", n: 30, extra: "E" },
      { id: "4", n: null, extra: "" },
    ]);
    await p.write("g/2.csv", "id,n,extra\n3,31,E\n");
    const rep = await run("replace");
    expect(rep.streams[0]).toMatchObject({ rowsLanded: 2, rowsRejected: 1 });
    expect((await p.query(`SELECT COUNT(*) AS n FROM raw.crm_g`))[0]!.n).toBe(2);
    const leftovers = await p.query(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'rcu_meta' AND starts_with(table_name, '_stg_')`);
    expect(leftovers[0]!.n).toBe(0);
  });
});
