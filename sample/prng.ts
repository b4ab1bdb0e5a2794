/**
 * Seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator). 32-bit integer ops
 * only, so it is fast in V8 and gives identical streams on every platform — the estate must be
 * byte-identical for a given seed. Math.random is never used anywhere in sample/.
 *
 * Every person gets its own generator seeded from (seed, person index, purpose), so any person can
 * be generated without generating the ones before it: that is what lets the estate stream with
 * bounded memory and be split into independent blocks.
 */

/** lowbias32 (Chris Wellons): a bijective 32-bit mix. Bijective matters: it also builds ids. */
export function mix32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a few integers, used to seed per-person / per-household / per-file streams. */
export function hash32(a: number, b = 0, c = 0): number {
  return mix32(mix32(mix32(a ^ 0x9e3779b9) ^ b) + Math.imul(c, 0x85ebca6b));
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0, sub = 0) {
    this.a = hash32(seed, stream, sub);
    this.b = hash32(this.a, 0x68e31da4);
    this.c = hash32(this.b, 0xb5297a4d);
    this.d = 1;
    // Warm-up: sfc32's first outputs are correlated with the seed words.
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Small Poisson-ish count (Knuth); fine for the means < 20 used here. */
  poisson(mean: number): number {
    const l = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > l) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

/** Weighted choice in O(log n) from a cumulative-weights table built once. */
export class Weighted<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map((e) => e[0]);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/**
 * Opaque record ids: a bijection of (person index × slot) so ids are unique, stable and look
 * random — sorting by id must not reveal who is who.
 */
export function opaqueId(seed: number, slot: number): number {
  return mix32(slot ^ mix32(seed)) >>> 0;
}
