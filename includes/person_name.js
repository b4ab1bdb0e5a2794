// Person names (first and last) for identity resolution. Each function takes an SQL expression
// and returns an SQL expression. Reference: docs/normalisation.md.
//
//   person_name.display(expr)             "jean-PIERRE  d'ARTAGNAN" → "Jean-Pierre D'Artagnan"
//   person_name.matchKey(expr)            "M. Jean-Pierre D'Hérouville" → "jean pierre d herouville"
//   person_name.stripParticles(expr)      match key without leading particles: "de la fontaine" → "fontaine"
//   person_name.firstToken(expr)          first word of the match key: "jean"
//   person_name.initial(expr)             first letter of the match key: "j"
//   person_name.phonetic(expr)            French-aware phonetic key: "Philippe" / "Filipe" → "FILIP"
//   person_name.canonicalFirstName(expr)  compound abbreviations expanded: "JP" / "Jean-Pierre" → "jean pierre"
//   person_name.initialsOfKey(key)        initials of a compound first name: "jean michel" / "j m" / "jm" → "jm"
//
// Every function accepts raw text or an existing match key (matchKey is idempotent), so
// `phonetic(first_key)` and `phonetic(first_name_raw)` give the same result.

const t = require("./sql_text");

// Titles and honorifics removed from the start of a name (after punctuation became spaces, so
// "M." is "m"). Only leading words are removed: a trailing "M" may be an initial.
const HONORIFICS = [
  "m", "mr", "mme", "mmes", "mlle", "mlles", "melle", "mrs", "ms", "miss", "mister", "messrs", "monsieur", "madame",
  "mademoiselle", "dr", "docteur", "doctor", "pr", "prof", "professeur", "professor", "me", "maitre", "sir", "dame",
];

// The gender a title states, when it states one ("Dr", "Me" do not): the only evidence of which
// member of a household a record without a first name ("M. Henry" on the family landline) is.
// Compared after punctuation and case are dropped ("M." and "MME" are "m" and "mme").
const TITLE_GENDERS = {
  F: ["mme", "mmes", "mlle", "mlles", "melle", "madame", "mesdames", "mademoiselle", "mrs", "ms", "miss", "dame"],
  M: ["m", "mr", "monsieur", "messieurs", "messrs", "mister", "sir"],
};

// Placeholders typed into a mandatory name field: "N/A", "XXX", "-", "inconnu". They name nobody,
// so their key is NULL (a record carrying one is nameless, not named "Xxx"). Compared on the key
// (after honorifics), whole key only: "Na" or "Test" as a real surname is not worth the risk of
// two strangers agreeing on "xxx".
const JUNK_NAMES = ["n a", "na", "nc", "nr", "nd", "inconnu", "inconnue", "unknown", "none", "null", "aucun", "aucune", "neant", "test", "anonyme", "anonymous", "nom", "prenom", "client", "cliente"];
const JUNK_NAME_RE = `^(${JUNK_NAMES.join("|")}|x{2,}|z{3,}|a{3,})$`;

// Name particles: kept in the match key ("de la fontaine"), removed by stripParticles.
const PARTICLES = ["de", "du", "des", "d", "le", "la", "les", "l", "van", "von", "der", "den", "di", "da", "del", "della", "dos", "das"];

/**
 * Name for display: whitespace collapsed, every word part (after a space, hyphen or apostrophe)
 * capitalised, the rest lower case, accents kept. DuckDB has no INITCAP, so it is built per
 * character there; PostgreSQL, Snowflake and Redshift use INITCAP (which also capitalises after
 * other punctuation). NULL when empty. Particles are capitalised too ("De La Fontaine").
 * @param {string} expr SQL expression of the raw name.
 */
