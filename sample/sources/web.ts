/**
 * Web/app events: anonymous devices browsing; a device becomes known when its user logs in (the
 * login event carries the e-shop customer id and the email typed). Devices that never log in stay
 * anonymous — they are not person records and are not in the truth file. Some devices see two
 * accounts: a person's second e-shop account, or each member of a household on a shared tablet.
 */
import { DIRT, VOLUMES } from "../config.js";
import { iso } from "../context.js";
import { bump } from "../dirt.js";
import type { Person } from "../person.js";
import { opaqueId, Rng } from "../prng.js";
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

/** A household's tablet: slot 3 of the pair's first member, a slot no person's own device uses. */
export const tabletId = (c: Ctx, household: number): string => deviceId(c, household * 2, 3);

export function web(c: Ctx, p: Person, shop: EshopRefs | null): void {
  const rng = sourceRng(c, p, SRC.web);
  let firstLogin: { device: string; account: number } | null = null;
  if (rng.chance(VOLUMES.web)) {
    const devices = rng.chance(0.35) ? 2 : 1;
    for (let k = 0; k < devices; k++) {
      const events = 1 + rng.poisson(VOLUMES.webEventsMean / devices - 1);
      const account = shop && rng.chance(0.7) ? rng.pick(shop.accounts) : null;
      session(c, rng, deviceId(c, p.index, k), after(p.since, rng), events, account);
      if (account && !firstLogin) firstLogin = { device: deviceId(c, p.index, k), account: account.id };
    }
  }
  // Anonymous visitors (slots 4–6): a few page views, never a login.
  const anon = Math.min(3, rng.poisson(VOLUMES.anonymousDevices));
  for (let k = 0; k < anon; k++) session(c, rng, deviceId(c, p.index, 4 + k), after(p.since, rng), 1 + rng.poisson(1), null);
  if (shop) sharedDevices(c, p, shop, firstLogin);
}

/**
 * Devices seeing a second account, drawn from streams of their own so that every other event stays
 * as it was: a person logging in to their second e-shop account on the device they used for the
 * first (one person: identity resolution may link the accounts by it), and a household's tablet,
 * on which each member logs in to their own account (two people: they must stay apart).
 */
function sharedDevices(c: Ctx, p: Person, shop: EshopRefs, firstLogin: { device: string; account: number } | null): void {
  const rng = sourceRng(c, p, SRC.webShared);
  const second = shop.accounts.find((a) => a.id !== firstLogin?.account);
  if (firstLogin && second && rng.chance(DIRT.secondAccountSameDevice)) {
    session(c, rng, firstLogin.device, after(p.since, rng), 1 + rng.poisson(2), second);
    bump(c.block.dirt, "second_account_same_device");
  }
  if (p.household === null) return;
  // Drawn per household, so both members see the same tablet.
  if (new Rng(c.seed, SRC.householdDevice, p.household).chance(DIRT.householdTablet) && rng.chance(0.7)) {
    session(c, rng, tabletId(c, p.household), after(p.since, rng), 1 + rng.poisson(2), rng.pick(shop.accounts));
    bump(c.block.dirt, "household_tablet_login");
  }
}
