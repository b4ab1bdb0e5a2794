// Person records: every configured person source mapped onto one contract, then normalised.
// Sources are declared in rcu.yaml (identity.person_sources); see docs/identity.md.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const { q, lit, field } = identity_model;
const idTypes = identity_model.identifierTypes(cfg);
const sources = Object.entries(cfg.person_sources).sort(([a], [b]) => a.localeCompare(b));

const rawColumns = [
  "source", "record_id", "trust",
  ...identity_model.FIELDS.map((f) => `${f}_raw`),
  ...idTypes.map((t) => `id_${t}`),
];

for (const [name, src] of sources) {
  const rel = identity_model.sourceRelation(src);
  // A name typed in one field (full_name) is split here, so the rest of the model sees first and
  // last names as from any other source.
  const whole = src.full_name !== undefined ? person_name.splitFullName(field(src.full_name)) : null;
  // Its leading honorific ("Mme Dupont") is the record's title where the source maps none, or
  // its title field is empty.
  const fromWhole = whole && {
    first_name: whole.first,
    last_name: whole.last,
    title: src.title === undefined ? whole.title : `COALESCE(NULLIF(trim(${field(src.title)}), ''), ${whole.title})`,
  };
  const raw = (f) => (fromWhole && fromWhole[f]) || field(src[f]);
  publish(`stg_person_${name}`, {
    type: "view",
    schema: S,
    tags: ["identity"],
    description: `Person records of ${src.relation}, mapped onto the person-record contract (raw values, as text).`,
  }).query((ctx) => `SELECT
  ${lit(name)} AS source,
  CAST(${field(src.record_id)} AS VARCHAR) AS record_id,
  ${Number(src.trust || 10)} AS trust,
  ${identity_model.FIELDS.map((f) => `CAST(${raw(f)} AS VARCHAR) AS ${q(f + "_raw")}`).join(",\n  ")}${idTypes.length ? "," : ""}
  ${idTypes.map((t) => `CAST(${src.identifiers && src.identifiers[t] !== undefined ? field(src.identifiers[t]) : "NULL"} AS VARCHAR) AS ${q("id_" + t)}`).join(",\n  ")}
FROM ${ctx.ref(rel.schema, rel.name)}
${src.where ? `WHERE ${src.where.sql}` : ""}`);
}

const rawUnion = (ctx) =>
  sources.length
    ? sources.map(([name]) => `SELECT ${rawColumns.map(q).join(", ")} FROM ${ctx.ref(S, `stg_person_${name}`)}`).join("\nUNION ALL\n")
    : `SELECT ${rawColumns.map((c) => (c === "trust" ? "CAST(NULL AS INTEGER) AS trust" : `CAST(NULL AS VARCHAR) AS ${q(c)}`)).join(", ")} WHERE 1 = 0`;
const country = `COALESCE(NULLIF(upper(trim(country_raw)), ''), ${lit(cfg.default_country)})`;

// The heavier normalisations are computed in layers of columns (relations.layerCtes), so each
// intermediate (phone digits, date parts, name keys) is computed once per record: nested in one
// expression they were recomputed in every branch, and person_records took 70 s for a million
// records. Layer i of each normalisation is computed together.
const zipLayers = (...lists) =>
  Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, i) => lists.flatMap((l) => l[i] || []));
