/**
 * Dirt: the ways real sources mangle a person. Each function takes the generator of the record
 * being written, so dirt is as deterministic as the rest. `Dirt` counts what was applied: those
 * counts go to the manifest (the tests measure the rates from the files independently).
 */
import { DIRT } from "./config.js";
import { initials } from "./data/names.js";
import { DOMAIN_TYPOS, STREET_TYPES } from "./data/places.js";
import type { Address, Person } from "./person.js";
import { stripAccents } from "./person.js";
import type { Rng } from "./prng.js";

export type Dirt = Record<string, number>;

export function bump(dirt: Dirt, kind: string, n = 1): void {
  dirt[kind] = (dirt[kind] ?? 0) + n;
}

const ACCENTED = /[À-ÖØ-öø-ÿŒœ]/;
export const hasAccent = (s: string): boolean => ACCENTED.test(s);

/** AZERTY neighbours for substitution typos. */
const NEIGHBOURS: Record<string, string> = {
  a: "zq", z: "aes", e: "zrd", r: "etf", t: "ryg", y: "tuh", u: "yij", i: "uok", o: "ipl", p: "om",
  q: "asw", s: "qdz", d: "sfe", f: "dgr", g: "fht", h: "gjy", j: "hku", k: "jli", l: "kmo", m: "lp",
  w: "xq", x: "wcs", c: "xvd", v: "cbf", b: "vng", n: "bh",
};

/** One edit: adjacent swap, drop, double or neighbour-key substitution. Never the first letter. */
export function typo(s: string, rng: Rng): string {
  if (s.length < 3) return s;
  const i = rng.range(1, s.length - 2);
  const c = s[i] as string;
  switch (rng.int(4)) {
    case 0:
      return s.slice(0, i) + (s[i + 1] ?? "") + c + s.slice(i + 2);
    case 1:
      return s.slice(0, i) + s.slice(i + 1);
    case 2:
      return s.slice(0, i) + c + s.slice(i);
    default: {
      const lower = c.toLowerCase();
      const n = NEIGHBOURS[lower];
      if (!n) return s.slice(0, i) + s.slice(i + 1);
      const r = n[rng.int(n.length)] as string;
      return s.slice(0, i) + (c === lower ? r : r.toUpperCase()) + s.slice(i + 1);
    }
  }
}

/** Glyph confusions of OCR on scanned forms (first occurrence replaced). Vowels ensure one always applies. */
export const OCR_CONFUSIONS: readonly (readonly [RegExp, string])[] = [
  [/rn/, "m"], [/m/, "rn"], [/l/, "1"], [/O/, "0"], [/o/, "0"], [/é/, "e"], [/è/, "e"], [/I/, "l"], [/S/, "5"], [/B/, "8"],
  [/cl/, "d"], [/u/, "ii"], [/i/, "l"], [/e/, "c"], [/a/, "o"], [/n/, "ri"], [/h/, "b"], [/t/, "f"],
];
const OCR = OCR_CONFUSIONS;

/** One OCR confusion, if the string has a confusable glyph (else unchanged). */
export function ocr(s: string, rng: Rng): string {
  const start = rng.int(OCR.length);
  for (let k = 0; k < OCR.length; k++) {
    const [re, to] = OCR[(start + k) % OCR.length] as readonly [RegExp, string];
    if (re.test(s)) return s.replace(re, to);
  }
  return s;
}

/** Jean-Pierre → JP, J-P, Jean Pierre, Jean, Jean-P. */
export function compoundVariant(first: string, rng: Rng): string {
  const parts = first.split("-");
  switch (rng.int(5)) {
    case 0:
      return initials(first);
    case 1:
      return parts.map((p) => p[0]).join("-");
    case 2:
      return parts.join(" ");
    case 3:
      return parts[0] as string;
    default:
      return `${parts[0]}-${(parts[1] ?? "")[0] ?? ""}.`;
  }
}

const JUNK_VALUES = ["N/A", "-", ".", "inconnu", "XXX", "NA"];
const JUNK_EMAILS = ["test@test.com", "a@a.fr", "noemail@noemail.com", "pasdemail@gmail.com", "xxx@xxx.xx", "client@magasin.fr"];
const JUNK_PHONES = ["0000000000", "0600000000", "0123456789", "9999999999", "00", "0612345678"];

