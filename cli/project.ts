/** What every command does first: find the project, read rcu.yaml, compile for its engine. */
import { readFileSync } from "node:fs";
import { landedRelations } from "../connectors/declarations.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileProject } from "../engine/compile/compile.js";
import type { Graph } from "../engine/compile/graph.js";
import { dialectFor } from "../engine/warehouses/dialects.js";
import type { Dialect } from "../engine/warehouses/types.js";
import { IDENTITY_VAR } from "../identity/config.js";
import { MODEL_VAR } from "../model/config.js";
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
  const config = await loadConfig(dir, opts.profile, opts.config === undefined ? undefined : path.resolve(io.cwd, opts.config), io.env);
  return { dir, config };
}

export async function openProject(
  opts: CommonOptions,
  io: CliIO,
  resolved?: { dir: string; config: ProjectConfig },
): Promise<Project> {
  const { dir, config } = resolved ?? (await resolveProject(opts, io));
  const dialect = dialectFor(config.profile.engine);
  // The identity and model sections reach definitions/ as a JSON var (Dataform vars are strings).
  const vars = {
    ...config.vars,
    rcu_sources: sourceRelationsVar(config),
    [IDENTITY_VAR]: JSON.stringify(config.identity),
    [MODEL_VAR]: JSON.stringify(config.model),
    ...parseVars(opts.vars ?? []),
  };
  const graph = await compileProject({ projectDir: dir, renderSpec: dialect.renderSpec, engine: dialect.name, vars });
  return { dir, config, dialect, graph };
}

/**
 * The raw tables landed by the configured sources, as the compile var `rcu_sources` (JSON);
 * definitions/sources/declarations.js declares them, so definitions ref() raw tables without
 * hand-written boilerplate, and a different rcu.yaml (--config) never leaves stale declarations.
 */
export function sourceRelationsVar(config: ProjectConfig): string {
  return JSON.stringify(landedRelations(config.sources));
}

let pkg: { root: string; version: string } | undefined;

/** rcu's own package: its root (where the standard model's definitions/ live) and version. */
function rcuPackage(): { root: string; version: string } {
  if (!pkg) {
    // cli/project.ts sits one level below the package root, dist/cli/project.js two.
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const up of ["..", "../.."]) {
      try {
        const root = path.resolve(here, up);
        const json = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { name?: string; version: string };
        if (json.name !== "rcu") continue;
        pkg = { root, version: json.version };
        break;
      } catch {
        /* try the next level */
      }
    }
  }
  return pkg ?? { root: process.cwd(), version: "0.0.0" };
}

export function rcuVersion(): string {
  return rcuPackage().version;
}

export function rcuPackageRoot(): string {
  return rcuPackage().root;
}
