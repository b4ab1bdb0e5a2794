/** What every command does first: find the project, read rcu.yaml, compile for its engine. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileProject } from "../engine/compile/compile.js";
import type { Graph } from "../engine/compile/graph.js";
import { dialectFor } from "../engine/warehouses/dialects.js";
import type { Dialect } from "../engine/warehouses/types.js";
import { loadConfig, parseVars, type ProjectConfig } from "./config.js";
import type { CliIO } from "./io.js";

export interface CommonOptions {
  readonly projectDir?: string;
  readonly profile?: string;
  readonly vars?: string[];
  readonly json?: boolean;
}

export interface Project {
  readonly dir: string;
  readonly config: ProjectConfig;
  readonly dialect: Dialect;
  readonly graph: Graph;
}

export async function openProject(opts: CommonOptions, io: CliIO): Promise<Project> {
  const dir = path.resolve(io.cwd, opts.projectDir ?? ".");
  const config = await loadConfig(dir, opts.profile);
  const dialect = dialectFor(config.profile.engine);
  const vars = { ...config.vars, ...parseVars(opts.vars ?? []) };
  const graph = await compileProject({ projectDir: dir, renderSpec: dialect.renderSpec, engine: dialect.name, vars });
  return { dir, config, dialect, graph };
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