export const junkValue = (rng: Rng): string => rng.pick(JUNK_VALUES);
export const junkEmail = (rng: Rng): string => rng.pick(JUNK_EMAILS);
export const junkPhone = (rng: Rng): string => rng.pick(JUNK_PHONES);
export const isJunkEmail = (s: string): boolean => JUNK_EMAILS.includes(s);
export const isJunkPhone = (s: string): boolean => JUNK_PHONES.includes(s);

const PHONE_FORMATS = Object.entries(DIRT.phoneFormats) as [keyof typeof DIRT.phoneFormats, number][];

/** A national 10-digit number written the way people and systems write it. */
export function formatPhone(national: string, rng: Rng, dirt: Dirt): string {
  let x = rng.float();
  let kind: keyof typeof DIRT.phoneFormats = "spaced";
  for (const [k, w] of PHONE_FORMATS) {
    if (x < w) {
      kind = k;
      break;
    }
    x -= w;
  }
  bump(dirt, `phone_${kind}`);
  const rest = national.slice(1);
  switch (kind) {
    case "spaced":
      return national.replace(/(\d\d)(?=\d)/g, "$1 ");
    case "compact":
      return national;
    case "plus33":
      return "+33" + rest;
    case "zero033":
      return "0033 " + rest.replace(/^(\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, "$1 $2 $3 $4 $5");
    case "dotted":
      return national.replace(/(\d\d)(?=\d)/g, "$1.");
    case "missingZero":
      return rest;
  }
}

/** Agents type what they hear: dashes, odd grouping, a trailing "(portable)". Always visible. */
export function agentNoise(phone: string, rng: Rng): string {
  const d = phone.replace(/\D/g, "");
  switch (rng.int(3)) {
    case 0:
      return d.replace(/(\d\d)(?=\d)/g, "$1-");
    case 1:
      return phone + (rng.chance(0.7) ? " (portable)" : " (fixe)");
    default:
      return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
  }
}

const GMAIL = /^([^@]+)@gmail\.com$/;

export function emailVariant(email: string, rng: Rng, dirt: Dirt): string {
  let e = email;
  const m = GMAIL.exec(e);
  if (m && rng.chance(DIRT.gmailDots)) {
    const local = m[1] as string;
    const plain = local.replace(/\./g, "");
    // Move the dot (or drop all dots) — the same Gmail mailbox either way.
    const cut = rng.range(1, Math.max(1, plain.length - 1));
    e = (rng.chance(0.5) || plain === local ? plain.slice(0, cut) + "." + plain.slice(cut) : plain) + "@gmail.com";
    if (e !== email) bump(dirt, "email_gmail_dots");
  }
  if (rng.chance(DIRT.plusTag)) {
    e = e.replace("@", `+${rng.pick(["promo", "shop", "newsletter", "soldes", "fid"])}@`);
    bump(dirt, "email_plus_tag");
  }
  if (rng.chance(DIRT.domainTypo)) {
    const [local, domain] = e.split("@") as [string, string];
    const typos = DOMAIN_TYPOS[domain];
    if (typos) {
      e = `${local}@${rng.pick(typos)}`;
      bump(dirt, "email_domain_typo");
    }
  }
  if (rng.chance(DIRT.emailCase)) {
    e = rng.chance(0.5) ? e.toUpperCase() : e[0]?.toUpperCase() + e.slice(1);
    bump(dirt, "email_case");
  }
  return e;
}

/** "12 bis avenue Victor Hugo" in one of its many spellings. */
export function streetLine(a: Address, rng: Rng, dirt: Dirt): string {
  const t = STREET_TYPES[a.type] as readonly [string, readonly string[], number];
  let type = t[0];
  if (rng.chance(DIRT.addressAbbrev)) {
    type = rng.pick(t[1]);
    bump(dirt, "address_abbrev");
  }
  let num = String(a.number);
  if (a.suffix) {
    const v = rng.int(4);
    num += v === 0 ? ` ${a.suffix}` : v === 1 ? a.suffix : v === 2 ? ` ${a.suffix.toUpperCase()}` : ` ${a.suffix[0]?.toUpperCase()}`;
  }
  return `${num} ${type} ${a.street}`;
}

export function postcodeVariant(postcode: string, rng: Rng, dirt: Dirt): string {
  if (!rng.chance(DIRT.postcodeTypo)) return postcode;
  bump(dirt, "postcode_typo");
  const i = rng.range(2, 4);
  const d = (Number(postcode[i]) + rng.range(1, 9)) % 10;
  return postcode.slice(0, i) + d + postcode.slice(i + 1);
}

export interface NameView {
  readonly first: string;
  readonly last: string;
}

/** The name as one record carries it: maiden/married, compounds, typos, OCR, case, accents, swap. */
export function nameView(p: Person, rng: Rng, dirt: Dirt, opts: { ocr?: boolean }): NameView {
  let first = p.first;
  let last = p.last;
  if (p.maiden && rng.chance(DIRT.maidenNameUse)) {
    last = p.maiden;
    bump(dirt, "maiden_name");
  }
  if (first.includes("-") && rng.chance(DIRT.compoundVariant)) {
    first = compoundVariant(first, rng);
    bump(dirt, "compound_variant");
  }
  if (rng.chance(DIRT.typo)) {
    if (rng.chance(0.5)) first = typo(first, rng);
    else last = typo(last, rng);
    bump(dirt, "typo");
  }
  if (opts.ocr && rng.chance(DIRT.ocr)) {
    if (rng.chance(0.5)) first = ocr(first, rng);
    else last = ocr(last, rng);
    bump(dirt, "ocr");
  }
  if ((hasAccent(first) || hasAccent(last)) && rng.chance(DIRT.accentLoss)) {
    first = stripAccents(first);
    last = stripAccents(last);
    bump(dirt, "accent_loss");
  }
  if (rng.chance(DIRT.upperCase)) {
    first = first.toUpperCase();
    last = last.toUpperCase();
    bump(dirt, "upper_case");
  }
  if (rng.chance(DIRT.swappedNames)) {
    [first, last] = [last, first];
    bump(dirt, "swapped_names");
  }
  if (rng.chance(DIRT.junkValue)) {
    if (rng.chance(0.5)) first = junkValue(rng);
    else last = junkValue(rng);
    bump(dirt, "junk_value");
  }
  return { first, last };
}

/** Email as a record carries it: old/new address, variants, junk, missing (""). */
export function emailView(p: Person, rng: Rng, dirt: Dirt, opts: { optional: boolean }): string {
  if (opts.optional && rng.chance(DIRT.missingEmail)) {
    bump(dirt, "missing_email");
    return "";
  }
  if (rng.chance(DIRT.junkEmail)) {
    bump(dirt, "junk_email");
    return junkEmail(rng);
  }
  let e = p.email;
  if (p.oldEmail && rng.chance(DIRT.oldValueUse)) {
    e = p.oldEmail;
    bump(dirt, "old_email");
  }
  return emailVariant(e, rng, dirt);
}

export function phoneView(p: Person, rng: Rng, dirt: Dirt): string {
  if (rng.chance(DIRT.missingPhone)) {
    bump(dirt, "missing_phone");
    return "";
  }
  if (rng.chance(DIRT.junkPhone)) {
    bump(dirt, "junk_phone");
    return junkPhone(rng);
  }
  const national = p.sharedPhone && rng.chance(0.7) ? p.sharedPhone : p.mobile;
  return formatPhone(national, rng, dirt);
}

/** The address a record carries: old for movers in older systems, else current. Null = missing. */
export function addressOf(p: Person, rng: Rng, dirt: Dirt, opts: { keepsOld: boolean }): Address | null {
  if (rng.chance(DIRT.missingAddress)) {
    bump(dirt, "missing_address");
    return null;
  }
  if (p.oldAddress && opts.keepsOld && rng.chance(DIRT.oldValueUse)) {
    bump(dirt, "old_address");
    return p.oldAddress;
  }
  return p.address;
}
