// Matching: candidate pairs by blocking, comparison vectors, u by random pairs, m and the prior
// by EM, scores, and the decision to link (deterministic identifiers or probabilistic weight,
// vetoed by conflicting evidence). All in the warehouse; see includes/identity_match.js and identity_weights.js.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const { q, lit } = identity_model;
const seenTypes = identity_model.sightingTypes(cfg);
const cmps = identity_model.comparisons();
const m = cfg.matching;
const levelOf = (name) => cmps.find((c) => c.name === name).levels.length; // the "disagrees" level
const swappedLevels = identity_model.levelsOf("last_name", /swapped/).join(", ");
// First names that agree (for deterministic email/phone links) and that conflict (veto). Two
// women's records both typed the other way round agree on the given name there (their first-name
// fields hold a maiden and a married name). -1: no first name on a record, or first_name left to
// last_name's swapped levels (names swapped by sound, or alike crosswise: "BONNET Clalre" /
// Claire Bonnet; at 1M records such email links were 1,987 pairs of one person and 28 of two,
// most of them namesakes the sample's generator gave one mailbox).
const firstAgree = [-1, ...identity_model.levelsOf("first_name", /exact|nickname|0\.92|OCR|same sound|initials of a compound|last-name field|different surnames, both a woman/)].join(", ");
const firstConflict = identity_model.levelsOf("first_name", /masculine|different common|different given|first word of the compound|second words of other initials|^else$/).join(", ");
// A compound's initials against its first word alone (J-F / Jean): a conflict, but not on a shared
// mobile, which links them (below).
const firstCompoundHead = identity_model.levelsOf("first_name", /first word of the compound/).join(", ");
// Two compounds of one first word, the second words of other initials (Jean-L. / Jean-Pierre): a
// conflict, but not on a shared mobile either, which links them as it did when Jaro–Winkler put
// them at >= 0.80 (one person's second word mistyped: "Jean Aptiste").
const firstOtherCompound = identity_model.levelsOf("first_name", /second words of other initials/).join(", ");
const firstSpelledAlike = identity_model.levelsOf("first_name", /0\.80/).join(", ");
// First names alike only in spelling or sound: of two genders, they are two people (below).
const firstAlike = identity_model.levelsOf("first_name", /0\.92|OCR|same sound|0\.80|neighbouring letters swapped/).join(", ");

// Identifiers that can link two records on their own: the kind, and its person_records column.
const identifierKinds = identity_model.linkingIdentifiers(cfg);
const linkable = (col) => q("linkable_" + col.replace(/_key$|_e164$/, ""));
// Identifiers seen in events (identity.sightings: a device at login), many per record: they live
// in record_sightings, not in person_records columns, and are counted, blocked on and linked on
// from there — as an email or a phone is, being as easily shared within a household.
const seenKind = (t) => `seen:${t}`;
const seenColumn = (t) => `seen_${t}`;
// Sources holding one record per person (rcu.yaml one_record_per_person): two of their records
// are two people whatever they share (two sign-ups with one household email).
const sameOneRecordSource = `(l.source = r.source AND ${identity_model.fromOneRecordSource(cfg, "l")})`;
// A record without a first name ("M. Henry" on a ticket, an email-only sign-up) is compared on
// no given name: the gender its title states is then the one sign of which member of a household
// it is. Against the other record's gender (its title's, or its first name's: person_records)
// a different one is another person. Between two named records the first names are compared.
const genderConflict = "((l.first_key IS NULL OR r.first_key IS NULL) AND l.gender <> r.gender)";
// So is the initial its email spells before its surname ("- François" with nfrancois@), against
// a common given name typed the right way round with another initial (Louis François): at 100k
// people such a pair in one user was two people for 2 records, one person for 4 pairs (names
// typed the other way round unseen). Not against a rare or swapped first name: there the first-
// name field often holds the surname (126 records of one person).
const emailInitialConflict = (a, b) => `(${a}.first_key IS NULL AND ${a}.email_initial <> ${b}.first_initial AND ${b}.first_common AND NOT ${b}.last_is_given)`;
const initialConflict = `(${emailInitialConflict("l", "r")} OR ${emailInitialConflict("r", "l")})`;
// The genders a rival at home is counted under (comparison_vectors' home_rival_<g>).
const RIVAL_GENDERS = [["m", (g) => `${g} = 'M'`], ["f", (g) => `${g} = 'F'`], ["u", (g) => `${g} IS NULL`]];

