/**
 * A tiny rcu project for identity tests: one CSV file landed as `raw.people_rows` and mapped as
 * the person source `people` (record id `id`; the other columns mapped to the contract fields of
 * the same name), on an embedded DuckDB file. With `more.events`, a second CSV is landed as
 * `raw.people_events` (for identity.sightings).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { cli, duck, ROOT } from "../helpers.js";

export interface PeopleProject {
  readonly config: string;
  readonly warehouse: string;
  /** Rewrite the CSV: a header line, then one line per record. */
  write(lines: readonly string[]): Promise<void>;
  /** Rewrite the events CSV (`more.events`): a header line, then one line per event. */
  writeEvents(lines: readonly string[]): Promise<void>;
  /** record id (without the `people:` prefix) → user_id, from the identity map. */
  users(): Promise<Map<string, string>>;
  /** `rcu run --select tag:identity` on the project, expected to succeed with nothing on stderr. */
  resolve(): Promise<void>;
  /** The decision of `pair_scores` for two records (ids without the `people:` prefix); undefined when they were no candidate pair. */
  decision(a: string, b: string): Promise<string | undefined>;
}

/**
 * `more.source`: further entries of the person source's mapping (e.g. `identifiers: { card: card }`);
 * `more.identity`: further entries of the identity section (e.g. `matching: { … }`), one per line.
 */
export async function peopleProject(dir: string, fields: readonly string[], more: { source?: string; identity?: string; events?: boolean } = {}): Promise<PeopleProject> {
  const config = path.join(dir, "rcu.yaml");
  const warehouse = path.join(dir, "w.duckdb");
  const csv = path.join(dir, "people.csv");
  const events = path.join(dir, "events.csv");
  const mapping = ["relation: raw.people_rows", "record_id: id", ...fields.map((f) => `${f}: ${f}`), ...(more.source ? [more.source] : [])].join(", ");
  await writeFile(config, `profiles:
  t: { engine: duckdb, path: ${JSON.stringify(warehouse)} }
default_profile: t
sources:
  people:
    type: files
    format: csv
    write_disposition: replace
    streams:
      rows: { path: ${JSON.stringify(csv)} }
${more.events ? `      events: { path: ${JSON.stringify(events)} }\n` : ""}identity:
  person_sources:
    people: { ${mapping} }
${more.identity ? `  ${more.identity}\n` : ""}`);
  return {
    config,
    warehouse,
    write: (lines) => writeFile(csv, lines.join("\n") + "\n"),
    writeEvents: (lines) => writeFile(events, lines.join("\n") + "\n"),
    resolve: async () => {
      const r = await cli(["run", "--config", config, "--select", "tag:identity"], ROOT);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    },
    users: async () => {
      const rows = await duck<{ record_key: string; user_id: string }>(warehouse, "SELECT record_key, user_id FROM rcu_identity.identity_map");
      return new Map(rows.map((r) => [r.record_key.replace("people:", ""), r.user_id]));
    },
    decision: async (a, b) => {
      const key = (id: string) => `'people:${id.replace(/'/g, "''")}'`;
      const [row] = await duck<{ decision: string }>(warehouse, `SELECT decision FROM rcu_identity.pair_scores WHERE ${key(a)} IN (id_l, id_r) AND ${key(b)} IN (id_l, id_r)`);
      return row?.decision;
    },
  };
}

/**
 * A project of two CSV person sources on an embedded DuckDB file, `crm` (raw.crm_contacts) and
 * `subscribers` (raw.esp_subscribers, an emailing platform), each file a header line then one line
 * per record, mapped by `crmFields` / `subscriberFields` ("first_name: first_name, …"); identity
 * resolved. `subscribersOneRecord` declares the subscribers one_record_per_person.
 */
export async function crmAndSubscribers(
  dir: string,
  crm: { lines: readonly string[]; fields: string },
  subscribers: { lines: readonly string[]; fields: string; oneRecord: boolean },
): Promise<{ config: string; warehouse: string }> {
  const config = path.join(dir, "rcu.yaml");
  const warehouse = path.join(dir, "w.duckdb");
  const file = (name: string) => JSON.stringify(path.join(dir, `${name}.csv`));
  await writeFile(path.join(dir, "crm.csv"), crm.lines.join("\n") + "\n");
  await writeFile(path.join(dir, "subscribers.csv"), subscribers.lines.join("\n") + "\n");
  await writeFile(config, `profiles:
  t: { engine: duckdb, path: ${JSON.stringify(warehouse)} }
default_profile: t
sources:
  crm: { type: files, format: csv, write_disposition: replace, streams: { contacts: { path: ${file("crm")} } } }
  esp: { type: files, format: csv, write_disposition: replace, streams: { subscribers: { path: ${file("subscribers")} } } }
identity:
  person_sources:
    crm: { relation: raw.crm_contacts, record_id: id, ${crm.fields} }
    subscribers: { relation: raw.esp_subscribers, record_id: id, one_record_per_person: ${subscribers.oneRecord}, ${subscribers.fields} }
`);
  const r = await cli(["run", "--config", config, "--select", "tag:identity"], ROOT);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return { config, warehouse };
}

/** The background people's given names and surnames: person i is GIVEN_NAMES[i % 10] SURNAMES[i / 10]. */
export const GIVEN_NAMES = ["Lucas", "Emma", "Hugo", "Chloé", "Louis", "Léa", "Jules", "Manon", "Arthur", "Camille"];
export const SURNAMES = ["Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet"];

/**
 * `count` people with two records each that agree on everything (ids `p<i>a`, `p<i>b`), so EM has
 * one person's records to learn from: `row(i, first, last)` gives the fields after the id.
 */
export function twoRecordsEach(count: number, row: (i: number, first: string, last: string) => string): string[] {
  if (count > GIVEN_NAMES.length * SURNAMES.length) throw new Error(`twoRecordsEach: at most ${GIVEN_NAMES.length * SURNAMES.length} people`);
  return Array.from({ length: count }, (_, i) => {
    const fields = row(i, GIVEN_NAMES[i % GIVEN_NAMES.length]!, SURNAMES[Math.floor(i / GIVEN_NAMES.length)]!);
    return [`p${i}a,${fields}`, `p${i}b,${fields}`];
  }).flat();
}
