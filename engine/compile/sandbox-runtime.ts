/**
 * The code that runs INSIDE the compile sandbox (a fresh `node:vm` context).
 *
 * `sandboxRuntime` is serialised with `Function.prototype.toString()` and evaluated in the context,
 * so it must be self-contained: no imports, no references to anything outside its own body. Only
 * strings cross the boundary (the input as JSON, the compiled graph as JSON), so no object of the
 * host realm — and through it `process`, `require` or `fs` — is reachable from project code.
 *
 * It plays the part of the official CLI's vm2 sandbox: a CommonJS loader over the project's files
 * (read up front by the host), SQLX/YAML compiled by `@dataform/core`'s own `compiler`, and
 * `@dataform/core`'s `main` called with a protobuf-encoded compile request. Two hooks adapt core to
 * the target engine without forking it: `session.compilationSql()` renders targets, string literals
 * and built-in assertion SQL with the engine's quoting, and `session.compile()` is wrapped to
 * capture the graph as JSON (protobuf's canonical JSON: enums as names, defaults omitted).
 */
export interface SandboxInput {
  readonly projectDir: string;
  /** Project files by path relative to projectDir, `/`-separated. */
  readonly files: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  readonly schemaSuffix?: string;
  readonly renderSpec: {
    readonly identifierQuote: string;
    readonly stringQuote: string;
    readonly stringQuoteEscape: string;
    readonly keepDatabase: boolean;
    readonly foldLowerCaseIdentifiers?: boolean;
  };
}

export interface SandboxSession {
  /** SQLX/YAML/JS source of a project file as CommonJS code (via core's own `compiler`). */
  transpile(rel: string): string;
  /** Register the function the host compiled (with the file's real name) for a project file. */
  define(rel: string, fn: Function): void;
  /** Run @dataform/core's `main`; returns the compiled graph as JSON. */
  compile(): string;
}

