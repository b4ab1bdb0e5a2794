/**
 * Compile a Dataform project (definitions/, includes/, workflow_settings.yaml) into rcu's typed
 * graph, programmatically, with the @dataform/core version rcu pins — no `dataform` CLI process.
 *
 * Isolation: every compile gets a fresh `node:vm` context (so repeated compiles in one process
 * never see each other's globals) into which only strings are passed; project code there has no
 * `require` of Node built-ins or packages, so includes/ cannot reach the file system or network.
 * `node:vm` is an isolation boundary for honest code, not a security sandbox for hostile code —
 * the same stance as running the official CLI on a project you trust.
 */
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { RcuError, errorMessage } from "../errors.js";
import type { EngineName, RenderSpec } from "../warehouses/types.js";
import type { Graph } from "./graph.js";
import { normaliseGraph, type CompiledGraphJson } from "./normalise.js";
import { sandboxRuntime, type SandboxInput, type SandboxSession } from "./sandbox-runtime.js";

export interface CompileOptions {
  readonly projectDir: string;
  readonly renderSpec: RenderSpec;
  /** Exposed to project code as `dataform.projectConfig.vars.rcu_engine`, so includes/ can adapt. */
  readonly engine: EngineName;
  /** Overrides of workflow_settings.yaml `vars` (e.g. from `--vars k=v`). */
  readonly vars?: Readonly<Record<string, string>>;
  /** Appended to every schema (workflow settings `datasetSuffix`), e.g. for CI isolation. */
  readonly schemaSuffix?: string;
  /** Wall-clock limit for project code, so an infinite loop in includes/ cannot hang a run. */
  readonly timeoutMs?: number;
}

const SOURCE_EXT = /\.(sqlx|sql|js|json|ya?ml)$/;
const requireHere = createRequire(import.meta.url);
let coreScript: { script: vm.Script; version: string } | undefined;

/** @dataform/core's bundle, compiled once per process; each compile runs it in a new context. */
function loadCore(): { script: vm.Script; version: string } {
  if (!coreScript) {
    const bundlePath = requireHere.resolve("@dataform/core");
    const version = (JSON.parse(readFileSync(path.join(path.dirname(bundlePath), "package.json"), "utf8")) as { version: string }).version;
    const source = readFileSync(bundlePath, "utf8");
    coreScript = {
      script: new vm.Script(`(function (module, exports, require) {${source}\n})`, { filename: bundlePath }),
      version,
    };
  }
  return coreScript;
}

async function walk(dir: string, rel: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(path.join(dir, e.name), r, out);
    else if (e.isFile() && SOURCE_EXT.test(e.name)) out.push(r);
  }
}

/** The files Dataform compiles: definitions/**, includes/** and the workflow settings. */
export async function readProjectFiles(projectDir: string): Promise<Record<string, string>> {
  const rels: string[] = [];
  await walk(path.join(projectDir, "definitions"), "definitions", rels);
  await walk(path.join(projectDir, "includes"), "includes", rels);
  for (const top of ["workflow_settings.yaml", "dataform.json"]) {
    try {
      await readFile(path.join(projectDir, top));
      rels.push(top);
    } catch {
      /* absent: fine, core reports what it needs */
    }
  }
  rels.sort();
  const files: Record<string, string> = {};
  await Promise.all(rels.map(async (r) => (files[r] = await readFile(path.join(projectDir, r), "utf8"))));
  return files;
}

export async function compileProject(opts: CompileOptions): Promise<Graph> {
  const projectDir = path.resolve(opts.projectDir);
  const files = await readProjectFiles(projectDir);
  if (!files["workflow_settings.yaml"] && !files["dataform.json"]) {
    throw new RcuError("COMPILE", `No workflow_settings.yaml in ${projectDir}.`, {
      doing: "compile",
      hint: "Run rcu from a Dataform project directory, or pass --project-dir.",
    });
  }
  return compileFiles(projectDir, files, opts);
}

/** Compile already-read files (the pure part of compilation; also used by benchmarks). */
export function compileFiles(projectDir: string, files: Record<string, string>, opts: CompileOptions): Graph {
  const core = loadCore();
  const input: SandboxInput = {
    projectDir: projectDir.split(path.sep).join("/"),
    files,
    vars: { ...(opts.vars ?? {}), rcu_engine: opts.engine },
    ...(opts.schemaSuffix ? { schemaSuffix: opts.schemaSuffix } : {}),
    renderSpec: { ...opts.renderSpec },
  };
  const context = vm.createContext({}, { name: "rcu-compile", codeGeneration: { strings: true, wasm: false } });
  let output: string;
  try {
    const session = vm.runInContext(`(${sandboxRuntime.toString()})`, context)(
      core.script.runInContext(context),
      JSON.stringify(input),
    ) as SandboxSession;
    for (const rel of Object.keys(files)) {
      if (rel.endsWith(".json")) continue;
      const abs = `${input.projectDir}/${rel}`;
      const wrapped = `(function (module, exports, require, __filename, __dirname) {${session.transpile(rel)}\n})`;
      let fn: unknown;
      try {
        fn = new vm.Script(wrapped, { filename: abs }).runInContext(context);
      } catch (err) {
        if (!(err instanceof SyntaxError) && (err as Error)?.name !== "SyntaxError") throw err;
        // Defer the error to require time, where core records it against the file like any other.
        const where = String((err as Error).stack ?? "").split("\n")[0] ?? abs;
        const message = `${(err as Error).message} (${where.replace(input.projectDir + "/", "")})`;
        fn = vm.runInContext(`(function () { throw new SyntaxError(${JSON.stringify(message)}); })`, context);
      }
      session.define(rel, fn as Function);
    }
    context.__rcuSession = session;
    output = vm.runInContext("__rcuSession.compile()", context, {
      timeout: opts.timeoutMs ?? 60_000,
      filename: "rcu-compile",
    }) as string;
  } catch (err) {
    const timedOut = /Script execution timed out/.test(errorMessage(err));
    throw new RcuError(
      "COMPILE",
      timedOut
        ? `Compilation did not finish within ${opts.timeoutMs ?? 60_000} ms (an endless loop in includes/ or definitions/?).`
        : `Compilation failed: ${errorMessage(err)}`,
      { doing: "compile", hint: "Fix the project code named above; `rcu compile` re-checks it without a warehouse." },
      { cause: err },
    );
  }
  const json = JSON.parse(output) as CompiledGraphJson;
  return normaliseGraph({ ...json, dataformCoreVersion: core.version }, {
    projectDir,
    keepDatabase: opts.renderSpec.keepDatabase,
  });
}
