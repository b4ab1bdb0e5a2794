/** What every command does first: find the project, read rcu.yaml, compile for its engine. */
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { declarationsJs } from "../connectors/declarations.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileProject } from "../engine/compile/compile.js";
import type { Graph } from "../engine/compile/graph.js";
import { dialectFor } from "../engine/warehouses/dialects.js";
import type { Dialect } from "../engine/warehouses/types.js";
import { IDENTITY_VAR } from "../identity/config.js";
import { loadConfig, parseVars, type ProjectConfig } from "./config.js";
import type { CliIO } from "./io.js";

/** What locates a project and its warehouse: every command takes these. */
export interface ProjectOptions {
  readonly projectDir?: string;
  readonly profile?: string;
  /** An rcu.yaml other than <project-dir>/rcu.yaml. */
  readonly config?: string;
}

export interface CommonOptions extends ProjectOptions {
  readonly vars?: string[];
  readonly json?: boolean;
}

export interface Project {
  readonly dir: string;
  readonly config: ProjectConfig;
  readonly dialect: Dialect;
  readonly graph: Graph;
}

export async function resolveProject(opts: ProjectOptions, io: CliIO): Promise<{ dir: string; config: ProjectConfig }> {
  const dir = path.resolve(io.cwd, opts.projectDir ?? ".");
  const config = await loadConfig(dir, opts.profile, opts.config === undefined ? undefined : path.resolve(io.cwd, opts.config));
  return { dir, config };
}

export async function openProject(opts: CommonOptions, io: CliIO): Promise<Project> {
  const { dir, config } = await resolveProject(opts, io);
  const dialect = dialectFor(config.profile.engine);
  // The identity section reaches definitions/ as a JSON var (Dataform vars are strings).
  const vars = { ...config.vars, [IDENTITY_VAR]: JSON.stringify(config.identity), ...parseVars(opts.vars ?? []) };
  await syncSourceDeclarations(dir, config);
  const graph = await compileProject({ projectDir: dir, renderSpec: dialect.renderSpec, engine: dialect.name, vars });
  return { dir, config, dialect, graph };
}

/** Where the generated declarations of landed raw tables live (commit it: the official CLI reads it too). */
export const SOURCE_DECLARATIONS = path.join("definitions", "sources", "rcu_sources.js");

/**
 * Keep the declarations of the raw tables in step with rcu.yaml's `sources:`, so definitions can
 * ref() them with no hand-written boilerplate. Written only when its content changes.
 */
export async function syncSourceDeclarations(dir: string, config: ProjectConfig): Promise<void> {
  const file = path.join(dir, SOURCE_DECLARATIONS);
  if (Object.keys(config.sources).length === 0) return;
  const text = declarationsJs(config.sources);
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current === text) return;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

let version: string | undefined;
export function rcuVersion(): string {
  if (!version) {
    // dist/cli/project.js and cli/project.ts both sit two levels below the package root.
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const up of ["..", "../.."]) {
      try {
        version = (JSON.parse(readFileSync(path.join(here, up, "package.json"), "utf8")) as { version: string }).version;
        break;
      } catch {
        /* try the next level */
      }
    }
  }
  return version ?? "0.0.0";
}
