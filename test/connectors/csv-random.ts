/** Random CSV text for the tokenizer property tests (deterministic: seeded). */

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EOLS = ["\n", "\r\n", "\r"];

/** A random CSV: well-formed by default; `dirt` adds stray/unclosed quotes and ragged rows. */
export function randomCsv(r: () => number, d: string, q: string, dirt: boolean, extra: readonly string[] = []): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const width = 1 + Math.floor(r() * 5);
  const nrows = Math.floor(r() * 40);
  const alphabet = ["a", "b", "é", " ", "1", d, q, "\n", "\r", "\r\n", "\uFFFD", "x y", "—", "\t", ...extra];
  const field = (): string => {
    const n = Math.floor(r() * 6);
    let v = "";
    for (let i = 0; i < n; i++) v += pick(alphabet);
    const needs = v.includes(d) || v.includes(q) || v.includes("\n") || v.includes("\r");
    if (needs || r() < 0.2) return q + v.split(q).join(q + q) + q;
    return v;
  };
  let out = r() < 0.2 ? "\uFEFF" : "";
  const eol = () => (r() < 0.7 ? EOLS[0]! : pick(EOLS));
  for (let i = 0; i <= nrows; i++) {
    let w = width;
    if (dirt && r() < 0.15) w = Math.max(1, width + (r() < 0.5 ? -1 : 1));
    const fields = Array.from({ length: w }, field);
    if (dirt && r() < 0.1) {
      const j = Math.floor(r() * w);
      const kinds = [`${q}5${q}x`, `ab${q}c`, `${q}open${d}x`, `${q}a${q} `, ` ${q}b${q}`];
      fields[j] = pick(kinds);
    }
    out += fields.join(d);
    if (i < nrows || r() < 0.7) out += eol();
    if (r() < 0.1) out += pick(EOLS);
  }
  return out;
}
