/**
 * A small glob matcher (Node 20 has no stable `fs.glob`): `*` and `?` within a path segment,
 * `**` across segments, `{a,b}` alternatives, `[abc]` classes. Patterns are relative to a base
 * directory; results are sorted so loads are deterministic.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";

export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = pattern.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(",")
          .map((alt) => globToRegExp(alt).source.slice(1, -1))
          .join("|")})`;
        i = end;
      }
    } else if (c === "[") {
      const end = pattern.indexOf("]", i);
      if (end < 0) re += "\\[";
      else {
        re += `[${pattern.slice(i + 1, end).replace(/\\/g, "\\\\").replace(/^!/, "^")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Files under `baseDir` matching `pattern` (posix-style, relative), sorted; `rel` uses `/`. */
export async function globFiles(baseDir: string, pattern: string): Promise<Array<{ abs: string; rel: string }>> {
  const norm = pattern.replace(/\\/g, "/").replace(/^\.\//, "");
  const isAbs = path.isAbsolute(norm);
  const segments = norm.split("/");
  // Walk only from the longest literal prefix.
  const literal: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (/[*?{[]/.test(s)) break;
    literal.push(s);
  }
  const root = isAbs ? literal.join("/") || "/" : path.join(baseDir, ...literal);
  const rest = segments.slice(literal.length).join("/");
  const re = globToRegExp(rest);
  const deep = rest.includes("**") || rest.includes("/");
  const out: Array<{ abs: string; rel: string }> = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    for (const e of entries) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (deep) await walk(path.join(dir, e.name), rel);
      } else if (e.isFile() && re.test(rel)) {
        const abs = path.join(dir, e.name);
        out.push({ abs, rel: isAbs ? abs : path.relative(baseDir, abs).split(path.sep).join("/") });
      }
    }
  }
  await walk(root, "");
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
