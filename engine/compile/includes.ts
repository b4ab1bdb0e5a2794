/**
 * Evaluate a project's `includes/` helpers outside a compile, to render the same SQL expressions
 * the definitions use (e.g. `rcu forget` normalising an email exactly as identity resolution did).
 * Runs them in a fresh node:vm context with only `dataform.projectConfig.vars` and relative
 * `require`, as Dataform does; only strings come back out.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

export type IncludeModule = Record<string, unknown>;

export function loadIncludes(projectDir: string, vars: Readonly<Record<string, string>>): (name: string) => IncludeModule {
  const context = vm.createContext({ dataform: { projectConfig: { vars: { ...vars } } } }, { codeGeneration: { strings: false, wasm: false } });
  const cache = new Map<string, IncludeModule>();
  const load = (name: string): IncludeModule => {
    const file = name.replace(/^\.\//, "").replace(/\.js$/, "");
    if (!/^[A-Za-z0-9_-]+$/.test(file)) throw new Error(`includes may only require sibling files, got "${name}"`);
    const hit = cache.get(file);
    if (hit) return hit;
    const abs = path.join(projectDir, "includes", `${file}.js`);
    const fn = new vm.Script(`(function (module, exports, require) {${readFileSync(abs, "utf8")}\n})`, { filename: abs }).runInContext(context) as (
      m: { exports: IncludeModule },
      e: IncludeModule,
      r: (n: string) => IncludeModule,
    ) => void;
    const module = { exports: {} as IncludeModule };
    cache.set(file, module.exports);
    fn(module, module.exports, load);
    cache.set(file, module.exports);
    return module.exports;
  };
  return load;
}

/** Call an include function that renders SQL from SQL expression strings. */
export function renderInclude(mod: IncludeModule, fn: string, ...args: string[]): string {
  const f = mod[fn];
  if (typeof f !== "function") throw new Error(`includes: ${fn} is not a function`);
  const out = (f as (...a: string[]) => unknown)(...args);
  if (typeof out !== "string") throw new Error(`includes: ${fn} did not return SQL text`);
  return out;
}