const layers = zipLayers(
  [[["email", email.normalize("email_raw")]], [["email_key", email.matchKeyOfNormalized("email")]]],
  phone.layers("phone_raw", "country", "phone_"),
  dates.birthDateLayers("birth_date_raw", "birth_"),
);
// Names, street lines, cities and titles repeat: a million records hold about 7,000 distinct
// first names, 7,600 last names, 190,000 street lines and 500 cities. Each is normalised once per
// distinct raw value, in a lookup joined back on that value, rather than once per record (the regular
// expressions of names, phonetic keys and streets were half of person_records' time: 31 s → 15 s
// at a million records). Every function used here maps NULL to NULL, so the LEFT JOIN's NULL for
// a NULL value is the same result. (Redshift compares VARCHARs ignoring trailing blanks; each
// function trims them, so the value a join picks gives the same key.)
const distinctValues = (column) => `SELECT DISTINCT ${column} AS v FROM raw WHERE ${column} IS NOT NULL`;
// A name's key (k) and display form (d) per distinct raw value, then what is derived from the key.
const nameLookup = (name, part, derived) => `${name} AS (
  SELECT v, k AS ${part}_key, d AS ${part}_name,
    ${derived.map(([column, fromKey]) => `${fromKey("k")} AS ${column}`).join(",\n    ")}
  FROM (SELECT v, ${person_name.matchKey("v")} AS k, ${person_name.display("v")} AS d FROM (${distinctValues(`${part}_name_raw`)}) AS x) AS y
)`;
const lookupCtes = `${nameLookup("first_names", "first", [
  ["first_canon", person_name.canonicalFirstNameOfKey],
  ["first_phon", person_name.phoneticOfKey],
  ["first_initials", person_name.initialsOfKey],
  ["first_formal", nicknames.formalNamesOfKey],
])}, ${nameLookup("last_names", "last", [["last_phon", person_name.phoneticOfKey]])}, streets AS (
  SELECT v, ${address.line("v")} AS address_key FROM (${distinctValues("address_line_raw")}) AS x
), cities AS (
  SELECT v, ${address.city("v")} AS city_key FROM (${distinctValues("city_raw")}) AS x
), titles AS (
  -- A handful of distinct titles (Mme, M., MME, Monsieur …) for a million records: about 1 s of
  -- person_records at a million records against reading each record's title (22.0–26.2 s, median
  -- 22.7, against 23.5–25.4 s, median 24.3, alternated).
  SELECT v, ${person_name.genderOfTitle("v")} AS title_gender FROM (${distinctValues("title_raw")}) AS x
)`;
const normalisedCtes = (ctx) => {
  const l = relations.layerCtes("named", layers, "normalised");
  return `WITH raw AS ${portable.materialized()}(
${rawUnion(ctx)}
), ${lookupCtes}, named AS (
  SELECT raw.*,
    fn.first_key, fn.first_name, fn.first_canon, fn.first_phon, fn.first_initials, fn.first_formal,
    ln.last_key, ln.last_name, ln.last_phon,
    st.address_key, ci.city_key, ti.title_gender,
    ${country} AS country
  FROM raw
  LEFT JOIN first_names AS fn ON fn.v = raw.first_name_raw
  LEFT JOIN last_names AS ln ON ln.v = raw.last_name_raw
  LEFT JOIN streets AS st ON st.v = raw.address_line_raw
  LEFT JOIN cities AS ci ON ci.v = raw.city_raw
  LEFT JOIN titles AS ti ON ti.v = raw.title_raw
), ${l.ctes}`;
};
const lastLayer = `normalised_${layers.length}`;
// A first name's gender is learnt from at least this many titled records, this share of one gender.
const GENDER_MIN_TITLED = 5;
const GENDER_SHARE = 0.95;

// Redshift's Data API takes at most 100 KB of SQL a statement: there the normalisations are
// computed in a view (person_records_stage) that the table reads; elsewhere in one statement.
const STAGED = portable.engine() === "redshift";
if (STAGED) {
  publish("person_records_stage", {
    type: "view",
    schema: S,
    tags: ["identity"],
    description: "Person records with their normalisations (Redshift only: keeps each statement under the Data API's 100 KB); read by person_records.",
  }).query((ctx) => `${normalisedCtes(ctx)}
SELECT * FROM ${lastLayer}`);
}

