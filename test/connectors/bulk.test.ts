/**
 * Bulk paths: the DuckDB driver's typed appends (column types cached per relation, dropped on
 * DDL), its `loadJsonLines` capability, and the same landed content whichever path is used.
 */
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { bulkWriterFor, AppendWriter } from "../../connectors/land/bulk.js";
import { JsonLinesFileWriter } from "../../connectors/land/bulk-jsonl.js";
import { testProject, type TestProject } from "./helpers.js";

let p: TestProject;
afterEach(async () => p?.dispose());

describe("bulk paths", () => {
  it("append writes typed values and sees columns added since the previous append", async () => {
    p = await testProject();
    const conn = await p.warehouse.connect();
    try {
      await conn.execute(`CREATE TABLE t (s VARCHAR, i BIGINT, d DOUBLE, b BOOLEAN, ts TIMESTAMP)`);
      const rel = { schema: "main", name: "t" };
      expect(
        await conn.append(rel, ["s", "i", "d", "b", "ts"], [
          ["a", 1n, 1.5, true, new Date("2026-01-02T03:04:05Z")],
          [null, 2, null, false, "2026-01-01 00:00:00"],
          ["é\"x", "3", "2.5", null, null],
        ]),
      ).toBe(3);
      await conn.execute(`ALTER TABLE t ADD COLUMN extra VARCHAR`);
      expect(await conn.append(rel, ["s", "i", "d", "b", "ts", "extra"], [["z", 4n, 0, true, null, "x"]])).toBe(1);
      const rows = await conn.query(`SELECT s, i, d, b, CAST(ts AS VARCHAR) AS ts, extra FROM t ORDER BY i`);
      expect(rows).toEqual([
        { s: "a", i: 1, d: 1.5, b: true, ts: "2026-01-02 03:04:05", extra: null },
        { s: null, i: 2, d: null, b: false, ts: "2026-01-01 00:00:00", extra: null },
        { s: 'é"x', i: 3, d: 2.5, b: null, ts: null, extra: null },
        { s: "z", i: 4, d: 0, b: true, ts: null, extra: "x" },
      ]);
    } finally {
      await conn.close();
    }
  });

  it("chooses the JSON Lines writer from the connection's capability, not the engine name", async () => {
    p = await testProject();
    const conn = await p.warehouse.connect();
    try {
      expect(bulkWriterFor(p.warehouse, conn, { tmpDir: `${p.dir}/tmp` })).toBeInstanceOf(JsonLinesFileWriter);
      expect(bulkWriterFor(p.warehouse, conn, { tmpDir: `${p.dir}/tmp`, generic: true })).toBeInstanceOf(AppendWriter);
      const plain = { ...conn, loadJsonLines: undefined, execute: conn.execute.bind(conn) };
      expect(bulkWriterFor(p.warehouse, plain, { tmpDir: `${p.dir}/tmp` })).toBeInstanceOf(AppendWriter);
    } finally {
      await conn.close();
    }
  });

  it("ingests several files per statement, string and byte lines alike, and removes them", async () => {
    p = await testProject();
    const conn = await p.warehouse.connect();
    const tmp = `${p.dir}/tmp`;
    try {
      await conn.execute(`CREATE TABLE t (a VARCHAR, b VARCHAR, k VARCHAR)`);
      const rel = { schema: "main", name: "t" };
      const w = new JsonLinesFileWriter(conn as Parameters<typeof bulkWriterFor>[1] & Required<Pick<typeof conn, "loadJsonLines">>, tmp, {
        rowsPerFile: 10,
        filesPerIngest: 3,
      });
      const rows = Array.from({ length: 95 }, (_, i) => [String(i), i % 2 ? `é "${i}"` : null]);
      for (let i = 0; i < 50; i += 7) await w.write(rel, ["a", "b"], rows.slice(i, Math.min(50, i + 7)), { k: "x" });
      const text = rows.slice(50).map((r) => JSON.stringify(r) + "\n").join("");
      const buf = Buffer.from(text);
      const maxLineBytes = Math.max(...text.split("\n").map((l) => Buffer.byteLength(l)));
      await w.writeJsonLinesBuffer(rel, ["a", "b"], { buf, rows: 45, maxLineBytes }, { k: "x" });
      await w.flush();
      const got = await conn.query(`SELECT a, b, k FROM t ORDER BY CAST(a AS INTEGER)`);
      expect(got).toEqual(rows.map(([a, b]) => ({ a, b, k: "x" })));
      await w.close();
      expect(existsSync(tmp)).toBe(false);
    } finally {
      await conn.close();
    }
  });

  it("lands the same rows, hashes, positions and rejects through both paths, across files and batches", async () => {
    p = await testProject();
    let csv = "id,name,note\n";
    for (let i = 1; i <= 3000; i++) csv += i % 500 === 0 ? `${i},ragged\n` : `${i},"N ${i}, x","say ""${i % 7}""\nmore"\n`;
    await p.write("data/a.csv", csv);
    await p.write("data/b.csv", "id,name,note\n9001,b,\n9002,,é\n");
    const land = async (stream: string, genericBulk: boolean) =>
      runExtract({
        sources: { s: { type: "files", format: "csv", batch_size: 700, streams: { [stream]: { path: "data/*.csv" } } } },
        warehouse: p.warehouse,
        env: {},
        projectDir: p.dir,
        genericBulk,
      });
    const fast = await land("fast", false);
    const generic = await land("generic", true);
    for (const r of [fast, generic]) expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsIn: 3002, rowsLanded: 2996, rowsRejected: 6 });
    const rows = (t: string) =>
      p.query(`SELECT id, name, note, _rcu_input, _rcu_position, _rcu_hash FROM raw.${t} ORDER BY _rcu_input, _rcu_position`);
    expect(await rows("s_fast")).toEqual(await rows("s_generic"));
    const rejects = (stream: string) =>
      p.query(`SELECT input, position, raw, reason FROM rcu_meta.rejected_records WHERE stream = '${stream}' ORDER BY input, position`);
    expect(await rejects("fast")).toEqual(await rejects("generic"));
  });
});
