// Portable SQL text primitives shared by the identity normalisation helpers (email.js, phone.js,
// person_name.js, address.js, dates.js). Every function returns an SQL *expression* string built
// from SQL expressions given as arguments (column names, casts, other helpers' output) — never
// from record values.
//
// Engine differences handled here, once (the rest of the helpers stay engine-neutral):
//   - string literals: Snowflake and Redshift read backslashes in '...' as escapes, so regex
//     literals are written with doubled backslashes there; DuckDB and PostgreSQL
//     (standard_conforming_strings) take them as-is.
//   - global regex replacement: DuckDB and PostgreSQL need the 'g' flag; Snowflake and Redshift
//     replace every occurrence by default.
//   - regex match: DuckDB regexp_matches (searches; callers anchor with ^…$), PostgreSQL and
//     Redshift `~`, Snowflake REGEXP_LIKE (implicitly anchored; explicit anchors are harmless).
// Regex patterns passed to these helpers must stay in the subset all four engines share
// (POSIX ERE as understood by RE2, PostgreSQL ARE, Snowflake and Redshift): bracket classes
// ([0-9], [a-z], [[:space:]]), groups, alternation, ?, *, +, {m,n}, ^ and $. No \d, \b, \w,
// look-arounds, non-greedy quantifiers, back-references inside a pattern, or (?:…).
// Only DuckDB is executed today; the other branches are written from the engines' documentation
// and must be checked by the tests of each engine when it lands.

const portable = require("./portable");

function engine() {
  return portable.engine();
}

function backslashEscapes() {
  const e = engine();
  return e === "snowflake" || e === "redshift";
}

/** An SQL string literal for the JS string `s` (quotes doubled; backslashes doubled where needed). */
function str(s) {
  let t = String(s).split("'").join("''");
  if (backslashEscapes()) t = t.split("\\").join("\\\\");
  return `'${t}'`;
}

/** Replace every match of `pattern` (portable ERE, see above) in `expr` by `replacement`. */
function rx(expr, pattern, replacement) {
  const args = `${expr}, ${str(pattern)}, ${str(replacement || "")}`;
  switch (engine()) {
    case "snowflake":
    case "redshift":
      return `regexp_replace(${args})`;
    default: // duckdb, postgres
      return `regexp_replace(${args}, 'g')`;
  }
}

/** Boolean: does `expr` contain a match of `pattern`? Anchor the pattern (^…$) for a full match. */
function matches(expr, pattern) {
  switch (engine()) {
    case "duckdb":
      return `regexp_matches(${expr}, ${str(pattern)})`;
    case "snowflake":
      // REGEXP_LIKE is anchored at both ends: pad unanchored patterns with .* on each side.
      return `regexp_like(${expr}, ${str(anchoredBothEnds(pattern) ? pattern : `.*(${pattern}).*`)}, 's')`;
    default: // postgres, redshift
      return `(${expr} ~ ${str(pattern)})`;
  }
}

function anchoredBothEnds(pattern) {
  return pattern.startsWith("^") && pattern.endsWith("$");
}

/**
 * Latin accents folded to ASCII, for matching keys. Single characters go through one `translate`
 * (lower and upper case, Latin-1 + Latin Extended-A letters seen in French, Spanish, Portuguese,
 * German, Italian, Polish and Nordic names); ligatures and ß, which become two letters, through
 * `replace`. The case of unaccented letters is kept.
 */
const ACCENT_GROUPS = [
  ["a", "àáâãäåāăą"], ["c", "çćč"], ["d", "ďđ"], ["e", "èéêëēėęě"], ["i", "ìíîïīį"], ["l", "ł"], ["n", "ñńň"],
  ["o", "òóôõöøōő"], ["r", "ŕř"], ["s", "śšş"], ["t", "ť"], ["u", "ùúûüūůűų"], ["y", "ýÿ"], ["z", "źżž"],
];
let ACCENTED = "";
let FOLDED = "";
for (const [base, chars] of ACCENT_GROUPS) {
  for (const c of Array.from(chars)) {
    ACCENTED += c + c.toUpperCase();
    FOLDED += base + base.toUpperCase();
  }
}
const LIGATURES = [["œ", "oe"], ["Œ", "OE"], ["æ", "ae"], ["Æ", "AE"], ["ß", "ss"], ["ẞ", "SS"], ["ð", "d"], ["Ð", "D"], ["þ", "th"], ["Þ", "TH"]];

function foldAccents(expr) {
  let out = `translate(${expr}, ${str(ACCENTED)}, ${str(FOLDED)})`;
  for (const [from, to] of LIGATURES) out = `replace(${out}, ${str(from)}, ${str(to)})`;
  // DuckDB's translate costs time in the length of its character list (~4 µs a value for this
  // one, the largest part of normalising a million records); ASCII text, the great majority,
  // is left alone at no cost: as many bytes (strlen) as characters (length).
  if (engine() === "duckdb") return `CASE WHEN strlen(${expr}) = length(${expr}) THEN ${expr} ELSE ${out} END`;
  return out;
}

/** Characters that count as spaces: ASCII whitespace, no-break and narrow no-break spaces. */
const SPACES = "[[:space:]\u00a0\u202f]";

/** Runs of whitespace (incl. no-break spaces) collapsed to one space, trimmed at both ends. */
function squish(expr) {
  return rx(rx(expr, `${SPACES}+`, " "), "^ | $", "");
}

/** The letters a–z of `expr` only (digits, separators, anything else dropped; '' when none). */
function lettersOnly(expr) {
  return rx(expr, "[^a-z]", "");
}

/** NULL for an empty string. */
function nullIfEmpty(expr) {
  return `NULLIF(${expr}, '')`;
}

/**
 * Whole-word replacements in a text made of lower-case words separated by single spaces.
 * Words are isolated by doubling the spaces and padding both ends (so adjacent words cannot share
 * a separator, which a single `replace(' av ', …)` would miss in "av av"), replaced with plain
 * `replace`, then spaces are collapsed again. `pairs` is [[word, replacement], …]; a replacement
 * may be '' (the word is removed) or several words.
 */
function replaceWords(expr, pairs) {
  let out = `' ' || replace(${expr}, ' ', '  ') || ' '`;
  for (const [from, to] of pairs) out = `replace(${out}, ${str(` ${from} `)}, ${str(to ? ` ${to} ` : " ")})`;
  return squish(out);
}

module.exports = { engine, str, rx, lettersOnly, matches, foldAccents, squish, nullIfEmpty, replaceWords, SPACES };
