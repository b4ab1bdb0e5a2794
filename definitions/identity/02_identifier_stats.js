// identifier_stats: every strong identifier value (email, phone, external ids, sighted devices)
// with how many records carry it, whether it is shared (a shop's email, a switchboard) and
// whether an email names a family's mailbox. The matching steps (02_matching.js) read it to decide
// which identifiers may link records on their own.

const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const { q, lit } = identity_model;
const seenTypes = identity_model.sightingTypes(cfg);
const m = cfg.matching;
// Identifiers that can link two records on their own: the kind, and its person_records column.
const identifierKinds = identity_model.linkingIdentifiers(cfg);

publish("identifier_stats", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Each strong identifier value (email, phone, external ids) with the number of records and distinct first names carrying it; values above identity.matching.max_records_per_identifier are shared (a shop email, a switchboard) and never link records by themselves; emails named as a family's mailbox (identity.matching.household_mailboxes, or a surname alone that is no holder's given name, with identity.matching.surname_mailboxes) are household ones and link only records that both carry a first name.",
  assertions: { uniqueKey: ["id_type", "id_value"] },
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  // record_sightings holds a value once per record, so its rows count records too.
  const seen = seenTypes.length
    ? [`  SELECT 'seen:' || s.id_type AS id_type, s.id_value, p.first_key, 0 AS holder_given, 0 AS holder_surname FROM ${ctx.ref(S, "record_sightings")} AS s JOIN ${P} AS p ON p.record_num = s.record_num`]
    : [];
  // Given name and surname of a record, in their true roles (person_records.last_is_given: a
  // record typed the other way round).
  const given = "CASE WHEN last_is_given THEN last_key ELSE first_key END";
  const surname = "CASE WHEN last_is_given THEN first_key ELSE last_key END";
  // holder_named: some record carrying the email has the mailbox's letters as its given name
  // ("nicolas696@" on Nicolas Petit's record), and none as its surname: the mailbox is that
  // person's (see below). "noel709@" on Michel Noël's records, one of them typed "Noel Michel",
  // names his family, whichever field holds the word.
  // The mailbox's letters are computed once per record and compared with both names.
  const branch = ([k, col]) =>
    m.surname_mailboxes && col === "email_key"
      ? `  SELECT ${lit(k)} AS id_type, id_value, first_key, CASE WHEN g = letters THEN 1 ELSE 0 END AS holder_given, CASE WHEN s = letters THEN 1 ELSE 0 END AS holder_surname
  FROM (SELECT ${q(col)} AS id_value, first_key, ${sql_text.lettersOnly(given)} AS g, ${sql_text.lettersOnly(surname)} AS s, ${email.localLetters(q(col))} AS letters FROM ${P} WHERE ${q(col)} IS NOT NULL) AS e`
      : `  SELECT ${lit(k)} AS id_type, ${q(col)} AS id_value, first_key, 0 AS holder_given, 0 AS holder_surname FROM ${P} WHERE ${q(col)} IS NOT NULL`;
  const ids = `SELECT id_type, id_value, COUNT(*) AS records, COUNT(DISTINCT first_key) AS first_names, MAX(holder_given) * (1 - MAX(holder_surname)) AS holder_named
FROM (
${[...identifierKinds.map(branch), ...seen].join("\n  UNION ALL\n")}
) AS ids
GROUP BY id_type, id_value`;
  // A mailbox named by a surname alone ("fournier676@", "le.goff@") names a family, not which
  // member: like "famille.fournier@", it is shared as often as not. Surnames are the estate's own
  // words, letters only, read as a last name on at least one record in ten (in their fields' true
  // roles): François, Nicolas, Guillaume are surnames as often as given names. Such a mailbox is
  // a person's when it is a holder's given name ("nicolas696@" on Nicolas Petit's record); when
  // it is no holder's given name ("guillaume696@" on Marie Dubois's records, her married name),
  // it names a family, or another person, and a record without a first name carrying it could be
  // any of them. Compound given names ("jeanpierre75@") are almost never last names.
  // An equi-join only: a condition on one side in the ON clause made DuckDB pair every value with
  // every surname (a nested loop: minutes at a million records).
  const surnames = m.surname_mailboxes
    ? `WITH names AS (
  SELECT ${sql_text.lettersOnly(surname)} AS word, 1 AS as_last FROM ${P}
  UNION ALL
  SELECT ${sql_text.lettersOnly(given)} AS word, 0 AS as_last FROM ${P}
), surnames AS (
  SELECT word FROM names WHERE LENGTH(word) >= 3 GROUP BY word HAVING SUM(as_last) * 10 >= COUNT(*)
)
`
    : "";
  const surnameMailbox = m.surname_mailboxes ? " OR (sn.word IS NOT NULL AND i.holder_named = 0)" : "";
  return `${surnames}SELECT i.id_type, i.id_value, i.records, i.first_names, i.records > ${m.max_records_per_identifier} AS is_shared,
  CASE WHEN i.id_type = 'email' THEN (${email.isHouseholdMailbox("i.id_value", m.household_mailboxes)}${surnameMailbox}) ELSE FALSE END AS is_household
FROM (SELECT ids.*, CASE WHEN id_type = 'email' THEN ${email.localLetters("id_value")} END AS letters FROM (${ids}) AS ids) AS i${m.surname_mailboxes ? "\nLEFT JOIN surnames AS sn ON sn.word = i.letters" : ""}`;
});
