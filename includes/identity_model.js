// The standard identity model's shared pieces: the identity config (from rcu.yaml, passed by rcu
// as the compile var `rcu_identity`), the person-record contract, the blocking rules and EM
// training sessions, and (from identity_comparisons.js) the attribute comparisons used by the
// matching definitions. Definitions read these instead of repeating column lists, so adding a
// person source is configuration only.
//
// Under the official Dataform CLI the var is absent: the model compiles with no person sources
// (empty, typed relations), which keeps definitions/ valid Dataform.

const portable = require("./portable");
const { HOUSEHOLD_MAILBOXES } = require("./email");
// The attribute comparisons live in their own file; the model's users read them from here.
const { comparisons, neutralComparisons, levelsOf } = require("./identity_comparisons");

const SCHEMA = "rcu_identity";

/** Raw fields a person source may map (rcu.yaml identity.person_sources.<name>.<field>). */
const FIELDS = ["email", "phone", "title", "first_name", "last_name", "birth_date", "national_id", "address_line", "postcode", "city", "region", "country", "updated_at"];

/**
 * Golden-record attributes (person_records columns) → default survivorship rule
 * (rcu.yaml identity.survivorship.<attribute> overrides; identity/config.ts refuses other keys, and
 * a test keeps its list equal to this one). Trust first for contact data (the CRM knows best),
 * most frequent for facts typed many times (birth date; gender: the title typed most often, else
 * the first name's, person_records.gender), most recent for what changes (addresses).
 */
const SURVIVORSHIP = {
  email: "trust",
  phone_e164: "trust",
  title: "trust",
  first_name: "trust",
  last_name: "trust",
  gender: "most_frequent",
  birth_date: "most_frequent",
  address_line: "most_recent",
  postcode: "most_recent",
  city: "most_recent",
  country: "most_recent",
};

const DEFAULTS = {
  default_country: "FR",
  person_sources: {},
  sightings: {},
  matching: {
    threshold: 0.9, identifier_floor: 0.01, max_records_per_identifier: 20, max_block_size: 50, em_iterations: 5, cluster_rounds: 20,
    household_mailboxes: HOUSEHOLD_MAILBOXES, surname_mailboxes: true, join_name_only: true,
  },
  survivorship: {},
};

function config() {
  const vars = (dataform.projectConfig && dataform.projectConfig.vars) || {};
  const raw = vars.rcu_identity ? JSON.parse(vars.rcu_identity) : {};
  return {
    ...DEFAULTS,
    ...raw,
    matching: { ...DEFAULTS.matching, ...(raw.matching || {}) },
    person_sources: raw.person_sources || {},
    sightings: raw.sightings || {},
    survivorship: raw.survivorship || {},
  };
}

const { ident: q, literal: lit } = require("./relations");

/**
 * A configured field: a column name (quoted), { sql } (the project owner's expression), or an
 * engine-portable form ({ json, path }, { timestamp, format }: portable.fieldForm).
 */
function field(f) {
  if (f === undefined || f === null) return "CAST(NULL AS VARCHAR)";
  if (typeof f === "object" && typeof f.sql === "string") return `(${f.sql})`;
  const form = portable.fieldForm(f, q);
  if (form !== undefined) return form;
  return q(f);
}

/** Identifier types across all person sources, sorted (each becomes column id_<type>). */
function identifierTypes(cfg) {
  const types = new Set();
  for (const s of Object.values(cfg.person_sources)) for (const t of Object.keys(s.identifiers || {})) types.add(t);
  return [...types].sort();
}

/**
 * Identifiers that can link two records on their own, as [kind, person_records column]: each
 * configured id type (`id:<type>`), the email and the phone (identifier_stats, comparison_vectors,
 * pair_scores).
 */
function linkingIdentifiers(cfg) {
  return [...identifierTypes(cfg).map((t) => [`id:${t}`, "id_" + t]), ["email", "email_key"], ["phone", "phone_e164"]];
}

/**
 * The identifier kinds of rcu_core.user_identifiers that are not configured types, with the
 * person_records column of each. Configured types (identifiers, sightings) may not reuse these
 * names: identity/config.ts (BUILT_IN_KINDS) refuses them, and a test keeps the two lists equal.
 */
const BUILT_IN_KINDS = [["record", "record_id"], ["email", "email_key"], ["phone", "phone_e164"], ["national_id", "national_id"]];

/**
 * Identifier types seen beside person records in event tables (rcu.yaml identity.sightings), sorted:
 * rows of record_sightings, linking like an email or a phone (first names must agree).
 */
