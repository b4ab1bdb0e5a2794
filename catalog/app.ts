/**
 * The browser side of the docs site, as text written next to index.html: a search box and list,
 * the lineage graph (cytoscape.js, laid out left to right by its dagre extension), and a details
 * panel (description, columns, SQL, upstream / downstream links, last run). Plain DOM, no build
 * step; the catalogue arrives as `window.RCU_CATALOG` (catalog.js), so the site also works from
 * file:// where fetch() of local JSON is refused.
 */
export const APP_JS = String.raw`(function () {
  "use strict";
  var catalog = window.RCU_CATALOG;
  var byId = {};
  catalog.nodes.forEach(function (n) { byId[n.id] = n; });
  var COLORS = { source: "#6b7280", staging: "#0ea5e9", identity: "#8b5cf6", core: "#f59e0b", marts: "#10b981", reference: "#64748b", assertion: "#ef4444", meta: "#94a3b8", other: "#a3a3a3" };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  document.getElementById("meta").textContent = catalog.nodes.length + " actions · " + catalog.engine +
    (catalog.warehouse ? " · " + catalog.warehouse : "") + (catalog.lastRunId ? " · last run " + catalog.lastRunId : "") +
    " · generated " + catalog.generatedAt;

  var elements = [];
  catalog.nodes.forEach(function (n) {
    if (n.kind === "assertion" && !document.getElementById("show-assertions").checked) return;
    elements.push({ data: { id: n.id, label: n.name, layer: n.layer, status: n.lastRun ? n.lastRun.status : "" } });
  });
  var present = {};
  elements.forEach(function (e) { present[e.data.id] = true; });
  catalog.nodes.forEach(function (n) {
    if (!present[n.id]) return;
    n.upstream.forEach(function (u) { if (present[u]) elements.push({ data: { id: u + "->" + n.id, source: u, target: n.id } }); });
  });

  cytoscape.use(cytoscapeDagre);
  var cy = window.rcuGraph = cytoscape({
    container: document.getElementById("graph"),
    elements: elements,
    wheelSensitivity: 0.2,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, width: 14, height: 14,
        "background-color": function (e) { return COLORS[e.data("layer")] || "#999"; } } },
      { selector: "node[status = 'failed']", style: { "border-width": 3, "border-color": "#dc2626" } },
      { selector: "edge", style: { width: 1, "line-color": "#cbd5e1", "target-arrow-color": "#cbd5e1", "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.6 } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: ".focus", style: { width: 22, height: 22, "font-weight": "bold" } },
      { selector: ".up", style: { "line-color": "#2563eb", "target-arrow-color": "#2563eb", "background-color": "#2563eb" } },
    ],
    layout: { name: "dagre", rankDir: "LR", nodeSep: 8, rankSep: 80, animate: false },
  });

  function linkList(ids) {
    var ul = el("ul", { class: "links" });
    if (!ids.length) ul.appendChild(el("li", { text: "none" }));
    ids.forEach(function (id) {
      var a = el("a", { href: "#" + encodeURIComponent(id), "data-id": id, text: id });
      a.addEventListener("click", function (ev) { ev.preventDefault(); select(id); });
      ul.appendChild(el("li", {}, [a]));
    });
    return ul;
  }

  function select(id) {
    var n = byId[id];
    if (!n) return;
    location.hash = encodeURIComponent(id);
    var d = document.getElementById("details");
    d.innerHTML = "";
    d.setAttribute("data-selected", id);
    d.appendChild(el("h2", { text: n.id }));
    d.appendChild(el("p", { class: "kind", text: n.kind + " · " + n.layer + " · " + n.file + (n.tags.length ? " · tags: " + n.tags.join(", ") : "") + (n.disabled ? " · disabled" : "") }));
    d.appendChild(el("p", { class: "desc", text: n.description || "(no description)" }));
    if (n.lastRun) {
      d.appendChild(el("p", { class: "run " + n.lastRun.status, text: "Last run: " + n.lastRun.status +
        (n.lastRun.rows !== null ? " · " + n.lastRun.rows + " rows" : "") + (n.lastRun.durationMs !== null ? " · " + n.lastRun.durationMs + " ms" : "") +
        (n.lastRun.error ? " · " + n.lastRun.error : "") }));
    }
    d.appendChild(el("h3", { text: "Upstream" }));
    d.appendChild(linkList(n.upstream));
    d.appendChild(el("h3", { text: "Downstream" }));
    d.appendChild(linkList(n.downstream));
    if (n.columns.length) {
      d.appendChild(el("h3", { text: "Columns" }));
      var table = el("table", { class: "columns" }, [el("tr", {}, [el("th", { text: "column" }), el("th", { text: "type" }), el("th", { text: "description" })])]);
      n.columns.forEach(function (c) { table.appendChild(el("tr", {}, [el("td", { text: c.name }), el("td", { text: c.type || "" }), el("td", { text: c.description || "" })])); });
      d.appendChild(table);
    }
    if (n.sql) { d.appendChild(el("h3", { text: "SQL" })); d.appendChild(el("pre", { class: "sql", text: n.sql })); }

    cy.elements().removeClass("faded focus up");
    var node = cy.getElementById(id);
    if (node.nonempty()) {
      var ups = node.predecessors();
      cy.elements().not(ups.union(node).union(node.successors())).addClass("faded");
      ups.addClass("up");
      node.addClass("focus");
    }
  }

  cy.on("tap", "node", function (evt) { select(evt.target.id()); });

  var search = document.getElementById("search");
  var results = document.getElementById("results");
  function renderResults() {
    var q = search.value.trim().toLowerCase();
    results.innerHTML = "";
    catalog.nodes
      .filter(function (n) { return !q || n.id.toLowerCase().indexOf(q) >= 0 || (n.description || "").toLowerCase().indexOf(q) >= 0 || n.columns.some(function (c) { return c.name.toLowerCase() === q; }); })
      .slice(0, 200)
      .forEach(function (n) {
        var a = el("a", { href: "#" + encodeURIComponent(n.id), "data-id": n.id, text: n.id });
        a.style.borderLeft = "4px solid " + (COLORS[n.layer] || "#999");
        a.addEventListener("click", function (ev) { ev.preventDefault(); select(n.id); });
        results.appendChild(el("li", {}, [a]));
      });
  }
  search.addEventListener("input", renderResults);
  document.getElementById("show-assertions").addEventListener("change", function () { location.reload(); });
  renderResults();
  var initial = decodeURIComponent(location.hash.slice(1));
  if (initial && byId[initial]) select(initial);
})();
`;