const candidatePairsTable = publish("candidate_pairs", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Record pairs worth comparing: the union of the blocking rules' equi-joins (blocks larger than identity.matching.max_block_size skipped), as person_records.record_num pairs (num_l < num_r); comparison_vectors and pair_scores name them by record_key.",
  columns: {
    num_l: "person_records.record_num of one record (the smaller).",
    num_r: "person_records.record_num of the other.",
    first_rule: "The first blocking rule (by name) that proposed the pair.",
    rules_matched: "How many blocking rules proposed it.",
  },
}).query((ctx) => `SELECT id_l AS num_l, id_r AS num_r, first_rule, rules_matched FROM (
${identity_match.candidatePairs({
  records: ctx.ref(S, "person_records"),
  id: "record_num",
  rules: identity_model.blockingRules(cfg, (t) => `(SELECT record_num, id_value AS ${q(seenColumn(t))} FROM ${ctx.ref(S, "record_sightings")} WHERE id_type = ${lit(t)})`),
  maxBlockSize: m.max_block_size,
})}
) AS pairs`);

publish("term_frequencies", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Share of records carrying each first name, last name and city: agreement on a common value is weaker evidence.",
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  return cmps
    .filter((c) => c.tf)
    .map((c) => `SELECT ${lit(c.name)} AS comparison, ${q(c.tf)} AS value, COUNT(*) * 1.0 / (SELECT COUNT(*) FROM ${P} WHERE ${q(c.tf)} IS NOT NULL) AS frequency FROM ${P} WHERE ${q(c.tf)} IS NOT NULL GROUP BY ${q(c.tf)}`)
    .join("\nUNION ALL\n");
});

if (portable.hashJoinsOnly().length) candidatePairsTable.preOps(portable.hashJoinsOnly());

