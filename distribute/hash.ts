/**
 * Identifiers hashed for advertising audiences: SHA-256 (hex) of the normalised value, the form ad
 * platforms match on — e-mails trimmed and lower-cased, phones in E.164 digits with their "+".
 * rcu's golden e-mails and phones are already normalised; this makes the hash independent of
 * stray spaces or case in a custom mapping.
 */
import { createHash } from "node:crypto";

export function normaliseForHash(value: string): string {
  const v = value.trim();
  if (/^\+?[\d\s().-]{6,}$/.test(v)) return (v.startsWith("+") ? "+" : "") + v.replace(/\D/g, "");
  return v.toLowerCase();
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(normaliseForHash(value), "utf8").digest("hex");
}
