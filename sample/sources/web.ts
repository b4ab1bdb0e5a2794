/**
 * Web/app events: anonymous devices browsing; a device becomes known when its user logs in (the
 * login event carries the e-shop customer id and the email typed). Devices that never log in stay
 * anonymous — they are not person records and are not in the truth file.
 */
import { VOLUMES } from "../config.js";
import { iso } from "../context.js";
import type { Person } from "../person.js";
import { opaqueId } from "../prng.js";
import type { Rng } from "../prng.js";
import type { EshopRefs } from "./eshop.js";
import { type Ctx, SRC, after, sourceRng } from "./shared.js";

const PAGES = ["/", "/soldes", "/nouveautes", "/maison", "/cuisine", "/mode", "/beaute", "/jardin", "/enfant", "/magasins", "/aide"];

export const deviceId = (c: Ctx, index: number, k: number): string =>
  "d-" + opaqueId(c.seed ^ 0xde1, index * 8 + k).toString(16).padStart(8, "0");

function session(c: Ctx, rng: Rng, device: string, start: number, events: number, login: { id: number; email: string } | null): void {
  const b = c.block;
  let t = start;
  let loginAt = login ? rng.int(Math.max(1, events)) : -1;
  for (let e = 0; e < events; e++) {
    t += 5_000 + rng.int(180_000);
    const ts = iso(t);
    if (e === loginAt && login) {
      // The email as typed at login: case varies, the account is what matters.
      const email = rng.chance(0.1) ? login.email.toUpperCase() : login.email;
      b.emit("web", `{"ts":"${ts}","type":"login","device_id":"${device}","customer_id":${login.id},"email":${JSON.stringify(email)}}`);
      loginAt = -1;
      continue;
    }
    const x = rng.float();
    if (x < 0.15) {
      const prod = rng.pick(c.cat.products);
      b.emit("web", `{"ts":"${ts}","type":"add_to_cart","device_id":"${device}","sku":"${prod.sku}","quantity":1}`);
    } else if (x < 0.45) {
      b.emit("web", `{"ts":"${ts}","type":"page_view","device_id":"${device}","url":"/p/${rng.pick(c.cat.products).sku}"}`);
    } else {
      b.emit("web", `{"ts":"${ts}","type":"page_view","device_id":"${device}","url":"${rng.pick(PAGES)}"}`);
    }
  }
}

export function web(c: Ctx, p: Person, shop: EshopRefs | null): void {
  const rng = sourceRng(c, p, SRC.web);
  if (rng.chance(VOLUMES.web)) {
    const devices = rng.chance(0.35) ? 2 : 1;
    for (let k = 0; k < devices; k++) {
      const events = 1 + rng.poisson(VOLUMES.webEventsMean / devices - 1);
      const account = shop && rng.chance(0.7) ? rng.pick(shop.accounts) : null;
      session(c, rng, deviceId(c, p.index, k), after(p.since, rng), events, account);
    }
  }
  // Anonymous visitors (slots 4–6): a few page views, never a login.
  const anon = Math.min(3, rng.poisson(VOLUMES.anonymousDevices));
  for (let k = 0; k < anon; k++) session(c, rng, deviceId(c, p.index, 4 + k), after(p.since, rng), 1 + rng.poisson(1), null);
}
