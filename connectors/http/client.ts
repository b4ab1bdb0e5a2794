/**
 * HTTP requests with retries: exponential backoff (with jitter) on 429, 5xx, timeouts and network
 * errors; `Retry-After` (seconds or HTTP date) honoured. Other 4xx are terminal. Uses Node's fetch.
 */
import { RcuError } from "../../engine/errors.js";

export interface RetryPolicy {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly backoffMs: number;
  /** Upper bound on any single wait (a hostile Retry-After must not stall a run for a day). */
  readonly maxWaitMs?: number;
}

export interface FetchedPage {
  readonly url: string;
  readonly body: unknown;
  readonly headers: Headers;
  readonly attempts: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const s = Number(value.trim());
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * A request retried on 429, 5xx, timeouts and network errors; other statuses are terminal. Returns
 * the successful response and the attempts it took. `doing` names the phase for errors (extract,
 * sync); `where` the source or destination.
 */
export async function fetchWithRetry(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  policy: RetryPolicy,
  where: string,
  doing: string,
): Promise<{ response: Response; attempts: number }> {
  const maxWait = policy.maxWaitMs ?? 300_000;
  let lastError = "";
  for (let attempt = 0; attempt <= policy.maxRetries; attempt++) {
    let wait = policy.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
      if (res.ok) return { response: res, attempts: attempt + 1 };
      await res.body?.cancel().catch(() => undefined);
      if (res.status !== 429 && res.status < 500) {
        throw new RcuError("USAGE", `${where}: ${init.method} ${url} failed with HTTP ${res.status}`, {
          doing,
          action: where,
          file: url,
          hint: res.status === 401 || res.status === 403 ? "Check the credentials named in the headers (env vars)." : undefined,
        });
      }
      lastError = `HTTP ${res.status}`;
      const ra = retryAfterMs(res.headers.get("retry-after"));
      if (ra !== null) wait = ra;
    } catch (err) {
      if (err instanceof RcuError) throw err;
      const e = err as Error;
      lastError = e.name === "TimeoutError" || e.name === "AbortError" ? `timeout after ${policy.timeoutMs} ms` : e.message;
    }
    if (attempt < policy.maxRetries) await sleep(Math.min(wait, maxWait));
  }
  throw new RcuError(
    "USAGE",
    `${where}: ${init.method} ${url} failed after ${policy.maxRetries + 1} attempts (${lastError})`,
    { doing, action: where, file: url, hint: "The API is throttling or failing; nothing is lost, the next run retries what was not applied." },
    { kind: "transient" },
  );
}

/** `where` names the source/stream for messages. */
export async function getJson(
  url: string,
  headers: Record<string, string>,
  policy: RetryPolicy,
  where: string,
): Promise<FetchedPage> {
  const { response: res, attempts } = await fetchWithRetry(url, { method: "GET", headers: { accept: "application/json", ...headers } }, policy, where, "extract");
  const text = await res.text();
  try {
    return { url, body: text.trim() === "" ? null : (JSON.parse(text) as unknown), headers: res.headers, attempts };
  } catch (err) {
    throw new RcuError("USAGE", `${where}: ${url} did not return JSON: ${(err as Error).message}`, { doing: "extract", action: where, file: url });
  }
}

/** The `rel="next"` target of a Link header, resolved against the current URL. */
export function nextLink(link: string | null, current: string): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (m && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2]!)) return new URL(m[1]!, current).toString();
  }
  return null;
}
