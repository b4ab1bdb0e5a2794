// Email normalisation for identity resolution. Each function takes an SQL expression (a column,
// a cast, another helper's output) and returns an SQL expression. Reference: docs/normalisation.md.
//
//   email.normalize(expr)  trimmed, lower-cased text; NULL when empty.
//   email.isValid(expr)    pragmatic syntax check (TRUE/FALSE, FALSE for NULL).
//   email.isJunk(expr)     placeholder / test / no-reply / disposable addresses (TRUE/FALSE).
//   email.matchKey(expr)   canonical form for matching; NULL when invalid or junk.
//   email.isHouseholdMailbox(key, prefixes)  the address names a family's shared mailbox.
//   email.localLetters(key)  the local part's letters only ("dupont.75" → "dupont").
//   email.givenBesideSurname(key, surname)  the letters beside a surname ("beatrice").
//   email.initialBeforeSurname(key, surname)  one letter before a surname ("n").

const t = require("./sql_text");

/**
 * Trimmed (ASCII and no-break spaces), lower-cased email; a leading `mailto:` and enclosing `<…>`
 * are dropped; NULL when nothing is left.
 * @param {string} expr SQL expression of the raw email.
 * @returns {string} SQL expression (text or NULL).
 */
function normalize(expr) {
  const trimmed = t.rx(`lower(${expr})`, `^${t.SPACES}+|${t.SPACES}+$`, "");
  return t.nullIfEmpty(t.rx(trimmed, "^mailto:|^<|>$", ""));
}

// Local part: RFC 5322 "atext" characters in dot-separated runs (no leading, trailing or double
// dot); domain: dot-separated labels of letters, digits and inner hyphens, ending with an
// alphabetic TLD of 2+ letters. No quoted local parts, IP-literal domains or raw IDN (punycode
// `xn--` domains pass). Total length ≤ 254, local part ≤ 64.
const LOCAL_ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";
const EMAIL_RE = `^${LOCAL_ATOM}(\\.${LOCAL_ATOM})*@(${LABEL}\\.)+[a-z][a-z]+$`;

/**
 * Pragmatic syntax check of an email (normalised first). FALSE for NULL.
 * @param {string} expr SQL expression of the raw email.
 * @returns {string} SQL boolean expression.
 */
function isValid(expr) {
  return isValidNormalized(normalize(expr));
}

/** isValid() of an already normalised email (a column holding normalize()'s result). */
function isValidNormalized(n) {
  return `coalesce(length(${n}) <= 254 AND length(split_part(${n}, '@', 1)) <= 64 AND ${t.matches(n, EMAIL_RE)}, FALSE)`;
}

/**
 * Junk addresses: never a way to reach or recognise a person, so never a matching key.
 * Compared on the normalised email. Keep docs/normalisation.md in sync.
 */
const JUNK = {
  // Whole addresses commonly typed to get past a mandatory field.
  addresses: [
    "test@test.com", "test@test.fr", "a@a.com", "a@a.fr", "aa@aa.com", "aaa@aaa.com", "aaa@aaa.fr",
    "x@x.com", "xx@xx.com", "xxx@xxx.com", "xxx@xxx.fr", "no@no.com", "non@non.fr", "none@none.com",
    "email@email.com", "email@email.fr", "mail@mail.com", "mail@mail.fr", "foo@bar.com", "toto@toto.com",
    "toto@toto.fr", "user@domain.com", "name@domain.com", "nom@domaine.fr", "client@client.fr",
  ],
  // Local parts that mean "no address" or an unattended mailbox, at any domain.
  localParts: [
    "noreply", "no-reply", "no_reply", "no.reply", "donotreply", "do-not-reply", "do_not_reply", "ne-pas-repondre",
    "nepasrepondre", "no-email", "noemail", "no.email", "nomail", "no-mail", "pasdemail", "pas-de-mail", "pas.de.mail",
    "sansemail", "sans-email", "aucun", "aucune", "none", "null", "nobody", "unknown", "inconnu", "inconnue", "test",
    "invalid", "xxx", "nospam", "refus", "refuse",
  ],
  // Reserved example/test domains (RFC 2606/6761), placeholder domains, and public disposable
  // inboxes (anyone can read them, so they identify nobody).
  domains: [
    "example.com", "example.org", "example.net", "example.fr", "test.com", "test.fr", "test.org", "domain.com",
    "domaine.fr", "email.fr", "mailinator.com", "yopmail.com", "yopmail.fr", "yopmail.net", "jetable.org",
    "trashmail.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "temp-mail.org", "sharklasers.com",
  ],
};
// Regex over the normalised address: reserved TLDs, any `test.`/`example.`/`invalid.` domain
// label, local parts made of one repeated character (3+: `aaa@`, `xxxx@`), domains whose first
// label is one repeated character (`@aaa.`, `@x.`), and local parts `test<digits>`.
const JUNK_PATTERNS = [
  "@(.+\\.)?(test|example|invalid|localhost)\\.",
  "\\.(test|example|invalid|localhost|local)$",
  "^(a{3,}|b{3,}|c{3,}|d{3,}|e{3,}|f{3,}|g{3,}|h{3,}|i{3,}|j{3,}|k{3,}|l{3,}|m{3,}|n{3,}|o{3,}|p{3,}|q{3,}|r{3,}|s{3,}|t{3,}|u{3,}|v{3,}|w{3,}|x{3,}|y{3,}|z{3,}|0{3,}|1{3,}|2{3,}|3{3,}|4{3,}|5{3,}|6{3,}|7{3,}|8{3,}|9{3,})@",
  "@(a+|b+|c+|d+|e+|f+|g+|h+|i+|j+|k+|l+|m+|n+|o+|p+|q+|r+|s+|t+|u+|v+|w+|x+|y+|z+|[0-9]+)\\.[a-z]+$",
  "^test[0-9]*@",
];

