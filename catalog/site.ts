/**
 * Writes the static docs site: index.html, app.js, style.css, catalog.js (the catalogue as a
 * script, so the site opens from file:// too) and vendor/ (cytoscape.js and its dagre layout,
 * copied from node_modules: no CDN, works offline). `serveSite` serves the folder on 127.0.0.1.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { RcuError } from "../engine/errors.js";
import { APP_JS, STYLE_CSS } from "./app.js";
import type { Catalog } from "./build.js";

const require = createRequire(import.meta.url);

/** [package, browser build beside the package's main file]. */
const VENDOR: Array<[string, string]> = [
  ["cytoscape", "cytoscape.min.js"],
  ["cytoscape-dagre", "cytoscape-dagre.min.js"],
];

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export async function writeSite(catalog: Catalog, outDir: string, title = "rcu catalogue"): Promise<string> {
  await mkdir(path.join(outDir, "vendor"), { recursive: true });
  for (const [pkg, file] of VENDOR) {
    // Both packages ship their minified browser build in dist/, beside the main entry (their
    // "exports" hide other paths from require.resolve).
    await copyFile(path.join(path.dirname(require.resolve(pkg)), file), path.join(outDir, "vendor", file));
  }
  // `</` never appears raw inside the script: JSON of descriptions or SQL could contain it.
  await writeFile(path.join(outDir, "catalog.js"), `window.RCU_CATALOG = ${JSON.stringify(catalog).replace(/<\//g, "<\\/")};\n`);
  await writeFile(path.join(outDir, "app.js"), APP_JS);
  await writeFile(path.join(outDir, "style.css"), STYLE_CSS);
  const index = path.join(outDir, "index.html");
  await writeFile(
    index,
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><span id="meta"></span>
<label class="toggle"><input type="checkbox" id="show-assertions"> assertions in the graph</label></header>
<aside><input id="search" type="search" placeholder="Search models, descriptions, columns…" autocomplete="off"><ul id="results"></ul></aside>
<main id="graph"></main>
<section id="details"><p>Select a model in the list or the graph: its description, columns, SQL, upstream and downstream, and last run.</p></section>
<script src="vendor/cytoscape.min.js"></script>
<script src="vendor/cytoscape-dagre.min.js"></script>
<script src="catalog.js"></script>
<script src="app.js"></script>
</body>
</html>
`,
  );
  return index;
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/**
 * Serve `dir` on 127.0.0.1:`port` (0: any free port); resolves with the server and its URL.
 * Only files under `dir` are served (a path escaping it is refused with 403); a request whose
 * path is not valid percent-encoding gets 400 rather than taking the server down. A port that
 * cannot be listened on is an RcuError naming it, not an unhandled 'error' event.
 */
export async function serveSite(dir: string, port: number): Promise<{ server: Server; url: string }> {
  const root = path.resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let requested: string;
    try {
      requested = decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname);
    } catch {
      return void res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request: the path is not valid percent-encoding");
    }
    const file = path.resolve(root, "." + requested);
    if (!file.startsWith(root + path.sep)) return void res.writeHead(403).end();
    readFile(file)
      .then((body) => res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body))
      .catch(() => res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "it is in use" : err.code === "EACCES" ? "permission denied" : err.message;
      reject(
        new RcuError("USAGE", `Cannot serve the docs on 127.0.0.1:${port}: ${why}.`, { doing: "serve docs", hint: "Pick another port with --port N (0: any free port)." }, { cause: err }),
      );
    });
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}/` };
}
