/** Shared test helpers: run the CLI in-process, copy fixtures, query DuckDB files. */
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { main } from "../cli/main.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures");

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

export async function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliOutcome> {
  const out = sink();
  const err = sink();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env: { NO_COLOR: "1", ...env }, cwd });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Directories made by tempDir in this test file: test/setup.ts removes them after the file. */
const madeDirs = new Set<string>();

export async function tempDir(prefix = "rcu-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  madeDirs.add(dir);
  return dir;
}

/**
 * Removes this file's temporary directories (estates, warehouses, fixture copies: a full run of
 * the suite left 1.3 GB behind). RCU_KEEP_TEST_DIRS=1 keeps them, to look at after a failure.
 */
export async function removeTempDirs(): Promise<void> {
  if (process.env.RCU_KEEP_TEST_DIRS === "1") return;
  await Promise.all([...madeDirs].map((d) => rm(d, { recursive: true, force: true })));
  madeDirs.clear();
}

/** A fresh copy of a fixture project, safe to mutate. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await tempDir(`rcu-${name}-`);
  await cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export async function writeProjectFile(dir: string, rel: string, text: string): Promise<void> {
  await writeFile(path.join(dir, rel), text);
}

/** Run statements/queries on a DuckDB file, closing it afterwards so the CLI can open it. */
export async function duck<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(file);
  try {
    const conn = await instance.connect();
    const reader = await conn.runAndReadAll(sql);
    const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
    conn.closeSync();
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
    ) as T[];
  } finally {
    instance.closeSync();
  }
}

/**
 * Load an `includes/*.js` file the way Dataform does: as CommonJS (the package is ESM, so Node's
 * own require would refuse it), with `dataform.projectConfig.vars` set for engine-aware helpers.
 */
export function loadInclude<T>(file: string, vars: Record<string, string> = { rcu_engine: "duckdb" }): T {
  const abs = path.join(ROOT, "includes", file);
  const source = readFileSync(abs, "utf8");
  const module = { exports: {} as unknown };
  const dataform = { projectConfig: { vars } };
  const requireInclude = (name: string): unknown => {
    if (!name.startsWith("./")) throw new Error(`includes may only require relative files, got ${name}`);
    return loadInclude(name.slice(2).replace(/\.js$/, "") + ".js", vars);
  };
  new Function("module", "exports", "require", "dataform", source)(module, module.exports, requireInclude, dataform);
  return module.exports as T;
}
