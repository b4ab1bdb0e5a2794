/**
 * Early exits in operations: a loop unrolled into a fixed list of statements (the identity graph's
 * connected-components rounds) can tell rcu's engine that the rest of it would change nothing.
 *
 *   /* rcu:skip-if-empty <label> *\/ SELECT …   a check: when it returns no row, the statements up
 *                                              to the one labelled <label> are skipped
 *   /* rcu:label <label> *\/ …                  where the skip lands
 *
 * The markers are SQL comments, so the definitions stay valid Dataform: the official CLI runs the
 * checks as plain SELECTs and every statement, with the same result. A check must therefore only
 * declare a fixed point (the skipped statements would leave every table as it is); rcu's own
 * includes emit them (includes/control.js). Pure: parsed and validated while planning.
 */
import { RcuError } from "../errors.js";

const MARKER = /^\s*\/\*\s*rcu:(skip-if-empty|label)\s+([A-Za-z0-9_]+)\s*\*\//;
/** Anything that looks like a marker, to refuse a misspelt one rather than ignore it. */
const LOOKS_LIKE = /^\s*\/\*\s*rcu:/;

export interface StatementControl {
  /** A check query: when it returns no row, go on at the statement carrying this label. */
  readonly skipIfEmpty?: string;
  /** Where a skip lands. */
  readonly label?: string;
}

export function statementControl(sql: string): StatementControl {
  const m = MARKER.exec(sql);
  if (!m) return {};
  return m[1] === "label" ? { label: m[2]! } : { skipIfEmpty: m[2]! };
}

/**
 * Checks an operation's markers: known kinds, unique labels, every skip landing on a later
 * statement of the same operation (a skip backwards would loop; one to nowhere would drop the
 * operation's end).
 */
export function checkControls(sqls: readonly string[], where: { action: string; file: string }): void {
  const fail = (message: string, sql: string) =>
    new RcuError("COMPILE", `Operation ${where.action}: ${message}`, {
      ...where,
      statement: sql.slice(0, 300),
      hint: 'Markers are /* rcu:skip-if-empty <label> */ on a query and /* rcu:label <label> */ on a later statement of the same operation (README, "Writing definitions").',
    });
  const labels = new Map<string, number>();
  sqls.forEach((sql, i) => {
    if (LOOKS_LIKE.test(sql) && !MARKER.test(sql)) throw fail("unknown rcu: marker.", sql);
    const { label } = statementControl(sql);
    if (label === undefined) return;
    if (labels.has(label)) throw fail(`label ${label} is used twice.`, sql);
    labels.set(label, i);
  });
  sqls.forEach((sql, i) => {
    const { skipIfEmpty } = statementControl(sql);
    if (skipIfEmpty === undefined) return;
    const at = labels.get(skipIfEmpty);
    if (at === undefined || at <= i) throw fail(`rcu:skip-if-empty ${skipIfEmpty} has no later statement labelled ${skipIfEmpty}.`, sql);
  });
}
