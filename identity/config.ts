/**
 * The `identity:` section of rcu.yaml: which columns of which tables carry a person's email,
 * phone, names, birth date, address and external ids, how much each source is trusted, and the
 * matching / survivorship settings. Onboarding a new person source is configuration only.
 *
 * A field is a column name (quoted by the dialect, so any name is safe), `{ sql: … }`, an SQL
 * expression over the source's columns that the project owner writes knowingly, with the same
 * trust as the SQLX in definitions/ (and written in the warehouse's dialect), or one of the
 * engine-portable forms rendered per engine by includes/portable.js (fieldForm):
 * `{ json: column, path: "a.b" }` (text at a path of a JSON text column) and
 * `{ timestamp: column, format: "DD/MM/YYYY HH24:MI" }` (text parsed in a format, NULL if it does not parse).
 */
import { z } from "zod";

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const name = (what: string) => z.string().regex(NAME, `${what} must be letters, digits and _ (not starting with a digit)`);

/** Dotted object keys; the same rule as JSON_PATH in includes/portable.js (a test checks). */
export const JSON_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Format elements YYYY MM DD HH24 MI SS and separators; TIMESTAMP_FORMAT in includes/portable.js. */
export const TIMESTAMP_FORMAT = /^(YYYY|MM|DD|HH24|MI|SS|[-/ .:,])+$/;

export const fieldSchema = z.union([
  z.string().min(1),
  z.strictObject({ sql: z.string().min(1) }),
  z.strictObject({ json: z.string().min(1), path: z.string().regex(JSON_PATH, "path must be dotted keys (line1, address.city)") }),
  z.strictObject({
    timestamp: z.string().min(1),
    format: z.string().regex(TIMESTAMP_FORMAT, "format elements: YYYY MM DD HH24 MI SS, separated by space - / . : ,"),
  }),
]);
export type Field = z.infer<typeof fieldSchema>;

/** Contract fields a person source may map; the same list as FIELDS in includes/identity_model.js. */
export const PERSON_FIELDS = [
  "email", "phone", "title", "first_name", "last_name", "birth_date", "national_id",
  "address_line", "postcode", "city", "region", "country", "updated_at",
] as const;

export const personSourceSchema = z
  .strictObject({
  /** `schema.table` of the (landed) source table. */
  relation: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, "relation must be schema.table"),
  /** The column (or expression) identifying a record within the source. */
  record_id: fieldSchema,
  /** 1 = most trusted; survivorship prefers lower ranks. */
  trust: z.number().int().min(1).max(100).default(10),
  /**
   * The source system holds at most one record per person (an emailing platform's subscribers, a
   * loyalty programme allowing one card): two of its records are two people, and never share a
   * user_id, even when they carry one household's email or phone.
   */
  one_record_per_person: z.boolean().default(false),
  /** Only rows satisfying this SQL condition are person records (e.g. skip B2B rows). */
  where: z.strictObject({ sql: z.string().min(1) }).optional(),
  ...Object.fromEntries(PERSON_FIELDS.map((f) => [f, fieldSchema.optional()])) as Record<(typeof PERSON_FIELDS)[number], z.ZodOptional<typeof fieldSchema>>,
  /**
   * The whole name in one field ("Mme Dupont", "LE GALL Hervé", "Jean Dupont"), split into first
   * and last name by includes/person_name.js (splitFullName); instead of first_name / last_name.
   */
  full_name: fieldSchema.optional(),
  /** Strong external identifiers: type → field. Records sharing a type and value are the same person. */
  identifiers: z.record(name("identifier type"), fieldSchema).default({}),
  })
  .refine((s) => s.full_name === undefined || (s.first_name === undefined && s.last_name === undefined), {
    message: "full_name replaces first_name and last_name: map either full_name, or first_name / last_name",
    path: ["full_name"],
  });
export type PersonSource = z.infer<typeof personSourceSchema>;

/**
 * Identifiers seen beside a person record in an event table rather than carried by the record: a
 * device id at each login of an e-shop account. A record may have many (each device it logged in
 * on), so they are not contract fields. Like an email or a phone, and unlike an external id, such a
 * value is shared within households (a family tablet): it links two records only when their first
 * names agree, and a value seen with more than max_records_per_identifier records links nobody.
 */
export const sightingSchema = z.strictObject({
  /** `schema.table` of the (landed) event table. */
  relation: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, "relation must be schema.table"),
  /** Whose record the event names: a person source, and the field holding that source's record id. */
  person: z.strictObject({ source: name("person source"), key: fieldSchema }),
  /** Identifier type → field, e.g. `device: device_id`. */
  identifiers: z.record(name("identifier type"), fieldSchema).refine((ids) => Object.keys(ids).length > 0, "name at least one identifier"),
  /** When the event happened (optional): record_sightings keeps the first and last time seen. */
  seen_at: fieldSchema.optional(),
  /** Only events satisfying this SQL condition count (e.g. logins only). */
  where: z.strictObject({ sql: z.string().min(1) }).optional(),
});
export type Sighting = z.infer<typeof sightingSchema>;

/**
 * Identifier kinds that are not configured types: user_identifiers.id_type uses these names. The
 * same list as BUILT_IN_KINDS in includes/identity_model.js (a test checks).
 */
export const BUILT_IN_KINDS = ["record", "email", "phone", "national_id"];

