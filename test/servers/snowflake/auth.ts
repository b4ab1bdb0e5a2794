/**
 * Credentials of the test server's requests: the session token in a request's Authorization
 * header, and the key-pair login's JWT, checked as Snowflake checks it (RS256, `sub` the account
 * and user, `iss` with the public key's fingerprint, not expired) so rcu's token code is tested.
 */
import { createHash, verify, type KeyObject } from "node:crypto";
import type { IncomingMessage } from "node:http";

export function tokenOf(req: IncomingMessage): string | undefined {
  const m = /Snowflake Token="([^"]+)"/.exec(String(req.headers.authorization ?? ""));
  return m?.[1];
}

export function verifyJwt(token: string, key: KeyObject, account: string, user: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [h, p, s] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string };
  const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as { iss?: string; sub?: string; exp?: number; iat?: number };
  if (header.alg !== "RS256") return false;
  if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))) return false;
  const fingerprint = "SHA256:" + createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("base64");
  const now = Date.now() / 1000;
  return (
    payload.sub?.toUpperCase() === `${account}.${user}` &&
    payload.iss?.toUpperCase() === `${account}.${user}.${fingerprint}`.toUpperCase() &&
    typeof payload.exp === "number" && payload.exp > now
  );
}
