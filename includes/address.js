// Postal addresses for identity resolution: street line, postcode and city keys. Each function
// takes SQL expressions and returns an SQL expression. Reference: docs/normalisation.md.
//
//   address.line(expr)               "12B, Av. du Gal de Gaulle" → "12 bis avenue du general de gaulle"
//   address.postcode(expr, country)  "F-7500" / "75 001" → "07500" / "75001"; NULL when not a postcode
//   address.city(expr)               "ST-ÉTIENNE CEDEX 2" → "saint etienne"
//
// French usage first: "st" is read as "saint" (never "street"), "r" as "rue", "ch" as "chemin".
// English street types other than the shared ones (avenue, boulevard, square, place) are kept as
// written ("street", "road"), so a British address still compares with itself.

const t = require("./sql_text");

/** Lower case, accents folded, punctuation → space, spaces collapsed (letters and digits kept). */
function words(expr) {
  return t.squish(t.rx(t.foldAccents(`lower(${expr})`), "[^a-z0-9]", " "));
}

/**
 * Street words → one canonical form (applied as whole words, after punctuation became spaces,
 * so "av." and "av" are the same word). Keep docs/normalisation.md in sync.
 */
const STREET_WORDS = [
  ["av", "avenue"], ["ave", "avenue"], ["aven", "avenue"], ["avn", "avenue"],
  ["bd", "boulevard"], ["bld", "boulevard"], ["blvd", "boulevard"], ["boul", "boulevard"], ["bvd", "boulevard"], ["boulv", "boulevard"],
  ["r", "rue"], ["pl", "place"], ["chem", "chemin"], ["ch", "chemin"], ["che", "chemin"], ["imp", "impasse"],
  ["all", "allee"], ["al", "allee"], ["rte", "route"], ["fbg", "faubourg"], ["fg", "faubourg"], ["faub", "faubourg"],
  ["sq", "square"], ["crs", "cours"], ["qu", "quai"], ["qai", "quai"], ["pass", "passage"], ["psg", "passage"],
  ["res", "residence"], ["resid", "residence"], ["lot", "lotissement"], ["lotiss", "lotissement"], ["ld", "lieu dit"],
  ["lieudit", "lieu dit"], ["ham", "hameau"], ["prom", "promenade"], ["sent", "sentier"], ["mte", "montee"],
  ["rpt", "rond point"], ["rdpt", "rond point"], ["za", "zone artisanale"], ["zi", "zone industrielle"],
  ["zac", "zone d amenagement concerte"], ["pte", "porte"], ["esp", "esplanade"], ["vla", "villa"], ["carr", "carrefour"],
  ["bat", "batiment"], ["bt", "batiment"], ["apt", "appartement"], ["appt", "appartement"], ["esc", "escalier"], ["etg", "etage"],
  ["st", "saint"], ["ste", "sainte"], ["sts", "saints"], ["stes", "saintes"],
  ["gal", "general"], ["gen", "general"], ["mal", "marechal"], ["pdt", "president"], ["pres", "president"],
  ["cdt", "commandant"], ["cne", "capitaine"], ["lt", "lieutenant"], ["col", "colonel"], ["dr", "docteur"], ["pr", "professeur"],
  ["gde", "grande"], ["gd", "grand"], ["nd", "notre dame"], ["n", ""], ["no", ""], ["num", ""],
];

/**
 * Normalised street line for matching: lower case, accents folded, punctuation removed, street
 * words expanded (STREET_WORDS), house-number suffixes normalised ("12b", "12 b", "12bis",
 * "12 bis" → "12 bis"; t/ter → ter; q/quater → quater). NULL when empty.
 * @param {string} expr SQL expression of the raw street line.
 */
function line(expr) {
  let s = words(expr);
  // House-number suffixes right after a number, glued or separated.
  s = t.rx(s, "([0-9]) ?(bis|b)( |$)", "\\1 bis\\3");
  s = t.rx(s, "([0-9]) ?(ter|t)( |$)", "\\1 ter\\3");
  s = t.rx(s, "([0-9]) ?(quater|q)( |$)", "\\1 quater\\3");
  s = t.replaceWords(s, STREET_WORDS);
  return t.nullIfEmpty(s);
}

/** Postcode rules by country (see postcode). */
const POSTCODE_RULES = {
  // 5 digits; a 4-digit value lost its leading zero in a numeric column (1000 → 01000).
  five: ["FR", "MC", "DE", "ES", "IT", "RE", "GP", "MQ", "MA", "DZ"],
  four: ["BE", "CH", "LU", "AT", "DK", "NO", "TN"],
};

function resolveCountry(country) {
  let c = country;
  if (c === undefined || c === null) {
    const vars = (dataform.projectConfig && dataform.projectConfig.vars) || {};
    c = vars.default_country || "FR";
  }
  const literal = /^([A-Z]{2})$|^'([A-Za-z]{2})'$/.exec(String(c).trim());
  return literal ? { code: (literal[1] || literal[2]).toUpperCase() } : { sql: `upper(trim(${c}))` };
}

