/**
 * A local HTTP API standing in for a marketing tool, on 127.0.0.1: batched upserts and deletes
 * keyed by user_id, honouring Idempotency-Key (a batch already applied is acknowledged, not
 * applied again), and misbehaving on purpose: 429 with Retry-After, 500, a response lost after the
 * batch was applied (the client times out), or down (503) from some request on.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Mode = "ok" | "429" | "500" | "apply-then-hang" | "down";

export class AudienceServer {
  readonly members = new Map<string, Record<string, unknown>>();
  /** How many times each user's record was applied (must stay 1 per change). */
  readonly applications = new Map<string, number>();
  readonly deletes: string[] = [];
  readonly idempotencyKeys = new Set<string>();
  readonly authHeaders: string[] = [];
  requests = 0;
  /** Mode of request n (1-based); default ok. */
  modes: (n: number) => Mode = () => "ok";
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const n = ++this.requests;
    this.authHeaders.push(String(req.headers.authorization ?? ""));
    const mode = this.modes(n);
    if (mode === "down") return void res.writeHead(503).end("down for maintenance");
    if (mode === "429") return void res.writeHead(429, { "retry-after": "0" }).end();
    if (mode === "500") return void res.writeHead(500).end("oops");
    const key = String(req.headers["idempotency-key"] ?? "");
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { records?: Array<Record<string, unknown>>; keys?: string[] };
    if (!key || !this.idempotencyKeys.has(key)) {
      if (key) this.idempotencyKeys.add(key);
      if (req.url === "/v1/members/upsert") {
        for (const r of body.records ?? []) {
          const id = String(r.user_id);
          this.members.set(id, r);
          this.applications.set(id, (this.applications.get(id) ?? 0) + 1);
        }
      } else if (req.url === "/v1/members/delete") {
        for (const k of body.keys ?? []) {
          this.members.delete(k);
          this.deletes.push(k);
        }
      } else return void res.writeHead(404).end();
    }
    // The batch is applied; its response is lost (the client times out and retries).
    if (mode === "apply-then-hang") return;
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  }
}