const personRecordsTable = publish("person_records", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "One row per person-bearing source record, with raw and normalised attributes used for matching (the person-record contract).",
  columns: {
    record_key: "source:record_id, unique across sources.",
    email_key: "Canonical email for matching (Gmail dots and every +tag removed); NULL for invalid or junk emails.",
    email_mailbox: "Local part of email_key (jean+promo@orange.fr -> jean): compared with the domain, never an identifier alone.",
    phone_e164: "Phone in E.164 (+33612345678); NULL when invalid (see phone_invalid_reason).",
    phone_mobile: "TRUE for a mobile number, FALSE for another number (a fixed line, a box's VoIP line) of a country whose numbering tells them apart (includes/phone.js MOBILE); NULL otherwise.",
    first_key: "First name folded for matching (lower case, no accents or punctuation). A record holding one name alone in the first-name field, twice as often a last name across the records (\"Arnaud\"), has it as its last name and no first name.",
    first_canon: "First name with compound abbreviations expanded (JP -> jean pierre).",
    title: "Title as typed (Mme, M., Dr), from the source's title field or the leading honorific of a full_name.",
    title_gender: "F or M when the title states a gender (Mme, Mlle, Mrs / M., Mr, Monsieur); NULL otherwise.",
    gender: "title_gender; else the gender the given name is given with (for names typed the other way round, the one in the last-name field; otherwise the first name) on the titled records (at least 5 of them, 95 % one gender, a name three times more often a first name than a last name, or whose record's last name is hardly a first name or a given name of the same gender); for a record without a first name, the gender of the given name its email spells beside its surname (blanchard.beatrice@); NULL otherwise.",
    last_is_given: "Names typed the other way round: the last-name field holds a word seen at least ten times more often as a first name across all records, or the first-name field one seen ten times more often as a last name while the last-name field's is seen at least half as often as a first name as a last name.",
    first_common: "The first name is a common given name: on at least 10 records and 1 in 5,000 of them, and twice as often a first name as a last name.",
    first_given: "The first name is on at least 10 records and 1 in 5,000 of them as a first name, however often it is a last name too (Thomas, Michel): with one surname on both records, two such names that differ are two people.",
    email_year: "The last two digits of a birth year the email seems to spell (anna_chauvin99@, marie.picard1973@, alex07@ -> 99, 73, 7): a local part ending in two digits, or in 19xx / 20xx; NULL otherwise. Compared with the other record's birth year where the email's record has none.",
    email_initial: "For a record without a first name, the initial its email spells before its surname (nfrancois@ on \"- François\": n); NULL otherwise.",
    first_initials: "Initials of a compound first name (jean michel, j m, jm -> jm); NULL for other single names.",
    first_compound_head: "For a first name abbreviating a compound (J-F, Jf, Jean-F.: an abbreviation whose initials are first_initials), the first word of the compound most often written in full with those initials across the records (jean francois, jean frederic -> jean); NULL otherwise.",
    first_formal: "When the first name is a nickname (includes/nicknames.js), the formal names it shortens as '|name|name|' (fred -> |frederic|frederique|); NULL otherwise.",
    birth_date: "Birth date; NULL when unparseable or impossible (see birth_date_invalid_reason).",
    record_num: "Number of the record in record_key order, for this build's joins only (not stable across runs: use record_key).",
    record_hash: "First 52 bits of MD5(record_key) as an integer (exact in any client), the same on every engine: random pairs for u and EM's sample are drawn by it.",
  },
  assertions: { uniqueKey: ["record_key"], nonNull: ["record_key", "source", "record_id"] },
}).query((ctx) => {
  const hashOf = (kind, expr) => portable.sha256Hex(`salt.salt || ':${kind}:' || ${expr}`);
  // last_is_given: the last-name field holds a word seen at least ten times more often as a first
  // name, so a comparison can tell "Bertrand Yasmine" (names typed the other way round: Yasmine
  // is a given name) from "Martin Sophie" against "Paul Martin", or "Nicolas Claire" against
  // "Clément Nicolas" (a shared surname, even one that is also a given name). A given name sits in
  // a last-name field only on records typed the other way round (a few percent of them).
  // Those few percent make a common given name a frequent last name too (Jean: 438 / 89 at 10k
  // people, Nicolas 222 / 125), so a record is also typed the other way round when its first-name
  // field holds a word seen ten times more often as a last name and its last-name field one seen
  // at least half as often as a first name as a last name ("Legrand Nicolas", "Martin Jean",
  // "Legrand Thomas": Thomas is a surname 1.7 times as often; at 100k people half instead of
  // "as often" marks 460 more records, all typed the other way round by the generator's truth):
  // otherwise two such records of a household read as one first name, "Legrand", shared with
  // different surnames.
  // The given name an email spells beside the record's own surname, for a record without a first
  // name: "blanchard.beatrice5166@" on "N/A Blanchard" → beatrice. One equality in the join below
  // (a one-sided condition in an ON clause can make DuckDB loop over every pair).
  const withoutFirstName = (expr) => `CASE WHEN named.first_key IS NULL THEN ${expr} END`;
  const emailGivenName = withoutFirstName(email.givenBesideSurname("named.email_key", "named.last_key"));
  // The contract columns kept computes from the normalised layer, as [expression, name]: the
  // named CTE below selects the same ones, moving the names of a lone surname.
  const keptSelect = [
    ["source || ':' || record_id", "record_key"], ["source", "source"], ["record_id", "record_id"], ["trust", "trust"],
    [portable.tryTimestamp("updated_at_raw"), "updated_at"],
    ["email", "email"], ["email_key", "email_key"],
    ["phone_e164", "phone_e164"], ["phone_invalid_reason", "phone_invalid_reason"], [phone.isMobile("phone_e164"), "phone_mobile"],
    ["NULLIF(trim(title_raw), '')", "title"], ["title_gender", "title_gender"],
    ...["first_name", "last_name", "first_key", "last_key", "first_canon", "first_initials", "first_formal", "first_phon", "last_phon"].map((c) => [c, c]),
    ["substr(first_key, 1, 1)", "first_initial"], ["substr(last_key, 1, 1)", "last_initial"],
    ["birth_date", "birth_date"], ["birth_date_invalid_reason", "birth_date_invalid_reason"],
    ["CAST(EXTRACT(YEAR FROM birth_date) AS INTEGER)", "birth_year"],
    [portable.dateKey("birth_date"), "birth_key"],
    [portable.alnumUpper("national_id_raw"), "national_id"],
    ["NULLIF(trim(address_line_raw), '')", "address_line"], ["address_key", "address_key"],
    [address.postcode("postcode_raw", "country"), "postcode"],
    ["NULLIF(trim(city_raw), '')", "city"], ["city_key", "city_key"],
    ["NULLIF(lower(trim(region_raw)), '')", "region_key"], ["country", "country"],
    ...idTypes.map((t) => [`NULLIF(trim(${q("id_" + t)}), '')`, q("id_" + t)]),
  ];
  // A lone surname's names, moved (named).
  const lone = "COALESCE(lw.as_last >= 2 * lw.as_first, FALSE)";
  const moved = {
    first_name: "NULL", last_name: "kept.first_name", first_key: "NULL", last_key: "kept.first_key",
    first_canon: "NULL", first_initials: "NULL", first_formal: "NULL", first_phon: "NULL",
    last_phon: "kept.first_phon", first_initial: "NULL", last_initial: "kept.first_initial",
  };
  // A mistyped domain's address, corrected (domain_fixes): its key made again on the right domain
  // (Gmail's rules then apply to it).
  // (email_mailbox is read from the corrected key in the last SELECT, not built twice here.)
  const fixedKey = `CASE WHEN df.target IS NULL THEN kept.email_key ELSE ${email.matchKeyOfNormalized("split_part(kept.email_key, '@', 1) || '@' || df.target")} END`;
  const fixed = { email_key: fixedKey };
  const namedColumns = keptSelect
    .map(([, c]) => (moved[c] ? `CASE WHEN ${lone} THEN ${moved[c]} ELSE kept.${c} END AS ${c}` : fixed[c] ? `${fixed[c]} AS ${c}` : `kept.${c}`))
    .join(",\n    ");
  const emailInitial = withoutFirstName(email.initialBeforeSurname("named.email_key", "named.last_key"));
  const lastIsGiven = "(COALESCE(nr.as_first >= 10 * nr.as_last, FALSE) OR COALESCE(nf.as_last >= 10 * nf.as_first AND nr.as_first * 2 >= nr.as_last, FALSE))";
  return `WITH kept AS ${portable.materialized()}(
SELECT pr.* FROM (
${STAGED ? `WITH ${lastLayer} AS (SELECT * FROM ${ctx.ref(S, "person_records_stage")})` : normalisedCtes(ctx)}
SELECT
  ${keptSelect.map(([expr, alias]) => (expr === alias ? expr : `${expr} AS ${alias}`)).join(",\n  ")}
FROM ${lastLayer}
) AS pr
CROSS JOIN ${ctx.ref("rcu_meta", "privacy_salt")} AS salt
WHERE NOT EXISTS (
  SELECT 1 FROM ${ctx.ref("rcu_meta", "suppressions")} AS x
  WHERE x.value_hash IN (${hashOf("record", "pr.record_key")}, ${hashOf("email", "pr.email_key")}, ${hashOf("email", "pr.email")}, ${hashOf("phone", "pr.phone_e164")})
)
), numbers AS (
  -- Numbered on the key alone: a window over the whole rows ran on one thread (4 s at 1M records).
  SELECT record_key, ROW_NUMBER() OVER (ORDER BY record_key) AS record_num FROM kept
), compound_heads AS (
  -- The compounds written in full (jean francois, marie claire: two words or more, none
  -- abbreviated): for each set of initials, the first word most of them start with (jf -> jean,
  -- mc -> marie), read from the estate rather than from a list. A record abbreviating its compound (J-F Rousseau) and one bearing that first word
  -- alone (Jean Rousseau) are then told from two unrelated names (Julie / J-F): at 1M records such
  -- pairs of one surname were one person in 33 % of 2,102 candidate pairs, and on a shared mobile
  -- in all of 274; with another first word (Julie, Julien, Jacques) in none of 600.
  SELECT first_initials, head FROM (
    SELECT first_initials, head, ROW_NUMBER() OVER (PARTITION BY first_initials ORDER BY COUNT(*) DESC, head) AS pos
    FROM (SELECT first_initials, split_part(first_key, ' ', 1) AS head FROM kept
          WHERE first_key LIKE '% %' AND NOT ${person_name.abbreviatedKey("first_key")}) AS c
    GROUP BY first_initials, head
  ) AS h WHERE pos = 1
), name_roles AS (
  SELECT name_key, SUM(as_first) AS as_first, SUM(1 - as_first) AS as_last
  FROM (SELECT first_key AS name_key, 1 AS as_first FROM kept WHERE first_key IS NOT NULL
        UNION ALL SELECT last_key, 0 FROM kept WHERE last_key IS NOT NULL) AS words
  GROUP BY name_key
), first_genders AS (
  -- The gender a first name is given with on the titled records: on at least ${GENDER_MIN_TITLED} of them,
  -- ${GENDER_SHARE * 100} % of one gender (not Dominique or Camille).
  SELECT first_key, CASE WHEN COUNT(*) >= ${GENDER_MIN_TITLED} THEN CASE
      WHEN SUM(CASE WHEN title_gender = 'F' THEN 1 ELSE 0 END) >= ${GENDER_SHARE} * COUNT(*) THEN 'F'
      WHEN SUM(CASE WHEN title_gender = 'M' THEN 1 ELSE 0 END) >= ${GENDER_SHARE} * COUNT(*) THEN 'M' END END AS gender
  FROM kept WHERE first_key IS NOT NULL AND title_gender IS NOT NULL
  GROUP BY first_key
), email_domains AS (
  SELECT split_part(email_key, '@', 2) AS domain, COUNT(*) AS records FROM kept WHERE email_key IS NOT NULL GROUP BY split_part(email_key, '@', 2)
), domain_fixes AS (
  -- Mistyped domains (gmail.con, orage.fr): one typo from a domain holding at least 1 % of the
  -- addresses, and 20 times rarer (includes/email.js domainCorrections). At 100k people the
  -- 20 mistyped domains of the sample estate are the ones corrected, and nothing else.
  ${email.domainCorrections("email_domains")}
), named AS (
  -- A record holding one name, typed in the first-name field, that is twice as often a last name
  -- as a first name across the records ("Arnaud", "Lacroix"; "Laurent" beside a placeholder surname, "Xxx"):
  -- the word is its surname and it has no given name, as a "Mme Arnaud" ticket. It is then
  -- compared as one: no first-name conflict with Mia Arnaud (at 100k people 79 such pairs were
  -- vetoed, 69 of them one person), and the rules for records without a first name hold (a
  -- family's mailbox does not attach it to a member). One equality in the join (see below).
  SELECT ${namedColumns}
  FROM kept
  LEFT JOIN name_roles AS lw ON lw.name_key = CASE WHEN kept.last_key IS NULL THEN kept.first_key END
  LEFT JOIN domain_fixes AS df ON df.domain = split_part(kept.email_key, '@', 2)
)
SELECT named.*, split_part(named.email_key, '@', 1) AS email_mailbox, ${email.yearSpelled("named.email_key")} AS email_year, ${lastIsGiven} AS last_is_given,
  -- A common given name (on at least 10 records and 1 in 5,000, and twice as often a first name
  -- as a last name — Marie, Pierre, Antoine, surnames too; not Martin, Bernard or Nicolas): two
  -- different ones are two people (Patrick / Patricia, Eric / Cédric, Marie / Maxime), where a
  -- rare one may be a typo. Ten times, as first, left Marie (5.4 times at 100k people) out, and a
  -- household's Marie and Maxime at one address linked on it; a word of the other record's last
  -- name is excluded by the comparison level itself, so a name typed the other way round
  -- ("Petit Julie") is not read as a conflict (identity_comparisons.js). At 100k people the veto holds
  -- for 29,699 candidate pairs instead of 20,525: 3 of them one person instead of none.
  COALESCE(nf.as_first >= 10 AND nf.as_first * 5000 >= total.records AND nf.as_first >= 2 * nf.as_last, FALSE) AS first_common,
  -- As common as a first name, however often a last name too (Thomas, Michel, André): between two
  -- records of one surname typed the right way round, two of them are two people (Thomas / Théo
  -- Dupont), which first_common misses for the surname (identity_comparisons.js).
  COALESCE(nf.as_first >= 10 AND nf.as_first * 5000 >= total.records, FALSE) AS first_given,
  ch.head AS first_compound_head,
  -- The initial an email spells before the surname of a record without a first name ("- François"
  -- with nfrancois@ or n.francois@): a sign of which household member it is, as a gender is;
  -- compared only with a common given name typed the right way round (pair_scores).
  ${emailInitial} AS email_initial,
  -- The gender its title states; else the one its given name is given with on the titled records
  -- (first_genders):
  -- - typed the other way round (last_is_given): the given name in the last-name field ("Roux
  --   Chloé": 6,624 more genders at 100k people, none wrong);
  -- - else its first name, when three times more often a first name than a last name (ten times
  --   left Claire out: 137 / 14 at 10k people, from "Dubois Claire"); or, for a name that is a
  --   common surname too (Bernard, François, Michel: swapped records of the Bernards would make
  --   Bernard a woman's name), when the other name cannot be the given one or agrees — a last
  --   name under one record in ten a first name ("Bernard Fontaine"), or a given name of the same
  --   gender ("Bernard François"); "Bernard Claire" gets none (14,453 more genders, 7 wrong);
  -- - a record without a first name: the given name its email spells beside its surname
  --   (blanchard.beatrice5166@ on "N/A Blanchard": 1,741 records, 4 wrong, a partner's mailbox).
  -- Compared where a record has no first name, or where first names are alike only in spelling
  -- or sound (pair_scores).
  COALESCE(named.title_gender, CASE WHEN ${lastIsGiven} THEN fgl.gender WHEN nf.as_first >= 3 * nf.as_last OR nr.as_first * 10 <= nr.as_last OR fgl.gender = fg.gender THEN fg.gender END, fge.gender) AS gender,
  -- For the matching steps' joins and samples: an integer key joins ten million candidate pairs
  -- faster than record_key, and a pair's sampling hash is the sum of its records' hashes (one MD5
  -- per record, not per pair).
  nb.record_num,
  ${portable.md5Hash("named.record_key", 52)} AS record_hash
FROM named
JOIN numbers AS nb ON nb.record_key = named.record_key
CROSS JOIN (SELECT COUNT(*) AS records FROM kept) AS total
-- An abbreviation (person_name.abbreviatedKey, as the comparisons read it) keyed by its initials;
-- one equality in the join (see named above).
LEFT JOIN compound_heads AS ch ON ch.first_initials = CASE WHEN ${person_name.abbreviatedKey("named.first_key")} THEN named.first_initials END
LEFT JOIN name_roles AS nr ON nr.name_key = named.last_key
LEFT JOIN name_roles AS nf ON nf.name_key = named.first_key
LEFT JOIN first_genders AS fg ON fg.first_key = named.first_key
LEFT JOIN first_genders AS fgl ON fgl.first_key = named.last_key
LEFT JOIN first_genders AS fge ON fge.first_key = ${emailGivenName}`;
});
// Jaro–Winkler for the tables that compare records (PostgreSQL: rcu's function), created here so
// that it exists, committed, before any of them starts (includes/similarity.js similaritySetup).
if (similarity.similaritySetup().length) personRecordsTable.preOps(similarity.similaritySetup());
