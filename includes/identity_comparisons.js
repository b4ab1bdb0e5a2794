// The standard identity model's attribute comparisons: for each attribute of a person record,
// its agreement levels (SQL over the two records, aliased l and r), strongest first, and the
// conditions under which a comparison weighs nothing because another already weighs that
// evidence. identity_match turns them into comparison vectors and u, identity_weights into m and
// match weights; definitions read them through identity_model, which re-exports them. Each
// level's comment says what it reads and what it was measured to gain: a level's label is also
// its name in pair_evidence and `rcu identity explain`, so keep labels stable.

const similarity = require("./similarity");
const { ocrFoldOfKey, initialsOfKey, abbreviatedKey } = require("./person_name");
const { ident: q } = require("./relations");

// The name comparisons' level for two-glyph OCR confusions (person_name.ocrFoldOfKey).
const OCR_LABEL = "same but for OCR confusions (rn / m, ii / u, cl / d, ri / n)";

/**
 * Two name keys differ by a feminine ending (e, ne, le, te, tte; a final e becoming ie: Stéphane /
 * Stéphanie; -nt becoming -nce: Clément / Clémence, Laurent / Laurence; -c becoming -que:
 * Frédéric / Frédérique): the masculine and feminine forms of one given name. Not a name already
 * ending in -ie: Marie / Mariie is a doubled letter, a typo (vetoed, it kept 39 true pairs apart at
 * 100k people, and no false one).
 */
function genderVariant(a, b, { replacedEndings = true } = {}) {
  const replaced = (x, y, from, to) => `(${x} LIKE '%${from}' AND substr(${x}, 1, length(${x}) - ${from.length}) || '${to}' = ${y})`;
  return [
    ...["e", "ne", "le", "te", "tte"].map((end) => `${a} || '${end}' = ${b} OR ${b} || '${end}' = ${a}`),
    ...[[a, b], [b, a]].map(([x, y]) => `(${x} LIKE '%e' AND ${x} NOT LIKE '%ie' AND substr(${x}, 1, length(${x}) - 1) || 'ie' = ${y})`),
    ...(replacedEndings ? [[a, b], [b, a]].flatMap(([x, y]) => [replaced(x, y, "nt", "nce"), replaced(x, y, "c", "que")]) : []),
  ].join(" OR ");
}

// One record's email spells a year and it has no birth date, the other has one.
const yearAgainst = (a, b) => `(${a}.email_year IS NOT NULL AND ${a}.birth_year IS NULL AND ${b}.birth_year IS NOT NULL)`;
const EMAIL_YEAR_COMPARABLE = `${yearAgainst("l", "r")} OR ${yearAgainst("r", "l")}`;

/**
 * Attribute comparisons of the standard model, over person_records columns. Levels are tried in
 * order; `tf` names the column whose value frequency adjusts an exact match.
 */
