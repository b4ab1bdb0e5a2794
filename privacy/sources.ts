/**
 * Where a person lives in the raw tables, from rcu.yaml: each identity person source (its record
 * id), each identity sighting (the record id its events name), and each model source linked to a person source (orders, events, consents …), plus the
 * model's device and order links. Used by `rcu forget` to erase raw rows and by the suppression
 * purge after every extract.
 */
import type { Dialect, Relation } from "../engine/warehouses/types.js";
import type { ProjectConfig } from "../cli/config.js";
import { portableFieldSql } from "../identity/field-forms.js";
import { CONTRACTS, type ContractName, type ModelField } from "../model/config.js";
import type { SuppressionKind } from "./tables.js";

export interface RawLink {
  /** Raw relation holding the rows. */
  readonly relation: Relation;
  /** Text SQL expression over the relation's columns giving the value that links the row. */
  readonly expr: string;
  /**
   * What the value is: a person record key part (`source:` prefix added), a device, an order, or
   * an identifier seen in events (identity.sightings).
   */
  readonly kind: "record" | "email" | "device" | "order" | "seen";
  /**
   * For kind record: the person source whose record_id the value is; for order: the orders
   * source; for seen: the identifier type.
   */
  readonly owner: string;
  /** Where it comes from, for reports (e.g. "identity.person_sources.crm_contacts"). */
  readonly describe: string;
}

function relationOf(qualified: string): Relation {
  const [schema, name] = qualified.split(".") as [string, string];
  return { schema, name };
}

/** A configured field as text SQL over the source's columns. */
export function fieldText(d: Dialect, f: ModelField): string {
  const text = d.columnType("text");
  if (typeof f === "string") return `CAST(${d.quoteIdentifier(f)} AS ${text})`;
  if ("sql" in f) return `CAST((${f.sql}) AS ${text})`;
  const portable = portableFieldSql(d, f);
  if (portable !== undefined) return `CAST(${portable} AS ${text})`;
  return d.stringLiteral(String((f as { value: unknown }).value));
}

export function rawLinks(d: Dialect, config: ProjectConfig): RawLink[] {
  const links: RawLink[] = [];
  for (const [name, s] of Object.entries(config.identity.person_sources)) {
    links.push({ relation: relationOf(s.relation), expr: fieldText(d, s.record_id), kind: "record", owner: name, describe: `identity.person_sources.${name}` });
    if (s.email) {
      links.push({ relation: relationOf(s.relation), expr: `lower(trim(${fieldText(d, s.email)}))`, kind: "email", owner: name, describe: `identity.person_sources.${name}.email` });
    }
  }
  // Event rows naming a person record beside an identifier (a login with its device).
  for (const [name, s] of Object.entries(config.identity.sightings)) {
    links.push({ relation: relationOf(s.relation), expr: fieldText(d, s.person.key), kind: "record", owner: s.person.source, describe: `identity.sightings.${name}` });
    // Every row carrying a value only the person was seen with (a device's page views too).
    for (const [type, f] of Object.entries(s.identifiers)) {
      links.push({ relation: relationOf(s.relation), expr: `trim(${fieldText(d, f)})`, kind: "seen", owner: type, describe: `identity.sightings.${name}.identifiers.${type}` });
    }
  }
  const model = config.model;
  for (const contract of Object.keys(CONTRACTS) as ContractName[]) {
    for (const [name, raw] of Object.entries(model[contract])) {
      const src = raw as { relation: string; person?: { source: string; key: ModelField }; device_id?: ModelField; order_id?: ModelField; order_source?: string };
      const where = `model.${contract}.${name}`;
      if (src.person) {
        links.push({ relation: relationOf(src.relation), expr: fieldText(d, src.person.key), kind: "record", owner: src.person.source, describe: where });
      }
      if (contract === "web_events" && src.device_id) {
        links.push({ relation: relationOf(src.relation), expr: fieldText(d, src.device_id), kind: "device", owner: name, describe: where });
      }
      if (contract === "orders" && src.order_id) {
        links.push({ relation: relationOf(src.relation), expr: fieldText(d, src.order_id), kind: "order", owner: name, describe: where });
      }
      if (contract === "order_lines" && src.order_id) {
        const owner = src.order_source ?? Object.keys(model.orders)[0] ?? "orders";
        links.push({ relation: relationOf(src.relation), expr: fieldText(d, src.order_id), kind: "order", owner, describe: where });
      }
    }
  }
  return links;
}

/** The suppression-list value of a linked raw row: `source:record_id`, `device`, `source:order_id`, the sighted value. */
export function linkValue(link: RawLink): string {
  return link.kind === "device" || link.kind === "email" || link.kind === "seen" ? link.expr : `'${link.owner.split("'").join("''")}:' || ${link.expr}`;
}

/** The suppression-list kind a linked raw row's value is hashed under. */
export function linkSuppressionKind(link: RawLink): SuppressionKind {
  return link.kind === "seen" ? `seen:${link.owner}` : link.kind;
}