/**
 * TRUE when the email is a placeholder, test, no-reply or disposable-inbox address (see JUNK and
 * JUNK_PATTERNS); FALSE otherwise, including NULL.
 * @param {string} expr SQL expression of the raw email.
 * @returns {string} SQL boolean expression.
 */
function isJunk(expr) {
  return isJunkNormalized(normalize(expr));
}

/** isJunk() of an already normalised email. */
function isJunkNormalized(n) {
  const list = (xs) => xs.map(t.str).join(", ");
  const local = `split_part(${n}, '@', 1)`;
  const domain = `split_part(${n}, '@', 2)`;
  return `coalesce(${n} IN (${list(JUNK.addresses)}) OR ${local} IN (${list(JUNK.localParts)}) OR ${domain} IN (${list(JUNK.domains)}) OR ${t.matches(n, JUNK_PATTERNS.join("|"))}, FALSE)`;
}

// Providers whose sub-addressing is documented and stable enough to strip for matching.
// Gmail: dots in the local part are ignored and `+tag` is a sub-address; googlemail.com is the
// same mailbox as gmail.com. Microsoft consumer mail (outlook/hotmail/live/msn, every country
// TLD): `+tag` sub-addresses; dots are significant. Yahoo uses disposable `base-keyword`
// addresses whose base cannot be told from a real hyphen, so Yahoo is left untouched, as are all
// other domains (a `+` is a legitimate character elsewhere).
const GMAIL_RE = "^(gmail|googlemail)\\.com$";
const MICROSOFT_RE = "^(outlook|hotmail|live|msn|windowslive)(\\.[a-z]{2,3})?\\.[a-z]{2,3}$";

/**
 * Canonical email for matching: normalised, googlemail.com → gmail.com, Gmail dots and `+tag`
 * removed, Microsoft `+tag` removed; NULL for invalid or junk emails (see isValid, isJunk).
 * @param {string} expr SQL expression of the raw email.
 * @returns {string} SQL expression (text or NULL).
 */
function matchKey(expr) {
  return matchKeyOfNormalized(normalize(expr));
}

/**
 * matchKey() of a column that already holds normalize()'s result: the same key, without
 * normalising again in each of the dozen places the key reads the address (at a million records,
 * the repeated normalisation took as long as the rest of the email work). normalize() is not
 * idempotent ("mailto:<a@b.fr>" → "<a@b.fr"), so pass its result, not the raw email.
 * @param {string} n SQL expression (best a column) of the normalised email.
 */
function matchKeyOfNormalized(n) {
  const local = `split_part(${n}, '@', 1)`;
  const domain = `split_part(${n}, '@', 2)`;
  const untagged = `split_part(${local}, '+', 1)`;
  const key = `CASE
    WHEN ${t.matches(domain, GMAIL_RE)} THEN ${t.nullIfEmpty(`replace(${untagged}, '.', '')`)} || '@gmail.com'
    WHEN ${t.matches(domain, MICROSOFT_RE)} THEN ${t.nullIfEmpty(untagged)} || '@' || ${domain}
    ELSE ${n} END`;
  return `CASE WHEN ${isValidNormalized(n)} AND NOT ${isJunkNormalized(n)} THEN ${key} END`;
}

