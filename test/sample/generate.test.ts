import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate } from "../../sample/generate.js";
import { Rng, mix32, opaqueId } from "../../sample/prng.js";
import { makeEstate, readCsv, readJsonl } from "./estate.js";

const sha = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe("prng", () => {
  it("is deterministic per (seed, stream, sub) and roughly uniform", () => {
    const a = new Rng(7, 1, 2);
    const b = new Rng(7, 1, 2);
    const c = new Rng(7, 1, 3);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(xs);
    const r = new Rng(1);
    const buckets = new Array(10).fill(0) as number[];
    for (let i = 0; i < 100_000; i++) buckets[r.int(10)]!++;
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it("builds ids from a bijection (no collisions)", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(opaqueId(42, i));
    expect(seen.size).toBe(200_000);
    expect(mix32(0)).toBe(mix32(0));
  });
});

describe("generateEstate", () => {
  let dirA: string;
  let manifestA: Awaited<ReturnType<typeof generateEstate>>;
  beforeAll(async () => {
    const e = await makeEstate(3000, 42);
    cleanups.push(e.cleanup);
    dirA = e.dir;
    manifestA = e.manifest;
  });

  it("is byte-identical for the same seed and people (whatever the block size), different for another seed", async () => {
    const same = await makeEstate(3000, 42);
    cleanups.push(same.cleanup);
    const other = await makeEstate(3000, 43);
    cleanups.push(other.cleanup);
    const blocks = await makeEstate(3000, 42);
    cleanups.push(blocks.cleanup);
    // Regenerate with a tiny block size: blocks are independent, so the bytes must not change.
    const small = await generateEstate({ people: 3000, seed: 42, outDir: blocks.dir, blockSize: 97 });
    expect(same.manifest).toEqual(manifestA);
    expect(small).toEqual(manifestA);
    expect(readFileSync(path.join(same.dir, "manifest.json"), "utf8")).toBe(readFileSync(path.join(dirA, "manifest.json"), "utf8"));
    for (const [file, entry] of Object.entries(manifestA.files)) {
      expect(sha(path.join(same.dir, file)), file).toBe(entry.sha256);
      expect(sha(path.join(blocks.dir, file)), file).toBe(entry.sha256);
      // The store list is fixed by design (real cities in a fixed order); everything else moves with the seed.
      if (file !== "stores/stores.csv") expect(other.manifest.files[file]?.sha256, file).not.toBe(entry.sha256);
    }
  });

  // Worker threads need the compiled worker (dist/, built by `npm test`); the bytes must not change.
  const distGenerate = fileURLToPath(new URL("../../dist/sample/generate.js", import.meta.url));
  it.skipIf(!existsSync(distGenerate) || !existsSync(fileURLToPath(new URL("../../dist/sample/block-worker.js", import.meta.url))))(
    "gives the same bytes with worker threads (compiled build)",
    async () => {
      const mod = (await import(pathToFileURL(distGenerate).href)) as typeof import("../../sample/generate.js");
      const w = await makeEstate(1, 1);
      cleanups.push(w.cleanup);
      // Both sides from dist, so a stale build cannot make this fail.
      const one = await mod.generateEstate({ people: 3000, seed: 42, outDir: path.join(w.dir, "one"), workers: 0 });
      const pool = await mod.generateEstate({ people: 3000, seed: 42, outDir: path.join(w.dir, "pool"), workers: 2, blockSize: 500 });
      expect(pool).toEqual(one);
      expect(Object.keys(pool.files)).toEqual(Object.keys(manifestA.files));
    },
  );

  it("manifest: sha256, bytes and row counts match the files", () => {
    for (const [file, entry] of Object.entries(manifestA.files)) {
      const buf = readFileSync(path.join(dirA, file));
      expect(sha(path.join(dirA, file)), file).toBe(entry.sha256);
      expect(buf.length, file).toBe(entry.bytes);
      const lines = buf.toString("latin1").split("\n").filter((l) => l !== "").length;
      const expected = file.endsWith(".jsonl") ? entry.rows : file.endsWith(".json") ? entry.rows + 2 : entry.rows + 1;
      expect(lines, file).toBe(expected);
    }
    expect(manifestA.seed).toBe(42);
    expect(manifestA.people).toBe(3000);
    expect(Object.values(manifestA.truth).reduce((a, b) => a + b, 0)).toBe(manifestA.files["truth/persons.csv"]!.rows);
  });

  it("puts a few malformed rows in every file, and the files really contain them", () => {
    for (const [file, entry] of Object.entries(manifestA.files)) {
      if (file === "truth/persons.csv") continue;
      expect(entry.malformed, file).toBeGreaterThanOrEqual(1);
      const abs = path.join(dirA, file);
      if (file.endsWith(".jsonl")) expect(readJsonl(abs).bad, file).toBe(entry.malformed);
      else if (file.endsWith(".csv")) {
        const delim = readFileSync(abs, "latin1").split("\n")[0]!.includes(";") ? ";" : ",";
        expect(readCsv(abs, delim, file.startsWith("crm/") ? "latin1" : "utf8").bad, file).toBe(entry.malformed);
      } else {
        const arr = JSON.parse(readFileSync(abs, "utf8")) as unknown[];
        const invalid = arr.filter((t) => t === null || typeof t !== "object" || typeof (t as { ticket_id?: unknown }).ticket_id !== "string");
        expect(invalid.length, file).toBe(entry.malformed);
      }
    }
    for (const file of ["crm/contacts.csv", "eshop/customers.jsonl", "web/events.jsonl", "contact_centre/tickets.json"]) {
      expect(manifestA.files[file]!.malformed, file).toBeGreaterThanOrEqual(3);
    }
  });

  it("writes the CRM in Windows-1252 (é = 0xE9, no UTF-8 sequences) with CRLF and French headers", () => {
    const buf = readFileSync(path.join(dirA, "crm/contacts.csv"));
    expect(buf.subarray(0, 40).toString("latin1")).toBe("id_contact;civilite;prenom;nom;email;tel");
    expect(buf.includes(Buffer.from([0xe9]))).toBe(true);
    expect(buf.includes(Buffer.from("é", "utf8"))).toBe(false);
    expect(buf.includes(Buffer.from([0xc3]))).toBe(false); // lead byte of UTF-8 é/è/ê/ë/ï/ô/ç
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(buf)).toThrow();
    const text = new TextDecoder("windows-1252").decode(buf);
    expect(text).toContain("\r\n");
    expect(text.split("\r\n")[0]).toBe("id_contact;civilite;prenom;nom;email;telephone;adresse;code_postal;ville;date_naissance;proprietaire_commercial;type_client;date_maj");
    const { rows } = readCsv(path.join(dirA, "crm/contacts.csv"), ";", "latin1");
    expect(new Set(rows.map((r) => r[11]))).toEqual(new Set(["B2C", "B2B"]));
    expect(rows.some((r) => /[éèëêïôç]/.test((r[2] ?? "") + (r[3] ?? "")))).toBe(true);
    // Other files are UTF-8.
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path.join(dirA, "stores/loyalty_cards.csv")))).not.toThrow();
  });

  it("scales row counts with people", async () => {
    const big = await makeEstate(12_000, 42);
    cleanups.push(big.cleanup);
    for (const [file, entry] of Object.entries(manifestA.files)) {
      if (["eshop/products.jsonl", "stores/stores.csv", "email/campaigns.csv"].includes(file)) {
        expect(big.manifest.files[file]!.rows, file).toBe(entry.rows);
        continue;
      }
      const ratio = (big.manifest.files[file]!.rows - big.manifest.files[file]!.malformed) / (entry.rows - entry.malformed);
      expect(ratio, file).toBeGreaterThan(3.6);
      expect(ratio, file).toBeLessThan(4.4);
    }
  });

  it("never dates anything after the estate's end (2026-10-31, + consent/open delays)", () => {
    for (const file of Object.keys(manifestA.files)) {
      const text = readFileSync(path.join(dirA, file), "latin1");
      const dates = [...(text.match(/\b20\d\d-\d\d-\d\d/g) ?? []), ...(text.match(/\b\d\d\/\d\d\/20\d\d/g) ?? []).map((d) => `${d.slice(6)}-${d.slice(3, 5)}-${d.slice(0, 2)}`)];
      const max = dates.filter((d) => d !== "2024-02-31" && d !== "2024-01-01").sort().at(-1) ?? "";
      expect(max <= "2026-11-03", `${file}: ${max}`).toBe(true);
    }
  });

  it("rejects nonsense sizes", async () => {
    await expect(generateEstate({ people: 0, seed: 1, outDir: dirA })).rejects.toThrow(/people/);
  });
});
