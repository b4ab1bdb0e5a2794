/** The rcu CLI run in process from the benchmarks, with the repository as its project directory. */
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../cli/main.js";

// The repository root, from dist/bench/ (a compiled benchmark) or bench/ (its source, in tests).
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, path.basename(path.dirname(HERE)) === "dist" ? "../.." : "..");

/** Runs `rcu ARGS` and returns its stdout; a non-zero exit throws, naming the command. */
export async function rcu(args: string[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const code = await main(args, { stdout: out, stderr: process.stderr, env: { NO_COLOR: "1" }, cwd: ROOT });
  if (code !== 0) throw new Error(`rcu ${args.join(" ")} exited ${code}`);
  return Buffer.concat(chunks).toString();
}
