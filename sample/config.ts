/**
 * Every knob of the sample estate in one place: how many records each source holds per person
 * (VOLUMES) and how dirty they are (DIRT). The rates are documented in sample/README.md and the
 * tests in test/sample/dirt.test.ts measure them back from the generated files, so changing a rate
 * here is the only thing needed to change the estate's dirt.
 */

export const VOLUMES = {
  /** Share of persons known to each source (independent draws: overlaps are what we resolve). */
  crm: 0.35,
  eshop: 0.55,
  email: 0.5,
  stores: 0.45,
  /** Persons who called the contact centre at least once; each caller has 1 + Poisson(0.4) tickets. */
  contactCentre: 0.12,
  /** Share of persons browsing the web site / app (only e-shop customers can log in). */
  web: 0.6,
  ordersMean: 2,
  extraLinesMean: 1.2,
  webEventsMean: 6,
  emailEventsMean: 4,
  purchasesMean: 2,
  /** Store purchases with no loyalty card, per person (anonymous tills). */
  anonymousPurchases: 0.4,
  /** Devices that browse but never log in, per person. */
  anonymousDevices: 0.25,
  /** Share of B2B (professional) contacts among CRM contacts. */
  crmB2b: 0.08,
  /** Sizes of the static lists. */
  productCount: 400,
  storeCount: 60,
  campaignCount: 48,
} as const;

export const DIRT = {
  // --- names (each applies per person-bearing record, independently) ---
  /** One keyboard-style edit (swap, drop, double, neighbour key) in the first or last name. */
  typo: 0.03,
  /** OCR-like confusions (rn→m, l→1, O→0, é→e…) on loyalty cards, which are keyed from paper forms. */
  ocr: 0.05,
  /** Whole name field in capitals (HÉLÈNE, DUPONT), accents kept. */
  upperCase: 0.12,
  /** Accents dropped, applied to records whose names carry accents (Hélène → Helene). */
  accentLoss: 0.2,
  /** Records of persons with a compound first name: Jean-Pierre → JP / Jean Pierre / Jean. */
  compoundVariant: 0.4,
  /** First and last name swapped. */
  swappedNames: 0.02,
  /** Married women (persons): a share of their records carries the maiden name. */
  marriedWomen: 0.4,
  maidenNameUse: 0.3,
  /** Persons forced to the most common French name pair (Marie/Jean Martin): explicit homonyms. */
  homonym: 0.003,

  // --- phones (per record that has a phone) ---
  /** Written formats, weights: 06 12 34 56 78 / 0612345678 / +33612345678 / 0033 6… / 06.12.34.56.78 / 612345678. */
  phoneFormats: { spaced: 0.4, compact: 0.25, plus33: 0.15, zero033: 0.05, dotted: 0.1, missingZero: 0.05 },
  /** Contact-centre agents type numbers by hand: extra spaces/dashes anywhere. */
  agentPhoneNoise: 0.3,

  // --- emails (per record that has an email) ---
  emailCase: 0.05,
  /** Gmail addresses written with the dots moved/removed (same mailbox for Gmail). */
  gmailDots: 0.2,
  /** user+tag@ variants (promo sign-ups). */
  plusTag: 0.03,
  /** gmial.com & co. */
  domainTypo: 0.01,

  // --- addresses (per record that has an address) ---
  /** Street type abbreviated (avenue → av., boulevard → bd). */
  addressAbbrev: 0.35,
  /** Persons living at a "bis"/"ter" number. */
  bisTer: 0.05,
  /** One digit of the postcode mistyped. */
  postcodeTypo: 0.01,

  // --- life events (per person) ---
  /** Persons who moved: older systems (CRM, loyalty) keep the old address on half their records. */
  moved: 0.08,
  /** Persons who changed email address: half the records in each source keep the old one. */
  emailChanged: 0.1,
  oldValueUse: 0.5,

  // --- households (per pair of consecutive persons) ---
  /** Pairs living together: same address (distinct persons that must NOT be merged). */
  household: 0.2,
  /** Households that also share one email address. */
  householdSharedEmail: 0.3,
  /** Households that also share one (landline) phone, given as their phone. */
  householdSharedPhone: 0.5,
  /** Households that share the surname (married / family). */
  householdSameSurname: 0.7,

  // --- junk and gaps (per record) ---
  junkEmail: 0.01,
  junkPhone: 0.01,
  /** A name or city field holding "N/A", "-", "." or "inconnu". */
  junkValue: 0.01,
  missingEmail: 0.08,
  missingPhone: 0.15,
  missingBirthDate: 0.3,
  missingAddress: 0.05,

  // --- within-source duplicates (per person present in the source) ---
  crmDuplicate: 0.06,
  eshopSecondAccount: 0.05,
  /** Persons with a second e-shop account who logged in to it on a device used for the first. */
  secondAccountSameDevice: 0.5,
  /** Households living together with a shared tablet; each member with an e-shop account logs in on it with chance 0.7. */
  householdTablet: 0.3,
  storesSecondCard: 0.04,

  // --- malformed rows (not in the truth file; counted in the manifest) ---
  /** Chance, per person and per streamed file, of one extra malformed row after that person's rows. */
  malformed: 1 / 20_000,
  /** …and every streamed file gets at least this many (static lists get exactly one). */
  malformedMin: 3,
} as const;

export type DirtConfig = typeof DIRT;

/** The window the estate lives in: all dates fall between these (fixed, for determinism). */
export const EPOCH = {
  start: Date.UTC(2019, 0, 1),
  end: Date.UTC(2026, 9, 31),
} as const;
