// Names of relations and identifiers in generated SQL, in one place for every identity helper.
// Double-quoted identifiers are standard SQL and what every engine rcu targets accepts.

/** A quoted identifier ("a""b" for a"b). */
function ident(id) {
  return '"' + String(id).split('"').join('""') + '"';
}

/** A relation given as { schema, name } or as already-qualified SQL (e.g. ctx.self()). */
function qualify(rel) {
  return typeof rel === "string" ? rel : `${ident(rel.schema)}.${ident(rel.name)}`;
}

/** A scratch relation beside `rel`: the same schema, the name with a suffix. */
function beside(rel, suffix) {
  const s = qualify(rel);
  return s.endsWith('"') ? `${s.slice(0, -1)}${suffix}"` : `${s}${suffix}`;
}

/** A standard SQL string literal ('O''Brien'). */
function literal(s) {
  return "'" + String(s).split("'").join("''") + "'";
}

module.exports = { ident, qualify, beside, literal };
