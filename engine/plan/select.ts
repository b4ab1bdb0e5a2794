/**
 * Action selection, as data engineers know it from dbt and Dataform:
 *   `name` or `schema.name`   one action
 *   `tag:x`                   every action tagged x
 *   `+sel`                    sel and everything upstream of it
 *   `sel+`                    sel and everything downstream of it
 * Several selectors (comma- or space-separated, or repeated flags) are a union.
 */
import { RcuError } from "../errors.js";
import type { Action, Graph } from "../compile/graph.js";

export function parseSelectors(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(/[\s,]+/)).filter((s) => s.length > 0);
}

/** Ids matched by a bare selector (no +): exact id, unique bare name, or tag. */
function matchBase(graph: Graph, base: string): Action[] {
  if (base.startsWith("tag:")) {
    const tag = base.slice(4);
    return graph.actions.filter((a) => a.tags.includes(tag));
  }
  const exact = graph.actions.filter((a) => a.id === base);
  if (exact.length) return exact;
  const byName = graph.actions.filter((a) => a.target.name === base);
  if (byName.length > 1) {
    throw new RcuError("SELECTION", `Selector "${base}" is ambiguous: ${byName.map((a) => a.id).join(", ")}.`, {
      hint: "Qualify it with its schema, e.g. --select " + byName[0]!.id,
    });
  }
  if (byName.length === 1) return byName;
  const byFile = graph.actions.filter((a) => a.file === base);
  return byFile;
}

function closure(start: Iterable<string>, edges: Map<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of edges.get(id) ?? []) todo.push(next);
  }
  return seen;
}

/** Resolve selectors to action ids. An empty selector list selects every action. */
export function selectActions(graph: Graph, selectors: readonly string[]): Set<string> {
  if (selectors.length === 0) return new Set(graph.actions.map((a) => a.id));
  const upstream = new Map(graph.actions.map((a) => [a.id, a.dependencies] as const));
  const downstream = new Map<string, string[]>();
  for (const a of graph.actions) {
    for (const d of a.dependencies) {
      const list = downstream.get(d) ?? [];
      list.push(a.id);
      downstream.set(d, list);
    }
  }
  const selected = new Set<string>();
  for (const raw of selectors) {
    const withUp = raw.startsWith("+");
    const withDown = raw.endsWith("+") && raw.length > 1;
    const base = raw.slice(withUp ? 1 : 0, withDown ? -1 : undefined);
    const matched = matchBase(graph, base).map((a) => a.id);
    if (matched.length === 0) {
      const names = graph.actions.map((a) => a.id);
      const near = names.filter((n) => base.length >= 3 && (n.includes(base) || editDistance(n.split(".").pop()!, base) <= 2)).slice(0, 5);
      throw new RcuError("SELECTION", `Selector "${raw}" matches no action.`, {
        hint: near.length ? `Did you mean: ${near.join(", ")}?` : "Run `rcu compile` to list the actions.",
      });
    }
    let ids = new Set(matched);
    if (withUp) ids = new Set([...ids, ...closure(matched, upstream)]);
    if (withDown) ids = new Set([...ids, ...closure(matched, downstream)]);
    for (const id of ids) selected.add(id);
  }
  return selected;
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
