/** `rcu docs [--out DIR] [--serve]`: the browsable catalogue and lineage of the project. */
import path from "node:path";
import { buildCatalog } from "../../catalog/build.js";
import { serveSite, writeSite } from "../../catalog/site.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import { type CliIO } from "../io.js";
import { openProject, type ProjectOptions } from "../project.js";
import { reportGraphErrors } from "./errors.js";

export interface DocsOptions extends ProjectOptions {
  readonly out: string;
  readonly serve?: boolean;
  readonly port: number;
  /** Do not read the warehouse (types, last run): compile only. */
  readonly offline?: boolean;
}

export async function docsCommand(opts: DocsOptions, io: CliIO): Promise<number> {
  const project = await openProject(opts, io);
  if (project.graph.errors.length) return reportGraphErrors(project, io);
  let catalog;
  if (opts.offline) catalog = await buildCatalog(project.graph, project.dialect.name);
  else {
    const warehouse = openWarehouse(project.config.profile, { readOnly: true });
    try {
      const conn = await warehouse.connect();
      try {
        catalog = await buildCatalog(project.graph, project.dialect.name, { conn, dialect: warehouse.dialect, description: warehouse.description });
      } finally {
        await conn.close();
      }
    } finally {
      await warehouse.close();
    }
  }
  const outDir = path.resolve(project.dir, opts.out);
  const index = await writeSite(catalog, outDir, `rcu catalogue — ${path.basename(project.dir)}`);
  io.stdout.write(`Wrote ${path.relative(io.cwd, index) || index} (${catalog.nodes.length} actions)\n`);
  if (!opts.serve) return 0;
  const { server, url } = await serveSite(outDir, opts.port);
  io.stdout.write(`Serving ${url} — Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => server.on("close", () => resolve()));
  return 0;
}
