/**
 * Stores: loyalty cards (ERP export, `;`, UTF-8) keyed from paper forms — hence OCR-like errors —
 * and POS purchases, with the card number when the customer showed one. Keeps movers' old
 * addresses like the CRM.
 */
import { DIRT, EPOCH, VOLUMES } from "../config.js";
import { SOURCE, f, frDate, frMoney } from "../context.js";
import { addressOf, bump, emailView, nameView, phoneView, postcodeVariant, streetLine } from "../dirt.js";
import type { Person } from "../person.js";
import { opaqueId } from "../prng.js";
import type { Rng } from "../prng.js";
import { type Ctx, SRC, after, civility, recordId, sourceRng } from "./shared.js";

export const cardNumber = (c: Ctx, index: number, k: number): string => "29" + String(recordId(c, 0x10a, index, k)).padStart(10, "0");

const pad = (n: number): string => (n < 10 ? "0" + n : String(n));
function erpDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function purchase(c: Ctx, rng: Rng, slot: number, card: string, at: number): void {
  const store = rng.pick(c.cat.stores);
  const items = 1 + rng.poisson(1.5);
  let cents = 0;
  for (let i = 0; i < items; i++) cents += rng.pick(c.cat.products).priceCents;
  const ticket = `${store.code}-${opaqueId(c.seed ^ 0x7e, slot)}`;
  c.block.emit("purchases", `${ticket};${store.code};${card};${erpDateTime(at)};${frMoney(cents)};${items}`);
}

export function stores(c: Ctx, p: Person): void {
  const rng = sourceRng(c, p, SRC.stores);
  const b = c.block;
  const d = b.dirt;
  if (rng.chance(VOLUMES.stores)) {
    const n = rng.chance(DIRT.storesSecondCard) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      if (k > 0) bump(d, "stores_second_card");
      const card = cardNumber(c, p.index, k);
      const name = nameView(p, rng, d, { ocr: true });
      const mail = emailView(p, rng, d, { optional: true });
      const phone = phoneView(p, rng, d);
      const a = addressOf(p, rng, d, { keepsOld: true });
      let birth = "";
      if (rng.chance(DIRT.missingBirthDate)) bump(d, "missing_birth_date");
      else birth = frDate(p.birth);
      const store = rng.pick(c.cat.stores);
      const joined = after(p.since, rng, 400);
      b.emit(
        "loyalty",
        `${card};${civility(p.female, rng)};${f(name.first)};${f(name.last)};${f(mail)};${phone};${a ? f(streetLine(a, rng, d)) : ""};` +
          `${a ? postcodeVariant(a.postcode, rng, d) : ""};${a ? f(a.city) : ""};${birth};${store.code};${frDate(new Date(joined).toISOString())}`,
      );
      b.truth(SOURCE.loyalty, card, p.entityId);
      const buys = Math.min(60, rng.poisson(VOLUMES.purchasesMean / n));
      let t = joined;
      for (let i = 0; i < buys; i++) {
        t += rng.int(60 * 86_400_000);
        if (t > EPOCH.end) break;
        purchase(c, rng, p.index * 256 + k * 64 + i, card, t);
      }
    }
  }
  // Anonymous tills (slots 128+): no card, not a person record.
  const anon = Math.min(60, rng.poisson(VOLUMES.anonymousPurchases));
  for (let i = 0; i < anon; i++) purchase(c, rng, p.index * 256 + 128 + i, "", after(p.since, rng));
}
