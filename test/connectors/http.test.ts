import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { nextLink, retryAfterMs } from "../../connectors/http/client.js";
import { testProject, type TestProject } from "./helpers.js";

/** 25 customers; `updated_at` increases with id. */
const CUSTOMERS = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  name: `c${i + 1}`,
  updated_at: `2024-01-${String(i + 1).padStart(2, "0")}T00:00:00Z`,
  tags: i % 2 ? ["a", "b"] : null,
}));

let server: Server;
let base = "";
const hits: Record<string, number> = {};
const seenAuth: string[] = [];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, base);
  const key = url.pathname + url.search;
  hits[key] = (hits[key] ?? 0) + 1;
  seenAuth.push(String(req.headers.authorization));
  const since = url.searchParams.get("updated_since");
  const rows = CUSTOMERS.filter((c) => !since || c.updated_at >= since);
  switch (url.pathname) {
    case "/page": {
      const page = Number(url.searchParams.get("page"));
      const size = Number(url.searchParams.get("per_page"));
      return json(res, 200, { data: { items: rows.slice((page - 1) * size, page * size) } });
    }
    case "/offset": {
      const off = Number(url.searchParams.get("offset"));
      const lim = Number(url.searchParams.get("limit"));
      return json(res, 200, rows.slice(off, off + lim));
    }
    case "/cursor": {
      const at = Number(url.searchParams.get("cursor") ?? 0);
      const next = at + 10 < rows.length ? String(at + 10) : null;
      return json(res, 200, { results: rows.slice(at, at + 10), meta: { next } });
    }
    case "/link": {
      const p = Number(url.searchParams.get("p") ?? 1);
      const link: Record<string, string> = p * 10 < rows.length ? { link: `</link?p=${p + 1}>; rel="next", </link?p=1>; rel="first"` } : {};
      return json(res, 200, rows.slice((p - 1) * 10, p * 10), link);
    }
    case "/throttled":
      // First call: 429 with Retry-After: 1; then success.
      if (hits[key] === 1) return json(res, 429, { error: "slow down" }, { "retry-after": "1" });
      return json(res, 200, rows.slice(0, 3));
    case "/flaky":
      if (hits[key] === 1) return json(res, 500, { error: "boom" });
      return json(res, 200, rows.slice(0, 2));
    case "/slow":
      if (hits[key] === 1) {
        setTimeout(() => json(res, 200, []), 2000).unref();
        return;
      }
      return json(res, 200, rows.slice(0, 1));
    case "/down":
      return json(res, 503, { error: "down" });
    case "/forbidden":
      return json(res, 403, { error: "no" });
    default:
      return json(res, 404, {});
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

let p: TestProject;
afterEach(async () => p?.dispose());

const api = (streams: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  api: {
    type: "http",
    base_url: base,
    headers: { Authorization: { env: "API_TOKEN", prefix: "Bearer " } },
    timeout_ms: 500,
    backoff_ms: 20,
    max_retries: 2,
    ...extra,
    streams,
  },
});
const env = { API_TOKEN: "s3cret" };

