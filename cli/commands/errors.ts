/** Shared rendering of compilation errors for commands that refuse to run a broken graph. */
import { stylesFor, type CliIO } from "../io.js";
import type { Project } from "../project.js";

export function reportGraphErrors(project: Project, io: CliIO): number {
  const s = stylesFor(io, "stderr");
  io.stderr.write(s.red(`The project has ${project.graph.errors.length} compilation error(s); nothing was run:`) + "\n");
  for (const e of project.graph.errors) {
    io.stderr.write(`  ${e.file ?? "(project)"}${e.action ? ` [${e.action}]` : ""}: ${e.message}\n`);
  }
  return 1;
}
