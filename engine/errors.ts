/**
 * One error type for everything rcu reports to a user.
 *
 * Every error says what rcu was doing (`action`), where (file / action name / engine), what went
 * wrong, and what to do about it. `kind` tells schedulers and retry loops whether trying again can
 * help: `transient` (lock conflicts, timeouts, throttling) or `terminal` (bad SQL, bad config).
 */
export type ErrorKind = "terminal" | "transient";

export type ErrorCode =
  | "CONFIG"
  | "USAGE"
  | "COMPILE"
  | "GRAPH"
  | "SELECTION"
  | "SQL"
  | "ASSERTION"
  | "WAREHOUSE"
  | "NOT_FOUND"
  | "LOCKED"
  | "INTERNAL";

export interface ErrorContext {
  /** What rcu was doing, e.g. "compile", "run action". */
  readonly doing?: string;
  readonly file?: string;
  readonly action?: string;
  readonly engine?: string;
  readonly statement?: string;
  readonly hint?: string;
}

export class RcuError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly context: ErrorContext;

  constructor(
    code: ErrorCode,
    message: string,
    context: ErrorContext = {},
    options: { kind?: ErrorKind; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RcuError";
    this.code = code;
    this.kind = options.kind ?? "terminal";
    this.context = context;
  }

  /** A multi-line, human-readable rendering: message, then where, then the hint. */
  describe(): string {
    const lines = [this.message];
    const c = this.context;
    if (c.action) lines.push(`  action: ${c.action}`);
    if (c.file) lines.push(`  file: ${c.file}`);
    if (c.engine) lines.push(`  engine: ${c.engine}`);
    if (c.statement) lines.push(`  statement:\n${indent(c.statement.trim(), 4)}`);
    if (c.hint) lines.push(`  hint: ${c.hint}`);
    return lines.join("\n");
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, message: this.message, ...this.context };
  }
}

export function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
