/**
 * `npm run bench`: every benchmark, each measured against a baseline in the same run, printed as
 * JSON lines and saved to bench/.work/latest.json. Figures worth keeping go to bench/RESULTS.md
 * with the machine and the command. `--only name[,name]` runs a subset.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchCompile } from "./compile.js";
import { benchCsvLanding } from "./csv-landing.js";
import { benchEndToEnd } from "./e2e.js";
import { benchIdentity } from "./identity.js";
import { benchStability } from "./stability.js";
import { benchSampleGenerator } from "./sample-generator.js";
import { benchSimilarity } from "./similarity.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, "..", "..", "bench", ".work");

const benches: Record<string, () => Promise<unknown>> = {
  compile: () => benchCompile({ actions: 500, runs: 5 }),
  csv: () => benchCsvLanding({ rows: 2_000_000, log: () => undefined }),
  sample: () => benchSampleGenerator({ people: 1_000_000 }),
  // Redshift's plain-SQL Jaro–Winkler and edit distance against native functions (PGlite).
  similarity: () => benchSimilarity({ pairs: 20_000 }),
  identity: async () => ({ small: await benchIdentity({ people: 10_000 }), large: await benchIdentity({ people: 100_000 }) }),
  // Stable ids after 5 % new records, and the same clusters as a full rebuild.
  stability: async () => ({ small: await benchStability({ people: 10_000 }), large: await benchStability({ people: 100_000 }) }),
  // 1M people is `node dist/bench/e2e.js 100000,1000000` (tens of minutes on 2 cores).
  e2e: async () => {
    const small = await benchEndToEnd(10_000);
    const large = await benchEndToEnd(100_000);
    const timeRatio = (large.extractSeconds + large.buildSeconds) / (small.extractSeconds + small.buildSeconds);
    return { small, large, growth: { sizeRatio: 10, timeRatio, linearity: timeRatio / 10 } };
  },
};

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? "").split(",") : Object.keys(benches);
const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
console.log(JSON.stringify({ machine }));
const results: Record<string, unknown> = { machine, date: new Date().toISOString() };
for (const name of only) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(", ")}`);
    process.exitCode = 2;
    continue;
  }
  const result = await bench();
  results[name] = result;
  console.log(JSON.stringify({ bench: name, ...(result as object) }));
}
await mkdir(OUT, { recursive: true });
await writeFile(path.join(OUT, "latest.json"), JSON.stringify(results, null, 2) + "\n");