function display(expr) {
  const s = t.nullIfEmpty(`lower(${t.squish(expr)})`);
  // Snowflake: INITCAP with the same delimiters as the DuckDB form below (its default list also
  // has . _ and other punctuation).
  if (t.engine() === "snowflake") return `INITCAP(${s}, ${t.str(" -'’")})`;
  if (t.engine() === "postgres" || t.engine() === "redshift") return initcapAfterSeparators(s);
  if (t.engine() !== "duckdb") return `initcap(${s})`;
  // DuckDB: split on each separator in turn and capitalise the first letter of the innermost
  // pieces: a letter is capitalised exactly when it starts the name or follows a separator.
  // (A lambda over character positions gave the same result at ~10 µs a name: too slow for
  // millions of records.) Python-style `lambda` syntax: `->` is deprecated in DuckDB 1.3+.
  const seps = [" ", "-", "'", "’"];
  const nest = (i, v) => {
    if (i === seps.length) return `(upper(${v}[1]) || ${v}[2:])`;
    const w = `w${i}`;
    return `array_to_string(list_transform(string_split(${v}, ${t.str(seps[i])}), lambda ${w}: ${nest(i + 1, w)}), ${t.str(seps[i])})`;
  };
  return nest(0, s);
}

/**
 * Punctuation after which INITCAP capitalises but the DuckDB formulation (and display()'s
 * contract: only after a space, hyphen or apostrophe) does not: ASCII punctuation and common
 * typographic marks.
 */
const NOT_SEPARATORS = Array.from("!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~´‘“”«»·…");

/**
 * INITCAP capitalising only after the start, a space, a hyphen or an apostrophe, as DuckDB's
 * display(): each other punctuation mark is followed by a '0' (a digit: INITCAP then keeps the next
 * letter lower case), and the '0' removed again (replace() is left to right and does not overlap,
 * so a real '0' after the mark survives). Marks outside NOT_SEPARATORS keep INITCAP's behaviour.
 */
function initcapAfterSeparators(s) {
  let marked = s;
  for (const c of NOT_SEPARATORS) marked = `replace(${marked}, ${t.str(c)}, ${t.str(c + "0")})`;
  let out = `initcap(${marked})`;
  for (const c of NOT_SEPARATORS) out = `replace(${out}, ${t.str(c + "0")}, ${t.str(c)})`;
  return out;
}

/**
 * Matching key: lower case, accents folded (œ → oe, æ → ae, ß → ss), hyphens, apostrophes, dots
 * and other punctuation → space, digits and other symbols removed, spaces collapsed, leading
 * honorifics (HONORIFICS) removed; particles kept. NULL when nothing is left.
 * @param {string} expr SQL expression of the raw name (or an existing key).
 */
function matchKey(expr) {
  const folded = t.foldAccents(`lower(${expr})`);
  const letters = t.rx(t.rx(folded, "[-'’‘`´.,;:/_()&]", " "), "[^a-z ]", "");
  const squished = t.squish(letters);
  // Leading titles go only when a word of two letters or more follows ("Mme Dupont"): in "M-H"
  // (Marie-Hélène) the M is an initial, not Monsieur. A title alone names nobody.
  const noTitle = t.rx(squished, `^((${HONORIFICS.join("|")}) )+([a-z][a-z])`, "\\3");
  return t.nullIfEmpty(t.rx(noTitle, `^(${HONORIFICS.join("|")})$|${JUNK_NAME_RE}`, ""));
}

/**
 * Whether a first name's match key reads as abbreviated: three letters at most (JM, Léo — the
 * comparisons tell a name from initials by its vowels) or a one-letter word ("jean m", "j m").
 * Pass a column: it is repeated.
 */
function abbreviatedKey(k) {
  return `(length(${k}) <= 3 OR ${k} LIKE '% _' OR ${k} LIKE '_ %')`;
}

/**
 * Initials of a compound first name, from its match key: "jean michel" → "jm", "j m" → "jm",
 * "jean m" → "jm"; a key of two or three letters is taken as initials already ("jm"). NULL for
 * other single names. Pass a column: it is repeated.
 */
function initialsOfKey(k) {
  const letter = (i) => `substr(split_part(${k}, ' ', ${i}), 1, 1)`;
  return `CASE WHEN ${k} LIKE '% %' THEN ${letter(1)} || ${letter(2)} || ${letter(3)} WHEN length(${k}) BETWEEN 2 AND 3 THEN ${k} END`;
}

/**
 * Match key without leading particles ("de la fontaine" → "fontaine", "d artagnan" → "artagnan",
 * "van der berg" → "berg"); the key itself when it is only particles ("de").
 * @param {string} expr SQL expression of the raw name (or an existing key).
 */