/**
 * Cross-references within the identity section that zod cannot check field by field: sightings
 * name declared person sources, and their identifier types clash with no other kind (each type is
 * one id_type of rcu_core.user_identifiers).
 */
export function identityProblems(identity: IdentityConfig): string[] {
  const problems: string[] = [];
  const sources = Object.keys(identity.person_sources);
  const carried = new Set(Object.values(identity.person_sources).flatMap((s) => Object.keys(s.identifiers)));
  for (const [name, s] of Object.entries(identity.sightings)) {
    if (!sources.includes(s.person.source)) {
      problems.push(`identity.sightings.${name}.person.source: "${s.person.source}" is not an identity person source (defined: ${sources.join(", ") || "none"})`);
    }
    for (const t of Object.keys(s.identifiers)) {
      if (BUILT_IN_KINDS.includes(t) || carried.has(t)) {
        problems.push(`identity.sightings.${name}.identifiers.${t}: "${t}" is already ${carried.has(t) ? "an identifier of a person source" : "a built-in identifier kind"}; give the sighted identifier another name`);
      }
    }
  }
  return problems;
}

export const survivorshipRule = z.enum(["trust", "most_recent", "most_frequent", "first_non_null"]);

/**
 * Golden-record attributes whose survivorship rule rcu.yaml may set; the same list as SURVIVORSHIP
 * in includes/identity_model.js (which holds the default rules). Any other key is refused: a
 * misspelt attribute would otherwise keep its default rule without a word.
 */
export const GOLDEN_ATTRIBUTES = [
  "email", "phone_e164", "title", "first_name", "last_name", "gender", "birth_date",
  "address_line", "postcode", "city", "country",
] as const;

/** identity.matching.household_mailboxes' default; the same list as includes/email.js (a test checks). */
export const HOUSEHOLD_MAILBOXES = ["famille", "family", "familie", "familia", "famiglia", "mretmme", "monsieuretmadame", "mrandmrs"] as const;

export const identitySchema = z.strictObject({
  /** Country of national phone numbers and addresses without one (ISO 3166-1 alpha-2). */
  default_country: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code such as FR").default("FR"),
  person_sources: z.record(name("person source name"), personSourceSchema).default({}),
  sightings: z.record(name("sighting name"), sightingSchema).default({}),
  matching: z
    .strictObject({
      /**
       * Match probability above which two records are linked (0.5–0.9999). 0.9, not 0.99: on the
       * sample estate (100k people) the pairs left below 0.99 but above 0.9 were 90 % one person.
       */
      threshold: z.number().min(0.5).max(0.9999).default(0.9),
      /**
       * Match probability under which an email or phone does not link two records on its own,
       * when the attributes that disagree (phones, postcodes, addresses) are on their own that
       * strongly against: they outweigh it. 0 turns it off.
       */
      identifier_floor: z.number().min(0).max(0.5).default(0.01),
      /** An identifier value carried by more records than this is treated as shared (shop email, switchboard). */
      max_records_per_identifier: z.number().int().min(2).max(10_000).default(20),
      /**
       * Local-part prefixes naming a family's shared mailbox ("famille.dupont@…"), compared with
       * the local part's separators dropped. Such an address links two records only when both
       * carry a first name (and the first names agree): a record without one could be any member
       * of the family. [] turns it off. The same default as HOUSEHOLD_MAILBOXES in includes/email.js.
       */
      household_mailboxes: z
        .array(z.string().regex(/^[a-z0-9]+$/, "a household mailbox prefix is lower-case letters and digits (separators are dropped before comparing)"))
        .default([...HOUSEHOLD_MAILBOXES]),
      /**
       * An address whose local part, digits and separators dropped, is a surname of the estate
       * ("fournier676@", "le.goff@": a word read as a last name on at least one record in ten)
       * and no holder's given name ("nicolas696@" on Nicolas Petit's record stays his) is a
       * family's mailbox too, as household_mailboxes' are. false keeps such addresses personal.
       */
      surname_mailboxes: z.boolean().default(true),
      /**
       * A record carrying only a name (a ticket saying "Nathalie Faure": no email, phone,
       * address, date or id) joins the one person bearing that name, by sound, when the
       * probability that it is theirs reaches `threshold`. That probability weighs the namesakes
       * expected from the name's frequency against how often such records' authors have other
       * records under the name, both measured on the estate (includes/identity_name_only.js).
       * false leaves such records apart unless a score links them.
       */
      join_name_only: z.boolean().default(true),
      /** Blocks larger than this are skipped when generating candidate pairs (bounded pairs per record). */
      max_block_size: z.number().int().min(2).max(100_000).default(50),
      /** EM iterations estimating m-probabilities in SQL. */
      em_iterations: z.number().int().min(1).max(50).default(5),
      /** Rounds of the connected-components algorithm (log-scale in the longest chain). */
      cluster_rounds: z.number().int().min(1).max(64).default(20),
    })
    .prefault({}),
  survivorship: z
    .strictObject(Object.fromEntries(GOLDEN_ATTRIBUTES.map((a) => [a, survivorshipRule.optional()])) as Record<(typeof GOLDEN_ATTRIBUTES)[number], z.ZodOptional<typeof survivorshipRule>>)
    .default({}),
});
export type IdentityConfig = z.infer<typeof identitySchema>;

/** The compile var carrying the identity config into definitions/ (Dataform vars are strings). */
export const IDENTITY_VAR = "rcu_identity";
