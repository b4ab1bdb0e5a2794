/** What every source writer receives, and the id scheme they share. */
import type { Catalogue } from "../catalogue.js";
import { EPOCH } from "../config.js";
import type { Block } from "../context.js";
import { opaqueId } from "../prng.js";
import { Rng } from "../prng.js";
import type { Person } from "../person.js";

export interface Ctx {
  readonly seed: number;
  readonly people: number;
  readonly cat: Catalogue;
  readonly block: Block;
}

/**
 * Per-source generator streams: each source draws from its own stream for a person, so adding a
 * draw to one source never changes what another source writes.
 */
export const SRC = { crm: 16, eshop: 17, web: 18, email: 19, tickets: 20, stores: 21, malformed: 22, webShared: 23, householdDevice: 24 } as const;

export const sourceRng = (c: Ctx, p: Person, src: number): Rng => new Rng(c.seed, src, p.index);

/**
 * Record slots: person index × 8 + k. Slot 7 is reserved for malformed rows so their ids never
 * collide with a real record's. `salt` decorrelates the id spaces of different sources.
 */
export function recordId(c: Ctx, salt: number, index: number, k: number): number {
  return opaqueId(c.seed ^ salt, index * 8 + k);
}
export const MALFORMED_SLOT = 7;

export function civility(female: boolean, rng: Rng): string {
  const x = rng.float();
  if (x < 0.05) return "";
  if (female) return x < 0.7 ? "Mme" : x < 0.85 ? "Madame" : x < 0.95 ? "MME" : "Mlle";
  return x < 0.7 ? "M." : x < 0.85 ? "Monsieur" : x < 0.95 ? "M" : "Mr";
}

const DAY = 86_400_000;
/** A moment after the person became a customer, clamped to the estate's window (never in the future). */
export function after(since: number, rng: Rng, maxDays = 900): number {
  return Math.min(EPOCH.end - rng.int(DAY), since + rng.int(maxDays * DAY) + rng.int(DAY));
}
