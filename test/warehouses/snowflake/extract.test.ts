/** Connectors landing into Snowflake (array-bind append, load ledger, quarantine) through the test server. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runExtract } from "../../../connectors/extract.js";
import type { SnowflakeTestServer } from "../../servers/snowflake/server.js";
import { tempDir } from "../../helpers.js";
import { startServer, warehouse } from "./harness.js";

let server: SnowflakeTestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

it("lands JSON Lines and CSV, quarantines bad records, records loads, and skips unchanged files", async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, "e"));
  await writeFile(path.join(dir, "e/1.jsonl"), '{"id":1,"a":"x","n":{"k":[1,2]}}\n\n{"id":2,"b":true}\nnot json\n[1,2]\n{"id":3,"a":"é\\\\\'q"}\n');
  await writeFile(path.join(dir, "e/c.csv"), 'id,name\n1,Ada\n2,"Bob ""B"""\n3\n');
  const wh = warehouse(server);
  const sources = {
    ev: { type: "files", format: "jsonl", streams: { events: { path: "e/*.jsonl" } } },
    cs: { type: "files", format: "csv", streams: { people: { path: "e/*.csv" } } },
  } as const;
  const r = await runExtract({ sources: sources as never, warehouse: wh, env: {}, projectDir: dir });
  expect(r.streams.map((s) => [s.table, s.status, s.rowsLanded, s.rowsRejected])).toEqual([
    ["raw.ev_events", "succeeded", 3, 2],
    ["raw.cs_people", "succeeded", 2, 1],
  ]);
  const c = await wh.connect();
  try {
    expect(await c.query("SELECT id, a, n, b, _rcu_position AS pos FROM raw.ev_events ORDER BY pos")).toEqual([
      { id: "1", a: "x", n: '{"k":[1,2]}', b: null, pos: 1 },
      { id: "2", a: null, n: null, b: "true", pos: 3 },
      { id: "3", a: "é\\'q", n: null, b: null, pos: 6 },
    ]);
    expect(await c.query("SELECT id, name FROM raw.cs_people ORDER BY id")).toEqual([{ id: "1", name: "Ada" }, { id: "2", name: 'Bob "B"' }]);
    expect((await c.query("SELECT position, raw FROM rcu_meta.rejected_records ORDER BY position")).map((x) => [x.position, x.raw])).toEqual([
      [3, "3"],
      [4, "not json"],
      [5, "[1,2]"],
    ]);
    const loads = await c.query("SELECT target, status, inputs, rows_landed FROM rcu_meta.loads ORDER BY target");
    expect(loads).toEqual([
      { target: "raw.cs_people", status: "succeeded", inputs: '["e/c.csv"]', rows_landed: 2 },
      { target: "raw.ev_events", status: "succeeded", inputs: '["e/1.jsonl"]', rows_landed: 3 },
    ]);
  } finally {
    await c.close();
  }
  const again = await runExtract({ sources: sources as never, warehouse: wh, env: {}, projectDir: dir });
  expect(again.streams.map((s) => s.status)).toEqual(["unchanged", "unchanged"]);
});
