/**
 * The canonical person: who someone really is, before any source mangles them. Pure function of
 * (seed, person index) — plus the household pair the index belongs to — so it can be recomputed
 * anywhere: by the streaming generator and by the tests that measure the dirt back.
 */
import { DIRT, EPOCH } from "./config.js";
import { FEMALE_FIRST, MALE_FIRST, SURNAMES } from "./data/names.js";
import { CITIES, EMAIL_DOMAINS, LANDLINE_PREFIXES, MOBILE_PREFIXES, STREET_NAMES, STREET_TYPES } from "./data/places.js";
import { Rng, Weighted } from "./prng.js";

export interface Address {
  readonly number: number;
  /** "", "bis" or "ter". */
  readonly suffix: string;
  /** Index into STREET_TYPES. */
  readonly type: number;
  readonly street: string;
  readonly city: string;
  readonly postcode: string;
}

export interface Person {
  readonly index: number;
  readonly entityId: string;
  readonly female: boolean;
  readonly first: string;
  /** Current (married, for married women) surname. */
  readonly last: string;
  readonly maiden: string | null;
  readonly birth: string;
  readonly email: string;
  readonly oldEmail: string | null;
  /** National format, 10 digits, e.g. 0612345678. */
  readonly mobile: string;
  /** Household landline when the household shares a phone. */
  readonly sharedPhone: string | null;
  readonly address: Address;
  readonly oldAddress: Address | null;
  /** Household id (pair index) when this person lives with their pair partner, else null. */
  readonly household: number | null;
  /** Customer since, ms since epoch. */
  readonly since: number;
}

export const FEMALE = new Weighted(FEMALE_FIRST);
export const MALE = new Weighted(MALE_FIRST);
export const SURNAME = new Weighted(SURNAMES);
export const CITY = new Weighted(CITIES.map((c, i) => [i, c[2]] as const));
export const STREET_TYPE = new Weighted(STREET_TYPES.map((t, i) => [i, t[2]] as const));
export const DOMAIN = new Weighted(EMAIL_DOMAINS);

/** Generator streams: one purpose per number so adding draws in one never shifts another. */
export const STREAM = { person: 1, household: 2, records: 3, malformed: 4, catalogue: 5 } as const;

export const entityId = (index: number): string => "P" + String(index + 1).padStart(8, "0");
export const indexOfEntity = (id: string): number => Number(id.slice(1)) - 1;

/** Lowercase ASCII: what email local parts and matching keys are made of. */
export function stripAccents(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/Œ/g, "OE");
}

function asciiLocal(s: string): string {
  return stripAccents(s).toLowerCase().replace(/[^a-z]/g, "");
}

/**
 * Unique valid phone numbers without global state (random draws would collide by the birthday
 * paradox at 1M people): a bijective affine map of the index onto [0, prefixes × 10^6), split into
 * an allocated prefix and six digits. The multiplier is a prime coprime with every modulus used.
 */
function uniquePhone(n: number, prefixes: readonly number[], add: number): string {
  const u = (n * 1_000_003 + add) % (prefixes.length * 1_000_000); // exact: n · 10^6 < 2^53
  return "0" + String(prefixes[Math.floor(u / 1_000_000)]) + String(u % 1_000_000).padStart(6, "0");
}

