/**
 * One block of consecutive persons → the text of every file for them. Pure: the same
 * (seed, people, start, end) always gives the same Block, whatever ran before.
 */
import type { Catalogue } from "./catalogue.js";
import { Block } from "./context.js";
import { forcedMalformed, malformed } from "./malformed.js";
import { person } from "./person.js";
import { crm } from "./sources/crm.js";
import { email } from "./sources/email.js";
import { eshop } from "./sources/eshop.js";
import { tickets } from "./sources/contact-centre.js";
import type { Ctx } from "./sources/shared.js";
import { stores } from "./sources/stores.js";
import { web } from "./sources/web.js";

export function generateBlock(seed: number, people: number, cat: Catalogue, start: number, end: number, forced = forcedMalformed(people)): Block {
  const c: Ctx = { seed, people, cat, block: new Block() };
  for (let i = start; i < end; i++) {
    const p = person(seed, i);
    crm(c, p);
    const shop = eshop(c, p);
    web(c, p, shop);
    email(c, p);
    tickets(c, p, shop);
    stores(c, p);
    malformed(c, p, forced.has(i));
  }
  return c.block;
}
