import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEshopServer, type EshopServer } from "../../sample/eshop-server.js";
import { makeEstate, readJsonl } from "./estate.js";

let server: EshopServer;
let cleanup: () => Promise<void>;
let customers: Record<string, unknown>[];
let orders: Record<string, unknown>[];

beforeAll(async () => {
  const e = await makeEstate(2000, 5);
  cleanup = e.cleanup;
  customers = readJsonl(path.join(e.dir, "eshop/customers.jsonl")).rows;
  orders = readJsonl(path.join(e.dir, "eshop/orders.jsonl")).rows;
  server = await startEshopServer({ dir: e.dir, port: 0 });
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

interface Page {
  data: Record<string, unknown>[];
  page: number;
  per_page: number;
}

async function get(url: string): Promise<{ status: number; body: Page; next: string | null }> {
  const res = await fetch(url);
  const link = res.headers.get("link");
  const next = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
  return { status: res.status, body: (await res.json()) as Page, next };
}

async function all(first: string): Promise<{ records: Record<string, unknown>[]; pages: number }> {
  const records: Record<string, unknown>[] = [];
  let url: string | null = first;
  let pages = 0;
  while (url) {
    const r = await get(url);
    expect(r.status).toBe(200);
    records.push(...r.body.data);
    pages++;
    url = r.next;
  }
  return { records, pages };
}

describe("e-shop API server (real HTTP on 127.0.0.1)", () => {
  it("listens on 127.0.0.1 with an ephemeral port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it("pages through all valid customers following the Link header, in file order", async () => {
    const first = await get(`${server.url}/customers?per_page=250`);
    expect(first.body.page).toBe(1);
    expect(first.body.per_page).toBe(250);
    expect(first.body.data).toHaveLength(250);
    expect(first.next).toContain("page=2");
    const { records, pages } = await all(`${server.url}/customers?per_page=250`);
    expect(records).toEqual(customers.filter((c) => typeof c === "object" && c !== null));
    expect(pages).toBe(Math.ceil(customers.length / 250));
  });

  it("serves any page directly (page/per_page), and no Link on the last page", async () => {
    const p3 = await get(`${server.url}/orders?page=3&per_page=40`);
    expect(p3.body.data).toEqual(orders.slice(80, 120));
    const lastPage = Math.ceil(orders.length / 40);
    const last = await get(`${server.url}/orders?page=${lastPage}&per_page=40`);
    expect(last.body.data).toEqual(orders.slice((lastPage - 1) * 40));
    expect(last.next).toBeNull();
    const beyond = await get(`${server.url}/orders?page=${lastPage + 5}&per_page=40`);
    expect(beyond.body.data).toEqual([]);
    expect(beyond.next).toBeNull();
  });

  it("filters on updated_since and keeps the filter in the next links", async () => {
    const since = "2025-01-01T00:00:00Z";
    const want = orders.filter((o) => Date.parse(o.updated_at as string) >= Date.parse(since));
    expect(want.length).toBeGreaterThan(100);
    expect(want.length).toBeLessThan(orders.length);
    const first = await get(`${server.url}/orders?per_page=100&updated_since=${encodeURIComponent(since)}`);
    expect(first.next).toContain("updated_since=");
    const { records } = await all(`${server.url}/orders?per_page=100&updated_since=${encodeURIComponent(since)}`);
    expect(records).toEqual(want);
  });

  it("rejects bad parameters and unknown resources", async () => {
    expect((await fetch(`${server.url}/customers?page=0`)).status).toBe(400);
    expect((await fetch(`${server.url}/customers?updated_since=yesterday`)).status).toBe(400);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