function comparisons() {
  // Level labels are referred to by pair_scores (levelsOf): keep them stable.
  // Where similarity is plain SQL (Redshift), each pair of strings compared is scored once, by a
  // join grouped by the strings (identity_match.scoredPairs: no correlated subquery), and every
  // level reads the score as a column p.<column>: the comparison lists what it reads in
  // `perPair`, and a query reading the levels provides them (scoredPairs over its pairs).
  const counted = new Map();
  const sim = (a, b, t) => {
    if (!similarity.similarityInPlainSql()) return `${similarity.similarity(`l.${a}`, `r.${b}`)} >= ${t}`;
    const column = `jw_${a}_${b}`;
    counted.set(column, { column, similarityOf: [a, b] });
    return `p.${q(column)} >= ${t}`;
  };
  // Edit distance in plain SQL (Redshift) is counted over character positions too, and the first
  // name's is read by four levels: also computed once per pair there (scoredPairs).
  const editDistanceOf = (name, a, b) => {
    if (!similarity.editDistanceInPlainSql()) return similarity.editDistance(a, b);
    const column = `edits_${name}`;
    counted.set(column, { column, editsOf: [a, b] });
    return `p.${q(column)}`;
  };
  const editDistance = (col) => editDistanceOf(col, `l.${col}`, `r.${col}`);
  const edits = (col, n) => `${editDistance(col)} <= ${n}`;
  // The same name read through a scanned form's OCR confusions ("Aiirélie", "Arnbre": two edits
  // from Aurélie and Ambre). At 100k people 26 such first-name pairs were vetoed as first names in
  // conflict (25 of them one person), and 246 last-name pairs sat in the weak band Jaro–Winkler
  // ≥ 0.80 (237 one person): a level of their own, with its own m and u.
  const ocrAlike = (col) => `${ocrFoldOfKey(`l.${col}`)} = ${ocrFoldOfKey(`r.${col}`)}`;
  // Swapped names: similar crosswise (last_name), or the same sounds crosswise (first_name, by
  // sound: when this was written, two more similarities would have pushed Redshift's statement
  // past the Data API's 100 KB; a pair swapped by similarity but not by sound keeps first_name,
  // not vetoed, unless its names are alike crosswise: SWAPPED_ALIKE below).
  // Not when the given names read crosswise are the masculine and feminine forms: "DUBOIS
  // Stéphane" against Stéphanie Dubois is her husband, typed the other way round — swapped, they
  // agreed (similar, and the same sound), and the household linked on its address.
  // Without the replaced endings (-nt / -nce, -c / -que): the test is repeated in several levels,
  // and Redshift's comparison_vectors statement must stay well under the Data API's 100 KB.
  const crossGenderTest = `NOT (${genderVariant("l.first_key", "r.last_key", { replacedEndings: false })}) AND NOT (${genderVariant("l.last_key", "r.first_key", { replacedEndings: false })})`;
  // Three levels read it: where the statement's size counts (Redshift), it is computed once per
  // pair, beside the compared values (scoredPairs; 1.2 KB of SQL a copy there).
  const crossGender = similarity.similarityInPlainSql()
    ? (counted.set("cross_gender_apart", { column: "cross_gender_apart", sql: `CASE WHEN ${crossGenderTest} THEN 1 ELSE 0 END` }), `p.${q("cross_gender_apart")} = 1`)
    : `(${crossGenderTest})`;
  // Nor a man's and a woman's records, unless their words are the same crosswise: "Martin Patrick"
  // / Patricia Martin, "Vidal Laurent" / Laure Vidal, "Fabre Jules" / Julie Fabre are a couple (at
  // 1M records 14 of 16 such pairs linked by their score were two people), where "Pierre Marie" /
  // Marie Pierre is one woman whose gender was read from the wrong field (56 of 61).
  const NOT_TWO_GENDERS = "NOT COALESCE(l.gender <> r.gender, FALSE)";
  const oneGenderOrSameWords = `(${NOT_TWO_GENDERS} OR (l.first_key = r.last_key AND l.last_key = r.first_key))`;
  const SWAPPED = `l.first_initial = r.last_initial AND l.last_initial = r.first_initial AND ${sim("first_key", "last_key", 0.9)} AND ${sim("last_key", "first_key", 0.9)} AND ${crossGender} AND ${oneGenderOrSameWords}`;
  const SWAPPED_SOUNDS = `l.first_phon = r.last_phon AND l.last_phon = r.first_phon AND ${crossGender} AND ${oneGenderOrSameWords}`;
  // Swapped with the given name mistyped: one record typed the other way round, the surname equal
  // crosswise and the given names similar crosswise ("ROCHE Matie" / Marie Roche), the records
  // not of two genders nor the given names masculine and feminine forms (Stéphane / Stéphanie),
  // and neither given name a word of the other (Jean / Jean-Pierre: a father and his son as often
  // as one man). At 100k people 112 candidate pairs, 111 of them one person; 69 were vetoed as
  // first names in conflict, the given names read in the wrong fields.
  // … or abbreviated: "LECLERC Jm", "DAVID Jm" against Jean-Marc Leclerc, Jean-Marc David — the
  // surname equal crosswise and the abbreviation the initials of the other's compound given name
  // (first_initials). At 100k people 101 candidate pairs, all one person, were vetoed as first
  // names in conflict (Jm against David read field to field).
  // … or abbreviated the other way: "BERNARD Jean-Michel", typed the other way round with the
  // compound in full, against "J-M Bernard" — the initials on the record typed the right way. At
  // 1M records 330 candidate pairs, 3 of them two people, were vetoed as first names in conflict;
  // pairwise F1 0.949392 -> 0.949513 (100k people 0.956442 -> 0.956561).
  // One test for both ways: a's given name is the initials of b's compound, their surnames equal,
  // exactly one of the two typed the other way round (aSwapped: a, the initials' record).
  const roles = (side, swapped) => (swapped
    ? { given: `${side}.last_key`, surname: `${side}.first_key`, initials: initialsOfKey(`${side}.last_key`) }
    : { given: `${side}.first_key`, surname: `${side}.last_key`, initials: `${side}.first_initials` });
  const abbreviates = (a, b, aSwapped) => {
    const [x, y] = [roles(a, aSwapped), roles(b, !aSwapped)];
    return `(${x.surname} = ${y.surname} AND ${y.given} LIKE '% %' AND replace(${x.given}, ' ', '') = ${y.initials})`;
  };
  // (NOT_TWO_GENDERS, above: person_records.gender, by title or given name; unknown on either side
  // is no objection.)
  const SWAPPED_ABBREVIATED = `${NOT_TWO_GENDERS} AND (${[true, false].flatMap((aSwapped) => [abbreviates("l", "r", aSwapped), abbreviates("r", "l", aSwapped)]).join(" OR ")})`;
  const wordOf = (a, b) => `(${b} LIKE ${a} || ' %' OR ${b} LIKE '% ' || ${a} OR ${a} LIKE ${b} || ' %' OR ${a} LIKE '% ' || ${b})`;
  const SWAPPED_MISTYPED = `(l.last_is_given OR r.last_is_given) AND ${NOT_TWO_GENDERS} AND ${crossGender} AND (
    (l.first_key = r.last_key AND ${sim("last_key", "first_key", 0.8)} AND NOT ${wordOf("l.last_key", "r.first_key")})
    OR (l.last_key = r.first_key AND ${sim("first_key", "last_key", 0.8)} AND NOT ${wordOf("l.first_key", "r.last_key")}))`;
  // Given names (in the last-name fields) neither abbreviated (J-M, Anne S., JM) nor a word of the
  // other (Anne / Anne-Marie). Three letters are a name when one is a vowel (Léo, Eva, Luc), an
  // abbreviation when none is (JMC).
  const vowel = (x) => `(${["a", "e", "i", "o", "u", "y"].map((v) => `${x} LIKE '%${v}%'`).join(" OR ")})`;
  const givenApart = (a, b) => `((length(${a}.last_key) > 3 OR (length(${a}.last_key) = 3 AND ${vowel(`${a}.last_key`)})) AND ${a}.last_key NOT LIKE '% _' AND ${a}.last_key NOT LIKE '_ %' AND ${b}.last_key NOT LIKE ${a}.last_key || ' %' AND ${b}.last_key NOT LIKE '% ' || ${a}.last_key)`;
  // Names swapped and alike crosswise (first_name's neutralWhen): one record typed the other way
  // round, so first_name compares a surname with a given name. That says nothing, and last_name's
  // swapped levels weigh both names; compared field to field it fell to "else" (ln(m/u) -3.4 at
  // 10k people) and kept such pairs under the threshold. Alike crosswise means:
  // - each first-name field within one edit of the other's last-name field (a typo: "BONNET
  //   Clalre" / Claire Bonnet), or the given name abbreviated (a compound's initials,
  //   SWAPPED_ABBREVIATED; or its first word and an initial: "FABRE Anne-S." / Anne-Sophie Fabre);
  // - the initials crosswise equal, not two genders, and the given names not masculine and
  //   feminine forms (Stéphanie Dubois / "DUBOIS Stéphane");
  // - the first-name fields two edits apart or more: a name of two alike words ("Noé Noel",
  //   "Julie Julien") reads alike crosswise too, typed the same way (658 pairs of such namesakes at
  //   1M records lost their first name's weight without this).
  // Given names that differ more stay compared (Marie / Mélanie, Céline / Cécile, Patrick /
  // Patricia): left out for every swapped pair, such pairs on one mailbox merged 11 clusters of
  // two people for 89 of one at 1M records; with these conditions 6 for 123, namesakes sharing a
  // mailbox. Pairwise F1 0.949631 -> 0.949789 at 1M records, 0.956594 -> 0.956805 at 100k people,
  // 0.960631 -> 0.960988 at 10k.
  const givenAbbreviates = (x, y) => `(${x} LIKE '% _' AND ${y} LIKE ${x} || '%')`;
  const crossAlike = (a, b, name) => `(${editDistanceOf(name, a, b)} <= 1 OR ${givenAbbreviates(a, b)} OR ${givenAbbreviates(b, a)})`;
  const SWAPPED_ALIKE = `${NOT_TWO_GENDERS} AND ${crossGender} AND ${editDistance("first_key")} >= 2 AND l.first_initial = r.last_initial AND l.last_initial = r.first_initial AND ((${crossAlike("l.first_key", "r.last_key", "first_last")} AND ${crossAlike("l.last_key", "r.first_key", "last_first")}) OR ${SWAPPED_ABBREVIATED})`;
  const BOTH_SWAPPED_APART = `l.last_is_given AND r.last_is_given AND l.first_key = r.first_key AND l.last_phon <> r.last_phon AND ${givenApart("l", "r")} AND ${givenApart("r", "l")}`;
  // x is y but for the "i" before y's final "e" (luce / lucie).
  const LOST_I = (x, y) => `(${x}.first_key LIKE '%e' AND ${x}.first_key NOT LIKE '%ie' AND substr(${x}.first_key, 1, length(${x}.first_key) - 1) || 'ie' = ${y}.first_key)`;
  const ABBREVIATED = (side) => abbreviatedKey(`${side}.first_key`);
  const domain = (side) => `split_part(${side}.email_key, '@', 2)`;
  // One first name is a word of the other (marie / marie claire, claire / marie claire).
  const PART_OF = (a, b) => `${b}.first_key LIKE ${a}.first_key || ' %' OR ${b}.first_key LIKE '% ' || ${a}.first_key OR ${b}.first_key LIKE '% ' || ${a}.first_key || ' %'`;
  // Both records a woman's, by title or given name (person_records.gender).
  const BOTH_WOMEN = "l.gender = 'F' AND r.gender = 'F'";
  const SWAP_FIRST_TWO = "r.first_key = substr(l.first_key, 2, 1) || substr(l.first_key, 1, 1) || substr(l.first_key, 3, 1)";
  const SWAP_LAST_TWO = "r.first_key = substr(l.first_key, 1, 1) || substr(l.first_key, 3, 1) || substr(l.first_key, 2, 1)";
  const list = [
    // "DUPONT Hélène" typed in one field and split the wrong way round: the last_name level
    // "swapped" weighs the two names together, so first_name is left out of the pair's weight
    // (-1) rather than counted a second time (that made a swapped "Martin Jean" certain to be
    // every Jean Martin) or counted as a disagreement.
    { name: "first_name", columns: ["first_key"], tf: "first_key", neutralWhen: `(${SWAPPED_SOUNDS}) OR (${SWAPPED_ALIKE})`, levels: [
      { label: "exact or same canonical name", when: `(l.first_key = r.first_key OR l.first_canon = r.first_canon) AND NOT (${BOTH_SWAPPED_APART})` },
      // "ANDRÉ Nathalie" and "ANDRÉ Jean": both typed the other way round, so the first-name
      // fields hold the shared surname and the given names (Nathalie, Jean) differ: a conflict.
      { label: "both typed the other way round, different given names", when: BOTH_SWAPPED_APART },
      // Fred / Frédéric, Nico / Nicolas, Bob / Robert (includes/nicknames.js): one first name,
      // which spelling and sound keys cannot see, and which "two different common first names"
      // below would otherwise veto. Two nicknames of the same names (Bob / Rob) agree too.
      { label: "nickname of the other", when: `(l.first_formal LIKE ('%|' || r.first_key || '|%') OR r.first_formal LIKE ('%|' || l.first_key || '|%') OR l.first_formal = r.first_formal)` },
      // François / Françoise, Daniel / Danielle, Jean / Jeanne: close in spelling, different people.
      // Not when both records are known to be of one gender, neither is typed the other way round,
      // and the names, not both common, are one letter apart: Mélane, Sylve, Mare for Mélanie,
      // Sylvie, Marie, the "i" lost (both titled Mme). At 100k people 30 such candidate pairs, 26 of
      // them one person; the 4 others, a surname typed as a first name (Martin for Martine), are
      // typed the other way round and stay a conflict. They fall to the levels below (similarity).
      // Nor an "i" lost before a final "e" (Luce, Sylve, Virgine, Jule for Lucie, Sylvie, Virginie,
      // Julie) when one record's gender is unknown — the misspelt name is in no list of given
      // names, where Émile and Aurèle, the masculine forms that differ so, are. At 1M records 26
      // such candidate pairs, 25 of them one person (Valère / Valérie the other); at 100k, 11 of 11.
      { label: "masculine / feminine forms", when: `(${genderVariant("l.first_key", "r.first_key")}) AND NOT (NOT l.last_is_given AND NOT r.last_is_given AND ((COALESCE(l.gender = r.gender, FALSE) AND NOT (l.first_common AND r.first_common) AND abs(length(l.first_key) - length(r.first_key)) = 1 AND ${edits("first_key", 1)}) OR ((l.gender IS NULL OR r.gender IS NULL) AND (${LOST_I("l", "r")} OR ${LOST_I("r", "l")}))))` },
      // Patrick / Patricia, Eric / Cédric, Julie / Jules: two common given names, neither an
      // abbreviation nor part of the other (Marie / Marie-Claire) nor the other's last name (typed
      // the other way round), not alike in sound, and more than one edit apart — two people,
      // where a rare spelling may be a typo. A conflict.
      { label: "two different common first names", when: `((l.first_common AND r.first_common) OR (l.first_given AND r.first_given AND l.last_key = r.last_key AND NOT COALESCE(l.last_is_given, FALSE) AND NOT COALESCE(r.last_is_given, FALSE))) AND l.first_phon <> r.first_phon AND l.first_key <> r.last_key AND r.first_key <> l.last_key AND NOT ${ABBREVIATED("l")} AND NOT ${ABBREVIATED("r")} AND NOT (${PART_OF("l", "r")}) AND NOT (${PART_OF("r", "l")}) AND ${editDistance("first_key")} >= 2` },
      { label: "similarity >= 0.92", when: sim("first_key", "first_key", 0.92) },
      { label: OCR_LABEL, when: ocrAlike("first_key") },
      { label: "same sound", when: "l.first_phon = r.first_phon" },
      // Two compounds of one first word whose second words start with other letters (Jean-L. /
      // Jean-Pierre, Marie-C. / Marie-Hélène, J-B / J-J): two given names, where "two different
      // common first names" above misses them for the abbreviation. Jaro–Winkler put them at
      // >= 0.80: at 1M records 594 candidate pairs, 11 of them one person (a second word missing its
      // first letter, "Jean Aptiste"); 56 were linked, 46 of them two people (on one mailbox). A
      // conflict, except on a shared mobile (02_matching.js). Nearer than that (>= 0.92, same sound)
      // the second words are one name mistyped: 35 of 43 such linked pairs were one person.
      { label: "compounds of one first word, the second words of other initials", when: `l.first_key LIKE '% %' AND r.first_key LIKE '% %' AND split_part(l.first_key, ' ', 1) = split_part(r.first_key, ' ', 1) AND substr(split_part(l.first_key, ' ', 2), 1, 1) <> substr(split_part(r.first_key, ' ', 2), 1, 1)` },
      { label: "similarity >= 0.80", when: sim("first_key", "first_key", 0.8) },
      { label: "initial matches the other name", when: "(length(l.first_key) = 1 OR length(r.first_key) = 1) AND l.first_initial = r.first_initial" },
      // JM / J-M / Jean-M. for Jean-Michel: one side abbreviated (a token of at most three letters,
      // or a one-letter word) and the initials of the compound agree. Not a conflict.
      { label: "initials of a compound name", when: `l.first_initials = r.first_initials AND (${ABBREVIATED("l")} OR ${ABBREVIATED("r")})` },
      // J-F / Jean: one abbreviates a compound, the other bears its first word alone
      // (person_records.first_compound_head: the word the estate's compounds with those initials
      // start with). A father and his son (Jean, Jean-François) as often as one man: a conflict,
      // as "else" was, except on a shared mobile, its holder's (02_matching.js).
      { label: "the first word of the compound the other abbreviates", when: "(l.first_compound_head = r.first_key OR r.first_compound_head = l.first_key)" },
      // Swapped, and a maiden or married name on one side ("Bertrand Yasmine" / "Yasmine Fournier"):
      // the first name sits in the other's last-name field, and that word is a given name there
      // (a surname shared that way — "Martin Sophie" / "Paul Martin" — is a household, not this).
      { label: "first name in the other's last-name field", when: "(l.first_key = r.last_key AND r.last_is_given) OR (r.first_key = l.last_key AND l.last_is_given)" },
      // Two neighbouring letters swapped in a three-letter name (Zéo / Zoé, Lae / Léa, Loé / Léo):
      // Jaro–Winkler's matching window is zero letters wide at that length, so it sees no
      // transposition, and the pair fell to "else", a conflict, with every identifier agreeing.
      // At 100k people 25 such candidate pairs were all vetoed; 24 were one person. Not when both
      // are common given names (Noé / Néo): those stay "else", two people.
      { label: "two neighbouring letters swapped (three-letter names)", when: `NOT (l.first_common AND r.first_common) AND length(l.first_key) = 3 AND length(r.first_key) = 3 AND (${SWAP_FIRST_TWO} OR ${SWAP_LAST_TWO})` },
      // One letter missing, typically an accented one a wrong encoding dropped (Léa / La, Zoé /
      // Zé, Léo / Lo): Jaro–Winkler is low on such short names, and the pair fell to "else", a
      // conflict. Not when both are common given names. Scored, not a conflict: at 100k people
      // such pairs were 51 of one person, none of two.
      { label: "one letter missing, not two common names", when: `NOT (l.first_common AND r.first_common) AND abs(length(l.first_key) - length(r.first_key)) = 1 AND ${edits("first_key", 1)}` },
      // Both typed the other way round ("GARNIER Stéphanie" / "ROUSSEAU Stéphanie"), the given names
      // (in the last-name fields) of one sound: the first-name fields hold two surnames, and between
      // two women most often a maiden and a married name (last_name's "different, both a named
      // woman's", the fields crosswise). It fell to "else", a conflict: at 1M records 257 candidate
      // pairs of two such records agreeing on the given name, 249 of them one person. Not a
      // conflict, and weighed by EM; between men or two genders it stays "else" (without the
      // genders, households merged 70 -> 73 at 1M records). Pairwise F1 0.949350 -> 0.949392 at
      // 1M records, 0.956364 -> 0.956442 at 100k people. It agrees for the deterministic email and
      // phone rules (02_matching.js firstAgree): 0.949513 -> 0.949537 at 1M records, where 126
      // such phone pairs and 47 email pairs were all one person.
      { label: "both typed the other way round, different surnames, both a woman's", when: `l.last_is_given AND r.last_is_given AND ${BOTH_WOMEN} AND l.last_phon = r.last_phon` },
    ] },
    { name: "last_name", columns: ["last_key"], tf: "last_key", levels: [
      { label: "exact", when: "l.last_key = r.last_key" },
      { label: "similarity >= 0.92", when: sim("last_key", "last_key", 0.92) },
      { label: OCR_LABEL, when: ocrAlike("last_key") },
      { label: "same sound", when: "l.last_phon = r.last_phon" },
      { label: "similarity >= 0.80", when: sim("last_key", "last_key", 0.8) },
      { label: "first and last names swapped", when: SWAPPED },
      // Its own level: folded into the one above, random pairs met it twice as often (u 1.0e-5 →
      // 1.9e-5 at 100k people), and every swapped pair weighed less (1M records: recall down).
      { label: "swapped, the given name mistyped or abbreviated", when: `(${SWAPPED_MISTYPED}) OR (${SWAPPED_ABBREVIATED})` },
      // Surnames that differ between two named women are, far more often than between others, a
      // maiden and a married name: a level of its own, so that EM weighs it apart (at 1M records
      // ln(m/u) -1.25 against -3.5 for other different surnames, where one "else" weighed -2.3).
      // Not for a record without a first name ("Mme Roussel"): nothing else there says it is her.
      // At 1M records, against the one "else": pairwise precision 0.990232 -> 0.990246, recall
      // 0.911231 -> 0.911282 (with nameless records too, 59 more false links to 56 true).
      { label: "different, both a named woman's", when: `${BOTH_WOMEN} AND l.first_key IS NOT NULL AND r.first_key IS NOT NULL` },
    ] },
    { name: "birth_date", columns: ["birth_key"], levels: [
      { label: "exact", when: "l.birth_key = r.birth_key" },
      { label: "one digit differs", when: edits("birth_key", 1) },
      { label: "day and month transposed", when: "substr(l.birth_key, 1, 4) = substr(r.birth_key, 1, 4) AND substr(l.birth_key, 5, 2) = substr(r.birth_key, 7, 2) AND substr(l.birth_key, 7, 2) = substr(r.birth_key, 5, 2)" },
      { label: "two digits differ", when: edits("birth_key", 2) },
    ] },
    { name: "national_id", columns: ["national_id"], levels: [
      { label: "exact", when: "l.national_id = r.national_id" },
      { label: "one character differs", when: edits("national_id", 1) },
      { label: "two characters differ", when: edits("national_id", 2) },
    ] },
    // Not the local part alone: jean.guillaume@ is shared by many people across providers, and
    // random pairs almost never show it, so its u would be wildly overconfident. The same mailbox
    // at a mistyped domain (orange.fr / orage.fr) is one person's address: not an identifier (so
    // no deterministic link) but strong evidence. (A +tag is no level: email_key drops it.)
    { name: "email", columns: ["email_key"], levels: [
      { label: "exact", when: "l.email_key = r.email_key" },
      { label: "same mailbox at a mistyped domain", when: `l.email_mailbox = r.email_mailbox AND ${editDistanceOf("email_domain", domain("l"), domain("r"))} <= 2` },
    ] },
    // The birth year an email spells (anna_chauvin99@, email_year) against the other record's birth
    // year, where the email's record has no birth date of its own: otherwise birth_date already
    // compares the two, and the email's year is most often its own record's. At 10k people, 71 of
    // the 807 pieces cut off from their person (records outside the user holding most of theirs)
    // had such a pair, half of them nothing else but the names (a sign-up's email against a
    // loyalty card's birth date). Whether two digits are a year is not assumed: m and u are
    // learned, so digits that are not a year just weigh little.
    { name: "email_year", columns: [], neutralWhen: `NOT (${EMAIL_YEAR_COMPARABLE})`, levels: [
      { label: "the other's birth year", when: "l.email_year = MOD(r.birth_year, 100) OR r.email_year = MOD(l.birth_year, 100)" },
    ] },
    { name: "phone", columns: ["phone_e164"], levels: [
      { label: "exact", when: "l.phone_e164 = r.phone_e164" },
    ] },
    { name: "address", columns: ["address_key"], levels: [
      { label: "exact", when: "l.address_key = r.address_key" },
      { label: "similarity >= 0.88", when: sim("address_key", "address_key", 0.88) },
    ] },
    { name: "postcode", columns: ["postcode"], levels: [
      { label: "exact", when: "l.postcode = r.postcode" },
      { label: "one digit differs", when: edits("postcode", 1) },
    ] },
    { name: "city", columns: ["city_key"], tf: "city_key", levels: [
      { label: "exact", when: "l.city_key = r.city_key" },
      { label: "similarity >= 0.88", when: sim("city_key", "city_key", 0.88) },
    ] },
    { name: "region", columns: ["region_key"], levels: [
      { label: "exact", when: "l.region_key = r.region_key" },
    ] },
  ];
  // Each comparison with the columns computed once per pair that its levels read: { column,
  // similarityOf: [a, b] } for a similarity of l.a and r.b, { column, editsOf: [x, y] } for the
  // edit distance of two expressions over l and r, { column, sql } for an expression.
  return list.map((c) => {
    const text = [c.neutralWhen || "", ...c.levels.map((lv) => lv.when)].join(" ");
    const perPair = [...counted.values()].filter(({ column }) => text.includes(`p.${q(column)}`));
    return perPair.length ? { ...c, perPair } : c;
  });
}