describe("HTTP JSON API", () => {
  it("follows page, offset, cursor and Link pagination, with auth from env", async () => {
    p = await testProject();
    const sources = api({
      paged: { path: "page", records_path: "data.items", pagination: { type: "page", size_param: "per_page", size: 10 } },
      offset: { path: "offset", pagination: { type: "offset", limit: 7 } },
      cursor: { path: "cursor", records_path: "results", pagination: { type: "cursor", cursor_path: "meta.next" } },
      link: { path: "link", pagination: { type: "link" } },
    });
    const r = await runExtract({ sources, warehouse: p.warehouse, env, projectDir: p.dir });
    expect(r.ok).toBe(true);
    for (const s of r.streams) expect(s).toMatchObject({ status: "succeeded", rowsIn: 25, rowsLanded: 25, rowsRejected: 0 });
    for (const t of ["paged", "offset", "cursor", "link"]) {
      const rows = await p.query(`SELECT COUNT(DISTINCT id) AS n, COUNT(*) AS m FROM raw.api_${t}`);
      expect(rows[0]).toEqual({ n: 25, m: 25 });
    }
    const one = await p.query(`SELECT id, tags, _rcu_input, _rcu_position FROM raw.api_link WHERE id = '12'`);
    expect(one[0]).toEqual({ id: "12", tags: '["a","b"]', _rcu_input: `${base}/link?p=2`, _rcu_position: 1 });
    expect(seenAuth.every((a) => a === "Bearer s3cret")).toBe(true);
    // The secret never lands anywhere.
    const leaked = await p.query(`SELECT COUNT(*) AS n FROM rcu_meta.loads WHERE CAST(inputs AS VARCHAR) LIKE '%s3cret%'`);
    expect(leaked[0]!.n).toBe(0);
  });

  it("sends the persisted cursor as the incremental parameter and lands nothing twice", async () => {
    p = await testProject();
    const sources = api({
      inc: {
        path: "offset",
        pagination: { type: "offset", limit: 10 },
        incremental: { cursor_field: "updated_at", param: "updated_since" },
      },
    });
    const first = await runExtract({ sources, warehouse: p.warehouse, env, projectDir: p.dir });
    expect(first.streams[0]).toMatchObject({ rowsLanded: 25, cursorBefore: null, cursorAfter: "2024-01-25T00:00:00Z" });
    const second = await runExtract({ sources, warehouse: p.warehouse, env, projectDir: p.dir });
    // The window is inclusive (>=): the boundary record comes back and is recognised.
    expect(Object.keys(hits).some((k) => k.includes("updated_since=2024-01-25"))).toBe(true);
    expect(second.streams[0]).toMatchObject({ rowsIn: 0, rowsLanded: 0, cursorBefore: "2024-01-25T00:00:00Z" });
    expect((await p.query(`SELECT COUNT(*) AS n FROM raw.api_inc`))[0]!.n).toBe(25);
  });

  it("retries 429 honouring Retry-After, 500 then success, and a timeout", async () => {
    p = await testProject();
    const t0 = Date.now();
    const r = await runExtract({
      sources: api({ throttled: { path: "throttled" }, flaky: { path: "flaky" }, slow: { path: "slow" } }),
      warehouse: p.warehouse,
      env,
      projectDir: p.dir,
    });
    expect(r.streams.map((s) => [s.stream, s.status, s.rowsLanded])).toEqual([
      ["throttled", "succeeded", 3],
      ["flaky", "succeeded", 2],
      ["slow", "succeeded", 1],
    ]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(retryAfterMs("2")).toBe(2000);
    expect(nextLink('<https://x/a?p=2>; rel="next"', "https://x/a")).toBe("https://x/a?p=2");
  });

  it("reports a transient error after retries and a terminal one for 4xx; nothing is published", async () => {
    p = await testProject();
    const r = await runExtract({
      sources: api({ down: { path: "down" }, forbidden: { path: "forbidden" }, nokey: { path: "page" } }, {}),
      warehouse: p.warehouse,
      env,
      projectDir: p.dir,
    });
    expect(r.ok).toBe(false);
    const [down, forbidden] = r.streams;
    expect(down!.status).toBe("failed");
    expect(down!.error).toMatchObject({ kind: "transient" });
    expect(down!.error!.message).toMatch(/api\.down.*3 attempts.*HTTP 503/);
    expect(forbidden!.error).toMatchObject({ kind: "terminal" });
    const missing = await runExtract({ sources: api({ x: { path: "page" } }), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(missing.streams[0]!.error!.message).toMatch(/API_TOKEN/);
    const ledger = await p.query(`SELECT stream, status, error FROM rcu_meta.loads ORDER BY stream`);
    expect(ledger.filter((l) => l.status === "failed").length).toBe(3);
  });
});