function stripParticles(expr) {
  const k = matchKey(expr);
  const stripped = t.rx(k, `^((${PARTICLES.join("|")}) )+`, "");
  return `coalesce(${t.nullIfEmpty(stripped)}, ${k})`;
}

/** First word of the match key ("jean pierre" → "jean"). */
function firstToken(expr) {
  return `split_part(${matchKey(expr)}, ' ', 1)`;
}

/** First letter of the match key ("Élodie" → "e"). */
function initial(expr) {
  return t.nullIfEmpty(`substr(${matchKey(expr)}, 1, 1)`);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
/** Doubled letters collapsed (ll → l, tt → t …), for lower- and upper-case letters. */
function collapseDoubles(expr, upperCase) {
  let out = expr;
  for (const ch of LETTERS) {
    const c = upperCase ? ch.toUpperCase() : ch;
    out = `replace(${out}, '${c}${c}', '${c}')`;
  }
  return out;
}

/**
 * French-aware phonetic key (upper case, no spaces), built from portable regexp_replace and
 * replace chains, in this order, on the match key (lower-case ASCII; rewritten sounds become
 * upper-case codes so later rules leave them alone):
 *   1. doubled letters collapsed (ll → l, nn → n, tt → t …)
 *   2. chr → KR; sch, ch → X (the "ch" sound); ph → F; bv → V (Lefebvre = Lefèvre)
 *   3. gu before e/i/y → G; ge before a/o/u → J; g before e/i/y → J
 *   4. qu, q, ck → K; c before e/i/y → S; remaining c → K; z → S
 *   5. eau, final ault, au → O; ai, ei → E; final er, ez → E
 *   6. an/am/en/em before a consonant or at word end → AN (nasal: Laurent = Lorand)
 *   7. silent final consonants: s, t, d, x (and clusters of them) at a word end are dropped
 *   8. final e after a consonant other than n or m is dropped (Michèle = Michel; Jeanne ≠ Jean)
 *   9. remaining h removed; y → I; w → V; x → KS; k → K
 *  10. upper case, doubled letters collapsed again, spaces removed.
 * Collisions are intended for homophones (see docs/normalisation.md for the pairs tested to
 * collide and not to collide); it is a blocking / fuzzy signal, not an identity.
 * @param {string} expr SQL expression of the raw name (or an existing key).
 */
function phonetic(expr) {
  return phoneticOfKey(matchKey(expr));
}

// Glyphs a scanned form's OCR reads as others, two letters for one: "rn" for "m" (Arnbre),
// "ii" for "u" (Aiirélie), "cl" for "d", "ri" for "n" (Aridré, Iriès). Similarity sees two edits
// there, and a short name falls out of every band; one-glyph confusions (e/c, i/l) are one edit,
// which the similarity bands see. (Digits read for letters, 5chneider, are dropped by matchKey, one
// edit too.) Two common given names one confusion apart (Manon / Marion) are two people: the
// first-name level "two different common first names" comes first. With "ri" / "n", pairwise F1
// 0.949325 -> 0.949350 at 1M records (André / Aridré alone: 18 pairs of one person kept apart).
const OCR_CONFUSIONS = [["ii", "u"], ["rn", "m"], ["cl", "d"], ["ri", "n"]];

/**
 * A match key with its two-glyph OCR confusions read as the letter they stand for ("aiirelie" →
 * "aurelie", "arnbre" → "ambre"). Compared only with another folded key: "bernard" folds to
 * "bemard" on both sides alike.
 * @param {string} key SQL expression of a match key.
 */
function ocrFoldOfKey(key) {
  return OCR_CONFUSIONS.reduce((out, [from, to]) => `replace(${out}, ${t.str(from)}, ${t.str(to)})`, key);
}

/** phonetic() of a column or expression that is already a match key (no second matchKey). */
function phoneticOfKey(key) {
  let s = collapseDoubles(key, false);
  const steps = [
    ["chr", "KR"], ["sch", "X"], ["ch", "X"], ["ph", "F"], ["bv", "V"],
    ["gu([eiy])", "G\\1"], ["ge([aou])", "J\\1"], ["g([eiy])", "J\\1"],
    ["qu", "K"], ["q", "K"], ["ck", "K"], ["c([eiy])", "S\\1"], ["c", "K"], ["z", "S"],
    ["eau", "O"], ["ault( |$)", "O\\1"], ["au", "O"], ["ai", "E"], ["ei", "E"], ["e[rz]( |$)", "E\\1"],
    ["[ae][nm]([^aeiouyAEIOUY]|$)", "AN\\1"],
    ["([a-zA-Z])[stdxSTDX]+( |$)", "\\1\\2"],
    ["([^aeiouynmAEIOUYNM ])e( |$)", "\\1\\2"],
    ["h", ""], ["y", "I"], ["w", "V"], ["x", "KS"], ["k", "K"],
  ];
  for (const [pattern, replacement] of steps) s = t.rx(s, pattern, replacement);
  return t.nullIfEmpty(`replace(${collapseDoubles(`upper(${s})`, true)}, ' ', '')`);
}

/**
 * Compound first-name abbreviations (on the match key, so "J.-P.", "J-P", "jp" all read "j p" or
 * "jp"), and compounds written without separator ("jeanpierre"). The most frequent French
 * expansion is chosen; abbreviations with no clear majority (MC: Marie-Claire / Marie-Christine,
 * JM is kept as Jean-Marie per the standard model's choice) are documented in
 * docs/normalisation.md. Keys not in the list are returned unchanged.
 */
const FIRST_NAME_ABBREVIATIONS = [
  ["jp", "jean pierre"], ["jm", "jean marie"], ["jc", "jean claude"], ["jl", "jean luc"], ["jf", "jean francois"],
  ["jb", "jean baptiste"], ["jj", "jean jacques"], ["jy", "jean yves"], ["jmi", "jean michel"], ["jma", "jean marc"],
  ["jph", "jean philippe"], ["jch", "jean christophe"], ["jpa", "jean paul"], ["pa", "pierre alain"], ["ph", "philippe"],
  ["am", "anne marie"], ["ms", "marie sophie"], ["mf", "marie france"], ["mth", "marie therese"],
];
const COMPOUND_FIRST = "jean|marie|anne|pierre|louis";
const COMPOUND_SECOND = "pierre|paul|marie|claude|luc|francois|baptiste|jacques|yves|marc|michel|louis|philippe|christophe|noel|charles|christine|claire|france|helene|laure|odile|therese|sophie|anne|alain|olivier";

/**
 * Canonical first name: match key with compound abbreviations expanded (FIRST_NAME_ABBREVIATIONS,
 * also with a space between the letters: "j p") and separator-less compounds split
 * ("jeanpierre" → "jean pierre").
 * @param {string} expr SQL expression of the raw first name (or its match key).
 */
function canonicalFirstName(expr) {
  return canonicalFirstNameOfKey(matchKey(expr));
}

/**
 * canonicalFirstName() of a column that is already a match key. Pass a column, not a long
 * expression: it is repeated in every WHEN.
 */
function canonicalFirstNameOfKey(k) {
  const whens = FIRST_NAME_ABBREVIATIONS.map(([abbr, full]) => {
    const spaced = abbr.length === 2 ? `, ${t.str(abbr[0] + " " + abbr[1])}` : "";
    return `WHEN ${k} IN (${t.str(abbr)}${spaced}) THEN ${t.str(full)}`;
  });
  const split = t.rx(k, `^(${COMPOUND_FIRST})(${COMPOUND_SECOND})$`, "\\1 \\2");
  return `CASE ${whens.join(" ")} ELSE ${split} END`;
}

/**
 * 'F' or 'M' when the title `expr` (raw text: "Mme", "M.", "MONSIEUR", "Mrs.") states a gender
 * (TITLE_GENDERS), NULL otherwise (no title, "Dr", an unknown word).
 * @param {string} expr SQL expression of the raw title; repeated, so pass a column.
 */
function genderOfTitle(expr) {
  const word = `lower(${t.rx(`trim(${expr})`, "[^A-Za-z]", "")})`;
  const inList = (list) => `${word} IN (${list.map((x) => t.str(x)).join(", ")})`;
  return `CASE WHEN ${inList(TITLE_GENDERS.F)} THEN 'F' WHEN ${inList(TITLE_GENDERS.M)} THEN 'M' END`;
}

/**
 * A name typed in one field ("Mme Dupont", "LE GALL Hervé", "Anne-Sophie GARNIER", "de la Fontaine
 * Jean", "Jean Dupont") split into first and last name, as raw text (case and accents kept for
 * display). Returns { first, last, title }: SQL expressions over `expr`, which is repeated (pass
 * a column or a field); title is the leading honorific as typed, NULL when there is none. Rules,
 * in order:
 *   - one word: a last name alone;
 *   - a leading honorific (HONORIFICS, with or without a dot): the rest is the last name;
 *   - words in capitals on one side only: they are the last name (at most two: "LE GALL"), the
 *     other words the first name, whichever comes first;
 *   - a leading particle (PARTICLES; two for "de la"): it and the next word are the last name;
 *   - otherwise the first word is the first name and the rest the last name. "Dupont Jean" is
 *     then split the wrong way round, which the matcher's swapped-names levels compare.
 */
function splitFullName(expr) {
  const s = `${t.squish(`trim(${expr})`)}`;
  const word = (i) => `split_part(${s}, ' ', ${i})`;
  const lowerWord = (i) => `lower(${word(i)})`;
  const lastWord = t.rx(s, "^.* ", "");
  const beforeLastWord = t.rx(s, "^(.* )?([^ ]+) [^ ]+$", "\\2");
  const caps = (w) => `(${w} = upper(${w}) AND ${w} <> lower(${w}) AND length(${w}) >= 2)`;
  const words = `(length(${s}) - length(replace(${s}, ' ', '')) + 1)`;
  // The text after the first k words, and before the last k words.
  const after = (k) => `ltrim(substr(${s}, length(${Array.from({ length: k }, (_, i) => word(i + 1)).join(" || ' ' || ")}) + 2))`;
  const before = (tail) => `rtrim(substr(${s}, 1, length(${s}) - length(${tail})))`;
  const inList = (e, list) => `${e} IN (${list.map((x) => t.str(x)).join(", ")})`;
  const honorific = inList(t.rx(lowerWord(1), "[.]", ""), HONORIFICS);
  const particle = (i) => inList(lowerWord(i), PARTICLES);
  const twoCapsFirst = `${caps(word(2))} AND ${words} >= 3`;
  const twoCapsLast = `${caps(beforeLastWord)} AND ${words} >= 3`;
  const capsFirst = `${caps(word(1))} AND NOT ${caps(lastWord)}`;
  const capsLast = `${caps(lastWord)} AND NOT ${caps(word(1))}`;
  const tail2 = `${beforeLastWord} || ' ' || ${lastWord}`;
  const cases = (pick) => `CASE
    WHEN ${s} IS NULL OR ${s} = '' THEN NULL
    WHEN ${words} = 1 THEN ${pick("NULL", s)}
    WHEN ${honorific} THEN ${pick("NULL", after(1))}
    WHEN ${capsFirst} AND ${twoCapsFirst} THEN ${pick(after(2), `${word(1)} || ' ' || ${word(2)}`)}
    WHEN ${capsFirst} THEN ${pick(after(1), word(1))}
    WHEN ${capsLast} AND ${twoCapsLast} THEN ${pick(before(tail2), tail2)}
    WHEN ${capsLast} THEN ${pick(before(lastWord), lastWord)}
    WHEN ${particle(1)} AND ${particle(2)} AND ${words} >= 4 THEN ${pick(after(3), `${word(1)} || ' ' || ${word(2)} || ' ' || ${word(3)}`)}
    WHEN ${particle(1)} AND ${words} >= 3 THEN ${pick(after(2), `${word(1)} || ' ' || ${word(2)}`)}
    ELSE ${pick(word(1), after(1))}
  END`;
  // The title only where the split above took it as one: a one-word "Madame" is a last name.
  const title = `CASE WHEN ${words} >= 2 AND ${honorific} THEN ${word(1)} END`;
  return { first: cases((f) => f), last: cases((_, l) => l), title };
}

module.exports = { ocrFoldOfKey, abbreviatedKey, splitFullName, genderOfTitle, display, matchKey, initialsOfKey, stripParticles, firstToken, initial, phonetic, phoneticOfKey, canonicalFirstName, canonicalFirstNameOfKey, HONORIFICS, TITLE_GENDERS, PARTICLES, FIRST_NAME_ABBREVIATIONS, JUNK_NAMES };
