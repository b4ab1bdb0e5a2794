/**
 * Emailing platform: subscribers (CSV, comma, UTF-8) with consent status and timestamps, and
 * campaign events (sent/open/click, JSON Lines). Sign-up forms often ask only for the email, so
 * names are frequently missing here.
 */
import { EPOCH, VOLUMES } from "../config.js";
import { SOURCE, fc, iso } from "../context.js";
import { emailView, nameView } from "../dirt.js";
import type { Person } from "../person.js";
import { type Ctx, SRC, after, recordId, sourceRng } from "./shared.js";

const SIGNUP = ["footer", "checkout", "jeu-concours", "magasin", "popup"];
const HOUR = 3_600_000;

export const subscriberId = (c: Ctx, index: number, k: number): string => "sub_" + recordId(c, 0xe3a, index, k).toString(36).padStart(7, "0");

export function email(c: Ctx, p: Person): void {
  const rng = sourceRng(c, p, SRC.email);
  if (!rng.chance(VOLUMES.email)) return;
  const b = c.block;
  const d = b.dirt;
  const id = subscriberId(c, p.index, 0);
  const addr = emailView(p, rng, d, { optional: false });
  const name = nameView(p, rng, d, {});
  const named = rng.chance(0.6);
  const created = after(p.since, rng, 600);
  const x = rng.float();
  const status = x < 0.75 ? "subscribed" : x < 0.9 ? "unsubscribed" : x < 0.95 ? "pending" : "bounced";
  const consentAt = status === "pending" ? "" : iso(Math.min(EPOCH.end, created + rng.int(48 * HOUR)));
  const unsubAt = status === "unsubscribed" ? iso(Math.min(EPOCH.end, created + 30 * 24 * HOUR + rng.int(500 * 24 * HOUR))) : "";
  b.emit(
    "emailSubscribers",
    `${id},${fc(addr)},${named ? fc(name.first) : ""},${named ? fc(name.last) : ""},${status},${consentAt},${unsubAt},${rng.pick(SIGNUP)},${iso(created)}`,
  );
  b.truth(SOURCE.email, id, p.entityId);
  if (status === "pending" || status === "bounced") return;
  const sends = rng.poisson(VOLUMES.emailEventsMean / 1.4);
  const campaigns = c.cat.campaigns;
  for (let s = 0; s < sends; s++) {
    const cmp = campaigns[rng.int(campaigns.length)]!;
    if (cmp.sentAt < created) continue;
    const head = `{"campaign_id":"${cmp.id}","subscriber_id":"${id}","email":${JSON.stringify(addr)}`;
    b.emit("emailEvents", `${head},"type":"sent","ts":"${iso(cmp.sentAt + rng.int(HOUR))}"}`);
    if (rng.chance(0.3)) {
      const openAt = cmp.sentAt + HOUR + rng.int(72 * HOUR);
      b.emit("emailEvents", `${head},"type":"open","ts":"${iso(openAt)}"}`);
      if (rng.chance(0.3)) b.emit("emailEvents", `${head},"type":"click","ts":"${iso(openAt + rng.int(HOUR))}"}`);
    }
  }
}