/**
 * Postcode for matching, by country:
 *   FR, MC, DE, ES, IT, RE, GP, MQ, MA, DZ: digits only (spaces, "F-" prefixes dropped); 4 digits
 *     get their leading zero back (numeric columns drop it: 1000 → "01000"; a truncated "7500" also
 *     becomes "07500", which cannot be told apart); must then be 5 digits not starting with "00".
 *   BE, CH, LU, AT, DK, NO, TN: 4 digits ("L-1234" → "1234").
 *   NL: "1234 AB" → "1234AB".  PT: "1000-001" / "1000001" → "1000-001"; 4 digits alone accepted.
 *   GB: upper case, one space before the 3-character inward code ("sw1a1aa" → "SW1A 1AA").
 *   US: 5-digit ZIP (ZIP+4 truncated).  CA: "h2x1y4" → "H2X 1Y4".
 *   Other countries: upper case letters and digits only, unchecked.
 * NULL when the value does not fit its country's format.
 * @param {string} expr SQL expression of the raw postcode.
 * @param {string} [country] upper-case ISO code literal ("FR") or quoted literal ("'fr'"), or an
 *   SQL expression yielding an ISO code per row; omitted: the `default_country` var (FR).
 */
function postcode(expr, country) {
  const c = resolveCountry(country);
  const digits = t.rx(`CAST(${expr} AS VARCHAR)`, "[^0-9]", "");
  const alnum = t.rx(`upper(CAST(${expr} AS VARCHAR))`, "[^A-Z0-9]", "");
  // Values that carry anything but digits, spaces, dots, dashes and a country prefix are not
  // numeric postcodes ("75001 PARIS" is rejected rather than guessed).
  const numericShape = (prefix) => t.matches(`upper(trim(CAST(${expr} AS VARCHAR)))`, `^(${prefix}[ -]?)?[0-9][0-9 .-]*$`);
  const rules = {
    five: (prefix) => `CASE WHEN ${numericShape(prefix)} THEN CASE
        WHEN length(${digits}) = 4 THEN '0' || ${digits}
        WHEN length(${digits}) = 5 AND ${digits} NOT LIKE '00%' THEN ${digits} END END`,
    four: (prefix) => `CASE WHEN ${numericShape(prefix)} AND length(${digits}) = 4 THEN ${digits} END`,
    NL: `CASE WHEN ${t.matches(alnum, "^[1-9][0-9]{3}[A-Z]{2}$")} THEN ${alnum} END`,
    PT: `CASE WHEN ${numericShape("P")} AND length(${digits}) = 7 THEN substr(${digits}, 1, 4) || '-' || substr(${digits}, 5, 3)
              WHEN ${numericShape("P")} AND length(${digits}) = 4 THEN ${digits} END`,
    GB: `CASE WHEN ${t.matches(alnum, "^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")} THEN substr(${alnum}, 1, length(${alnum}) - 3) || ' ' || substr(${alnum}, length(${alnum}) - 2, 3) END`,
    US: `CASE WHEN ${t.matches(`trim(CAST(${expr} AS VARCHAR))`, "^[0-9]{5}(-?[0-9]{4})?$")} THEN substr(${digits}, 1, 5) END`,
    CA: `CASE WHEN ${t.matches(alnum, "^[A-Z][0-9][A-Z][0-9][A-Z][0-9]$")} THEN substr(${alnum}, 1, 3) || ' ' || substr(${alnum}, 4, 3) END`,
    other: t.nullIfEmpty(alnum),
  };
  const prefixOf = (code) => (code === "LU" ? "L" : code === "BE" ? "B" : code === "CH" ? "CH" : code === "DE" ? "D" : code === "FR" ? "F" : code);
  const forCode = (code) => {
    if (POSTCODE_RULES.five.includes(code)) return rules.five(prefixOf(code));
    if (POSTCODE_RULES.four.includes(code)) return rules.four(prefixOf(code));
    return rules[code] || rules.other;
  };
  if (c.code) return forCode(c.code);
  const codes = [...POSTCODE_RULES.five, ...POSTCODE_RULES.four, "NL", "PT", "GB", "US", "CA"];
  return `CASE ${c.sql} ${codes.map((code) => `WHEN ${t.str(code)} THEN ${forCode(code)}`).join(" ")} ELSE ${rules.other} END`;
}

/**
 * City key: lower case, accents folded, hyphens/apostrophes/punctuation → space, "st"/"ste" →
 * "saint"/"sainte", "cedex" with its number removed, trailing arrondissement numbers removed
 * ("Paris 16e", "Lyon 3ème" → "paris", "lyon"), spaces collapsed. NULL when empty.
 * @param {string} expr SQL expression of the raw city.
 */
function city(expr) {
  let s = t.replaceWords(words(expr), [["st", "saint"], ["ste", "sainte"], ["sts", "saints"], ["stes", "saintes"]]);
  s = t.rx(s, "(^| )cedex( [0-9]+)?", "");
  s = t.rx(s, "( [0-9]+( ?(e|er|eme|ieme|em))?)+$", "");
  s = t.rx(s, "^[0-9]+ ", ""); // a postcode typed into the city field: "75001 paris"
  return t.nullIfEmpty(t.squish(s));
}

module.exports = { line, postcode, city, STREET_WORDS, POSTCODE_RULES };
