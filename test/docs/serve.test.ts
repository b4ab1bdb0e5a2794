/**
 * `rcu docs --serve`, as a user runs it: the built binary in a child process, serving the site it
 * wrote on 127.0.0.1, read over HTTP with raw request paths (fetch would normalise `..` away).
 * The browser behaviour of the site itself is in site.test.ts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, ROOT } from "../helpers.js";

const BIN = path.join(ROOT, "dist", "cli", "main.js");
let child: ChildProcess;
let base = "";
let port = 0;
let dir = "";

/** GET `rawPath` exactly as written; resolves with status, content type and body. */
function get(rawPath: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: rawPath, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await copyFixture("all-kinds");
  child = spawn(process.execPath, [BIN, "docs", "--offline", "--serve", "--port", "0", "--project-dir", dir], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /Serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`rcu docs --serve exited ${code} before serving:\n${out}\n${err}`)));
  });
  port = Number(new URL(base).port);
}, 60_000);

afterAll(() => {
  child?.kill("SIGTERM");
});

describe("rcu docs --serve", () => {
  it("says where it wrote the site and serves it with the right content types", async () => {
    expect(port).toBeGreaterThan(0);
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.type).toMatch(/^text\/html/);
    expect(index.body).toContain('<script src="catalog.js"></script>');
    const catalog = await get("/catalog.js");
    expect(catalog.status).toBe(200);
    expect(catalog.type).toMatch(/^text\/javascript/);
    // The fixture's actions are in the served catalogue.
    expect(catalog.body).toContain("stg_customers");
    const vendor = await get("/vendor/cytoscape.min.js");
    expect(vendor.status).toBe(200);
    expect(vendor.body.length).toBeGreaterThan(100_000);
    expect((await get("/style.css")).type).toMatch(/^text\/css/);
  });

  it("answers 404 for a missing file, 403 outside the site and 400 for a malformed path, and keeps serving", async () => {
    expect((await get("/no-such-page.html")).status).toBe(404);
    expect((await get("/vendor/")).status).toBe(404);
    // The project's own config sits two levels above the site (target/docs): never served. Dot
    // segments are resolved inside the site by URL parsing; encoded slashes reach the file check.
    expect((await get("/../../rcu.yaml")).status).toBe(404);
    expect((await get("/%2e%2e/%2e%2e/rcu.yaml")).status).toBe(404);
    const escaped = await get("/..%2f..%2frcu.yaml");
    expect(escaped.status).toBe(403);
    expect(escaped.body).not.toContain("profile");
    const bad = await get("/%E0%A4%A");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/percent-encoding/);
    expect((await get("/index.html")).status).toBe(200);
  });

  it("fails with a usage error naming the port when it is taken", () => {
    const r = spawnSync(process.execPath, [BIN, "docs", "--offline", "--serve", "--port", String(port), "--project-dir", dir], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`127.0.0.1:${port}: it is in use`);
    expect(r.stderr).toContain("--port");
  });
});
