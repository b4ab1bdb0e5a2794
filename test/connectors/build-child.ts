/**
 * Transpile `connectors/` and `engine/` to a temp dir so a real child process (which can be
 * SIGKILLed, unlike a vitest worker) can run `runExtract`. Type-checking is not needed here.
 */
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

async function transpileDir(src: string, out: string): Promise<void> {
  for (const e of await readdir(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    if (e.isDirectory()) await transpileDir(from, path.join(out, e.name));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
      const js = ts.transpileModule(await readFile(from, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: from,
      }).outputText;
      await mkdir(out, { recursive: true });
      await writeFile(path.join(out, e.name.replace(/\.ts$/, ".js")), js);
    }
  }
}

export async function buildChild(dir: string): Promise<string> {
  for (const d of ["connectors", "engine"]) await transpileDir(path.join(ROOT, d), path.join(dir, d));
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return path.join(dir, "connectors", "extract.js");
}
