/**
 * `rcu demo`: write the sample estate (a fictional French retailer's source systems, with the
 * ground truth of who is who) and an rcu.yaml pointing at it; with --run, run the whole pipeline
 * on embedded DuckDB and summarise it. `npm start` is `rcu demo --run`.
 */
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { evaluateAgainstTruth } from "../../identity/evaluate.js";
import { personRecords } from "../../identity/tables.js";
import { LOADS } from "../../connectors/extract.js";
import { dialectFor } from "../../engine/warehouses/dialects.js";
import { RcuError } from "../../engine/errors.js";
import { generateEstate, type Manifest } from "../../sample/generate.js";
import { demoConfigYaml } from "../../sample/demo-config.js";
import { loadConfig } from "../config.js";
import { stylesFor, type CliIO } from "../io.js";
import { withConnection } from "../warehouse.js";
import { runCommand } from "./run.js";

export interface DemoOptions {
  readonly projectDir?: string;
  readonly people: number;
  readonly seed: number;
  readonly out: string;
  readonly force?: boolean;
  readonly run?: boolean;
  readonly threads?: number;
}

async function existingManifest(dataDir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** Deletes the demo's DuckDB file and its write-ahead log; whether there was one. */
async function removeDemoWarehouse(file: string): Promise<boolean> {
  const existed = await stat(file).then(() => true, () => false);
  await rm(file, { force: true });
  await rm(`${file}.wal`, { force: true });
  return existed;
}

export async function demoCommand(opts: DemoOptions, io: CliIO): Promise<number> {
  const s = stylesFor(io);
  const t0 = performance.now();
  const projectDir = path.resolve(io.cwd, opts.projectDir ?? ".");
  const outDir = path.resolve(projectDir, opts.out);
  const dataDir = path.join(outDir, "data");
  const configFile = path.join(outDir, "rcu.yaml");
  const warehouseFile = path.join(outDir, "warehouse.duckdb");

  const present = await existingManifest(dataDir);
  if (present && present.people === opts.people && present.seed === opts.seed >>> 0 && !opts.force) {
    io.stdout.write(`Sample estate present in ${path.relative(io.cwd, dataDir) || "."} (${present.people} people, seed ${present.seed}); --force regenerates it.\n`);
  } else {
    io.stdout.write(`Generating the sample estate: ${opts.people} people, seed ${opts.seed} → ${path.relative(io.cwd, dataDir) || "."}\n`);
    let last = 0;
    const manifest = await generateEstate({
      people: opts.people,
      seed: opts.seed,
      outDir: dataDir,
      onProgress: (done, total) => {
        const pct = Math.floor((done / total) * 10);
        if (io.stdout.isTTY && pct !== last) io.stdout.write(`\r  ${pct * 10}%`);
        last = pct;
      },
    });
    const rows = Object.values(manifest.files).reduce((n, f) => n + f.rows, 0);
    io.stdout.write(`${io.stdout.isTTY ? "\r" : ""}  ${rows.toLocaleString("en")} rows in ${Object.keys(manifest.files).length} files, ${Object.values(manifest.truth).reduce((a, b) => a + b, 0).toLocaleString("en")} person-bearing records (${((performance.now() - t0) / 1000).toFixed(1)}s)\n`);
    // The demo's warehouse holds what was landed from the previous estate: its append streams
    // (web and email events) would add the new files' rows to the old ones, and its people would
    // stay beside the new ones. A new estate starts a new warehouse.
    const removed = await removeDemoWarehouse(warehouseFile);
    if (removed) io.stdout.write(`Removed ${path.relative(io.cwd, warehouseFile)}: it held the previous estate's data.\n`);
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(configFile, demoConfigYaml({ projectDir, dataDir, warehouse: warehouseFile }));
  const configRel = path.relative(io.cwd, configFile);
  io.stdout.write(`Wrote ${configRel}\n`);
  if (!opts.run) {
    io.stdout.write(`Next: rcu run --config ${configRel}\n`);
    return 0;
  }

  const code = await runCommand({ projectDir, config: configFile, ...(opts.threads ? { threads: opts.threads } : {}) }, io);
  const config = await loadConfig(projectDir, undefined, configFile, io.env);
  const d = dialectFor(config.profile.engine);
  const summary = await withConnection(config, { readOnly: true }, async (conn) => {
    const count = async (sql: string) => Number((await conn.query(sql))[0]?.n ?? 0);
    const landed = await conn.query(`SELECT SUM(rows_landed) AS landed, SUM(rows_rejected) AS rejected FROM ${d.qualify(LOADS)} WHERE status = 'succeeded'`);
    const records = await count(`SELECT COUNT(*) AS n FROM ${d.qualify(personRecords)}`);
    const users = await count(`SELECT COUNT(*) AS n FROM ${d.qualify({ schema: "rcu_core", name: "users" })}`);
    const accuracy = await evaluateAgainstTruth(conn, d, path.join(dataDir, "truth", "persons.csv"));
    const [sales] = await conn.query(
      `SELECT COUNT(*) AS orders, SUM(revenue) AS revenue, COUNT(DISTINCT user_id) AS buyers FROM ${d.qualify({ schema: "rcu_core", name: "fact_orders" })} WHERE is_revenue`,
    );
    const segments = await conn.query(
      `SELECT segment, COUNT(*) AS n FROM ${d.qualify({ schema: "rcu_marts", name: "segment_membership" })} GROUP BY segment ORDER BY segment`,
    );
    return {
      landed: Number(landed[0]?.landed ?? 0), rejected: Number(landed[0]?.rejected ?? 0), records, users, accuracy,
      orders: Number(sales?.orders ?? 0), revenue: Number(sales?.revenue ?? 0), buyers: Number(sales?.buyers ?? 0),
      segments: segments.map((r) => `${String(r.segment)} ${Number(r.n).toLocaleString("en")}`).join(", "),
    };
  }).catch((err: unknown) => {
    throw new RcuError("WAREHOUSE", `The demo ran but its summary could not be read: ${(err as Error).message}`, { hint: "Check the run's failures above." });
  });
  const a = summary.accuracy;
  io.stdout.write(
    [
      "",
      s.bold("Demo summary"),
      `  sources landed:   ${summary.landed.toLocaleString("en")} rows (+ ${summary.rejected.toLocaleString("en")} rejected into rcu_meta.rejected_records)`,
      `  people resolved:  ${summary.records.toLocaleString("en")} person records → ${summary.users.toLocaleString("en")} users (truth: ${a.entities.true.toLocaleString("en")} people)`,
      `  accuracy:         pairwise F1 ${a.pairwise.f1.toFixed(4)} (precision ${a.pairwise.precision.toFixed(4)}, recall ${a.pairwise.recall.toFixed(4)}), B-cubed F1 ${a.b_cubed.f1.toFixed(4)}`,
      `  star schema:      ${summary.orders.toLocaleString("en")} revenue orders, ${Math.round(summary.revenue).toLocaleString("en")} EUR, ${summary.buyers.toLocaleString("en")} identified buyers (rcu_core.fact_*, dim_*)`,
      `  segments:         ${summary.segments || "none declared"} (rcu_marts.segment_membership)`,
      `  time taken:       ${((performance.now() - t0) / 1000).toFixed(1)}s`,
      `  warehouse:        ${path.relative(io.cwd, warehouseFile)} (rcu_marts.customer_360, rcu_core.*, rcu_identity.*, raw.*)`,
      `Explore: rcu identity explain <user_id> --config ${configRel}; rcu evaluate --config ${configRel} --truth ${path.relative(io.cwd, path.join(dataDir, "truth", "persons.csv"))}`,
      "",
    ].join("\n"),
  );
  return code;
}
