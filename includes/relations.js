// Names of relations and identifiers in generated SQL, in one place for every include and definition.
// Double-quoted identifiers are standard SQL and what every engine rcu targets accepts.
//
// On Snowflake, rcu writes a name that is all lower case ([a-z_][a-z0-9_$]*) in upper case before
// quoting it: that is what the unquoted name means there, and what rcu's Snowflake dialect, the
// Dataform RenderSpec (ctx.ref/self) and the connectors' landed columns use (`id_contact` is
// stored as ID_CONTACT). Quoting it verbatim would address a different, missing object.

const portable = require("./portable");

const FOLDABLE = /^[a-z_][a-z0-9_$]*$/;
const FOLDED = /^[A-Z_][A-Z0-9_$]*$/;

function folds() {
  return portable.engine() === "snowflake";
}

/** The name as the engine stores it (see above); unchanged on engines that keep case. */
function stored(id) {
  const s = String(id);
  return folds() && FOLDABLE.test(s) ? s.toUpperCase() : s;
}

/** A quoted identifier ("a""b" for a"b), folded as the engine would fold it unquoted. */
function ident(id) {
  return '"' + stored(id).split('"').join('""') + '"';
}

/** A relation given as { schema, name } or as already-qualified SQL (e.g. ctx.self()). */
function qualify(rel) {
  return typeof rel === "string" ? rel : `${ident(rel.schema)}.${ident(rel.name)}`;
}

/**
 * A scratch relation beside `rel`: the same schema, the name with a suffix. The name is the one
 * rcu means (a folded `"PARAMS"` is `params`), so `params__em_prior` folds as a whole.
 */
function beside(rel, suffix) {
  const s = qualify(rel);
  const m = /"((?:[^"]|"")*)"$/.exec(s);
  if (!m) return `${s}${suffix}`;
  let name = m[1].split('""').join('"');
  if (folds() && FOLDED.test(name)) name = name.toLowerCase();
  return s.slice(0, m.index) + ident(name + suffix);
}

/** A string literal ('O''Brien'); Snowflake and Redshift also read backslashes as escapes. */
function literal(s) {
  let t = String(s).split("'").join("''");
  const e = portable.engine();
  if (e === "snowflake" || e === "redshift") t = t.split("\\").join("\\\\");
  return "'" + t + "'";
}

/**
 * Common table expressions computing `layers` of named columns on top of the CTE `from`: layer i
 * is `<name>_i AS (SELECT <previous>.*, <expr> AS <column>, … FROM <previous>)`, so a layer's
 * expressions may read every column of the layers before it. Engines do not share a way to
 * reuse a sub-expression within one SELECT, and normalisations nested as one expression repeat
 * their intermediates many times over (see phone.layers, dates.birthDateLayers). Columns are
 * rcu's own names, written unquoted (folded alike by every engine).
 * @returns {{ ctes: string, last: string }} the CTE text (", "-separated, no leading WITH) and the
 * name of the last one (`from` when there are no layers).
 */
function layerCtes(from, layers, name) {
  const ctes = [];
  let prev = from;
  layers.forEach((layer, i) => {
    const cur = `${name}_${i + 1}`;
    ctes.push(`${cur} AS (\n  SELECT ${prev}.*,\n    ${layer.map(([col, expr]) => `${expr} AS ${col}`).join(",\n    ")}\n  FROM ${prev}\n)`);
    prev = cur;
  });
  return { ctes: ctes.join(", "), last: prev };
}

module.exports = { ident, qualify, beside, literal, stored, layerCtes };
