/**
 * `rcu forget`, step 1: find the person and everything that identifies them, reading the identity
 * layer (person records, identity map, merges, devices, staged orders). Values are normalised with
 * the project's own includes, exactly as identity resolution normalised them.
 */
import { loadIncludes, renderInclude } from "../engine/compile/includes.js";
import { RcuError } from "../engine/errors.js";
import type { Connection, Dialect, Relation } from "../engine/warehouses/types.js";
import type { ProjectConfig } from "../cli/config.js";
import { identityMap, personRecords, recordSightings, userMerges } from "../identity/tables.js";

export type ForgetSelector =
  | { readonly kind: "email"; readonly value: string }
  | { readonly kind: "phone"; readonly value: string }
  | { readonly kind: "user_id"; readonly value: string }
  | { readonly kind: "source_record"; readonly value: string };

export interface Footprint {
  readonly users: string[];
  readonly records: Array<{ key: string; source: string; id: string }>;
  /** Identifier values (normalised emails, email keys, E.164 phones) held by no other user. */
  readonly emails: string[];
  readonly phones: string[];
  /** Raw strings as the sources wrote them (to find them in quarantined records). */
  readonly rawStrings: string[];
  /** Devices only this person logged in on. */
  readonly devices: string[];
  /** Identifiers seen in events (rcu_identity.record_sightings) with this person's records only. */
  readonly sighted: Array<{ type: string; value: string }>;
  /** Orders (orders source:order_id) placed by the person. */
  readonly orders: string[];
  /** Values left out because other people share them (households): counted, never erased. */
  readonly sharedSkipped: number;
}

// The identity layer's own tables (identity/tables.ts), under short names for the SQL below.
const P = personRecords;
const M = identityMap;
const MERGES = userMerges;
const DEVICES: Relation = { schema: "rcu_core", name: "user_devices" };
const ORDERS: Relation = { schema: "rcu_staging", name: "stg_orders" };
const SIGHTINGS = recordSightings;

const list = (d: Dialect, values: readonly string[]) => (values.length ? values.map((v) => d.stringLiteral(v)).join(", ") : "NULL");

export async function resolveUsers(conn: Connection, d: Dialect, config: ProjectConfig, projectDir: string, sel: ForgetSelector): Promise<string[]> {
  const lit = d.stringLiteral(sel.value.trim());
  const include = loadIncludes(projectDir, { rcu_engine: d.name });
  let where: string;
  switch (sel.kind) {
    case "email": {
      const email = include("email");
      where = `p.email_key = ${renderInclude(email, "matchKey", lit)} OR p.email = ${renderInclude(email, "normalize", lit)}`;
      break;
    }
    case "phone":
      where = `p.phone_e164 = ${renderInclude(include("phone"), "e164", lit, d.stringLiteral(config.identity.default_country))}`;
      break;
    case "source_record":
      if (!/^[A-Za-z_][A-Za-z0-9_]*:.+$/.test(sel.value)) {
        throw new RcuError("USAGE", `--source-record expects source:record_id, got "${sel.value}".`, { hint: "Example: --source-record crm_contacts:CT123" });
      }
      where = `p.record_key = ${lit}`;
      break;
    case "user_id": {
      // An id merged into another lives on as that one (rcu_identity.user_merges).
      const rows = await conn.query(
        `SELECT user_id FROM ${d.qualify(M)} WHERE user_id = ${lit} UNION SELECT into_user_id FROM ${d.qualify(MERGES)} WHERE merged_user_id = ${lit}`,
      );
      return [...new Set(rows.map((r) => String(r.user_id)))];
    }
  }
  const rows = await conn.query(`SELECT DISTINCT m.user_id FROM ${d.qualify(P)} AS p JOIN ${d.qualify(M)} AS m ON m.record_key = p.record_key WHERE ${where}`);
  return rows.map((r) => String(r.user_id)).sort();
}

