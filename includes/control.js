// Early exits for operations that unroll a loop into a fixed list of statements (see
// engine/plan/control.ts). rcu's engine runs a `skipIfEmpty` check and, when it returns no row,
// goes on at the statement `labelled` with the same label. The markers are SQL comments: the
// official Dataform CLI runs the check as a plain SELECT and every statement, with the same
// result, so a check must only say "the statements up to the label would change nothing".

const portable = require("./portable");

const LABEL = /^[A-Za-z0-9_]+$/;

function checkLabel(label) {
  if (!LABEL.test(label)) throw new Error(`control label must match ${LABEL}, got ${JSON.stringify(label)}`);
  return label;
}

/** A check query: when it returns no row, rcu skips to the statement labelled `label`. */
function skipIfEmpty(label, query) {
  return `/* rcu:skip-if-empty ${checkLabel(label)} */\n${query}`;
}

/** `sql`, marked as where a skip to `label` lands. */
function labelled(label, sql) {
  return `/* rcu:label ${checkLabel(label)} */\n${sql}`;
}

const MARKED = /^\s*\/\*\s*rcu:/;

/**
 * `statements` with each run of plain ones (up to `max`, default 40) wrapped in BEGIN TRANSACTION
 * … COMMIT. Why: the Redshift Data API takes a transaction as one BatchExecuteStatement call
 * (at most 40 statements), where every statement outside one is a call of its own, submitted and
 * polled — an EM loop of 300 statements was 300 round trips. Checks and labelled statements stay
 * outside transactions: a check reads (Redshift cannot read inside a batch), and a skip must not
 * land past a BEGIN. Other engines get the statements as they are: each is a cheap call there,
 * and DuckDB slowed down badly with many CREATE OR REPLACE TABLEs in one transaction (a
 * 20,000-node chain's components: 1.2 s, then over 60 s). `engine` overrides the compile var
 * (tests).
 */
function transactions(statements, max, engine) {
  if ((engine || portable.engine()) !== "redshift") return statements;
  const size = max || 40;
  const out = [];
  let run = [];
  const flush = () => {
    if (run.length > 1) out.push("BEGIN TRANSACTION", ...run, "COMMIT");
    else out.push(...run);
    run = [];
  };
  for (const sql of statements) {
    if (MARKED.test(sql)) {
      flush();
      out.push(sql);
      continue;
    }
    run.push(sql);
    if (run.length === size) flush();
  }
  flush();
  return out;
}

module.exports = { skipIfEmpty, labelled, transactions };
