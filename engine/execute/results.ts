/** What a run reports: per-action results and the run summary (→ target/run_results.json). */
import type { Action } from "../compile/graph.js";

export type ActionStatus = "success" | "failed" | "skipped" | "disabled";

export interface AssertionOutcome {
  readonly failingRows: number;
  readonly sample: readonly Record<string, unknown>[];
}

export interface ActionResult {
  readonly id: string;
  readonly kind: Action["kind"];
  readonly file: string;
  readonly status: ActionStatus;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number;
  /** Of which waiting on the engine (statements and queries); absent for actions never run. */
  readonly engineMs?: number;
  /** Rows written, where the engine reports it (summed over the action's statements). */
  readonly rowsAffected: number | null;
  /** Statements executed (in order), including a ROLLBACK after a failure. */
  readonly statements: readonly string[];
  /** Statements of an operation skipped by an early exit (its rcu:skip-if-empty check found no row). */
  readonly skippedStatements?: number;
  readonly attempts: number;
  readonly assertion?: AssertionOutcome;
  readonly error?: Record<string, unknown>;
  /** For skipped actions: the upstream action whose failure stopped this one. */
  readonly skippedBecause?: string;
}

export type RunStatus = "success" | "failed";

export interface RunSummary {
  readonly total: number;
  readonly success: number;
  readonly failed: number;
  readonly skipped: number;
  readonly disabled: number;
}

export interface RunResults {
  readonly runId: string;
  readonly rcuVersion: string;
  readonly dataformCoreVersion: string;
  readonly warehouse: string;
  readonly command: string;
  readonly selection: readonly string[];
  readonly fullRefresh: boolean;
  readonly threads: number;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly summary: RunSummary;
  readonly actions: readonly ActionResult[];
  /**
   * Present when the run log in the warehouse could not be written in full (the actions
   * themselves ran as `actions` says): how many actions' rows of rcu_meta.action_runs are missing,
   * whether rcu_meta.runs still says "running", and the first error (`doing` names the write).
   */
  readonly metaLog?: { readonly unwrittenActions: number; readonly runRowUnwritten: boolean; readonly firstError: Record<string, unknown> };
}

export function summarise(actions: readonly ActionResult[]): RunSummary {
  const count = (s: ActionStatus) => actions.filter((a) => a.status === s).length;
  return {
    total: actions.length,
    success: count("success"),
    failed: count("failed"),
    skipped: count("skipped"),
    disabled: count("disabled"),
  };
}

/** A run id that sorts by time and is unique enough for concurrent runs on one warehouse. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}