function sightingTypes(cfg) {
  const types = new Set();
  for (const s of Object.values(cfg.sightings)) for (const t of Object.keys(s.identifiers || {})) types.add(t);
  return [...types].sort();
}

/**
 * Person sources holding at most one record per person (rcu.yaml one_record_per_person), sorted:
 * two records of one of them are two people (pair_scores vetoes the pair, person_clusters never
 * attaches a second one to a person).
 */
function oneRecordSources(cfg) {
  return Object.entries(cfg.person_sources).filter(([, s]) => s.one_record_per_person === true).map(([n]) => n).sort();
}

/** SQL: the record aliased `alias` comes from a one-record source (FALSE when there is none). */
function fromOneRecordSource(cfg, alias) {
  const names = oneRecordSources(cfg);
  return names.length ? `${alias}.source IN (${names.map(lit).join(", ")})` : "FALSE";
}

/** Relation of a person source, as { schema, name }. */
function sourceRelation(s) {
  const [schema, name] = String(s.relation).split(".");
  return { schema, name };
}


/**
 * EM training sessions: candidate pairs agreeing on a rule, with the rule's comparisons left out
 * (see emStatements). Every comparison is free in at least two sessions.
 */
function trainingSessions() {
  return [
    { name: "same email", where: "cmp_email = 0", fixed: ["email"] },
    { name: "same first and last names", where: "cmp_first_name = 0 AND cmp_last_name = 0", fixed: ["first_name", "last_name"] },
    { name: "same birth date", where: "cmp_birth_date = 0", fixed: ["birth_date"] },
    { name: "same phone", where: "cmp_phone = 0", fixed: ["phone"] },
    { name: "same address", where: "cmp_address = 0 AND cmp_postcode = 0", fixed: ["address", "postcode", "city", "region"] },
    { name: "same national id", where: "cmp_national_id = 0", fixed: ["national_id"] },
  ];
}

/** Blocking rules: a UNION of equi-joins over person_records columns, and over record_sightings. */
function blockingRules(cfg, sightingsOf) {
  // Each rule joins on attributes of which one tolerates typos (a sound key, an initial) and the
  // others are exact, so a record meets few candidates however common its name is (measured on the sample
  // estate: 0.05 % of links lost against rules with initials, for 90 % fewer pairs).
  const rules = [
    { name: "last_name+first_sound", on: [["last_key", "last_key"], ["first_phon", "first_phon"]] },
    { name: "last_sound+first_name", on: [["last_phon", "last_phon"], ["first_key", "first_key"]] },
    { name: "birth_date+first_initial", on: [["birth_key", "birth_key"], ["first_initial", "first_initial"]] },
    { name: "birth_date+last_initial", on: [["birth_key", "birth_key"], ["last_initial", "last_initial"]] },
    { name: "national_id", on: [["national_id", "national_id"]] },
    // A surname mistyped out of its sound (Colegate / Colegatye), where no birth date or address
    // proposes the pair: same postcode, first name and initial. Without the initial, this rule was
    // a third of the candidate pairs at 1M records and linked 20 pairs, all of two people.
    { name: "postcode+first_name+last_initial", on: [["postcode", "postcode"], ["first_key", "first_key"], ["last_initial", "last_initial"]] },
    { name: "address", on: [["address_key", "address_key"], ["postcode", "postcode"]] },
    { name: "names_swapped", on: [["first_key", "last_key"], ["last_key", "first_key"]] },
    { name: "email", on: [["email_key", "email_key"]] },
    { name: "phone", on: [["phone_e164", "phone_e164"]] },
  ];
  for (const t of identifierTypes(cfg)) rules.push({ name: `id:${t}`, on: [[`id_${t}`, `id_${t}`]] });
  // Sighted identifiers (a device at login) block from their own table, many values per record:
  // sightingsOf(type) is a relation of (record_num, seen_<type>).
  for (const t of sightingTypes(cfg)) rules.push({ name: `seen:${t}`, from: sightingsOf(t), on: [[`seen_${t}`, `seen_${t}`]] });
  return rules;
}

module.exports = { BUILT_IN_KINDS, SURVIVORSHIP, linkingIdentifiers, neutralComparisons, sightingTypes, oneRecordSources, fromOneRecordSource, trainingSessions, levelsOf, SCHEMA, FIELDS, config, field, identifierTypes, sourceRelation, comparisons, blockingRules, q, lit };
