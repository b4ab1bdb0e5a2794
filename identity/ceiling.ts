/**
 * The evidence ceiling of a ground truth (`rcu evaluate --ceiling`): how much pairwise recall any
 * matcher could reach on these records, if it linked every pair of one true person that shares a
 * given kind of evidence — and nothing else (precision 1). A true pair whose records share
 * nothing (a newsletter sign-up carrying only an email the person no longer uses elsewhere, a
 * ticket carrying only "Mme Dupont") can only be found through other records of the same person;
 * when there are none, no method finds it. This tells a recall gap caused by the matcher from one
 * caused by the data.
 *
 * Evidence kinds are cumulative, from the strongest to the weakest:
 *   identifiers — same email key, phone, national id or source identifier, or an identifier seen
 *                 with both in events (`seen`: record_sightings, a device at login);
 *   names       — same first- and last-name sounds, or first and last names swapped;
 *   attributes  — same birth date, same address line and postcode, or the same first name with
 *                 the same postcode, city or birth year;
 *   last name   — the same last name (or sound) alone: not evidence a matcher can use at scale,
 *                 shown as the upper bound of what names could give.
 */
import type { Row } from "../engine/warehouses/types.js";

export interface CeilingLevel {
  readonly evidence: string;
  /** Pairs of the same true person whose records share this kind of evidence or a stronger one. */
  readonly directPairs: number;
  /** Pairwise recall reachable by linking those pairs (transitively, within each true person). */
  readonly recall: number;
  /** F1 at that recall with precision 1. */
  readonly f1: number;
}

export interface EvidenceCeiling {
  readonly truePairs: number;
  readonly levels: readonly CeilingLevel[];
}

type Rec = Readonly<Record<string, unknown>>;

/** person_records columns read by the evidence kinds below (plus every `id_<type>` column). */
export const EVIDENCE_COLUMNS: readonly string[] = [
  "record_key", "email_key", "phone_e164", "national_id", "first_key", "last_key", "first_phon", "last_phon",
  "birth_key", "address_key", "postcode", "city_key", "birth_year",
];

const same = (a: Rec, b: Rec, col: string) => a[col] != null && a[col] !== "" && a[col] === b[col];
/** Both records were seen with one identifier (`seen`: "type:value" lists, when sightings exist). */
const seenTogether = (a: Rec, b: Rec) => Array.isArray(a.seen) && Array.isArray(b.seen) && (a.seen as string[]).some((v) => (b.seen as string[]).includes(v));

/** Evidence kinds, strongest first; each a test on two records of one true person. */
function evidenceKinds(idColumns: readonly string[]): ReadonlyArray<readonly [string, (a: Rec, b: Rec) => boolean]> {
  return [
    ["identifiers", (a, b) => ["email_key", "phone_e164", "national_id", ...idColumns].some((c) => same(a, b, c)) || seenTogether(a, b)],
    ["names", (a, b) => (same(a, b, "first_phon") && same(a, b, "last_phon")) || (a.first_key != null && a.first_key === b.last_key && a.last_key === b.first_key)],
    ["attributes", (a, b) =>
      same(a, b, "birth_key") ||
      (same(a, b, "address_key") && same(a, b, "postcode")) ||
      (same(a, b, "first_key") && (same(a, b, "postcode") || same(a, b, "city_key") || same(a, b, "birth_year")))],
    ["last name", (a, b) => same(a, b, "last_key") || same(a, b, "last_phon") || (a.last_key != null && (a.last_key === b.first_key || a.first_key === b.last_key))],
  ];
}

/** Pairs within the same set, from the sizes of a partition. */
const pairsOf = (sizes: Iterable<number>) => {
  let n = 0;
  for (const s of sizes) n += (s * (s - 1)) / 2;
  return n;
};

/**
 * The ceiling of `records` (person_records rows with record_key and the matching columns) against
 * `truth` (record_key → entity id). Records without a truth entity are ignored.
 */
export function evidenceCeiling(records: readonly Row[], truth: ReadonlyMap<string, string>): EvidenceCeiling {
  const idColumns = records.length ? Object.keys(records[0]!).filter((c) => c.startsWith("id_")) : [];
  const byEntity = new Map<string, Rec[]>();
  for (const r of records) {
    const entity = truth.get(String(r.record_key));
    if (entity === undefined) continue;
    let list = byEntity.get(entity);
    if (!list) byEntity.set(entity, (list = []));
    list.push(r);
  }
  const truePairs = pairsOf([...byEntity.values()].map((l) => l.length));
  const kinds = evidenceKinds(idColumns);
  const levels: CeilingLevel[] = [];
  for (let k = 0; k < kinds.length; k++) {
    const tests = kinds.slice(0, k + 1).map(([, test]) => test);
    let directPairs = 0;
    let linked = 0;
    for (const list of byEntity.values()) {
      // Union-find over the records of one person (a handful each).
      const parent = list.map((_, i) => i);
      const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (!tests.some((t) => t(list[i]!, list[j]!))) continue;
          directPairs++;
          const a = find(i), b = find(j);
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
      const sizes = new Map<number, number>();
      for (let i = 0; i < list.length; i++) sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1);
      linked += pairsOf(sizes.values());
    }
    const recall = truePairs ? linked / truePairs : 1;
    levels.push({ evidence: kinds[k]![0], directPairs, recall, f1: (2 * recall) / (1 + recall) });
  }
  return { truePairs, levels };
}