const comparisonVectorsTable = publish("comparison_vectors", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "For each candidate pair, the agreement level of every attribute (-1 missing, 0 strongest … k disagrees), term frequencies of exact matches, which identifiers the two records share unshared (linkable_*), whether both come from one source holding one record per person (same_one_record_source), whether one has no first name and their genders differ (gender_conflict) or its email's initial is not the other's common given name's (initial_conflict), whether their genders differ (genders_differ), whether they share a family's mailbox and one has no first name (family_mailbox: the email then links nothing), whether one without a first name shares the other's fixed line while their surnames differ or another given name of that surname lives at the other's address (family_line: the phone then links nothing), whether they share an email whose local part holds a number of three digits or more (distinctive_email: never outweighed), whether they share a mobile number (mobile_phone: it links first names alike only in spelling, and a compound's initials with its first word alone), whether one's given name is the first word of the other's compound and they share no email but a family's mailbox (compound_word_alone: at one home, a conflict unless a birth date, a mobile or an id agrees), and the hash EM samples pairs by.",
}).query((ctx) => {
  const tf = ctx.ref(S, "term_frequencies");
  const records = ctx.ref(S, "person_records");
  const stats = ctx.ref(S, "identifier_stats");
  // Each record with what the pairs need from the small tables, joined once per record rather
  // than once per pair (string-keyed joins on ten million pairs were a fifth of this step):
  // - tf_<column>: how common its name or city is. A pair agreeing on it gets that frequency.
  // - shared_<column>: its identifier value is shared (a shop's email, a switchboard:
  //   identifier_stats). A shared value links nobody, so linkable_<kind> holds when both records
  //   carry the same value of that kind and it is not shared — what pair_scores needs, without
  //   joining the records again.
  // - household_email: its email names a family's mailbox (identifier_stats.is_household). It
  //   links two records only when both carry a first name: a record without one ("famille.
  //   mercier@" signing up to the newsletter) could be any member of the family. At 100k people,
  //   such links were 758 to the wrong member against 853 right; 9 against 2,896 between named records.
  // - A record typed the other way round ("COLLIN Alain": its last-name field holds a given
  //   name, person_records.last_is_given) has a surname in its first-name field: that word's
  //   frequency is read among last names, and the given name's among first names. Read in its
  //   own field, a surname is a rare first name, and two namesakes typed that way agreed with
  //   near certainty on their names alone.
  const withTf = cmps.filter((c) => c.tf);
  const otherField = { first_name: "last_name", last_name: "first_name" };
  const tfField = (name) => (otherField[name] ? `CASE WHEN p.last_is_given THEN ${lit(otherField[name])} ELSE ${lit(name)} END` : lit(name));
  const flags = [
    ...identifierKinds.map(([type, col]) => [q("shared_" + col), `s.id_type = ${lit(type)} AND s.is_shared AND s.id_value = r.${q(col)}`]),
    [q("household_email"), `s.id_type = 'email' AND s.is_household AND s.id_value = r.email_key`],
  ];
  const sharedFlags = `SELECT record_num, ${flags.map(([col], i) => `MAX(CASE WHEN kind = ${i} THEN 1 ELSE 0 END) AS ${col}`).join(", ")}
  FROM (
${flags.map(([, on], i) => `    SELECT r.record_num, ${i} AS kind FROM ${records} AS r JOIN ${stats} AS s ON ${on}`).join("\n    UNION ALL\n")}
  ) AS x GROUP BY record_num`;
  // - home_rival_<gender>: another given name (by sound) of this record's surname lives at its
  //   address, on records not carrying its fixed line: a son, a daughter, a spouse (below).
  const rivals = `SELECT a.record_num, ${RIVAL_GENDERS.map(([g, when]) => `MAX(CASE WHEN ${when("b.gender")} THEN 1 ELSE 0 END) AS ${q("home_rival_" + g)}`).join(", ")}
  FROM ${records} AS a
  JOIN ${records} AS b ON b.address_key = a.address_key AND b.postcode = a.postcode AND b.last_phon = a.last_phon
  WHERE NOT a.phone_mobile AND b.first_phon <> a.first_phon AND COALESCE(b.phone_e164 <> a.phone_e164, TRUE)
  GROUP BY a.record_num`;
  const enriched = `(SELECT p.*, ${[
    ...withTf.map((c, i) => `tf${i}.frequency AS ${q("tf_" + c.tf)}`),
    ...flags.map(([col]) => `COALESCE(sh.${col}, 0) AS ${col}`),
    ...RIVAL_GENDERS.map(([g]) => `COALESCE(rv.${q("home_rival_" + g)}, 0) AS ${q("home_rival_" + g)}`),
    `CASE WHEN ${email.isDistinctive("p.email_key")} THEN 1 ELSE 0 END AS email_distinctive`,
  ].join(", ")}
  FROM ${records} AS p
  ${withTf.map((c, i) => `LEFT JOIN ${tf} AS tf${i} ON tf${i}.comparison = ${tfField(c.name)} AND tf${i}.value = p.${q(c.tf)}`).join("\n  ")}
  LEFT JOIN (${sharedFlags}) AS sh ON sh.record_num = p.record_num
  LEFT JOIN (${rivals}) AS rv ON rv.record_num = p.record_num)`;
  const tfCols = withTf.map((c) => `CASE WHEN l.${q(c.tf)} = r.${q(c.tf)} THEN l.${q("tf_" + c.tf)} END AS ${q("tf_" + c.name)}`);
  const familyMailbox = `COALESCE(l.email_key = r.email_key AND l.household_email = 1 AND (l.first_key IS NULL OR r.first_key IS NULL), FALSE)`;
  // Likewise a fixed line is a household's (a mobile number is its holder's): shared with a record
  // without a first name whose surname sounds like another's ("- Ferreira" on Camille Morin's
  // landline), it is a household member's ticket as often as hers. At 100k people such phone links
  // were 83 of 115 one person, against 949 of 949 on mobiles; without them households merged went
  // from 18 to 11 (1M records: 104 → 81) for pairwise F1 0.955578 → 0.955564.
  // With the same surname the line is hers, unless another given name of that surname lives at
  // her address with the ticket's gender (or an unknown one): a father and son, a mother and
  // daughter, each with their own records, one of them on the landline. At 1M records that kept
  // 236 pairs of two people apart against 16 of one (households merged 77 -> 70).
  const rivalAtHome = (named, nameless) => `(${named}.first_key IS NOT NULL AND (${named}.home_rival_u = 1 OR (${nameless}.gender IS NULL AND ${named}.home_rival_m + ${named}.home_rival_f > 0) OR (${nameless}.gender = 'M' AND ${named}.home_rival_m = 1) OR (${nameless}.gender = 'F' AND ${named}.home_rival_f = 1)))`;
  const familyLine = `COALESCE(l.phone_e164 = r.phone_e164 AND NOT l.phone_mobile AND (l.first_key IS NULL OR r.first_key IS NULL) AND (l.last_phon <> r.last_phon OR ${rivalAtHome("l", "r")} OR ${rivalAtHome("r", "l")}), FALSE)`;
  // A given name that is the first word of the other's compound (Jean / Jean-Pierre, Marie /
  // Marie-Claire), the two sharing no email but a family's mailbox: a father and his son, a mother
  // and her daughter, as often as one person typing half her name (pair_scores weighs the rest).
  const wordAlone = (a, b) => `(${a}.first_key NOT LIKE '% %' AND ${b}.first_key LIKE ${a}.first_key || ' %')`;
  const compoundWordAlone = `(COALESCE(${wordAlone("l", "r")} OR ${wordAlone("r", "l")}, FALSE) AND NOT COALESCE(l.email_key = r.email_key AND l.shared_email_key = 0 AND l.household_email = 0, FALSE))`;
  const householdOnly = { email_key: `AND NOT ${familyMailbox}`, phone_e164: `AND NOT ${familyLine}` };
  const linkableCols = identifierKinds.map(([, col]) => `COALESCE(l.${q(col)} = r.${q(col)} AND l.${q("shared_" + col)} = 0 ${householdOnly[col] || ""}, FALSE) AS ${linkable(col)}`);
  // Sighted values: the pairs of records seen with one value that is not shared, per type. A
  // shared value (a shop's kiosk) is dropped before the self-join, so no value pairs more than
  // max_records_per_identifier records.
  const seenPairs = seenTypes.length
    ? `LEFT JOIN (
  SELECT a.record_num AS num_l, b.record_num AS num_r, ${seenTypes.map((t) => `MAX(CASE WHEN a.id_type = ${lit(t)} THEN 1 ELSE 0 END) AS ${q(seenColumn(t))}`).join(", ")}
  FROM (SELECT s.record_num, s.id_type, s.id_value FROM ${ctx.ref(S, "record_sightings")} AS s
        JOIN ${stats} AS st ON st.id_type = 'seen:' || s.id_type AND st.id_value = s.id_value AND NOT st.is_shared) AS a
  JOIN ${ctx.ref(S, "record_sightings")} AS b ON b.id_type = a.id_type AND b.id_value = a.id_value AND b.record_num > a.record_num
  GROUP BY a.record_num, b.record_num
) AS seen ON seen.num_l = p.id_l AND seen.num_r = p.id_r`
    : "";
  const seenCols = seenTypes.map((t) => `COALESCE(seen.${q(seenColumn(t))} = 1, FALSE) AS ${q("linkable_" + seenColumn(t))}`);
  return identity_match.comparisonVectors({
    pairs: `(SELECT num_l AS id_l, num_r AS id_r, first_rule, rules_matched FROM ${ctx.ref(S, "candidate_pairs")})`,
    records: enriched,
    countRecords: records,
    shareRecords: true,
    id: "record_num",
    key: "record_key",
    comparisons: cmps,
    // sample_hash: EM's deterministic sample (identity_weights.emStatements), from the records'
    // 52-bit hashes (the sum stays below 2^53: exact in every client).
    extra: ["p.first_rule", "p.rules_matched", "l.record_hash + r.record_hash AS sample_hash", `${sameOneRecordSource} AS same_one_record_source`, `COALESCE(${genderConflict}, FALSE) AS gender_conflict`, `COALESCE(${initialConflict}, FALSE) AS initial_conflict`, "COALESCE(l.gender <> r.gender, FALSE) AS genders_differ", `${familyMailbox} AS family_mailbox`, "COALESCE(l.email_key = r.email_key AND l.email_distinctive = 1, FALSE) AS distinctive_email", `${familyLine} AS family_line`, "COALESCE(l.phone_e164 = r.phone_e164 AND l.phone_mobile AND r.phone_mobile, FALSE) AS mobile_phone", `${compoundWordAlone} AS compound_word_alone`, ...tfCols, ...linkableCols, ...seenCols].join(",\n  "),
    joins: seenPairs,
  });
});

