/** `data.items` / `meta.next` / `results.0` lookups in parsed JSON. Empty path: the value itself. */
export function atPath(value: unknown, path: string): unknown {
  if (!path) return value;
  let v: unknown = value;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
