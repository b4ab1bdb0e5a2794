/**
 * The driver contacts nothing but the configured endpoint: every TCP connection and DNS lookup
 * made while loading the SDK, logging in, querying (with chunk downloads) and closing is recorded.
 * Its own file, so the SDK is first loaded here, under observation (platform detection would run
 * at load time).
 */
import dns from "node:dns";
import net from "node:net";
import { afterAll, expect, it } from "vitest";
import { startServer, warehouse } from "./harness.js";

const connections: string[] = [];
const lookups: string[] = [];
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  // Node's own callers pass the normalised [options, callback] array as the first argument.
  const raw = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  const first = raw as { host?: string; port?: number; path?: string } | number | string;
  const where = typeof first === "object" && first !== null ? `${first.host ?? first.path ?? "?"}:${first.port ?? ""}` : `${String(args[1] ?? "localhost")}:${String(first)}`;
  connections.push(where);
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
const originalLookup = dns.lookup;
(dns as { lookup: unknown }).lookup = function (host: string, ...rest: unknown[]) {
  lookups.push(host);
  return (originalLookup as (...a: unknown[]) => unknown)(host, ...rest);
};
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
});

it("loads the SDK, logs in, streams a chunked result and closes without any other network access", async () => {
  const server = await startServer(100);
  try {
    const conn = await warehouse(server).connect({ queryTag: "net" });
    expect(await conn.query("SELECT i AS n FROM range(0, 450) t(i)")).toHaveLength(450);
    await conn.close();
    // Let anything the SDK started in the background (detection, telemetry) try to connect.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await server.stop();
  }
  expect(connections.length).toBeGreaterThan(0);
  expect(connections.filter((c) => !c.startsWith("127.0.0.1:"))).toEqual([]);
  expect(lookups.filter((h) => h !== "127.0.0.1" && h !== "localhost")).toEqual([]);
  expect(server.requests.filter((r) => r.includes("telemetry"))).toEqual([]);
});
