// Dates typed by people or exported by source systems, for identity resolution (birth dates) and
// staging in general. Each function takes an SQL expression and returns an SQL expression.
// Reference: docs/normalisation.md.
//
//   dates.parse(expr)                   DATE, or NULL when unparseable or impossible
//   dates.parseBirthDate(expr)          parse, and NULL outside 1900-01-01 … today
//   dates.invalidReason(expr, range)    NULL when valid (or empty); 'unparseable' | 'impossible date' | 'out of range'
//
// Accepted inputs (text, or DATE/TIMESTAMP values, which are cast to text first):
//   YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD     (1- or 2-digit month and day)
//   DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY     (day first, French and European usage — never MM/DD)
//   YYYYMMDD                               (8 digits)
//   any of the above followed by a time: "2024-03-05T10:30:00Z", "2024-03-05 10:30:00.123+02",
//   "05/03/2024 10:30" — the date part is taken as written (no time-zone conversion).
// Two-digit years ("05/03/84") are ambiguous and reported 'unparseable'. Impossible dates
// (31/02, month 13, day 0, 29/02 outside leap years) are detected from the parts with the
// Gregorian rules, never by letting an engine roll 31/02 over into March.

const t = require("./sql_text");

const TIME = "([ T][0-9]{1,2}[:h][0-9]{2}.*)?";
const YMD = `^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})${TIME}$`;
const DMY = `^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})${TIME}$`;
const COMPACT = "^([0-9]{4})([0-9]{2})([0-9]{2})$";

function text(expr) {
  return t.squish(`CAST(${expr} AS VARCHAR)`);
}

/** The year, month and day parts as INTEGER expressions (NULL when no format matches). */
function parts(expr) {
  return partsOf(text(expr));
}

/** parts() of text already squished (an expression or a column). */
function partsOf(s) {
  const part = (ymdGroup, dmyGroup, compactGroup) => `CAST(CASE
      WHEN ${t.matches(s, YMD)} THEN ${t.rx(s, YMD, `\\${ymdGroup}`)}
      WHEN ${t.matches(s, DMY)} THEN ${t.rx(s, DMY, `\\${dmyGroup}`)}
      WHEN ${t.matches(s, COMPACT)} THEN ${t.rx(s, COMPACT, `\\${compactGroup}`)} END AS INTEGER)`;
  return { s, y: part(1, 3, 1), m: part(2, 2, 2), d: part(3, 1, 3) };
}

/** SQL boolean: y-m-d is a real Gregorian date (month 1-12, day within the month). */
function isRealDate(p) {
  const leap = `(mod(${p.y}, 4) = 0 AND (mod(${p.y}, 100) <> 0 OR mod(${p.y}, 400) = 0))`;
  const days = `CASE WHEN ${p.m} IN (1, 3, 5, 7, 8, 10, 12) THEN 31 WHEN ${p.m} IN (4, 6, 9, 11) THEN 30 WHEN ${leap} THEN 29 ELSE 28 END`;
  return `(${p.m} BETWEEN 1 AND 12 AND ${p.d} BETWEEN 1 AND ${days})`;
}

/** A DATE from parts already checked by isRealDate. */
function makeDate(p) {
  switch (t.engine()) {
    case "duckdb":
    case "postgres":
      return `make_date(${p.y}, ${p.m}, ${p.d})`;
    case "snowflake":
      return `date_from_parts(${p.y}, ${p.m}, ${p.d})`;
    default: // redshift: ISO text cast
      return `CAST(lpad(CAST(${p.y} AS VARCHAR), 4, '0') || '-' || lpad(CAST(${p.m} AS VARCHAR), 2, '0') || '-' || lpad(CAST(${p.d} AS VARCHAR), 2, '0') AS DATE)`;
  }
}

const RANGES = {
  // Any date with a 4-digit year from 1000 on.
  any: (p) => `${p.y} >= 1000`,
  // Birth dates: from 1900-01-01 to today (CURRENT_DATE of the warehouse session).
  birth: (p) => `${p.y} >= 1900 AND ${makeDate(p)} <= CURRENT_DATE`,
};

/**
 * Why a date is rejected, or NULL when it is valid, NULL or blank.
 * 'unparseable' (no accepted format), 'impossible date' (31/02, month 13, …), 'out of range'
 * (range "birth", the default: before 1900 or in the future; range "any": year before 1000).
 * @param {string} expr SQL expression (text, DATE or TIMESTAMP).
 * @param {"birth"|"any"} [range] which dates are in range; "birth" by default, matching parseBirthDate.
 */
function invalidReason(expr, range) {
  return reasonOf(parts(expr), range);
}

function reasonOf(p, range) {
  const inRange = RANGES[range || "birth"];
  if (!inRange) throw new Error(`dates.invalidReason: range must be "birth" or "any", got "${range}"`);
  return `CASE
    WHEN ${t.nullIfEmpty(p.s)} IS NULL THEN NULL
    WHEN ${p.y} IS NULL THEN 'unparseable'
    WHEN NOT ${isRealDate(p)} THEN 'impossible date'
    WHEN NOT (${inRange(p)}) THEN 'out of range'
    END`;
}

function parseIn(expr, range) {
  return parseOf(parts(expr), range);
}

function parseOf(p, range) {
  return `CASE WHEN ${isRealDate(p)} THEN CASE WHEN ${RANGES[range](p)} THEN ${makeDate(p)} END END`;
}

/**
 * A DATE from text in any accepted format (see the file header); NULL when unparseable,
 * impossible or before year 1000.
 * @param {string} expr SQL expression (text, DATE or TIMESTAMP).
 */
function parse(expr) {
  return parseIn(expr, "any");
}

/**
 * parse(), restricted to plausible birth dates: 1900-01-01 to today; NULL otherwise.
 * @param {string} expr SQL expression (text, DATE or TIMESTAMP).
 */
function parseBirthDate(expr) {
  return parseIn(expr, "birth");
}

/** invalidReason with the birth-date range (an explicit alias). */
function birthDateInvalidReason(expr) {
  return invalidReason(expr, "birth");
}

/**
 * parseBirthDate and birthDateInvalidReason of a column as *layers* of named columns (see
 * relations.layerCtes): the same results, with the text and the year, month and day parts
 * computed once per row — nested, each use of a part re-ran its regexes (~470 regex calls per
 * record for the two columns, ~20 this way). Output columns `<prefix>date` and
 * `<prefix>date_invalid_reason`; intermediates start with `_<prefix>`.
 * @param {string} column SQL column (text, DATE or TIMESTAMP).
 * @param {string} prefix output column prefix, e.g. "birth_".
 */
function birthDateLayers(column, prefix) {
  const n = (k) => `_${prefix}${k}`;
  const first = partsOf(n("s"));
  const p = { s: n("s"), y: n("y"), m: n("m"), d: n("d") };
  return [
    [[p.s, text(column)]],
    [[p.y, first.y], [p.m, first.m], [p.d, first.d]],
    [[`${prefix}date`, parseOf(p, "birth")], [`${prefix}date_invalid_reason`, reasonOf(p, "birth")]],
  ];
}

module.exports = { parse, parseBirthDate, invalidReason, birthDateInvalidReason, birthDateLayers };
