/**
 * New PGlite databases for tests, started from a saved empty data directory rather than by
 * running initdb in WebAssembly each time: PGlite.create() took 3–4.5 s here, a copy of the saved
 * directory 0.65 s, and the suite starts some thirty of them. The template is an empty, freshly
 * initialised cluster, written once per PGlite version in the OS temp directory (by rename, so a
 * worker never reads a half-written file); any file that fails to load is replaced.
 */
import { readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { ROOT } from "../helpers.js";

// Its "exports" hide package.json from require: read from node_modules.
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json"), "utf8")) as { version: string }).version;
const TEMPLATE = path.join(tmpdir(), `rcu-test-pglite-${VERSION}.tar`);

let template: Promise<Blob> | undefined;

async function fresh(): Promise<Blob> {
  const db = await PGlite.create();
  const dump = await db.dumpDataDir("none");
  await db.close();
  const part = `${TEMPLATE}.${process.pid}.${Date.now()}`;
  await writeFile(part, Buffer.from(await dump.arrayBuffer()));
  await rename(part, TEMPLATE).catch(() => rm(part, { force: true }));
  return dump;
}

async function saved(): Promise<Blob> {
  try {
    return new Blob([await readFile(TEMPLATE)]);
  } catch {
    return fresh();
  }
}

/** A new, empty PGlite database (with `extensions` loaded, if any). */
export async function createPglite(options: Pick<PGliteOptions, "extensions"> = {}): Promise<PGlite> {
  template ??= saved();
  try {
    return await PGlite.create({ ...options, loadDataDir: await template });
  } catch {
    // A template from an interrupted or older run: start over from initdb, and save it again.
    template = fresh();
    return PGlite.create({ ...options, loadDataDir: await template });
  }
}
