/**
 * Turns @dataform/core's compiled graph (protobuf canonical JSON) into rcu's typed `Graph`,
 * adding the checks core leaves to its callers: dependencies that resolve to no action, duplicate
 * targets and cycles are reported as graph errors with their file and action.
 */
import type { Relation } from "../warehouses/types.js";
import type { Action, ColumnDoc, CompileIssue, Graph } from "./graph.js";
import { relationId } from "./graph.js";

/* The subset of the compiled-graph JSON rcu reads. Everything is optional in protobuf JSON. */
interface PTarget { database?: string; schema?: string; name?: string }
interface PDescriptor { description?: string; columns?: Array<{ path?: string[]; description?: string }> }
interface PCommon {
  target?: PTarget; fileName?: string; jitCode?: string; tags?: string[]; disabled?: boolean;
  dependencyTargets?: PTarget[]; actionDescriptor?: PDescriptor;
}
interface PTable extends PCommon {
  enumType?: string; type?: string; query?: string; incrementalQuery?: string;
  preOps?: string[]; postOps?: string[]; incrementalPreOps?: string[]; incrementalPostOps?: string[];
  uniqueKey?: string[]; protected?: boolean;
}
interface POperation extends PCommon { queries?: string[]; hasOutput?: boolean }
interface PAssertion extends PCommon { query?: string; parentAction?: PTarget }
interface PError { fileName?: string; message?: string; actionName?: string; actionTarget?: PTarget }
export interface CompiledGraphJson {
  projectConfig?: { defaultDatabase?: string; defaultSchema?: string; assertionSchema?: string; vars?: Record<string, string>; databaseSuffix?: string };
  tables?: PTable[]; operations?: POperation[]; assertions?: PAssertion[]; declarations?: PCommon[];
  notebooks?: PCommon[]; dataPreparations?: PCommon[];
  graphErrors?: { compilationErrors?: PError[] };
  dataformCoreVersion?: string;
}

export interface NormaliseOptions {
  readonly projectDir: string;
  /** Whether the engine addresses other databases (otherwise `database` is dropped). */
  readonly keepDatabase: boolean;
}

