/** `rcu run`: compile, plan against the warehouse, execute, record results. */
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { executePlan } from "../../engine/execute/runner.js";
import type { RunResults } from "../../engine/execute/results.js";
import { parseSelectors, selectActions } from "../../engine/plan/select.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import type { CliIO } from "../io.js";
import { openProject, rcuVersion, resolveProject } from "../project.js";
import { extractSources } from "./extract.js";
import { withRunLock, type LockFlags } from "../lock.js";
import { createRunReporter, jsonSafe, type LogFormat } from "../reporter.js";
import { reportGraphErrors } from "./errors.js";
import { planOn, type PlanOptions } from "./plan.js";

export interface RunCommandOptions extends PlanOptions, LockFlags {
  readonly logFormat?: LogFormat;
  readonly threads?: number;
  readonly skipExtract?: boolean;
  readonly skipTransform?: boolean;
}

export const RUN_RESULTS_FILE = path.join("target", "run_results.json");
/** Every run's own results, by run id (ids sort by start time); the newest RUNS_KEPT are kept. */
export const RUNS_DIR = path.join("target", "runs");
const RUNS_KEPT = 100;

/**
 * The run's results in its own file (target/runs/<run id>/run_results.json), never overwritten by
 * another run — two runs from one project directory on two profiles each keep theirs — and as
 * target/run_results.json, the latest, replaced in one rename so a reader never sees half a file.
 */
async function writeRunResults(projectDir: string, runId: string, text: string): Promise<void> {
  const runsDir = path.join(projectDir, RUNS_DIR);
  await mkdir(path.join(runsDir, runId), { recursive: true });
  await writeFile(path.join(runsDir, runId, "run_results.json"), text);
  const latest = path.join(projectDir, RUN_RESULTS_FILE);
  const partial = `${latest}.${runId}.tmp`;
  await writeFile(partial, text);
  await rename(partial, latest);
  const old = (await readdir(runsDir)).sort().slice(0, -RUNS_KEPT);
  await Promise.all(old.map((id) => rm(path.join(runsDir, id), { recursive: true, force: true })));
}

export async function runCommand(opts: RunCommandOptions, io: CliIO): Promise<number> {
  const resolved = await resolveProject(opts, io);
  // Compile first: a broken project runs nothing (no extract, no lock taken).
  const project = await openProject(opts, io, resolved);
  if (project.graph.errors.length) return reportGraphErrors(project, io);
  return withRunLock(resolved.config, opts, io, "run", () => runLocked(opts, io, project));
}

async function runLocked(opts: RunCommandOptions, io: CliIO, project: Awaited<ReturnType<typeof openProject>>): Promise<number> {
  let extractOk = true;
  if (!opts.skipExtract) {
    const { dir, config } = project;
    if (Object.keys(config.sources).length > 0) {
      const summary = await extractSources(dir, config, [], io, Boolean(opts.json), false, opts.logFormat);
      extractOk = summary.ok;
      // A failed stream leaves its previous raw data in place: transforming still makes sense,
      // and the exit code reports the failure.
    }
  }
  if (opts.skipTransform) return extractOk ? 0 : 1;
  const selectors = parseSelectors(opts.select ?? []);
  const selected = selectActions(project.graph, selectors);
  const warehouse = openWarehouse(project.config.profile);
  let results: RunResults;
  try {
    const plan = await planOn(warehouse, project, selected, Boolean(opts.fullRefresh));
    results = await executePlan(plan, warehouse, {
      command: "run",
      selection: selectors,
      fullRefresh: Boolean(opts.fullRefresh),
      threads: opts.threads ?? project.config.threads,
      rcuVersion: rcuVersion(),
      dataformCoreVersion: project.graph.coreVersion,
      onEvent: createRunReporter(io, Boolean(opts.json), opts.logFormat),
    });
  } finally {
    await warehouse.close();
  }
  const text = JSON.stringify(results, jsonSafe, 2) + "\n";
  await writeRunResults(project.dir, results.runId, text);
  if (opts.json) io.stdout.write(text);
  return results.status === "success" && extractOk ? 0 : 1;
}