if (similarity.editDistanceSetup().length) comparisonVectorsTable.preOps(similarity.editDistanceSetup());

const uProbabilitiesTable = publish("u_probabilities", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "u-probabilities: how often each agreement level occurs between random (non-matching) records, from deterministic random pairs.",
}).query((ctx) =>
  identity_match.uProbabilities({
    records: ctx.ref(S, "person_records"),
    id: "record_num",
    hash: "record_hash",
    comparisons: cmps,
    pairsPerRecord: 4, // 4 × records random pairs (at most 2 million): plenty for probabilities of 1e-5 and up
  }),
);
if (similarity.editDistanceSetup().length) uProbabilitiesTable.preOps(similarity.editDistanceSetup());

operate("match_parameters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Fellegi–Sunter parameters: m per comparison level estimated by EM over the candidate pairs, u from random pairs (u_candidates: EM's non-match class, for diagnosis); the prior of a random pair is the row comparison = '__prior__'.")
  .queries((ctx) =>
    identity_weights.emStatements({
      vectors: ctx.ref(S, "comparison_vectors"),
      uTable: ctx.ref(S, "u_probabilities"),
      records: ctx.ref(S, "person_records"),
      params: ctx.self(),
      comparisons: cmps,
      iterations: m.em_iterations,
      initialPrior: 0.1,
      sessions: identity_model.trainingSessions(),
    }),
  );

