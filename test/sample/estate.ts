/**
 * Test helpers for the sample estate: generate into a temp dir and read every person-bearing
 * record back from the FILES (not from generator internals), joined to its ground-truth person.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { generateEstate, type Manifest } from "../../sample/generate.js";

export async function makeEstate(people: number, seed: number): Promise<{ dir: string; manifest: Manifest; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "rcu-sample-"));
  const manifest = await generateEstate({ people, seed, outDir: dir });
  return { dir, manifest, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** CSV rows with the header's column count (the others are the malformed ones), plus the count of the others. */
export function readCsv(file: string, delimiter: string, encoding: BufferEncoding = "utf8"): { header: string[]; rows: string[][]; bad: number } {
  const text = encoding === "latin1" ? new TextDecoder("windows-1252").decode(readFileSync(file)) : readFileSync(file, "utf8");
  const all = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, skip_records_with_error: true, record_delimiter: ["\r\n", "\n"] }) as string[][];
  const header = all[0] ?? [];
  const rows = all.slice(1).filter((r) => r.length === header.length);
  return { header, rows, bad: all.length - 1 - rows.length };
}

/** Valid JSON objects of a JSON Lines file, plus the count of invalid lines. */
export function readJsonl(file: string): { rows: Record<string, unknown>[]; bad: number } {
  const rows: Record<string, unknown>[] = [];
  let bad = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line === "") continue;
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      bad++;
    }
  }
  return { rows, bad };
}

export interface PersonRecord {
  readonly source: string;
  readonly id: string;
  readonly entity: string;
  readonly first: string | null;
  readonly last: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly street: string | null;
  readonly postcode: string | null;
}

const col = (header: string[], row: string[], name: string): string => row[header.indexOf(name)] ?? "";

/** Every valid person-bearing record of the estate, tagged with its truth entity. */
export function loadRecords(dir: string): { records: PersonRecord[]; truth: Map<string, string>; truthRows: string[][] } {
  const truthCsv = readCsv(path.join(dir, "truth/persons.csv"), ",");
  const truth = new Map<string, string>();
  for (const [source, id, entity] of truthCsv.rows) truth.set(`${source}/${id}`, entity as string);
  const entity = (source: string, id: string): string => truth.get(`${source}/${id}`) ?? "";
  const records: PersonRecord[] = [];
  const crm = readCsv(path.join(dir, "crm/contacts.csv"), ";", "latin1");
  for (const r of crm.rows) {
    const id = col(crm.header, r, "id_contact");
    records.push({
      source: "crm_contacts", id, entity: entity("crm_contacts", id), first: col(crm.header, r, "prenom"), last: col(crm.header, r, "nom"),
      email: col(crm.header, r, "email"), phone: col(crm.header, r, "telephone"), street: col(crm.header, r, "adresse"), postcode: col(crm.header, r, "code_postal"),
    });
  }
  const loy = readCsv(path.join(dir, "stores/loyalty_cards.csv"), ";");
  for (const r of loy.rows) {
    const id = col(loy.header, r, "num_carte");
    records.push({
      source: "stores_loyalty_cards", id, entity: entity("stores_loyalty_cards", id), first: col(loy.header, r, "prenom"), last: col(loy.header, r, "nom"),
      email: col(loy.header, r, "email"), phone: col(loy.header, r, "telephone"), street: col(loy.header, r, "adresse"), postcode: col(loy.header, r, "code_postal"),
    });
  }
  const subs = readCsv(path.join(dir, "email/subscribers.csv"), ",");
  for (const r of subs.rows) {
    const id = col(subs.header, r, "subscriber_id");
    const first = col(subs.header, r, "first_name");
    records.push({
      source: "email_subscribers", id, entity: entity("email_subscribers", id), first: first || null, last: first ? col(subs.header, r, "last_name") : null,
      email: col(subs.header, r, "email"), phone: null, street: null, postcode: null,
    });
  }
  for (const c of readJsonl(path.join(dir, "eshop/customers.jsonl")).rows) {
    const id = String(c.id);
    const a = c.address as { line1: string; postcode: string } | null;
    records.push({
      source: "eshop_customers", id, entity: entity("eshop_customers", id), first: c.first_name as string, last: c.last_name as string,
      email: c.email as string, phone: (c.phone as string | null) ?? "", street: a ? a.line1 : "", postcode: a ? a.postcode : "",
    });
  }
  const tickets = JSON.parse(readFileSync(path.join(dir, "contact_centre/tickets.json"), "utf8")) as unknown[];
  for (const t of tickets) {
    if (t === null || typeof t !== "object" || typeof (t as { ticket_id?: unknown }).ticket_id !== "string") continue;
    const x = t as { ticket_id: string; phone: string | null; email: string | null };
    records.push({ source: "contact_centre_tickets", id: x.ticket_id, entity: entity("contact_centre_tickets", x.ticket_id), first: null, last: null, email: x.email, phone: x.phone, street: null, postcode: null });
  }
  return { records, truth, truthRows: truthCsv.rows };
}

export const fold = (s: string): string => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/gi, "oe").toLowerCase().replace(/[^a-z]/g, "");