export function normaliseGraph(json: CompiledGraphJson, opts: NormaliseOptions): Graph {
  const pc = json.projectConfig ?? {};
  const defaultDb = pc.defaultDatabase ? pc.defaultDatabase + (pc.databaseSuffix ? `_${pc.databaseSuffix}` : "") : undefined;
  const toRelation = (t: PTarget | undefined): Relation => {
    const keepDb = opts.keepDatabase && t?.database && t.database !== defaultDb;
    return {
      ...(keepDb ? { database: t!.database } : {}),
      schema: t?.schema || pc.defaultSchema || "main",
      name: t?.name ?? "",
    };
  };
  const errors: CompileIssue[] = (json.graphErrors?.compilationErrors ?? []).map((e) => ({
    ...(e.fileName ? { file: e.fileName } : {}),
    ...(e.actionTarget ? { action: relationId(toRelation(e.actionTarget)) } : e.actionName ? { action: e.actionName } : {}),
    message: e.message ?? "unknown compilation error",
  }));

  const common = (p: PCommon) => {
    const target = toRelation(p.target);
    return {
      id: relationId(target),
      target,
      file: p.fileName ?? "",
      tags: p.tags ?? [],
      disabled: Boolean(p.disabled),
      dependencies: (p.dependencyTargets ?? []).map((t) => relationId(toRelation(t))),
      ...(p.actionDescriptor?.description ? { description: p.actionDescriptor.description } : {}),
      columns: (p.actionDescriptor?.columns ?? []).map(
        (c): ColumnDoc => ({ path: c.path ?? [], description: c.description ?? "" }),
      ),
    };
  };

  const actions: Action[] = [];
  for (const d of json.declarations ?? []) actions.push({ kind: "declaration", ...common(d) });
  for (const t of json.tables ?? []) {
    const kind = (t.enumType ?? t.type ?? "TABLE").toLowerCase();
    const ops = { preOps: t.preOps ?? [], postOps: t.postOps ?? [] };
    if (kind === "incremental") {
      actions.push({
        kind: "incremental", ...common(t), query: t.query ?? "", incrementalQuery: t.incrementalQuery ?? t.query ?? "",
        ...ops, incrementalPreOps: t.incrementalPreOps ?? [], incrementalPostOps: t.incrementalPostOps ?? [],
        uniqueKey: t.uniqueKey ?? [], protected: Boolean(t.protected),
      });
    } else {
      actions.push({ kind: kind === "view" ? "view" : "table", ...common(t), query: t.query ?? "", ...ops });
    }
  }
  for (const o of json.operations ?? []) {
    actions.push({ kind: "operation", ...common(o), queries: o.queries ?? [], hasOutput: Boolean(o.hasOutput) });
  }
  for (const a of json.assertions ?? []) {
    actions.push({
      kind: "assertion", ...common(a), query: a.query ?? "",
      ...(a.parentAction ? { parentAction: relationId(toRelation(a.parentAction)) } : {}),
    });
  }

  // BigQuery-only features have no meaning on rcu's engines: refuse them rather than skip silently.
  const unsupported = (list: PCommon[] | undefined, what: string) => {
    for (const p of list ?? []) {
      errors.push({ file: p.fileName ?? "", action: relationId(toRelation(p.target)), message: `${what} are BigQuery-only and not supported by rcu; remove it or disable it.` });
    }
  };
  unsupported(json.notebooks, "Notebooks");
  unsupported(json.dataPreparations, "Data preparations");
  unsupported(
    [...(json.tables ?? []), ...(json.operations ?? []), ...(json.assertions ?? [])].filter((p) => p.jitCode),
    "JiT-compiled actions (jitCode)",
  );
  errors.push(...checkGraph(actions));
  return {
    projectDir: opts.projectDir,
    coreVersion: json.dataformCoreVersion ?? "",
    defaultSchema: pc.defaultSchema ?? "main",
    assertionSchema: pc.assertionSchema ?? "dataform_assertions",
    vars: pc.vars ?? {},
    actions,
    errors,
  };
}

/** Duplicate ids, unresolved dependencies and cycles, each named with its file and action. */
export function checkGraph(actions: readonly Action[]): CompileIssue[] {
  const issues: CompileIssue[] = [];
  const byId = new Map<string, Action>();
  for (const a of actions) {
    const prev = byId.get(a.id);
    if (prev) {
      issues.push({ file: a.file, action: a.id, message: `Duplicate action "${a.id}": also defined in ${prev.file}.` });
    } else byId.set(a.id, a);
  }
  for (const a of actions) {
    for (const d of a.dependencies) {
      if (!byId.has(d)) issues.push({ file: a.file, action: a.id, message: `Missing dependency: "${a.id}" depends on "${d}", which no action or declaration defines.` });
    }
  }
  for (const cycle of findCycles(byId)) {
    const first = byId.get(cycle[0]!)!;
    issues.push({ file: first.file, action: first.id, message: `Circular dependency: ${[...cycle, cycle[0]].join(" -> ")}.` });
  }
  return issues;
}

/** Cycles via iterative DFS (graphs of thousands of actions must not overflow the stack). */
function findCycles(byId: Map<string, Action>): string[][] {
  const state = new Map<string, 1 | 2>(); // 1 = on stack, 2 = done
  const cycles: string[][] = [];
  for (const start of byId.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    const path: string[] = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)?.dependencies ?? [];
      if (top.next < deps.length) {
        const d = deps[top.next++]!;
        if (!byId.has(d)) continue;
        const s = state.get(d);
        if (s === 1) cycles.push(path.slice(path.indexOf(d)));
        else if (s === undefined) {
          state.set(d, 1);
          stack.push({ id: d, next: 0 });
          path.push(d);
        }
      } else {
        state.set(top.id, 2);
        stack.pop();
        path.pop();
      }
    }
  }
  return cycles;
}