export async function footprintOf(conn: Connection, d: Dialect, config: ProjectConfig, users: readonly string[]): Promise<Footprint> {
  const existing = new Set((await conn.listRelations()).map((r) => `${r.schema}.${r.name}`));
  const has = (r: Relation) => existing.has(`${r.schema}.${r.name}`);
  const u = list(d, users);
  const recs = await conn.query(
    `SELECT p.record_key, p.source, p.record_id, p.email, p.email_key, p.phone_e164
FROM ${d.qualify(P)} AS p JOIN ${d.qualify(M)} AS m ON m.record_key = p.record_key WHERE m.user_id IN (${u})`,
  );
  // identity_map may also hold records no longer in person_records (suppressed or gone).
  const mapped = await conn.query(`SELECT record_key FROM ${d.qualify(M)} WHERE user_id IN (${u})`);
  const keys = new Set([...recs.map((r) => String(r.record_key)), ...mapped.map((r) => String(r.record_key))]);
  const records = [...keys].sort().map((key) => {
    const i = key.indexOf(":");
    return { key, source: key.slice(0, i), id: key.slice(i + 1) };
  });
  const vals = (col: string) => [...new Set(recs.map((r) => r[col]).filter((v): v is string => typeof v === "string" && v !== ""))];
  const emails = [...new Set([...vals("email"), ...vals("email_key")])];
  const phones = vals("phone_e164");

  // Raw strings as typed in each source (stg_person_<source> views of the identity layer).
  const raw = new Set<string>();
  for (const source of new Set(records.map((r) => r.source))) {
    const view: Relation = { schema: "rcu_identity", name: `stg_person_${source}` };
    if (!has(view)) continue;
    const ids = records.filter((r) => r.source === source).map((r) => r.id);
    for (const row of await conn.query(`SELECT email_raw, phone_raw FROM ${d.qualify(view)} WHERE record_id IN (${list(d, ids)})`)) {
      for (const v of [row.email_raw, row.phone_raw]) if (typeof v === "string" && v.trim().length >= 6) raw.add(v.trim());
    }
  }
  for (const e of emails) raw.add(e);

  // Values other people also hold (a household's shared email or landline) are not the person's alone.
  const others = await conn.query(
    `SELECT DISTINCT v FROM (
  SELECT p.email AS v, m.user_id FROM ${d.qualify(P)} AS p JOIN ${d.qualify(M)} AS m ON m.record_key = p.record_key
  UNION ALL SELECT p.email_key, m.user_id FROM ${d.qualify(P)} AS p JOIN ${d.qualify(M)} AS m ON m.record_key = p.record_key
  UNION ALL SELECT p.phone_e164, m.user_id FROM ${d.qualify(P)} AS p JOIN ${d.qualify(M)} AS m ON m.record_key = p.record_key
) AS x WHERE v IN (${list(d, [...emails, ...phones])}) AND user_id NOT IN (${u})`,
  );
  const shared = new Set(others.map((r) => String(r.v)));
  const lowerShared = new Set([...shared].map((s) => s.toLowerCase()));
  const own = (v: string) => !shared.has(v) && !lowerShared.has(v.toLowerCase());

  const devices = has(DEVICES)
    ? (await conn.query(`SELECT device_id FROM ${d.qualify(DEVICES)} WHERE user_id IN (${u}) AND users_on_device = 1`)).map((r) => String(r.device_id))
    : [];
  // Sighted values (a device at login): the person's, unless another user's record was seen with it.
  let sighted: Array<{ type: string; value: string }> = [];
  let sharedSighted = 0;
  if (has(SIGHTINGS) && keys.size) {
    const seen = await conn.query(`SELECT DISTINCT id_type, id_value FROM ${d.qualify(SIGHTINGS)} WHERE record_key IN (${list(d, [...keys])})`);
    const values = [...new Set(seen.map((r) => String(r.id_value)))];
    const elsewhere = values.length
      ? await conn.query(
          `SELECT DISTINCT s.id_type, s.id_value FROM ${d.qualify(SIGHTINGS)} AS s JOIN ${d.qualify(M)} AS m ON m.record_key = s.record_key
WHERE s.id_value IN (${list(d, values)}) AND m.user_id NOT IN (${u})`,
        )
      : [];
    const other = new Set(elsewhere.map((r) => `${String(r.id_type)}\u0000${String(r.id_value)}`));
    const all = seen.map((r) => ({ type: String(r.id_type), value: String(r.id_value) }));
    sighted = all.filter((x) => !other.has(`${x.type}\u0000${x.value}`));
    sharedSighted = all.length - sighted.length;
  }
  const orders = has(ORDERS)
    ? (await conn.query(`SELECT DISTINCT source || ':' || order_id AS k FROM ${d.qualify(ORDERS)} WHERE person_record_key IN (${list(d, [...keys])}) AND order_id IS NOT NULL`)).map((r) => String(r.k))
    : [];
  // A raw phone as typed ("01 23 45 67 89") is shared when its number is.
  const tail = (v: string) => v.replace(/\D/g, "").slice(-9);
  const sharedTails = new Set([...shared].filter((v) => v.startsWith("+")).map(tail));
  const rawOwn = [...raw].filter((v) => own(v) && !(tail(v).length === 9 && sharedTails.has(tail(v))));
  return {
    users: [...users],
    records,
    emails: emails.filter(own),
    phones: phones.filter(own),
    rawStrings: rawOwn,
    devices,
    sighted,
    orders,
    sharedSkipped: emails.length + phones.length - emails.filter(own).length - phones.filter(own).length + sharedSighted,
  };
}
