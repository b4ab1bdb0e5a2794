/**
 * A small local e-shop API over the generated JSON Lines files, so the HTTP connector can be
 * demonstrated against something that behaves like a real paginated API.
 *
 *   GET /customers?page=1&per_page=100&updated_since=2024-01-01T00:00:00Z
 *   GET /orders?…
 *   → 200 {"data":[…],"page":1,"per_page":100}  + Link: <…page=2…>; rel="next" while more remain
 *
 * Records are streamed from the files (never loaded whole); malformed lines are skipped, as an API
 * would only serve valid records. `updated_since` keeps records with updated_at ≥ the given
 * instant. To keep sequential pagination linear rather than quadratic, the byte offset where each
 * served page ended is cached, keyed by (resource, filter, records skipped).
 */
import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface EshopServerOptions {
  /** The estate directory (the one holding eshop/). */
  readonly dir: string;
  /** 0 (default) = any free port. */
  readonly port?: number;
  readonly defaultPerPage?: number;
  readonly maxPerPage?: number;
}

export interface EshopServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const RESOURCES: Record<string, string> = { customers: "eshop/customers.jsonl", orders: "eshop/orders.jsonl" };
const CURSOR_CACHE_MAX = 1000;

interface ScanResult {
  readonly records: unknown[];
  readonly hasMore: boolean;
  /** Byte offset just after the last record returned. */
  readonly endOffset: number;
}

/** Reads records from `offset`, skipping `skip` matching ones, returning up to `take`. */
function scan(file: string, offset: number, skip: number, take: number, since: number | null): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file, { start: offset, highWaterMark: 1 << 20 });
    const records: unknown[] = [];
    let skipped = 0;
    let pos = offset;
    let endOffset = offset;
    let rest: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (hasMore: boolean): void => {
      if (done) return;
      done = true;
      stream.destroy();
      resolve({ records, hasMore, endOffset });
    };
    /** Returns true when the scan is complete. */
    const line = (buf: Buffer, lineEnd: number): boolean => {
      if (buf.length === 0) return false;
      let rec: { updated_at?: unknown };
      try {
        rec = JSON.parse(buf.toString("utf8")) as { updated_at?: unknown };
      } catch {
        return false;
      }
      if (rec === null || typeof rec !== "object") return false;
      if (since !== null) {
        const t = typeof rec.updated_at === "string" ? Date.parse(rec.updated_at) : NaN;
        if (!(t >= since)) return false;
      }
      if (skipped < skip) {
        skipped++;
        endOffset = lineEnd;
        return false;
      }
      if (records.length === take) return true;
      records.push(rec);
      endOffset = lineEnd;
      return false;
    };
    stream.on("data", (chunk: Buffer | string) => {
      if (done) return;
      const data = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      let start = 0;
      let nl: number;
      while ((nl = data.indexOf(10, start)) >= 0) {
        const lineEnd = pos + (nl - start) + 1;
        if (line(data.subarray(start, nl), lineEnd)) return finish(true);
        pos = lineEnd;
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    });
    stream.on("end", () => {
      if (!done && rest.length && line(rest, pos + rest.length)) return finish(true);
      finish(false);
    });
    stream.on("error", (err) => {
      if (!done) {
        done = true;
        reject(err);
      }
    });
  });
}

function positiveInt(v: string | null, dflt: number, name: string): number {
  if (v === null || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new BadRequest(`${name} must be a positive integer`);
  return n;
}

class BadRequest extends Error {}

export async function startEshopServer(opts: EshopServerOptions): Promise<EshopServer> {
  const defaultPerPage = opts.defaultPerPage ?? 100;
  const maxPerPage = opts.maxPerPage ?? 1000;
  // (resource|since|recordsSkipped) → byte offset just after those records.
  const cursors = new Map<string, number>();

  async function handle(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const resource = url.pathname.replace(/^\/+|\/+$/g, "");
    const rel = RESOURCES[resource];
    if (req.method !== "GET") return send(res, 405, { error: "method not allowed" });
    if (!rel) return send(res, 404, { error: `unknown resource ${url.pathname}; try /customers or /orders` });
    const page = positiveInt(url.searchParams.get("page"), 1, "page");
    const perPage = Math.min(maxPerPage, positiveInt(url.searchParams.get("per_page"), defaultPerPage, "per_page"));
    const sinceRaw = url.searchParams.get("updated_since");
    let since: number | null = null;
    if (sinceRaw) {
      since = Date.parse(sinceRaw);
      if (Number.isNaN(since)) throw new BadRequest("updated_since must be an ISO 8601 date-time");
    }
    const want = (page - 1) * perPage;
    // Resume from the nearest cached cursor at or before the wanted position.
    const exact = cursors.get(`${resource}|${since}|${want}`);
    const offset = exact ?? 0;
    const skip = exact === undefined ? want : 0;
    const result = await scan(path.join(opts.dir, rel), offset, skip, perPage, since);
    if (cursors.size >= CURSOR_CACHE_MAX) cursors.delete(cursors.keys().next().value as string);
    cursors.set(`${resource}|${since}|${want + result.records.length}`, result.endOffset);
    const headers: Record<string, string> = {};
    if (result.hasMore) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      next.searchParams.set("per_page", String(perPage));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    send(res, 200, { data: result.records, page, per_page: perPage }, headers);
  }

  const server = createServer((req, res) => {
    const base = `http://${req.headers.host ?? "127.0.0.1"}`;
    handle(req, res, base).catch((err: unknown) => {
      if (err instanceof BadRequest) send(res, 400, { error: err.message });
      else send(res, 500, { error: (err as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
