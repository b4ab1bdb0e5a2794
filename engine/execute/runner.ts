/**
 * A run: execute a plan on a warehouse — prelude, then the task DAG in parallel — and record the
 * results in the warehouse (rcu_meta) and as a RunResults value for target/run_results.json.
 */
import { RcuError, errorMessage } from "../errors.js";
import type { Plan, Task } from "../plan/plan.js";
import type { Connection, Warehouse } from "../warehouses/types.js";
import { MetaLog } from "./meta-log.js";
import { newRunId, summarise, type ActionResult, type RunResults } from "./results.js";
import { runTask } from "./run-task.js";
import { runDag } from "./scheduler.js";

export type RunEvent =
  | { readonly type: "run_start"; readonly runId: string; readonly total: number; readonly warehouse: string }
  | { readonly type: "action_start"; readonly id: string; readonly kind: Task["kind"] }
  | { readonly type: "action_end"; readonly result: ActionResult }
  | { readonly type: "run_end"; readonly results: RunResults };

export interface RunOptions {
  readonly command: string;
  readonly selection: readonly string[];
  readonly fullRefresh: boolean;
  readonly threads: number;
  readonly rcuVersion: string;
  readonly dataformCoreVersion: string;
  readonly onEvent?: (e: RunEvent) => void;
  readonly retryDelayMs?: number;
}

export async function executePlan(plan: Plan, warehouse: Warehouse, opts: RunOptions): Promise<RunResults> {
  const runId = newRunId();
  const started = new Date();
  const t0 = performance.now();
  const emit = opts.onEvent ?? (() => undefined);
  // Declarations are not work; everything else (disabled included) is reported.
  const tasks = plan.tasks.filter((t) => !(t.body.type === "none" && t.body.reason === "declaration"));
  const threads = Math.max(1, Math.min(opts.threads, tasks.length || 1));

  const metaConn = await warehouse.connect({ queryTag: `rcu:${runId}` });
  const workers: Connection[] = [];
  try {
    const meta = new MetaLog(metaConn, warehouse.dialect);
    await meta.ensure();
    const header = {
      runId, command: opts.command, startedAt: started.toISOString(), warehouse: warehouse.description,
      selection: opts.selection, fullRefresh: opts.fullRefresh, threads, rcuVersion: opts.rcuVersion,
      dataformCoreVersion: opts.dataformCoreVersion,
    };
    await meta.runStarted(header);
    emit({ type: "run_start", runId, total: tasks.length, warehouse: warehouse.description });

    for (const sql of plan.prelude) await metaConn.execute(sql);
    for (let i = 0; i < threads; i++) workers.push(await warehouse.connect({ queryTag: `rcu:${runId}` }));

    // Meta-log writes are serialised on one connection, off the workers' critical path. One that
    // fails is counted and the next ones still go: left in the chain, its rejection found no
    // handler until the run's end, and Node ends a process on an unhandled rejection — mid-run,
    // with statements in flight and no run_results.json (a Data API poll timing out did that).
    // The run's final row is written the same way: the actions ran whatever the log says.
    const metaFailures: RcuError[] = [];
    const logged = (write: () => Promise<void>, doing: string) =>
      write().catch((err: unknown) => {
        const e = err instanceof RcuError ? err : new RcuError("WAREHOUSE", errorMessage(err), { engine: warehouse.engine }, { cause: err });
        metaFailures.push(new RcuError(e.code, e.message, { ...e.context, doing }, { kind: e.kind, cause: err }));
      });
    let metaWrites: Promise<void> = Promise.resolve();
    const record = (r: ActionResult) => {
      metaWrites = metaWrites.then(() => logged(() => meta.actionFinished(runId, r), "write rcu_meta.action_runs"));
      emit({ type: "action_end", result: r });
      return r;
    };

    const byId = await runDag(tasks, threads, {
      run: async (task, worker) => {
        emit({ type: "action_start", id: task.id, kind: task.kind });
        const result = await runTask(task, workers[worker]!, {
          dialect: warehouse.dialect,
          ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
        });
        record(result);
        // A disabled action is not a failure: its dependents still run.
        return Object.assign(result, { ok: result.status !== "failed" });
      },
      skip: (task, because) =>
        Object.assign(
          record({
            id: task.id, kind: task.kind, file: task.file, status: "skipped", startedAt: null, finishedAt: null,
            durationMs: 0, rowsAffected: null, statements: [], attempts: 0, skippedBecause: because,
          }),
          { ok: false },
        ),
    });
    await metaWrites;

    const actions = tasks.map((t) => stripOk(byId.get(t.id)!));
    const summary = summarise(actions);
    const results: RunResults = {
      ...header,
      status: summary.failed > 0 ? "failed" : "success",
      finishedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - t0),
      summary,
      actions,
    };
    const unwrittenActions = metaFailures.length;
    await logged(() => meta.runFinished(results), "update rcu_meta.runs");
    const final: RunResults = metaFailures.length
      ? { ...results, metaLog: { unwrittenActions, runRowUnwritten: metaFailures.length > unwrittenActions, firstError: metaFailures[0]!.toJSON() } }
      : results;
    emit({ type: "run_end", results: final });
    return final;
  } catch (err) {
    if (err instanceof RcuError) throw err;
    throw new RcuError("WAREHOUSE", `The run could not complete: ${(err as Error).message}`, { engine: warehouse.engine }, { cause: err });
  } finally {
    for (const c of workers) await c.close().catch(() => undefined);
    await metaConn.close().catch(() => undefined);
  }
}

function stripOk(r: ActionResult & { ok?: boolean }): ActionResult {
  const { ok: _ok, ...rest } = r;
  return rest;
}