// Comparisons that weigh nothing under a condition (identity_model.neutralComparisons).
const NEUTRAL = identity_model.neutralComparisons();

publish("pair_scores", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Every candidate pair with its match weight and probability, the deterministic rule that applies (if any), vetoes, and whether the pair is linked.",
}).query((ctx) => {
  const params = ctx.ref(S, "match_parameters");
  const vectors = ctx.ref(S, "comparison_vectors");
  const weight = identity_weights.weightParts({
    vectorAlias: "v", params, prior: identity_weights.priorSql(params), comparisons: cmps, tf: true,
    lookup: { relation: "level_weights", alias: "lw" }, neutral: NEUTRAL,
  });
  const deterministic = [
    ...identifierKinds.filter(([kind]) => kind.startsWith("id:")).map(([kind, col]) => [kind, `v.${linkable(col)}`]),
    // Email and phone are shared within households: they link only when first names agree, or
    // when one record has none (such a record can join a person but never bridge two: see
    // 03_clusters.js).
    ["email", `v.${linkable("email_key")} AND v.cmp_first_name IN (${firstAgree})`],
    // A phone also when the names agree crosswise, typed the other way round with the given name
    // abbreviated or mistyped ("LŒILLET J-P"; last_name's "swapped" levels). At 1M records that
    // linked 260 pairs, all one person. Not an email: "p.nicolas@" is Patrick's and Patricia's,
    // whose names read crosswise are alike too (102 of 290 such email pairs were two people).
    // And on a mobile, when the first names are alike only in spelling (Jaro–Winkler >= 0.80: a
    // typo too far for the levels above): at 1M records 129 such pairs scored under the
    // threshold, all one person. Not on a fixed line, where a compound's first word is as alike
    // (Jean-Michel / Jean, Pierre / Pierre-Louis: a father and his son, a household merged at 100k
    // people), nor by email (227 of 438 such pairs under the threshold were two people).
    // Likewise a compound's initials against its first word alone on a mobile (J-F / Jean Rousseau):
    // at 1M records 274 such candidate pairs of one surname, all one person; by email alone 149
    // of 502, at one address without a shared phone 65 of 67 (a father and his son there).
    ["phone", `v.${linkable("phone_e164")} AND (v.cmp_first_name IN (${firstAgree}) OR (v.cmp_first_name IN (${firstSpelledAlike}, ${firstCompoundHead}, ${firstOtherCompound}) AND v.mobile_phone) OR v.cmp_last_name IN (${swappedLevels}))`],
    // Sighted identifiers (a device at login) too: a family tablet is shared like a landline.
    ...seenTypes.map((t) => [seenKind(t), `v.${q("linkable_" + seenColumn(t))} AND v.cmp_first_name IN (${firstAgree})`]),
  ];
  // A given name and the compound it starts (Pierre / Pierre-Louis), sharing no email but a
  // family's mailbox (compound_word_alone), at one home — the address line alike with one postcode,
  // or one fixed line — are a father and his son, a mother and her daughter, as often as one person
  // typing half a name: a first-name conflict, unless the birth dates agree (exactly, one digit
  // apart, day and month transposed) or they share a mobile or an external id. At 1M records such
  // pairs linked were 14 of two people to 81 of one; households merged 67 -> 62 (100k people 10 -> 8).
  const sameHome = identity_model.levelsOf("address", /exact|similarity/).join(", ");
  const birthAgrees = identity_model.levelsOf("birth_date", /exact|one digit|transposed/).join(", ");
  const idShared = identifierKinds.filter(([kind]) => kind.startsWith("id:")).map(([, col]) => `v.${linkable(col)}`).join(" OR ") || "FALSE";
  const compoundAtHome = `(v.compound_word_alone AND v.cmp_first_name >= 0 AND ((v.cmp_address IN (${sameHome}) AND v.cmp_postcode = 0) OR (v.cmp_phone = 0 AND NOT v.mobile_phone)) AND v.cmp_birth_date NOT IN (${birthAgrees}) AND NOT (v.mobile_phone AND v.${linkable("phone_e164")}) AND NOT (${idShared}))`;
  const householdKinds = ["email", "phone", ...seenTypes.map(seenKind)].map(lit).join(", ");
  const threshold = Math.log(m.threshold / (1 - m.threshold));
  const floorWeight = m.identifier_floor > 0 ? Math.log(m.identifier_floor / (1 - m.identifier_floor)) : null;
  // The pair and its decision only: the levels are in comparison_vectors (same id_l, id_r).
  // Copying them here wrote ten million rows of twenty columns a second time.
  return `WITH level_weights AS (
${identity_weights.levelWeights({ vectors, params, comparisons: cmps })}
), scored AS (
  SELECT v.id_l, v.id_r, v.first_rule, ${weight.expr} AS match_weight,
    ${weight.terms.map((t) => `LEAST(${t}, 0)`).join(" + ")} AS against_weight,
    CASE ${deterministic.map(([rule, cond]) => `WHEN ${cond} THEN ${lit(rule)}`).join(" ")} END AS deterministic_rule,
    -- Different people: first names that disagree outright, are the masculine and feminine
    -- forms, two different common names, or different given names on two records both typed
    -- the other way round (not swapped with the last name), unless a national id agrees (a
    -- renamed record) — households and twins share the rest …
    -- First names alike in spelling or sound but given to two genders (Laure / Laurent, by their
    -- titles or the names' own genders) are two names too: at 100k people 311 candidate pairs,
    -- none of them one person (10 were linked).
    -- So are a given name and the compound it starts at one home (compoundAtHome, above).
    ((v.cmp_first_name IN (${firstConflict}) OR (v.cmp_first_name IN (${firstAlike}) AND v.genders_differ) OR ${compoundAtHome}) AND NOT (v.cmp_first_name IN (${firstCompoundHead}, ${firstOtherCompound}) AND v.mobile_phone AND v.${linkable("phone_e164")}) AND v.cmp_last_name NOT IN (${swappedLevels}) AND v.cmp_national_id NOT IN (0, 1, 2)) AS first_name_conflict,
    -- … or birth dates that differ beyond a typo or a day/month swap, unless a national id agrees;
    -- or both present and different.
    (v.cmp_birth_date = ${levelOf("birth_date")} AND v.cmp_national_id NOT IN (0, 1, 2)) AS strong_conflict,
    v.cmp_birth_date = ${levelOf("birth_date")} AS birth_date_conflict,
    -- … or, for a record without a first name, a gender that differs from the other record's
    -- (a "M. Henry" ticket on Martine Gaillard's landline), unless a national id agrees …
    (v.gender_conflict AND v.cmp_national_id NOT IN (0, 1, 2)) AS gender_conflict,
    -- … or the initial its email spells (a record without a first name) differs from the other's
    -- given name, unless a national id agrees …
    (v.initial_conflict AND v.cmp_national_id NOT IN (0, 1, 2)) AS initial_conflict,
    -- … or two records of a source holding one record per person.
    v.same_one_record_source AS source_conflict,
    ${compoundAtHome} AS compound_at_home,
    v.family_mailbox,
    v.family_line,
    v.distinctive_email
  FROM ${vectors} AS v
  ${weight.joins}
), judged AS (
  -- An email or a phone is strong evidence, not proof: when the other attributes outweigh it,
  -- it does not link alone — namesakes typing one address, with different phones and postcodes.
  -- Outweighed: the match probability, which counts its agreement, stays under
  -- matching.identifier_floor, and the attributes that disagree (against_weight: the negative
  -- terms of the weight) are on their own that many times more likely between two people. The
  -- second condition keeps identical records linked where the parameters are learnt from a few
  -- records and every probability is low. (At a million records such email pairs were 4,669 of
  -- two people to 621 of one.) A phone is never outweighed: a mobile number follows its holder
  -- when they move, and the address, postcode, city and email that then all differ are one move
  -- counted four times. At a million records, between two records carrying one first name such
  -- phone pairs were 300, all one person. With a record without a first name, or two typed the
  -- other way round, they were 122 of 158 before comparison_vectors.family_line kept a
  -- household's fixed line from linking a ticket; with it, 116 of 117 (the veto then linked 47
  -- pairs of one person and 1 of two across users; pairwise F1 0.949125 -> 0.949147).
  -- Nor is an email whose local part holds a number of three digits or more
  -- (email.isDistinctive): namesakes do not type "catherine.leroy9079@" by chance. At a million
  -- records such outweighed email pairs were 505 of 520 one person; without such a number, 198
  -- of 4,376 (pairwise F1 0.949147 -> 0.949325).
  SELECT scored.*, ${floorWeight === null ? "FALSE" : `(deterministic_rule IN (${householdKinds}) AND deterministic_rule <> 'phone' AND NOT (deterministic_rule = 'email' AND distinctive_email) AND match_weight < ${floorWeight} AND against_weight < ${floorWeight})`} AS outweighed
  FROM scored
)
SELECT judged.*,
  1.0 / (1.0 + EXP(-match_weight)) AS match_probability,
  NOT first_name_conflict AND NOT strong_conflict AND NOT gender_conflict AND NOT initial_conflict AND NOT source_conflict AND (
    (deterministic_rule IS NOT NULL AND NOT birth_date_conflict AND NOT outweighed) OR match_weight >= ${threshold}
  ) AS linked,
  CASE
    WHEN first_name_conflict AND compound_at_home THEN 'vetoed: a given name and the compound it starts, at one home'
    WHEN first_name_conflict THEN 'vetoed: first names conflict'
    WHEN strong_conflict THEN 'vetoed: birth dates conflict'
    WHEN gender_conflict THEN 'vetoed: genders conflict'
    WHEN initial_conflict THEN 'vetoed: the email''s initial is another given name''s'
    WHEN source_conflict THEN 'vetoed: one record per person in the source'
    WHEN deterministic_rule IS NOT NULL AND NOT birth_date_conflict AND outweighed THEN 'vetoed: ' || deterministic_rule || ' outweighed by the other attributes'
    WHEN deterministic_rule IS NOT NULL AND NOT birth_date_conflict THEN 'deterministic: ' || deterministic_rule
    WHEN match_weight >= ${threshold} THEN 'probabilistic'
    WHEN family_mailbox THEN 'below threshold: email is a family''s mailbox'
    WHEN family_line THEN 'below threshold: phone is a household''s fixed line'
    ELSE 'below threshold'
  END AS decision
FROM judged`;
});

publish("match_edges", {
  type: "view",
  schema: S,
  tags: ["identity"],
  description: "Linked record pairs: the edges of the identity graph, with their decision, probability and weight.",
}).query((ctx) => `SELECT id_l AS a, id_r AS b, decision, match_probability, match_weight FROM ${ctx.ref(S, "pair_scores")} WHERE linked`);
