/**
 * The typed graph rcu works with after compilation: actions as a discriminated union, with
 * dependencies resolved to action ids. Built from @dataform/core's compiled graph (protobuf JSON).
 */
import type { Relation } from "../warehouses/types.js";

export interface ColumnDoc {
  readonly path: readonly string[];
  readonly description: string;
}

interface ActionBase {
  /** Stable id: `schema.name` (or `database.schema.name` when the database is kept). */
  readonly id: string;
  readonly target: Relation;
  /** Source file relative to the project directory. */
  readonly file: string;
  readonly tags: readonly string[];
  readonly disabled: boolean;
  /** Ids of the actions this one depends on. */
  readonly dependencies: readonly string[];
  readonly description?: string;
  readonly columns: readonly ColumnDoc[];
}

export interface DeclarationAction extends ActionBase {
  readonly kind: "declaration";
}

export interface TableAction extends ActionBase {
  readonly kind: "table" | "view";
  readonly query: string;
  readonly preOps: readonly string[];
  readonly postOps: readonly string[];
}

export interface IncrementalAction extends ActionBase {
  readonly kind: "incremental";
  readonly query: string;
  readonly incrementalQuery: string;
  readonly preOps: readonly string[];
  readonly postOps: readonly string[];
  readonly incrementalPreOps: readonly string[];
  readonly incrementalPostOps: readonly string[];
  readonly uniqueKey: readonly string[];
  readonly protected: boolean;
}

export interface OperationAction extends ActionBase {
  readonly kind: "operation";
  readonly queries: readonly string[];
  readonly hasOutput: boolean;
}

export interface AssertionAction extends ActionBase {
  readonly kind: "assertion";
  readonly query: string;
  /** The table a built-in assertion (uniqueKey / nonNull / rowConditions) belongs to. */
  readonly parentAction?: string;
}

export type Action = DeclarationAction | TableAction | IncrementalAction | OperationAction | AssertionAction;
export type ActionKind = Action["kind"];

export interface CompileIssue {
  readonly file?: string;
  readonly action?: string;
  readonly message: string;
}

export interface Graph {
  readonly projectDir: string;
  readonly coreVersion: string;
  readonly defaultSchema: string;
  readonly assertionSchema: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly actions: readonly Action[];
  /** Problems found while compiling; a graph with errors must not be run. */
  readonly errors: readonly CompileIssue[];
}

export function relationId(r: Relation): string {
  return [r.database, r.schema, r.name].filter((p) => p !== undefined && p !== "").join(".");
}

export function indexActions(graph: Graph): Map<string, Action> {
  return new Map(graph.actions.map((a) => [a.id, a]));
}
