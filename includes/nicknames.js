// First-name nicknames (hypocoristics) for identity resolution: "Fred" on a loyalty card and
// "Frédéric" in the CRM are one first name, though no spelling similarity or sound key says so,
// and two common names that far apart are otherwise read as two people. Reference:
// docs/normalisation.md.
//
//   nicknames.formalNamesOfKey(key)   "fred" → '|frederic|frederique|'; NULL when not a nickname.
//   nicknames.NICKNAMES               the list: nickname key → the formal names' keys.
//
// Keys are person_name.matchKey()s: lower case, accents folded, hyphens as spaces. The list holds
// shortenings in common use in France and in English-speaking countries, not every pet name: a
// nickname links two records only through the first-name comparison (pair_scores still needs the
// other attributes, or a shared email or phone, to link them), so a missing entry costs a link
// and a wrong one may cost a false merge. Names that are given as names in their own right and
// only sometimes shorten another (Théo, Léo, Max, Tom, Alex) are kept: a Théo and a Théodore with
// one last name, email or phone are more often one person than two. Ambiguous nicknames name all
// their formal names (Chris: Christophe, Christian, Christine); the comparison then accepts any.

const t = require("./sql_text");

const NICKNAMES = {
  // French
  alex: ["alexandre", "alexandra", "alexis"],
  aurel: ["aurelien", "aurelie"],
  ben: ["benjamin", "benoit"],
  cathy: ["catherine"],
  caro: ["caroline"],
  chris: ["christophe", "christian", "christine"],
  dom: ["dominique"],
  domi: ["dominique"],
  elo: ["elodie"],
  flo: ["florence", "florian", "florent"],
  fred: ["frederic", "frederique"],
  gab: ["gabriel", "gabrielle"],
  gaby: ["gabriel", "gabrielle"],
  greg: ["gregory", "gregoire"],
  isa: ["isabelle"],
  jeannot: ["jean"],
  jo: ["joseph", "josephine", "johanna", "jonathan"],
  lolo: ["laurent", "laurence"],
  manu: ["emmanuel", "emmanuelle"],
  mat: ["mathieu", "matthieu", "mathias"],
  matt: ["mathieu", "matthieu", "matthew"],
  max: ["maxime", "maximilien"],
  mel: ["melanie"],
  nath: ["nathalie"],
  nico: ["nicolas"],
  pat: ["patrick", "patricia"],
  phil: ["philippe"],
  pierrot: ["pierre"],
  sandy: ["sandrine", "sandra"],
  seb: ["sebastien"],
  steph: ["stephane", "stephanie"],
  theo: ["theodore"],
  tom: ["thomas"],
  val: ["valerie", "valentin", "valentine"],
  vince: ["vincent"],
  zaza: ["isabelle"],
  // English
  andy: ["andrew"],
  bill: ["william"],
  billy: ["william"],
  bob: ["robert"],
  bobby: ["robert"],
  charlie: ["charles", "charlotte"],
  dan: ["daniel"],
  danny: ["daniel"],
  dave: ["david"],
  ed: ["edward", "edouard"],
  eddie: ["edward"],
  jenny: ["jennifer"],
  jim: ["james"],
  jimmy: ["james"],
  joe: ["joseph"],
  kate: ["catherine", "katherine"],
  katie: ["catherine", "katherine"],
  liz: ["elizabeth", "elisabeth"],
  mike: ["michael"],
  nick: ["nicholas", "nicolas"],
  peggy: ["margaret"],
  rob: ["robert"],
  sam: ["samuel", "samantha"],
  sue: ["susan", "suzanne"],
  ted: ["edward", "theodore"],
  tony: ["anthony", "antoine"],
  will: ["william"],
};

const KEY = /^[a-z]+( [a-z]+)*$/;

/**
 * The formal names a first-name key is a nickname of, as '|name|name|' (so a comparison can ask
 * `LIKE '%|' || other_key || '|%'`), or NULL when the key is no nickname. Pass a column: it is
 * compared once per entry.
 * @param {string} k SQL expression of a first name's match key.
 * @returns {string} SQL text expression.
 */
function formalNamesOfKey(k) {
  const whens = Object.entries(NICKNAMES).map(([nick, formal]) => {
    for (const key of [nick, ...formal]) if (!KEY.test(key)) throw new Error(`nickname entry ${JSON.stringify(key)} is not a match key`);
    return `WHEN ${t.str(nick)} THEN ${t.str(`|${formal.join("|")}|`)}`;
  });
  return `CASE ${k} ${whens.join(" ")} END`;
}

module.exports = { formalNamesOfKey, NICKNAMES };
