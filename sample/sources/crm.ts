/**
 * CRM contacts: the oldest system. Windows-1252, `;`, CRLF, French headers and dates, a sales
 * owner, a B2C/B2B flag. Keeps old addresses of movers; has its own duplicates (contacts keyed in
 * twice by different reps).
 */
import { DIRT, VOLUMES } from "../config.js";
import { SOURCE, f, frDate, frDateTime } from "../context.js";
import { addressOf, bump, emailView, junkValue, nameView, phoneView, postcodeVariant, streetLine } from "../dirt.js";
import type { Person } from "../person.js";
import { type Ctx, SRC, after, civility, recordId, sourceRng } from "./shared.js";

export const crmId = (c: Ctx, index: number, k: number): string => "CT" + String(recordId(c, 0x0c0, index, k)).padStart(10, "0");

export function crm(c: Ctx, p: Person): void {
  const rng = sourceRng(c, p, SRC.crm);
  if (!rng.chance(VOLUMES.crm)) return;
  const b = c.block;
  const d = b.dirt;
  const copies = rng.chance(DIRT.crmDuplicate) ? 2 : 1;
  const type = rng.chance(VOLUMES.crmB2b) ? "B2B" : "B2C";
  for (let k = 0; k < copies; k++) {
    if (k > 0) bump(d, "crm_duplicate");
    const id = crmId(c, p.index, k);
    const name = nameView(p, rng, d, {});
    const email = emailView(p, rng, d, { optional: true });
    const phone = phoneView(p, rng, d);
    const a = addressOf(p, rng, d, { keepsOld: true });
    let city = a ? (rng.chance(0.3) ? a.city.toUpperCase() : a.city) : "";
    if (a && rng.chance(DIRT.junkValue)) {
      city = junkValue(rng);
      bump(d, "junk_value");
    }
    let birth = "";
    if (rng.chance(DIRT.missingBirthDate)) bump(d, "missing_birth_date");
    else birth = frDate(p.birth);
    const owner = rng.chance(0.1) ? "" : rng.pick(c.cat.salesOwners);
    b.emit(
      "crm",
      `${id};${civility(p.female, rng)};${f(name.first)};${f(name.last)};${f(email)};${phone};${a ? f(streetLine(a, rng, d)) : ""};` +
        `${a ? postcodeVariant(a.postcode, rng, d) : ""};${f(city)};${birth};${f(owner)};${type};${frDateTime(after(p.since, rng))}`,
    );
    b.truth(SOURCE.crm, id, p.entityId);
  }
}
