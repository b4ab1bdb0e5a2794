/**
 * Compile benchmark: a generated 500-action Dataform project compiled by rcu (`rcu compile --json`,
 * a fresh process each time) and by the official CLI (`dataform compile --json`) in the same run.
 * Reports medians and the ratio official / rcu (target ≥ 5×). Also the warm in-process compile.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { compileProject } from "../engine/compile/compile.js";
import { duckdbDialect } from "../engine/warehouses/duckdb/dialect.js";
import { ROOT } from "./rcu-cli.js";


export interface CompileBenchResult {
  readonly actions: number;
  readonly runs: number;
  readonly rcuMedianMs: number;
  readonly officialMedianMs: number;
  readonly ratio: number;
  readonly rcuInProcessWarmMs: number;
}

/** A project shaped like a real one: declarations, staged views, tables, incrementals, assertions, includes. */
export async function generateProject(dir: string, actions = 500): Promise<number> {
  await mkdir(path.join(dir, "definitions", "sources"), { recursive: true });
  await mkdir(path.join(dir, "definitions", "models"), { recursive: true });
  await mkdir(path.join(dir, "includes"), { recursive: true });
  await writeFile(path.join(dir, "workflow_settings.yaml"), "defaultProject: bench\ndefaultDataset: bench\ndefaultAssertionDataset: bench_assertions\nvars:\n  threshold: \"10\"\n");
  await writeFile(path.join(dir, "includes", "helpers.js"), "function clean(c) { return `lower(trim(${c}))`; }\nmodule.exports = { clean };\n");
  const sources = 20;
  await writeFile(
    path.join(dir, "definitions", "sources", "raw.js"),
    Array.from({ length: sources }, (_, i) => `declare({ schema: "raw", name: "src_${i}" });`).join("\n") + "\n",
  );
  let count = sources;
  const names: string[] = [];
  for (let i = 0; count < actions; i++) {
    const name = `model_${i}`;
    const kind = i % 10 === 9 ? "incremental" : i % 3 === 0 ? "view" : "table";
    const upstream = names.length === 0 ? [] : [names[(i * 7) % names.length]!, names[(i * 13) % names.length]!];
    const from = upstream.length ? `\${ref("${upstream[0]}")} a JOIN \${ref("${upstream[1]}")} b USING (id)` : `\${ref("raw", "src_${i % sources}")} a`;
    const withAssertions = i % 5 === 0;
    const config = [
      `type: "${kind}"`,
      `tags: ["t${i % 7}"]`,
      `description: "Model ${i}"`,
      kind === "incremental" ? `uniqueKey: ["id"]` : "",
      withAssertions ? `assertions: { uniqueKey: ["id"], nonNull: ["id"] }` : "",
    ].filter(Boolean).join(", ");
    const body = `config { ${config} }\nSELECT a.id, \${helpers.clean("a.email")} AS email, ${i} AS n\nFROM ${from}\n` +
      (kind === "incremental" ? "${when(incremental(), `WHERE a.id > (SELECT MAX(id) FROM ${self()})`)}\n" : "");
    await writeFile(path.join(dir, "definitions", "models", `${name}.sqlx`), body);
    names.push(name);
    count += 1 + (withAssertions ? 2 : 0);
  }
  return count;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(cmd: string[], cwd: string): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, cmd, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export async function benchCompile(opts: { actions?: number; runs?: number } = {}): Promise<CompileBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "rcu-bench-compile-"));
  try {
    const actions = await generateProject(dir, opts.actions ?? 500);
    // The official CLI loads @dataform/core from the project's node_modules, named in package.json.
    const coreVersion = (JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@dataform/core"];
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "bench", private: true, dependencies: { "@dataform/core": coreVersion } }));
    // A copy, not a symlink: the CLI's vm2 sandbox refuses modules resolved outside the project.
    await cp(path.join(ROOT, "node_modules", "@dataform", "core"), path.join(dir, "node_modules", "@dataform", "core"), { recursive: true });
    const rcuCmd = [path.join(ROOT, "dist", "cli", "main.js"), "compile", "--json", "--project-dir", dir];
    const officialCmd = [path.join(ROOT, "node_modules", "@dataform", "cli", "bundle.js"), "compile", dir, "--json"];

    // Both must compile the same graph without errors, or the comparison means nothing.
    const ours = JSON.parse(time(rcuCmd, dir).stdout) as { actions: unknown[]; errors: unknown[] };
    const theirs = JSON.parse(time(officialCmd, dir).stdout) as Record<string, unknown[] | undefined> & { graphErrors?: { compilationErrors?: unknown[] } };
    const theirCount = ["tables", "assertions", "operations", "declarations"].reduce((n, k) => n + (theirs[k]?.length ?? 0), 0);
    if (ours.errors.length || (theirs.graphErrors?.compilationErrors ?? []).length || ours.actions.length !== theirCount) {
      throw new Error(`compile mismatch: rcu ${ours.actions.length} actions / ${ours.errors.length} errors, official ${theirCount}`);
    }

    const runs = opts.runs ?? 5;
    const rcuTimes: number[] = [];
    const officialTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Interleaved so that machine noise hits both alike.
      rcuTimes.push(time(rcuCmd, dir).ms);
      officialTimes.push(time(officialCmd, dir).ms);
    }
    await compileProject({ projectDir: dir, renderSpec: duckdbDialect.renderSpec, engine: "duckdb" });
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await compileProject({ projectDir: dir, renderSpec: duckdbDialect.renderSpec, engine: "duckdb" });
      warm.push(performance.now() - t0);
    }
    const rcuMedianMs = median(rcuTimes);
    const officialMedianMs = median(officialTimes);
    return {
      actions,
      runs,
      rcuMedianMs: Math.round(rcuMedianMs),
      officialMedianMs: Math.round(officialMedianMs),
      ratio: Math.round((officialMedianMs / rcuMedianMs) * 10) / 10,
      rcuInProcessWarmMs: Math.round(median(warm)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchCompile(), null, 2));
}
