// Early exits for operations that unroll a loop into a fixed list of statements (see
// engine/plan/control.ts). rcu's engine runs a `skipIfEmpty` check and, when it returns no row,
// goes on at the statement `labelled` with the same label. The markers are SQL comments: the
// official Dataform CLI runs the check as a plain SELECT and every statement, with the same
// result, so a check must only say "the statements up to the label would change nothing".

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

module.exports = { skipIfEmpty, labelled };
