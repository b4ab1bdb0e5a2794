/**
 * A DAG scheduler: runs nodes as soon as their dependencies succeed, at most `concurrency` at a
 * time; a failed (or skipped) node skips only its downstream, and everything else still runs.
 */
export interface DagNode {
  readonly id: string;
  readonly dependencies: readonly string[];
}

export type NodeOutcome = { readonly ok: boolean };

export interface ScheduleHooks<N extends DagNode, R extends NodeOutcome> {
  run(node: N, worker: number): Promise<R>;
  skip(node: N, because: string): R;
}

export async function runDag<N extends DagNode, R extends NodeOutcome>(
  nodes: readonly N[],
  concurrency: number,
  hooks: ScheduleHooks<N, R>,
): Promise<Map<string, R>> {
  const results = new Map<string, R>();
  const ids = new Set(nodes.map((n) => n.id));
  const pending = new Map(nodes.map((n) => [n.id, n]));
  const running = new Set<string>();
  const freeWorkers = Array.from({ length: Math.max(1, concurrency) }, (_, i) => i);
  let wake: (() => void) | undefined;

  const depsOf = (n: N) => n.dependencies.filter((d) => ids.has(d) && d !== n.id);

  while (pending.size > 0 || running.size > 0) {
    // Skip what can no longer run; start what is ready (in the given, topological, order).
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const n of [...pending.values()]) {
        const deps = depsOf(n);
        const blocked = deps.find((d) => results.has(d) && !results.get(d)!.ok);
        if (blocked !== undefined) {
          pending.delete(n.id);
          results.set(n.id, hooks.skip(n, blocked));
          progressed = true;
          continue;
        }
        if (freeWorkers.length === 0) continue;
        if (deps.every((d) => results.get(d)?.ok)) {
          pending.delete(n.id);
          running.add(n.id);
          const worker = freeWorkers.shift()!;
          void hooks
            .run(n, worker)
            .then((r) => results.set(n.id, r))
            .catch(() => results.set(n.id, hooks.skip(n, n.id)))
            .finally(() => {
              running.delete(n.id);
              freeWorkers.push(worker);
              wake?.();
            });
        }
      }
    }
    if (running.size === 0) {
      if (pending.size > 0) throw new Error("Scheduler stalled: dependencies never satisfied (a cycle?).");
      break;
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  return results;
}
