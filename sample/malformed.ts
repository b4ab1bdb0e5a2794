/**
 * Malformed rows, a few per file, to exercise the connectors' quarantine: wrong column counts and
 * stray quotes in CSVs, invalid JSON lines in JSON Lines, schema-invalid elements in the tickets
 * array (a syntax error there would void the whole file rather than one record). They use the
 * reserved id slot, are never in the truth file and are counted per file in the manifest.
 */
import { DIRT } from "./config.js";
import type { FileKey } from "./context.js";
import { FILE_KEYS } from "./context.js";
import type { Person } from "./person.js";
import { Rng } from "./prng.js";
import { crmId } from "./sources/crm.js";
import { orderId } from "./sources/eshop.js";
import { subscriberId } from "./sources/email.js";
import { ticketId } from "./sources/contact-centre.js";
import { cardNumber } from "./sources/stores.js";
import { type Ctx, MALFORMED_SLOT, SRC, recordId } from "./sources/shared.js";

/** Persons after whom every file gets a malformed row, so small estates have them too. */
export function forcedMalformed(people: number): Set<number> {
  const s = new Set<number>();
  for (let k = 0; k < DIRT.malformedMin; k++) s.add(Math.floor((people * (k + 0.5)) / DIRT.malformedMin));
  return s;
}

function row(c: Ctx, key: FileKey, p: Person, rng: Rng): string | null {
  const i = p.index;
  const v = rng.int(2);
  switch (key) {
    case "crm": {
      const id = crmId(c, i, MALFORMED_SLOT);
      return v === 0 ? `${id};Mme;${p.first};${p.last};;;` : `${id};M.;"${p.first}"x;${p.last};;;;;;;;B2C;01/01/2024 00:00;EXTRA`;
    }
    case "eshopCustomers":
      return v === 0 ? `{"id":${recordId(c, 0xe5, i, MALFORMED_SLOT)},"email":"${p.email}","first_na` : `{id: ${i}, email: '${p.email}'}`;
    case "eshopOrders":
      return v === 0 ? `{"id":${orderId(c, i, 1, 31)},"number":"FR","total_eur":NaN}` : `{"id":${orderId(c, i, 1, 31)},"status":"delivered",}`;
    case "eshopLines":
      return `{"order_id":${orderId(c, i, 1, 31)},"line_no":1,"sku":"SKU-`;
    case "web":
      return v === 0 ? `{"ts":"2024-02-30T25:00:00Z","type":"page_view","device_id":` : `<html><body>502 Bad Gateway</body></html>`;
    case "emailSubscribers":
      return v === 0 ? `${subscriberId(c, i, MALFORMED_SLOT)},${p.email}` : `${subscriberId(c, i, MALFORMED_SLOT)},"${p.email},${p.first},${p.last},subscribed,,,footer,x"y`;
    case "emailEvents":
      return `{"campaign_id":"CMP0001","subscriber_id":"${subscriberId(c, i, MALFORMED_SLOT)}","type":"open","ts":`;
    case "tickets":
      // Valid JSON, invalid record: no id / wrong types / not an object.
      return v === 0 ? `{"ticket_id":null,"opened_at":"31/02/2024","phone":612345678}` : `"EXPORT ERROR: ticket ${ticketId(c, i, MALFORMED_SLOT)} truncated"`;
    case "loyalty": {
      const card = cardNumber(c, i, MALFORMED_SLOT);
      return v === 0 ? `${card};Mme;${p.first}` : `${card};M.;"${p.first}" "${p.last}";;;;;;;;MAG001;01/01/2024;;;`;
    }
    case "purchases":
      return v === 0 ? `MAG001-0;MAG001;;2024-01-01 00:00:00` : `MAG001-0;MAG001;;2024-01-01 00:00:00;12,50;1;;;EXTRA`;
    case "truth":
      return null;
  }
}

export function malformed(c: Ctx, p: Person, forced: boolean): void {
  const rng = new Rng(c.seed, SRC.malformed, p.index);
  for (const key of FILE_KEYS) {
    if (!(rng.chance(DIRT.malformed) || forced)) continue;
    const line = row(c, key, p, rng);
    if (line !== null) c.block.emitMalformed(key, line);
  }
}
