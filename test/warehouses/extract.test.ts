/**
 * Landing files into the remote engines: rcu's loader (staging tables, one publish transaction,
 * merge on a primary key, quarantine) on PostgreSQL and on Redshift via the Data API.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import type { Warehouse } from "../../engine/warehouses/types.js";
import { startPostgres, startRedshift, type TestPostgres, type TestRedshift } from "./servers.js";
import { tempDir } from "../helpers.js";

let server: TestPostgres | TestRedshift | undefined;
let wh: Warehouse | undefined;
afterEach(async () => {
  await wh?.close();
  await server?.stop();
  server = undefined;
  wh = undefined;
});

const starters = { postgres: () => startPostgres(), redshift: () => startRedshift({ pageSize: 50 }) };

describe.each(Object.keys(starters) as Array<keyof typeof starters>)("extract into %s", (engine) => {
  it("lands CSV rows (merge on a key, malformed lines quarantined) and a re-run lands nothing", async () => {
    server = await starters[engine]();
    wh = openWarehouse(server.withSecrets);
    const dir = await tempDir(`rcu-extract-${engine}-`);
    await mkdir(path.join(dir, "data"));
    await writeFile(path.join(dir, "data", "a.csv"), 'id,name,note\n1,Ann,"says ""hi"""\n2,"Bob, Jr","two\nlines"\n3,Zoë 😀,\n');
    await writeFile(path.join(dir, "data", "b.csv"), "id,name,note\n2,Bob,updated\n4,Dan,x,EXTRA\n");
    const sources = {
      crm: { type: "files", format: "csv", streams: { contacts: { path: "data/*.csv", primary_key: ["id"], write_disposition: "merge" } } },
    };
    const r = await runExtract({ sources, warehouse: wh, env: {}, projectDir: dir });
    expect(r.ok).toBe(true);
    expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsIn: 5, rowsLanded: 4, rowsRejected: 1 });
    const rows = await server.sql<{ id: string; name: string; note: string | null }>(`SELECT id, name, note FROM raw.crm_contacts ORDER BY id`);
    expect(rows).toEqual([
      { id: "1", name: "Ann", note: 'says "hi"' },
      { id: "2", name: "Bob", note: "updated" },
      { id: "3", name: "Zoë 😀", note: "" }, // raw text, as landed on every engine
    ]);
    const again = await runExtract({ sources, warehouse: wh, env: {}, projectDir: dir });
    expect(again.streams[0]).toMatchObject({ status: "unchanged", rowsLanded: 0 });
    const loads = await server.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM rcu_meta.loads GROUP BY status ORDER BY status`);
    expect(loads.map((l) => l.status)).toContain("succeeded");
  });
});