export function randomAddress(rng: Rng): Address {
  const c = CITIES[CITY.pick(rng)] as readonly [string, string, number];
  return {
    number: rng.chance(0.9) ? rng.range(1, 120) : rng.range(121, 399),
    suffix: rng.chance(DIRT.bisTer) ? (rng.chance(0.7) ? "bis" : "ter") : "",
    type: STREET_TYPE.pick(rng),
    street: rng.pick(STREET_NAMES),
    city: c[0],
    postcode: c[1],
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function makeEmail(rng: Rng, first: string, last: string, birthYear: number): string {
  const f = asciiLocal(first.split("-")[0] ?? first);
  const l = asciiLocal(last);
  const pattern = rng.int(6);
  let local =
    pattern === 0 ? `${f}.${l}` : pattern === 1 ? `${f}${l}` : pattern === 2 ? `${f[0] ?? "x"}.${l}` :
    pattern === 3 ? `${l}.${f}` : pattern === 4 ? `${f}_${l}` : `${f[0] ?? "x"}${l}`;
  // Most real addresses carry digits: without them homonyms would collide on one mailbox.
  const d = rng.float();
  if (d < 0.35) local += String(birthYear % 100).padStart(2, "0");
  else if (d < 0.9) local += String(rng.range(1, 9999));
  return `${local}@${DOMAIN.pick(rng)}`;
}

interface Household {
  readonly together: boolean;
  readonly address: Address;
  readonly oldAddress: Address | null;
  readonly sameSurname: boolean;
  readonly surname: string;
  readonly sharedEmail: string | null;
  readonly sharedPhone: string | null;
}

/** Household draws are made from the pair's own stream so both members see the same values. */
function household(seed: number, pair: number): Household {
  const rng = new Rng(seed, STREAM.household, pair);
  const together = rng.chance(DIRT.household);
  const address = randomAddress(rng);
  const oldAddress = rng.chance(DIRT.moved) ? randomAddress(rng) : null;
  const sameSurname = rng.chance(DIRT.householdSameSurname);
  const surname = SURNAME.pick(rng);
  const shareEmail = rng.chance(DIRT.householdSharedEmail);
  const sharePhone = rng.chance(DIRT.householdSharedPhone);
  const fam = asciiLocal(surname);
  const sharedEmail = shareEmail ? `${rng.chance(0.5) ? "famille." : ""}${fam}${rng.range(1, 999)}@${DOMAIN.pick(rng)}` : null;
  const sharedPhone = sharePhone ? uniquePhone(pair, LANDLINE_PREFIXES, 12_345_678) : null;
  return { together, address, oldAddress, sameSurname, surname, sharedEmail, sharedPhone };
}

export function person(seed: number, index: number): Person {
  const rng = new Rng(seed, STREAM.person, index);
  const pair = index >>> 1;
  const hh = household(seed, pair);
  // In a pair living together, the even member is a woman, the odd a man, most of the time.
  let female = rng.chance(0.52);
  if (hh.together && rng.chance(0.85)) female = (index & 1) === 0;
  let first = (female ? FEMALE : MALE).pick(rng);
  let last = SURNAME.pick(rng);
  if (rng.chance(DIRT.homonym)) {
    first = female ? "Marie" : "Jean";
    last = "Martin";
  }
  const birthYear = rng.range(1940, 2006);
  const birth = isoDate(Date.UTC(birthYear, rng.int(12), rng.range(1, 28)));
  let maiden: string | null = null;
  if (hh.together && hh.sameSurname) {
    if (female) maiden = last === hh.surname ? null : last;
    last = hh.surname;
  } else if (female && birthYear < 1998 && rng.chance(DIRT.marriedWomen)) {
    maiden = last;
    last = SURNAME.pick(rng);
    if (last === maiden) maiden = null;
  }
  const ownEmail = makeEmail(rng, first, last, birthYear);
  const changed = rng.chance(DIRT.emailChanged);
  const otherEmail = makeEmail(rng, first, maiden ?? last, birthYear);
  const email = hh.together && hh.sharedEmail ? hh.sharedEmail : ownEmail;
  const oldEmail = changed && otherEmail !== email ? otherEmail : null;
  const mobile = uniquePhone(index, MOBILE_PREFIXES, 31_415_926);
  const ownAddress = randomAddress(rng);
  const ownOld = rng.chance(DIRT.moved) ? randomAddress(rng) : null;
  const since = EPOCH.start + rng.int(EPOCH.end - EPOCH.start - 90 * 86_400_000);
  return {
    index,
    entityId: entityId(index),
    female,
    first,
    last,
    maiden,
    birth,
    email,
    oldEmail,
    mobile,
    sharedPhone: hh.together ? hh.sharedPhone : null,
    address: hh.together ? hh.address : ownAddress,
    oldAddress: hh.together ? hh.oldAddress : ownOld,
    household: hh.together ? pair : null,
    since,
  };
}
