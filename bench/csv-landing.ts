/**
 * Benchmark: land a generated CSV (default 2M rows × 12 columns) with rcu's CSV connector into
 * DuckDB, then load the same file with DuckDB's own `read_csv` (all columns VARCHAR, as rcu lands
 * raw text), and report both times, the ratio, rows/s and peak RSS.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/csv-landing.js [rows] [--generic]
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runExtract } from "../connectors/extract.js";
import { DuckDBWarehouse } from "../engine/warehouses/duckdb/driver.js";

export interface CsvBenchOptions {
  readonly rows?: number;
  /** Use `Connection.append` instead of the JSON Lines bulk path (`Connection.loadJsonLines`). */
  readonly genericBulk?: boolean;
  readonly batchSize?: number;
  readonly dir?: string;
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export interface CsvBenchResult {
  readonly rows: number;
  readonly fileBytes: number;
  readonly rcuSeconds: number;
  readonly duckdbSeconds: number;
  readonly ratio: number;
  readonly rcuRowsPerSecond: number;
  readonly duckdbRowsPerSecond: number;
  /** Peak resident set size while rcu was landing (sampled every 50 ms), MiB. */
  readonly rcuPeakRssMiB: number;
  /** Peak V8 heap while rcu was landing (sampled), MiB: the JavaScript side's own memory. */
  readonly rcuPeakHeapMiB: number;
  readonly processPeakRssMiB: number;
}

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const header = ["id", "first_name", "last_name", "email", "phone", "birth_date", "city", "postcode", "country", "amount", "is_active", "note"];
  out.write(header.join(",") + "\n");
  let buf = "";
  for (let i = 1; i <= rows; i++) {
    buf +=
      `${i},First${i % 977},"Last, ${i % 3001}",user${i}@example.com,+33${600000000 + (i % 99999999)},` +
      `19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")},` +
      `City ${i % 500},${10000 + (i % 89999)},FR,${((i * 37) % 100000) / 100},${i % 3 ? "true" : "false"},"said ""hi"" ${i % 7}"\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once("drain", () => r()));
      buf = "";
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

export async function benchCsvLanding(opts: CsvBenchOptions = {}): Promise<CsvBenchResult> {
  const rows = opts.rows ?? 2_000_000;
  const log = opts.log ?? ((l: string) => console.log(l));
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), "rcu-bench-csv-")));
  const file = path.join(dir, "data", "people.csv");
  await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
  await writeCsv(file, rows);
  const fileBytes = (await stat(file)).size;
  log(`generated ${rows} rows, ${(fileBytes / 1048576).toFixed(0)} MiB: ${file}`);

  let peak = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const warehouse = new DuckDBWarehouse({ engine: "duckdb", path: path.join(dir, "rcu.duckdb") });
  const t0 = performance.now();
  const summary = await runExtract({
    sources: { bench: { type: "files", format: "csv", batch_size: opts.batchSize ?? 50_000, streams: { people: { path: "data/people.csv" } } } },
    warehouse,
    env: {},
    projectDir: dir,
    genericBulk: opts.genericBulk ?? false,
  });
  const rcuSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  await warehouse.close();
  const s = summary.streams[0]!;
  if (s.status !== "succeeded" || s.rowsLanded !== rows) throw new Error(`rcu landing failed: ${JSON.stringify(s)}`);
  log(
    `rcu: ${rcuSeconds.toFixed(2)} s, ${Math.round(rows / rcuSeconds)} rows/s, peak RSS ${(peak / 1048576).toFixed(0)} MiB, ` +
      `peak JS heap ${(peakHeap / 1048576).toFixed(0)} MiB`,
  );

  const native = new DuckDBWarehouse({ engine: "duckdb", path: path.join(dir, "native.duckdb") });
  const conn = await native.connect();
  const t1 = performance.now();
  await conn.execute(`CREATE TABLE people AS SELECT * FROM read_csv(${native.dialect.stringLiteral(file)}, header = true, all_varchar = true)`);
  const duckdbSeconds = (performance.now() - t1) / 1000;
  const n = Number((await conn.query("SELECT COUNT(*) AS n FROM people"))[0]!.n);
  await conn.close();
  await native.close();
  if (n !== rows) throw new Error(`read_csv loaded ${n} rows, expected ${rows}`);
  log(`duckdb read_csv: ${duckdbSeconds.toFixed(2)} s, ${Math.round(rows / duckdbSeconds)} rows/s`);
  const result: CsvBenchResult = {
    rows,
    fileBytes,
    rcuSeconds,
    duckdbSeconds,
    ratio: rcuSeconds / duckdbSeconds,
    rcuRowsPerSecond: rows / rcuSeconds,
    duckdbRowsPerSecond: rows / duckdbSeconds,
    rcuPeakRssMiB: peak / 1048576,
    rcuPeakHeapMiB: peakHeap / 1048576,
    processPeakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  log(`ratio rcu / duckdb native: ${result.ratio.toFixed(2)}×`);
  if (!opts.keep && !opts.dir) await rm(dir, { recursive: true, force: true });
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2_000_000);
  benchCsvLanding({ rows, genericBulk: process.argv.includes("--generic") }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
