import { utimes } from "node:fs/promises";
import iconv from "iconv-lite";
import { afterEach, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { testProject, type TestProject } from "./helpers.js";

let p: TestProject;
afterEach(async () => p?.dispose());

const csvSource = (path: string, extra: Record<string, unknown> = {}, csv: Record<string, unknown> = {}) => ({
  crm: { type: "files", format: "csv", csv, streams: { contacts: { path, ...extra } } },
});

describe("CSV files", () => {
  it("lands raw text with metadata, and a re-run over unchanged files lands nothing", async () => {
    p = await testProject();
    await p.write("data/a.csv", "id,name,email\n1,Ann,ann@x.fr\n2,\"Bob, Jr\",bob@x.fr\n");
    await p.write("data/b.csv", "id,name,email\r\n3,Cé,c@x.fr\r\n");
    const r = await runExtract({ sources: csvSource("data/*.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r.ok).toBe(true);
    const s = r.streams[0]!;
    expect(s).toMatchObject({ status: "succeeded", rowsIn: 3, rowsLanded: 3, rowsRejected: 0, inputs: ["data/a.csv", "data/b.csv"] });
    const rows = await p.query(`SELECT id, name, email, _rcu_input, _rcu_position, _rcu_load_id, length(_rcu_hash) AS h FROM raw.crm_contacts ORDER BY id`);
    expect(rows.map((x) => x.name)).toEqual(["Ann", "Bob, Jr", "Cé"]);
    expect(rows[2]).toMatchObject({ _rcu_input: "data/b.csv", _rcu_position: 1, _rcu_load_id: s.loadId, h: 40 });
    const cols = await p.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'crm_contacts' AND column_name = 'id'`);
    expect(cols[0]!.data_type).toBe("VARCHAR");

    const again = await runExtract({ sources: csvSource("data/*.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(again.streams[0]).toMatchObject({ status: "unchanged", rowsIn: 0, rowsLanded: 0, skippedInputs: ["data/a.csv", "data/b.csv"] });
    // Touching a file (mtime changes, content does not) lands nothing either.
    await utimes(`${p.dir}/data/a.csv`, new Date(), new Date(Date.now() + 5000));
    const touched = await runExtract({ sources: csvSource("data/*.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(touched.streams[0]!.rowsLanded).toBe(0);
    expect((await p.query(`SELECT COUNT(*) AS n FROM raw.crm_contacts`))[0]!.n).toBe(3);
    // A new file lands alone.
    await p.write("data/c.csv", "id,name,email\n4,Dan,d@x.fr\n");
    const more = await runExtract({ sources: csvSource("data/*.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(more.streams[0]).toMatchObject({ rowsLanded: 1, inputs: ["data/c.csv"] });
    const loads = await p.query(`SELECT status, rows_in, rows_landed, rows_rejected FROM rcu_meta.loads ORDER BY started_at`);
    expect(loads).toHaveLength(4);
    for (const l of loads) expect(Number(l.rows_in)).toBe(Number(l.rows_landed) + Number(l.rows_rejected));
  });

  it("quarantines a malformed corpus: nothing lost, a reason per rejection, no crash", async () => {
    p = await testProject();
    const big = "x".repeat(10 * 1024 * 1024);
    await p.write("bad/01_quotes.csv", 'a,b,c\n1,"2"x,3\n4,5,6\n7,"8,9\n');
    await p.write("bad/02_ragged.csv", "a,b,c\n1,2\n3,4,5,6\n7,8,9\n");
    await p.write("bad/03_utf8.csv", Buffer.concat([Buffer.from("a,b,c\n1,"), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(",3\n4,5,6\n")]));
    await p.write("bad/04_bom.csv", "\uFEFFa,b,c\n1,2,3\n");
    await p.write("bad/05_empty.csv", "");
    await p.write("bad/06_header_only.csv", "a,b,c\n");
    await p.write("bad/07_big.csv", `a,b,c\n1,${big},3\n`);
    await p.write("bad/08_mixed_eol.csv", "a,b,c\r\n1,2,3\n4,5,6\r7,8,9\r\n");
    const r = await runExtract({ sources: csvSource("bad/*.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    const s = r.streams[0]!;
    expect(s.status).toBe("succeeded");
    expect(s.rowsIn).toBe(s.rowsLanded + s.rowsRejected);
    const landed = await p.query(`SELECT _rcu_input AS f, a, b, c, length(b) AS lb FROM raw.crm_contacts ORDER BY f, _rcu_position`);
    const rejected = await p.query(`SELECT input, position, raw, reason FROM rcu_meta.rejected_records ORDER BY input, position`);
    expect(landed.length + rejected.length).toBe(s.rowsIn);
    for (const x of rejected) expect(String(x.reason).length).toBeGreaterThan(5);
    // Stray quote kept verbatim; unclosed quote quarantined with its text.
    expect(landed.filter((x) => x.f === "bad/01_quotes.csv").map((x) => x.b)).toEqual(['"2"x', "5"]);
    expect(rejected.find((x) => x.input === "bad/01_quotes.csv")!.raw).toContain('7,"8,9');
    expect(rejected.filter((x) => x.input === "bad/02_ragged.csv").map((x) => [x.raw, x.reason])).toEqual([
      ["1,2", "expected 3 fields, found 2"],
      ["3,4,5,6", "expected 3 fields, found 4"],
    ]);
    expect(rejected.find((x) => x.input === "bad/03_utf8.csv")!.reason).toMatch(/UTF-8/);
    expect(landed.find((x) => x.f === "bad/04_bom.csv")).toMatchObject({ a: "1" });
    expect(landed.find((x) => x.f === "bad/07_big.csv")!.lb).toBe(big.length);
    expect(landed.filter((x) => x.f === "bad/08_mixed_eol.csv").map((x) => x.a)).toEqual(["1", "4", "7"]);
    expect(s.inputs).toContain("bad/05_empty.csv");
    // Re-running lands nothing: every file, even the empty one, is fingerprinted.
    const again = await runExtract({ sources: csvSource("bad/*.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(again.streams[0]).toMatchObject({ status: "unchanged", rowsIn: 0 });
  });

  it("lands hostile and duplicate column names as names", async () => {
    p = await testProject();
    await p.write("h.csv", 'id,"x""; drop table raw.crm_contacts; --",Name,name,,_rcu_hash\n1,2,3,4,5,6\n');
    const r = await runExtract({ sources: csvSource("h.csv"), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsLanded: 1 });
    const cols = (await p.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'crm_contacts' ORDER BY ordinal_position`)).map((c) => c.column_name);
    expect(cols.slice(0, 6)).toEqual(["id", 'x"; drop table raw.crm_contacts; --', "Name", "name_2", "_col_5", "src_rcu_hash"]);
  });

  it("rejects invalid source/stream names with a message naming the key", async () => {
    p = await testProject();
    await expect(
      runExtract({ sources: { "bad name": { type: "files", format: "csv", streams: {} } }, warehouse: p.warehouse, env: {}, projectDir: p.dir }),
    ).rejects.toThrow(/sources\.bad name.*source name must match/s);
    await expect(
      runExtract({ sources: { crm: { type: "files", format: "csv", streams: { "x;drop": { path: "a" } } } }, warehouse: p.warehouse, env: {}, projectDir: p.dir }),
    ).rejects.toThrow(/stream name must match/);
  });

  it("names the offending key in config errors", async () => {
    p = await testProject();
    const bad = {
      crm: { type: "files", format: "csv", streams: { c: { path: "x", write_disposition: "upsert", schema_drift: "loose" } } },
      api: { type: "http", base_url: "not a url", streams: {} },
    };
    const err = await runExtract({ sources: bad, warehouse: p.warehouse, env: {}, projectDir: p.dir }).catch((e: Error) => e);
    expect(String((err as Error).message)).toMatch(/sources\.crm\.streams\.c\.write_disposition/);
    expect(String((err as Error).message)).toMatch(/sources\.crm\.streams\.c\.schema_drift/);
    expect(String((err as Error).message)).toMatch(/sources\.api\.base_url/);
    const merge = await runExtract({
      sources: { crm: { type: "files", format: "csv", streams: { c: { path: "x", write_disposition: "merge" } } } },
      warehouse: p.warehouse,
      env: {},
      projectDir: p.dir,
    });
    expect(merge.streams[0]!.error!.message).toMatch(/merge.*primary_key/);
  });

  it("decodes windows-1252 with a delimiter, declared types and quarantines bad typed values", async () => {
    p = await testProject();
    await p.write("w.csv", iconv.encode("id;ville;score;seen\n1;Besançon;1.5;2024-01-02\n2;Orléans;abc;2024-02-03\n3;Évry;;not a date\n", "windows-1252"));
    const sources = {
      crm: {
        type: "files",
        format: "csv",
        csv: { delimiter: ";", encoding: "windows-1252" },
        streams: { contacts: { path: "w.csv", columns: { id: "bigint", score: "double", seen: "timestamp" } } },
      },
    };
    const r = await runExtract({ sources, warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r.streams[0]).toMatchObject({ rowsIn: 3, rowsLanded: 1, rowsRejected: 2 });
    const rows = await p.query(`SELECT id, ville, score, typeof(id) AS t FROM raw.crm_contacts`);
    expect(rows).toEqual([{ id: 1, ville: "Besançon", score: 1.5, t: "BIGINT" }]);
    const rej = await p.query(`SELECT reason FROM rcu_meta.rejected_records ORDER BY position`);
    expect(rej.map((x) => x.reason)).toEqual([expect.stringMatching(/"score".*not a finite number/), expect.stringMatching(/"seen".*ISO-8601/)]);
  });
});

describe("schema drift", () => {
  const run = (p: TestProject, drift: string) =>
    runExtract({ sources: csvSource("d/*.csv", { schema_drift: drift }), warehouse: p.warehouse, env: {}, projectDir: p.dir });

  for (const drift of ["evolve", "freeze", "discard_row", "discard_value"]) {
    it(drift, async () => {
      p = await testProject();
      await p.write("d/1.csv", "id,name\n1,a\n");
      expect((await run(p, drift)).streams[0]!.status).toBe("succeeded");
      await p.write("d/2.csv", "id,name,extra\n2,b,X\n3,c,\n");
      const s = (await run(p, drift)).streams[0]!;
      const rows = async () => p.query(`SELECT * EXCLUDE (_rcu_load_id, _rcu_loaded_at, _rcu_input, _rcu_position, _rcu_hash) FROM raw.crm_contacts ORDER BY id`);
      if (drift === "evolve") {
        expect(s).toMatchObject({ status: "succeeded", columnsAdded: ["extra"], rowsLanded: 2 });
        expect(await rows()).toEqual([{ id: "1", name: "a", extra: null }, { id: "2", name: "b", extra: "X" }, { id: "3", name: "c", extra: "" }]);
      } else if (drift === "freeze") {
        expect(s.status).toBe("failed");
        expect(s.error!.message).toMatch(/new column\(s\) "extra"/);
        expect(await rows()).toEqual([{ id: "1", name: "a" }]);
        const again = (await run(p, drift)).streams[0]!;
        expect(again.status).toBe("failed");
      } else if (drift === "discard_row") {
        expect(s).toMatchObject({ rowsIn: 2, rowsLanded: 1, rowsRejected: 1 });
        const rej = await p.query(`SELECT raw, reason FROM rcu_meta.rejected_records`);
        expect(rej[0]!.reason).toMatch(/unknown column "extra"/);
        expect(JSON.parse(String(rej[0]!.raw))).toEqual({ id: "2", name: "b", extra: "X" });
      } else {
        expect(s).toMatchObject({ rowsIn: 2, rowsLanded: 2, valuesDiscarded: 1 });
        expect(await rows()).toEqual([{ id: "1", name: "a" }, { id: "2", name: "b" }, { id: "3", name: "c" }]);
      }
    });
  }
});
