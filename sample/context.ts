/**
 * The estate's file layout and the per-block output buffer. Generation runs in blocks of
 * consecutive persons; a block appends whole lines to one big string per file, which the writer
 * encodes and writes in one go (few large writes instead of millions of small ones). Blocks never
 * depend on each other, so concatenating them in order gives the same bytes whatever the block size.
 */
import type { Dirt } from "./dirt.js";

export interface FileSpec {
  readonly path: string;
  /** Written once at the top (with its line ending); "" for none. */
  readonly header: string;
  /** Written once at the end. */
  readonly footer: string;
  readonly encoding: "utf8" | "cp1252";
  /** Before every record after the first (JSON array separators). */
  readonly separator: string;
  readonly eol: string;
}

const csv = (path: string, header: string, eol = "\n", encoding: "utf8" | "cp1252" = "utf8"): FileSpec => ({
  path, header: header + eol, footer: "", encoding, separator: "", eol,
});
const jsonl = (path: string): FileSpec => ({ path, header: "", footer: "", encoding: "utf8", separator: "", eol: "\n" });

/** Streamed files (one or more rows per person). Static lists (stores, products…) are in catalogue.ts. */
export const FILES = {
  crm: csv(
    "crm/contacts.csv",
    "id_contact;civilite;prenom;nom;email;telephone;adresse;code_postal;ville;date_naissance;proprietaire_commercial;type_client;date_maj",
    "\r\n",
    "cp1252",
  ),
  eshopCustomers: jsonl("eshop/customers.jsonl"),
  eshopOrders: jsonl("eshop/orders.jsonl"),
  eshopLines: jsonl("eshop/order_lines.jsonl"),
  web: jsonl("web/events.jsonl"),
  emailSubscribers: csv(
    "email/subscribers.csv",
    "subscriber_id,email,first_name,last_name,consent_status,consent_at,unsubscribed_at,signup_source,created_at",
  ),
  emailEvents: jsonl("email/events.jsonl"),
  tickets: { path: "contact_centre/tickets.json", header: "[\n", footer: "\n]\n", encoding: "utf8", separator: ",\n", eol: "" },
  loyalty: csv(
    "stores/loyalty_cards.csv",
    "num_carte;civilite;prenom;nom;email;telephone;adresse;code_postal;ville;date_naissance;code_magasin;date_adhesion",
  ),
  purchases: csv("stores/purchases.csv", "num_ticket;code_magasin;num_carte;date_achat;montant_ttc;nb_articles"),
  truth: csv("truth/persons.csv", "source,record_id,entity_id"),
} as const satisfies Record<string, FileSpec>;

export type FileKey = keyof typeof FILES;
export const FILE_KEYS = Object.keys(FILES) as FileKey[];

/** Stable source names used in truth/persons.csv. */
export const SOURCE = {
  crm: "crm_contacts",
  eshop: "eshop_customers",
  email: "email_subscribers",
  tickets: "contact_centre_tickets",
  loyalty: "stores_loyalty_cards",
} as const;

/**
 * Growable byte buffer for one file of one block. Rows are encoded straight into it (no string
 * concatenation: millions of small concatenated strings made the GC the bottleneck).
 */
export class Bytes {
  buf: Buffer = Buffer.allocUnsafe(1 << 16);
  length = 0;

  constructor(private readonly encoding: "utf8" | "cp1252") {}

  append(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; Windows-1252 exactly 1.
    const need = this.length + s.length * 3;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    this.length += this.encoding === "utf8" ? this.buf.write(s, this.length, "utf8") : writeCp1252(this.buf, s, this.length);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** Unicode → Windows-1252 for the 0x80–0x9F block (the rest of 0x00–0xFF is Latin-1). */
const CP1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/** Encodes s at buf[offset…] in Windows-1252; unmappable characters become "?". Returns bytes written. */
export function writeCp1252(buf: Buffer, s: string, offset: number): number {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    buf[offset + i] = u < 0x80 || (u >= 0xa0 && u <= 0xff) ? u : (CP1252_HIGH[u] ?? 0x3f);
  }
  return s.length;
}

export class Block {
  readonly out = Object.fromEntries(FILE_KEYS.map((k) => [k, new Bytes(FILES[k].encoding)])) as Record<FileKey, Bytes>;
  readonly rows = Object.fromEntries(FILE_KEYS.map((k) => [k, 0])) as Record<FileKey, number>;
  readonly malformed = Object.fromEntries(FILE_KEYS.map((k) => [k, 0])) as Record<FileKey, number>;
  readonly truthCounts: Record<string, number> = {};
  readonly dirt: Dirt = {};

  emit(key: FileKey, line: string): void {
    const f = FILES[key];
    const o = this.out[key];
    if (f.separator) o.append(f.separator);
    o.append(f.eol ? line + f.eol : line);
    this.rows[key]++;
  }

  emitMalformed(key: FileKey, line: string): void {
    this.emit(key, line);
    this.malformed[key]++;
  }

  truth(source: string, recordId: string | number, entity: string): void {
    this.emit("truth", `${source},${recordId},${entity}`);
    this.truthCounts[source] = (this.truthCounts[source] ?? 0) + 1;
  }
}

// --- formatting helpers (hot path: hand-written instead of JSON.stringify on whole objects) ---

const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f]/;
/** JSON string literal. */
export function q(s: string): string {
  return NEEDS_JSON_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
/** JSON string or null for "" (missing). */
export function qn(s: string): string {
  return s === "" ? "null" : q(s);
}

const NEEDS_SEMI_QUOTE = /[;"\r\n]/;
const NEEDS_COMMA_QUOTE = /[,"\r\n]/;
/** Field of a ;-separated export. */
export function f(s: string): string {
  return NEEDS_SEMI_QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
/** Field of a ,-separated export. */
export function fc(s: string): string {
  return NEEDS_COMMA_QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const P2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);
const p2 = (n: number): string => P2[n] as string;
const DAY = 86_400_000;
const dayCache = new Map<number, string>();
/**
 * 2024-03-05T14:22:10Z. Hot (tens of millions of calls at 1M people): the date part is cached per
 * day and the time part is plain arithmetic, instead of Date#toISOString.
 */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 11);
    dayCache.set(day, date);
  }
  let t = Math.floor((ms - day * DAY) / 1000);
  const sec = t % 60;
  t = (t - sec) / 60;
  const min = t % 60;
  return date + p2((t - min) / 60) + ":" + p2(min) + ":" + p2(sec) + "Z";
}
/** 31/12/2024 — French exports. */
export function frDate(isoDate: string): string {
  return `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`;
}
/** 31/12/2024 14:05 */
export function frDateTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}
/** 12,50 — French decimal comma. */
export const frMoney = (cents: number): string => `${Math.floor(cents / 100)},${p2(cents % 100)}`;
export const money = (cents: number): string => (cents / 100).toFixed(2);