export const STYLE_CSS = `* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #0f172a; display: grid; grid-template: "head head head" auto "side graph details" 1fr / 260px 1fr 420px; height: 100vh; }
header { grid-area: head; padding: 8px 12px; border-bottom: 1px solid #e2e8f0; display: flex; gap: 16px; align-items: baseline; }
header h1 { font-size: 16px; margin: 0; }
#meta { color: #64748b; font-size: 12px; }
aside { grid-area: side; border-right: 1px solid #e2e8f0; display: flex; flex-direction: column; min-height: 0; }
#search { margin: 8px; padding: 6px 8px; border: 1px solid #cbd5e1; border-radius: 4px; }
#results { list-style: none; margin: 0; padding: 0 8px 8px; overflow: auto; }
#results a { display: block; padding: 3px 6px; color: inherit; text-decoration: none; word-break: break-all; }
#results a:hover { background: #f1f5f9; }
#graph { grid-area: graph; min-height: 0; }
#details { grid-area: details; border-left: 1px solid #e2e8f0; padding: 8px 12px; overflow: auto; }
#details h2 { font-size: 15px; word-break: break-all; }
.kind, .desc { color: #334155; }
.run.failed { color: #dc2626; } .run.success { color: #047857; }
table.columns { border-collapse: collapse; width: 100%; font-size: 12px; }
table.columns td, table.columns th { border-bottom: 1px solid #e2e8f0; padding: 3px 4px; text-align: left; vertical-align: top; }
pre.sql { background: #f8fafc; border: 1px solid #e2e8f0; padding: 8px; overflow: auto; font-size: 11px; white-space: pre-wrap; }
ul.links { padding-left: 18px; }
label.toggle { font-size: 12px; color: #475569; }
`;
