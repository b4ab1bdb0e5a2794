/**
 * HTTP JSON API destinations: batched upserts and deletes, auth headers from environment
 * variables, a client-side rate limit, retries with backoff on 429 / 5xx / timeouts (Retry-After
 * honoured), and an `Idempotency-Key` per batch derived from its content: a batch retried — in
 * this run after a lost response, or in the next run after a crash — carries the same key, so an
 * API honouring the header applies it once.
 */
import { fetchWithRetry } from "../../connectors/http/client.js";
import { resolveHeaders } from "../../connectors/http/source.js";
import type { HttpDestination } from "../config.js";
import type { OutRecord, Sink } from "./types.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function openHttpSink(name: string, dest: HttpDestination, env: Readonly<Record<string, string | undefined>>): Sink {
  const where = `destination ${name}`;
  const headers = { "content-type": "application/json", accept: "application/json", ...resolveHeaders(dest, env, where, "sync") };
  const policy = { timeoutMs: dest.timeout_ms, maxRetries: dest.max_retries, backoffMs: dest.backoff_ms, maxWaitMs: 60_000 };
  const interval = 1000 / dest.max_requests_per_second;
  let nextSlot = 0;
  const send = async (method: string, path: string, body: unknown, batchId: string) => {
    const now = Date.now();
    if (now < nextSlot) await sleep(nextSlot - now);
    nextSlot = Math.max(now, nextSlot) + interval;
    const url = new URL(path, dest.base_url).toString();
    const { response } = await fetchWithRetry(url, { method, headers: { ...headers, "idempotency-key": batchId }, body: JSON.stringify(body) }, policy, where, "sync");
    await response.body?.cancel().catch(() => undefined);
  };
  return {
    durablePerBatch: true,
    upsert: (records: readonly OutRecord[], batchId: string) =>
      send(dest.upsert.method, dest.upsert.path, { [dest.upsert.records_field]: records }, batchId),
    async remove(keys, batchId) {
      if (!dest.delete) return; // the destination cannot delete: removals are audited, not sent
      await send(dest.delete.method, dest.delete.path, { [dest.delete.keys_field]: keys }, batchId);
    },
    finish: async () => new URL(dest.upsert.path, dest.base_url).toString(),
    abort: async () => undefined,
  };
}
