/**
 * Benchmark of the sample-estate generator: generates `people` persons (default 1M) into a temp
 * dir and reports wall time, people/s, bytes written and peak RSS (sampled every 50 ms, plus the
 * process high-water mark from resourceUsage). Usable from bench/run.ts or directly:
 *
 *   node dist/bench/sample-generator.js --people 1000000 [--seed 42] [--workers N] [--keep]
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultWorkers } from "../sample/blocks.js";
import { generateEstate } from "../sample/generate.js";

export interface SampleBenchOptions {
  readonly people?: number;
  readonly seed?: number;
  /** Worker threads (default: generateEstate's default, one per core). */
  readonly workers?: number;
  /** Keep the generated directory (its path is reported). */
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export interface SampleBenchResult {
  readonly people: number;
  readonly seed: number;
  readonly workers: number;
  readonly wallSeconds: number;
  readonly peoplePerSecond: number;
  readonly bytesWritten: number;
  readonly rowsWritten: number;
  readonly files: number;
  readonly peakRssMiB: number;
  readonly dir: string | null;
}

export async function benchSampleGenerator(opts: SampleBenchOptions = {}): Promise<SampleBenchResult> {
  const people = opts.people ?? 1_000_000;
  const seed = opts.seed ?? 42;
  const workers = opts.workers ?? defaultWorkers();
  const dir = await mkdtemp(path.join(os.tmpdir(), "rcu-bench-sample-"));
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  let lastLog = 0;
  const t0 = performance.now();
  try {
    const manifest = await generateEstate({
      people,
      seed,
      outDir: dir,
      workers,
      onProgress: (done, total) => {
        const now = performance.now();
        if (opts.log && now - lastLog > 5000) {
          lastLog = now;
          opts.log(`  ${done}/${total} people, ${((now - t0) / 1000).toFixed(1)} s`);
        }
      },
    });
    const wallSeconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    // maxRSS is in KiB on Linux: the true high-water mark, including what sampling missed.
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    const entries = Object.values(manifest.files);
    return {
      people,
      seed,
      workers,
      wallSeconds: Math.round(wallSeconds * 100) / 100,
      peoplePerSecond: Math.round(people / wallSeconds),
      bytesWritten: entries.reduce((a, f) => a + f.bytes, 0),
      rowsWritten: entries.reduce((a, f) => a + f.rows, 0),
      files: entries.length,
      peakRssMiB: Math.round(peak / 2 ** 20),
      dir: opts.keep ? dir : null,
    };
  } finally {
    clearInterval(timer);
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  console.log(JSON.stringify({ machine }));
  const result = await benchSampleGenerator({
    people: Number(arg("people") ?? 1_000_000),
    seed: Number(arg("seed") ?? 42),
    ...(arg("workers") !== undefined ? { workers: Number(arg("workers")) } : {}),
    keep: process.argv.includes("--keep"),
    log: (l) => console.error(l),
  });
  console.log(JSON.stringify({ bench: "sample-generator", ...result }));
}
