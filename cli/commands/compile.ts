/** `rcu compile`: compile the project and list its actions, or its errors. */
import type { Action } from "../../engine/compile/graph.js";
import type { CliIO } from "../io.js";
import { stylesFor } from "../io.js";
import { openProject, type CommonOptions } from "../project.js";

export async function compileCommand(opts: CommonOptions, io: CliIO): Promise<number> {
  const { graph } = await openProject(opts, io);
  if (opts.json) {
    io.stdout.write(JSON.stringify(graph, null, 2) + "\n");
    return graph.errors.length ? 1 : 0;
  }
  const s = stylesFor(io);
  const byKind = new Map<string, Action[]>();
  for (const a of graph.actions) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
  for (const [kind, actions] of [...byKind.entries()].sort()) {
    io.stdout.write(s.bold(`${kind} (${actions.length})`) + "\n");
    for (const a of [...actions].sort((x, y) => x.id.localeCompare(y.id))) {
      const flags = [a.disabled ? "disabled" : "", a.tags.length ? `tags: ${a.tags.join(",")}` : ""].filter(Boolean).join("; ");
      io.stdout.write(`  ${a.id}  ${s.dim(a.file)}${flags ? "  " + s.dim(`(${flags})`) : ""}\n`);
    }
  }
  if (graph.errors.length) {
    io.stderr.write(s.red(`${graph.errors.length} compilation error(s):`) + "\n");
    for (const e of graph.errors) {
      io.stderr.write(`  ${e.file ?? "(project)"}${e.action ? ` [${e.action}]` : ""}: ${e.message}\n`);
    }
    return 1;
  }
  io.stdout.write(`Compiled ${graph.actions.length} action(s) with @dataform/core ${graph.coreVersion}.\n`);
  return 0;
}
