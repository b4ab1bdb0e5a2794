/**
 * Contact centre tickets: one JSON array (a CRM-style export). Names are one free-text field as the
 * agent typed it, phone numbers as typed by agents (spaces, dashes, "(portable)"), sometimes an
 * order reference the caller quoted.
 */
import { DIRT, VOLUMES } from "../config.js";
import { SOURCE, iso, q, qn } from "../context.js";
import { agentNoise, bump, emailView, nameView, phoneView } from "../dirt.js";
import type { Person } from "../person.js";
import type { EshopRefs } from "./eshop.js";
import { type Ctx, SRC, after, civility, recordId, sourceRng } from "./shared.js";

const SUBJECTS = ["Retard de livraison", "Demande de remboursement", "Produit défectueux", "Modification d'adresse", "Carte de fidélité", "Question sur une commande", "Réclamation magasin", "Désinscription newsletter"];
const CHANNELS = ["phone", "phone", "phone", "email", "chat"];
const STATUSES = ["closed", "closed", "closed", "open", "pending"];

export const ticketId = (c: Ctx, index: number, k: number): string => "TCK-" + String(recordId(c, 0x7c4, index, k)).padStart(10, "0");

export function tickets(c: Ctx, p: Person, shop: EshopRefs | null): void {
  const rng = sourceRng(c, p, SRC.tickets);
  if (!rng.chance(VOLUMES.contactCentre)) return;
  const b = c.block;
  const d = b.dirt;
  const n = 1 + Math.min(5, rng.poisson(0.4));
  for (let k = 0; k < n; k++) {
    const id = ticketId(c, p.index, k);
    const name = nameView(p, rng, d, {});
    const civ = civility(p.female, rng);
    const form = rng.int(3);
    const who = form === 0 ? `${civ} ${name.last}`.trim() : form === 1 ? `${name.last} ${name.first}` : `${name.first} ${name.last}`;
    let phone = phoneView(p, rng, d);
    if (phone && rng.chance(DIRT.agentPhoneNoise)) {
      phone = agentNoise(phone, rng);
      bump(d, "agent_phone_noise");
    }
    const channel = rng.pick(CHANNELS);
    const mail = channel === "email" ? emailView(p, rng, d, { optional: false }) : rng.chance(0.3) ? emailView(p, rng, d, { optional: true }) : "";
    const ref = shop && shop.orderNumbers.length > 0 && rng.chance(0.4) ? rng.pick(shop.orderNumbers) : "";
    b.emit(
      "tickets",
      `{"ticket_id":"${id}","opened_at":"${iso(after(p.since, rng))}","channel":"${channel}","customer_name":${q(who)},"phone":${qn(phone)},` +
        `"email":${qn(mail)},"subject":${q(rng.pick(SUBJECTS))},"status":"${rng.pick(STATUSES)}","agent":${q(rng.pick(c.cat.agents))},"order_ref":${qn(ref)}}`,
    );
    b.truth(SOURCE.tickets, id, p.entityId);
  }
}