/**
 * Comparisons that weigh nothing in a pair's match weight under a condition over its comparison
 * vector `v`, because another comparison already weighs that evidence or the value is evidence of
 * nobody: comparison name → SQL condition (identity_weights.weightParts' `neutral`; pair_scores and
 * pair_evidence).
 */
function neutralComparisons() {
  const linkable = (col) => `v.${q("linkable_" + col.replace(/_key$|_e164$/, ""))}`;
  // Address lines alike (exactly or by similarity).
  const sameHome = levelsOf("address", /exact|similarity/).join(", ");
  return {
    // A shared email or phone (a shop's address, a switchboard: see identifier_stats) is evidence
    // of nobody, for the score as for the deterministic rules. At a million records, probabilistic
    // links agreeing on a shared email were two-thirds false. (comparison_vectors' linkable_<kind>:
    // the same value on both records, not a shared one.)
    email: `v.cmp_email = 0 AND NOT ${linkable("email_key")}`,
    phone: `v.cmp_phone = 0 AND NOT ${linkable("phone_e164")}`,
    // A postcode implies its city and region: once the postcodes agree, the city and region are
    // no further evidence. Counted again, an address shared weighed three times, a household's two
    // members as much as one person's two records (1M records: households merged 127 → 112, for
    // recall 0.9101 → 0.9093).
    city: "v.cmp_postcode = 0",
    region: "v.cmp_postcode = 0",
    // Likewise an address line that agrees with the postcodes agreeing is one home, weighed once:
    // by the address (the rarer of the two). Counted as well, the postcode added a further ln(m/u)
    // of 4.6 (100k people) to every pair sharing a home — exactly the evidence a household's
    // members share (households merged: 100k people 22 → 18, 1M records 112 → 104, with the
    // threshold of 0.9).
    postcode: `v.cmp_address IN (${sameHome}) AND v.cmp_postcode = 0`,
    // Two named women's surnames that differ, with one given name and one home: a maiden and a
    // married name, not evidence against. EM weighs the level over every such pair (−1.25 at 1M
    // records), most of them at other addresses, where it is as often two women; at one home with
    // one given name it is one woman (1M records: 66 more pairs of one person linked, none of two).
    last_name: `v.cmp_last_name IN (${levelsOf("last_name", /both a named woman/).join(", ")}) AND v.cmp_first_name IN (${levelsOf("first_name", /^exact/).join(", ")}) AND v.cmp_address IN (${sameHome}) AND v.cmp_postcode = 0`,
  };
}

/** Indexes of the levels of comparison `name` whose label matches `re` ("else" = the disagree level). */
function levelsOf(name, re) {
  const c = comparisons().find((x) => x.name === name);
  if (!c) throw new Error(`no comparison ${name}`);
  const found = c.levels.map((l, i) => (re.test(l.label) ? i : -1)).filter((i) => i >= 0);
  if (re.test("else")) found.push(c.levels.length);
  if (!found.length) throw new Error(`no level of ${name} matches ${re}`);
  return found;
}

module.exports = { comparisons, neutralComparisons, levelsOf };