// Local-part prefixes naming a family's shared mailbox (identity.matching.household_mailboxes'
// default; identity/config.ts holds the same list). Compared with the local part's separators
// dropped, so "famille.dupont", "famille_dupont" and Gmail's dotless key all start "famille".
const HOUSEHOLD_MAILBOXES = ["famille", "family", "familie", "familia", "famiglia", "mretmme", "monsieuretmadame", "mrandmrs"];
const PREFIX = /^[a-z0-9]+$/;

/**
 * TRUE when the address's local part, without its separators, starts with one of `prefixes`:
 * "famille.dupont@…" is a household's mailbox, whoever of its members typed it. FALSE for NULL.
 * @param {string} key SQL expression of a matchKey() (or normalised) address.
 * @param {string[]} prefixes lower-case letters and digits (checked: they are written into a regex).
 * @returns {string} SQL boolean expression.
 */
function isHouseholdMailbox(key, prefixes) {
  const bad = prefixes.find((p) => !PREFIX.test(p));
  if (bad !== undefined) throw new Error(`household mailbox prefix ${JSON.stringify(bad)}: use lower-case letters and digits only`);
  if (prefixes.length === 0) return "FALSE";
  const local = t.rx(`split_part(${key}, '@', 1)`, "[^a-z0-9]", "");
  return `coalesce(${t.matches(local, `^(${prefixes.join("|")})`)}, FALSE)`;
}

/**
 * The letters of an address's local part, digits and separators dropped: "m.dupont_75@…" →
 * "mdupont". identifier_stats compares it with the estate's surnames: a mailbox named by a
 * surname alone ("dupont75@") names a family, not one of its members.
 * @param {string} key SQL expression of a matchKey() (or normalised) address.
 * @returns {string} SQL expression (text; '' when the local part has no letter).
 */
function localLetters(key) {
  return t.lettersOnly(`split_part(${key}, '@', 1)`);
}

/**
 * What the local part spells beside a surname, letters only, when it is that surname followed or
 * preceded by two letters or more: "blanchard.beatrice5166@" and "catherineberger@" give
 * "beatrice" and "catherine" for Blanchard and Berger. person_records reads a given name's gender
 * from it for a record without a first name.
 * @param {string} key SQL expression of a matchKey() address.
 * @param {string} surname SQL expression of a last-name key (letters are kept; two at least).
 * @returns {string} SQL expression (text, or NULL).
 */
function givenBesideSurname(key, surname) {
  const local = localLetters(key);
  const sur = t.lettersOnly(surname);
  return `CASE WHEN LENGTH(${sur}) >= 2 AND LENGTH(${local}) > LENGTH(${sur}) + 1 THEN CASE
    WHEN LEFT(${local}, LENGTH(${sur})) = ${sur} THEN RIGHT(${local}, LENGTH(${local}) - LENGTH(${sur}))
    WHEN RIGHT(${local}, LENGTH(${sur})) = ${sur} THEN LEFT(${local}, LENGTH(${local}) - LENGTH(${sur})) END END`;
}

/**
 * The initial a local part spells before a surname: "nfrancois@", "n.francois@" → "n" for
 * François. Only before it: "dupontj@" is rarer, and was not measured.
 * @param {string} key SQL expression of a matchKey() address.
 * @param {string} surname SQL expression of a last-name key (two letters at least).
 * @returns {string} SQL expression (one letter, or NULL).
 */
function initialBeforeSurname(key, surname) {
  const local = localLetters(key);
  const sur = t.lettersOnly(surname);
  return `CASE WHEN LENGTH(${sur}) >= 2 AND LENGTH(${local}) = LENGTH(${sur}) + 1 AND RIGHT(${local}, LENGTH(${sur})) = ${sur} THEN LEFT(${local}, 1) END`;
}

module.exports = { normalize, isValid, isJunk, matchKey, matchKeyOfNormalized, isHouseholdMailbox, localLetters, givenBesideSurname, initialBeforeSurname, JUNK, JUNK_PATTERNS, HOUSEHOLD_MAILBOXES };
