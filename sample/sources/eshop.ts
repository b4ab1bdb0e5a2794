/**
 * E-shop: customer accounts (JSON Lines, snake_case API-style fields), their orders and order
 * lines. Current address only; a share of persons opened a second account (usually with another
 * email). Returns the account ids and order numbers so the web events and tickets can refer to them.
 */
import { DIRT, EPOCH, VOLUMES } from "../config.js";
import { SOURCE, iso, money, q, qn } from "../context.js";
import { addressOf, bump, emailView, nameView, phoneView, postcodeVariant, streetLine } from "../dirt.js";
import type { Person } from "../person.js";
import { opaqueId } from "../prng.js";
import { type Ctx, SRC, after, recordId, sourceRng } from "./shared.js";

export interface EshopRefs {
  readonly accounts: readonly { readonly id: number; readonly email: string }[];
  readonly orderNumbers: readonly string[];
}

const DAY = 86_400_000;
const STATUSES = ["delivered", "delivered", "delivered", "delivered", "shipped", "cancelled", "returned"];

export function eshop(c: Ctx, p: Person): EshopRefs | null {
  const rng = sourceRng(c, p, SRC.eshop);
  if (!rng.chance(VOLUMES.eshop)) return null;
  const b = c.block;
  const d = b.dirt;
  const accounts: { id: number; email: string }[] = [];
  const orderNumbers: string[] = [];
  const n = rng.chance(DIRT.eshopSecondAccount) ? 2 : 1;
  for (let k = 0; k < n; k++) {
    if (k > 0) bump(d, "eshop_second_account");
    const id = recordId(c, 0xe5, p.index, k);
    const name = nameView(p, rng, d, {});
    const email = emailView(p, rng, d, { optional: false });
    const phone = phoneView(p, rng, d);
    const a = addressOf(p, rng, d, { keepsOld: false });
    const created = after(p.since, rng, 365);
    const birth = rng.chance(0.6) ? "" : p.birth;
    const orders = Math.min(30, rng.poisson(VOLUMES.ordersMean));
    let last = created;
    for (let o = 0; o < orders; o++) {
      const oid = orderId(c, p.index, k, o);
      const number = `FR${oid}`;
      orderNumbers.push(number);
      const at = last + rng.int(120 * DAY);
      // The estate has a "now" (EPOCH.end): no order from the future.
      if (at > EPOCH.end) break;
      last = at;
      const status = rng.pick(STATUSES);
      const updated = Math.min(EPOCH.end, at + rng.int((status === "returned" ? 40 : 6) * DAY));
      const nLines = 1 + Math.min(20, rng.poisson(VOLUMES.extraLinesMean));
      let total = 0;
      for (let l = 1; l <= nLines; l++) {
        const prod = rng.pick(c.cat.products);
        const qty = rng.chance(0.85) ? 1 : rng.range(2, 4);
        total += qty * prod.priceCents;
        b.emit("eshopLines", `{"order_id":${oid},"line_no":${l},"sku":"${prod.sku}","quantity":${qty},"unit_price_eur":${money(prod.priceCents)}}`);
      }
      const ship = a ? postcodeVariant(a.postcode, rng, d) : "";
      b.emit(
        "eshopOrders",
        `{"id":${oid},"number":"${number}","customer_id":${id},"status":"${status}","created_at":"${iso(at)}","updated_at":"${iso(updated)}",` +
          `"total_eur":${money(total)},"currency":"EUR","shipping_postcode":${qn(ship)}}`,
      );
    }
    const updated = Math.min(EPOCH.end, Math.max(created, last) + rng.int(30 * DAY));
    const addr = a ? `{"line1":${q(streetLine(a, rng, d))},"postcode":"${postcodeVariant(a.postcode, rng, d)}","city":${q(a.city)},"country":"FR"}` : "null";
    b.emit(
      "eshopCustomers",
      `{"id":${id},"email":${q(email)},"first_name":${q(name.first)},"last_name":${q(name.last)},"phone":${qn(phone)},` +
        `"birth_date":${qn(birth)},"address":${addr},"accepts_marketing":${rng.chance(0.45)},"created_at":"${iso(created)}","updated_at":"${iso(updated)}"}`,
    );
    b.truth(SOURCE.eshop, id, p.entityId);
    accounts.push({ id, email });
  }
  return { accounts, orderNumbers };
}

/**
 * Orders: slot person × 64 + account × 32 + order (≤ 30 orders per account; slot 63 is the
 * malformed rows'), through the same bijection as record ids.
 */
export function orderId(c: Ctx, index: number, account: number, order: number): number {
  return opaqueId(c.seed ^ 0x0de, index * 64 + account * 32 + order);
}