export function sandboxRuntime(coreFactory: Function, inputJson: string): SandboxSession {
  const input = JSON.parse(inputJson) as SandboxInput;
  const g = globalThis as any;
  g.global = g;
  const root = input.projectDir.replace(/\/+$/, "");
  const files = input.files;
  const spec = input.renderSpec;

  // --- paths (posix only: the host hands us `/`-separated paths) ---------------------------
  const normalise = (p: string): string => {
    const out: string[] = [];
    for (const part of p.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") out.pop();
      else out.push(part);
    }
    return out.join("/");
  };
  const relOf = (abs: string): string => (abs.startsWith(root + "/") ? abs.slice(root.length + 1) : abs);
  const dirOf = (rel: string): string => (rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "");

  // --- current-file tracking: core attributes actions to files through this ---------------
  const fileStack: string[] = [];
  Object.defineProperty(g, "__dataform_current_file", {
    configurable: true,
    get: () => (fileStack.length ? fileStack[fileStack.length - 1] : null),
  });

  // --- a tiny CommonJS loader over the pre-read files -------------------------------------
  const cache: Record<string, { exports: unknown }> = {};
  // Module functions compiled by the host with `vm.Script({ filename })`: core finds the file an
  // action comes from by reading stack-frame file names, which code from `new Function` lacks.
  const defined: Record<string, Function> = {};
  let core: any;

  const resolveFile = (name: string, fromDir: string): string | undefined => {
    const base = name.startsWith("./") || name.startsWith("../") ? normalise(fromDir + "/" + name) : normalise(name.startsWith(root + "/") ? relOf(name) : name);
    const candidates = [base, base + ".js", base + ".json", base + "/index.js"];
    return candidates.find((c) => Object.prototype.hasOwnProperty.call(files, c));
  };

  const requireFrom = (fromDir: string) => (name: string): unknown => {
    if (name === "@dataform/core") return core;
    const rel = resolveFile(name, fromDir);
    if (rel === undefined) {
      const builtin = /^(node:)?[a-z_]+$/.test(name) && !name.includes(".");
      const err = new Error(
        builtin
          ? `Cannot require "${name}": Node built-ins and npm packages are not available to definitions/ and includes/ (rcu compiles them in a sandbox without file or network access).`
          : `Cannot find module "${name}" required from ${fromDir || "the project root"}/.`,
      );
      (err as any).code = "MODULE_NOT_FOUND";
      throw err;
    }
    const hit = cache[rel];
    if (hit) return hit.exports;
    const module = { exports: {} as unknown };
    cache[rel] = module;
    const abs = root + "/" + rel;
    const source = files[rel] as string;
    if (rel.endsWith(".json")) {
      module.exports = JSON.parse(source);
      return module.exports;
    }
    const fn = defined[rel] ?? new Function("module", "exports", "require", "__filename", "__dirname", core.compiler(source, abs));
    fileStack.push(abs);
    try {
      fn(module, module.exports, requireFrom(dirOf(rel)), abs, root + "/" + dirOf(rel));
    } catch (e) {
      delete cache[rel];
      throw e;
    } finally {
      fileStack.pop();
    }
    return module.exports;
  };

  const coreModule = { exports: {} as any };
  coreFactory.call(coreModule.exports, coreModule, coreModule.exports, requireFrom(""));
  core = coreModule.exports;

  // --- workflow settings, with --vars applied on top ---------------------------------------
  if (Object.prototype.hasOwnProperty.call(files, "workflow_settings.yaml")) {
    const ws = requireFrom("")("workflow_settings.yaml") as { asJson?: any };
    if (ws && ws.asJson) {
      ws.asJson.vars = Object.assign({}, ws.asJson.vars || {}, input.vars);
      if (input.schemaSuffix) ws.asJson.datasetSuffix = input.schemaSuffix;
    }
    g.workflowSettingsYaml = ws;
  }

  // --- engine rendering -------------------------------------------------------------------
  const session = core.session;
  const fold = (id: string): string =>
    spec.foldLowerCaseIdentifiers && /^[a-z_][a-z0-9_$]*$/.test(id) ? id.toUpperCase() : id;
  const q = (id: string): string =>
    spec.identifierQuote + fold(String(id)).split(spec.identifierQuote).join(spec.identifierQuote + spec.identifierQuote) + spec.identifierQuote;
  const str = (s: string): string =>
    spec.stringQuote + String(s).split(spec.stringQuote).join(spec.stringQuoteEscape) + spec.stringQuote;
  const defaultDatabase = (): string | undefined => {
    const d = session.projectConfig && session.projectConfig.defaultDatabase;
    return d ? session.finalizeDatabase(d) : undefined;
  };
  const engineSql = {
    resolveTarget(t: { database?: string; schema?: string; name: string }): string {
      const schema = t.schema || session.projectConfig.defaultSchema;
      const parts = [schema, t.name];
      if (spec.keepDatabase && t.database && t.database !== defaultDatabase()) parts.unshift(t.database);
      return parts.map(q).join(".");
    },
    sqlString: str,
    indexAssertion(dataset: string, indexCols: string[]): string {
      const cols = indexCols.map(q).join(", ");
      return `\nSELECT\n  *\nFROM (\n  SELECT\n    ${cols},\n    COUNT(1) AS index_row_count\n  FROM ${dataset}\n  GROUP BY ${cols}\n  ) AS data\nWHERE index_row_count > 1\n`;
    },
    rowConditionsAssertion(dataset: string, rowConditions: string[]): string {
      return rowConditions
        .map((c) => `\nSELECT\n  ${str(c)} AS failing_row_condition,\n  *\nFROM ${dataset}\nWHERE NOT (${c})\n`)
        .join("UNION ALL");
    },
  };
  session.compilationSql = () => engineSql;
  let captured: any;
  const originalCompile = session.compile;
  session.compile = function (this: unknown) {
    captured = originalCompile.call(this);
    return captured;
  };

  // --- the compile request: CoreExecutionRequest{compile{compile_config{project_dir, file_paths}}}
  // No TextEncoder in a bare context; encodeURIComponent yields UTF-8 percent-escapes.
  const utf8 = (s: string): number[] => {
    const bin = unescape(encodeURIComponent(s));
    const out = new Array<number>(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 127) | 128);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  };
  const field = (num: number, bytes: number[]): number[] => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
  let config: number[] = field(1, utf8(root));
  for (const p of Object.keys(files)) config = config.concat(field(8, utf8(p)));
  const request = new Uint8Array(field(1, field(1, config)));

  return {
    transpile: (rel: string) => core.compiler(files[rel], root + "/" + rel) as string,
    define: (rel: string, fn: Function) => {
      defined[rel] = fn;
    },
    compile: () => {
      core.main(request);
      if (!captured) throw new Error("@dataform/core did not produce a compiled graph.");
      return JSON.stringify(captured.toJSON());
    },
  };
}
