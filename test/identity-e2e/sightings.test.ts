/**
 * Identifiers seen in events (identity.sightings): the devices accounts logged in on. Two accounts
 * of one person used on one device are linked by it; a couple sharing a family tablet are not (their
 * first names conflict); a shop's kiosk seen with more accounts than max_records_per_identifier links
 * nobody; an account without a name joins the one person it shares a device with. Only the events
 * the sighting's `where` keeps count, and only those naming a known record.
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

const SIGHTINGS = `sightings:
    logins:
      relation: raw.people_events
      person: { source: people, key: account }
      where: { sql: "kind = 'login'" }
      seen_at: at
      identifiers: { device: device }
  matching: { max_records_per_identifier: 3 }`;

const EVENTS = [
  "at,kind,device,account",
  "2026-01-05T10:00:00Z,login,phone-julie,julie1",
  "2026-03-01T09:00:00Z,login,phone-julie,julie1",
  "2026-02-10T20:00:00Z,login,phone-julie,julie2",
  "2026-02-11T20:00:00Z,login,phone-julie,guest",
  "2026-01-20T21:00:00Z,login,tablet,julie1",
  "2026-01-21T21:00:00Z,login,tablet,paul",
  ...["kiosk1", "kiosk2", "kiosk3", "kiosk4"].map((a, i) => `2026-04-0${i + 1}T12:00:00Z,login,kiosk,${a}`),
  "2026-02-12T08:00:00Z,page_view,phone-julie,anne",
  // A login of an account the person sources do not hold.
  "2026-02-13T08:00:00Z,login,phone-julie,unknown",
];

describe("identifiers seen in events (devices at login)", () => {
  it("link two accounts of one person, never a couple on a family tablet nor the customers of a kiosk", async () => {
    const dir = await tempDir("rcu-sightings-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email"], { identity: SIGHTINGS, events: true });
    await project.write([
      "id,first_name,last_name,email",
      // Julie's two accounts: nothing in common but her name, which is not enough on its own.
      "julie1,Julie,Moreau,julie.moreau@free.fr",
      "julie2,Julie,Moreau-Leroy,jm.achats@gmail.com",
      // Her husband, on the family tablet.
      "paul,Paul,Moreau,paul.moreau@orange.fr",
      // A guest account with an email only, on Julie's phone.
      "guest,,,promo.jm@yahoo.fr",
      // Four customers who logged in on the shop's kiosk (over the limit of three).
      "kiosk1,Luc,Bernard,luc.b@free.fr",
      "kiosk2,Luc,Garnier,lgarnier@free.fr",
      "kiosk3,Luc,Faure,faure.luc@free.fr",
      "kiosk4,Luc,Roux,luc.roux@free.fr",
      // Browsed on Julie's phone without logging in: a page view names no account.
      "anne,Anne,Moreau,anne.moreau@free.fr",
    ]);
    await project.writeEvents(EVENTS);
    await project.resolve();

    const user = await project.users();
    expect(user.get("julie2")).toBe(user.get("julie1"));
    expect(user.get("guest")).toBe(user.get("julie1"));
    expect(user.get("paul")).not.toBe(user.get("julie1"));
    expect(user.get("anne")).not.toBe(user.get("julie1"));
    expect(new Set(["kiosk1", "kiosk2", "kiosk3", "kiosk4"].map((id) => user.get(id))).size).toBe(4);

    const w = project.warehouse;
    const seen = await duck<{ record_key: string; id_value: string; times_seen: number; first_seen_at: unknown; last_seen_at: unknown }>(
      w,
      "SELECT record_key, id_value, times_seen, CAST(first_seen_at AS VARCHAR) AS first_seen_at, CAST(last_seen_at AS VARCHAR) AS last_seen_at FROM rcu_identity.record_sightings WHERE id_type = 'device' ORDER BY record_key, id_value",
    );
    expect(seen.filter((s) => s.record_key === "people:julie1")).toEqual([
      { record_key: "people:julie1", id_value: "phone-julie", times_seen: 2, first_seen_at: "2026-01-05 10:00:00", last_seen_at: "2026-03-01 09:00:00" },
      { record_key: "people:julie1", id_value: "tablet", times_seen: 1, first_seen_at: "2026-01-20 21:00:00", last_seen_at: "2026-01-20 21:00:00" },
    ]);
    // The page view and the unknown account's login are not sightings.
    expect(seen.map((s) => s.record_key)).not.toContain("people:anne");
    expect(seen).toHaveLength(2 + 1 + 1 + 1 + 4);

    const stats = await duck<{ id_value: string; records: number; is_shared: boolean }>(w, "SELECT id_value, records, is_shared FROM rcu_identity.identifier_stats WHERE id_type = 'seen:device' ORDER BY id_value");
    expect(stats).toEqual([
      { id_value: "kiosk", records: 4, is_shared: true },
      { id_value: "phone-julie", records: 3, is_shared: false },
      { id_value: "tablet", records: 2, is_shared: false },
    ]);

    const pairs = await duck<{ id_l: string; id_r: string; linkable_seen_device: boolean; decision: string; first_rule: string }>(
      w,
      `SELECT v.id_l, v.id_r, v.linkable_seen_device, s.decision, s.first_rule
         FROM rcu_identity.comparison_vectors AS v JOIN rcu_identity.pair_scores AS s ON s.id_l = v.id_l AND s.id_r = v.id_r`,
    );
    const pair = (a: string, b: string) => pairs.find((p) => [p.id_l, p.id_r].sort().join() === [`people:${a}`, `people:${b}`].sort().join());
    expect(pair("julie1", "julie2")).toMatchObject({ linkable_seen_device: true, decision: "deterministic: seen:device" });
    expect(pair("julie1", "paul")).toMatchObject({ linkable_seen_device: true, decision: "vetoed: first names conflict" });
    expect(pair("kiosk1", "kiosk2")).toMatchObject({ linkable_seen_device: false, first_rule: "seen:device" });
    expect(pair("kiosk1", "kiosk2")?.decision).not.toMatch(/^deterministic/);

    // The bridge holds each device under its user, and explain names the rule.
    const devices = await duck<{ id_value: string }>(
      w,
      `SELECT DISTINCT id_value FROM rcu_core.user_identifiers WHERE id_type = 'device' AND user_id = '${user.get("julie1")}' ORDER BY id_value`,
    );
    expect(devices.map((d) => d.id_value)).toEqual(["phone-julie", "tablet"]);
    const explained = await cli(["identity", "explain", "people:julie2", "--config", project.config], ROOT);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("deterministic: seen:device");
    expect(explained.stdout).toContain("seen with: device phone-julie (2×), device tablet (1×)");

    // Erasing Julie: her phone's value is hers alone, so its events go (the page view too) and it
    // is suppressed; the family tablet is Paul's as well, so it is kept, counted, never erased.
    const forget = await cli(["forget", "--source-record", "people:julie1", "--config", project.config, "--json"], ROOT);
    expect(forget.stderr).toBe("");
    expect(forget.code).toBe(0);
    const report = JSON.parse(forget.stdout) as { suppressed: Record<string, number>; sharedIdentifiersKept: number; residual: Record<string, number> };
    expect(report.suppressed["seen:device"]).toBe(1);
    expect(report.sharedIdentifiersKept).toBe(1);
    expect(report.residual).toEqual({});
    const events = await duck<{ account: string; device: string }>(w, "SELECT account, device FROM raw.people_events ORDER BY account, device");
    expect(events.filter((e) => e.device === "phone-julie" || ["julie1", "julie2", "guest"].includes(e.account))).toEqual([]);
    expect(events).toContainEqual({ account: "paul", device: "tablet" });
    // The event source sends her rows again, with a new page view on her phone: the extract drops
    // them (suppression list: her record keys, her phone's value), and the run resolves the others
    // as before, Paul still seen on the tablet.
    await project.writeEvents([...EVENTS, "2026-05-01T08:00:00Z,page_view,phone-julie,"]);
    const again = await cli(["run", "--config", project.config, "--select", "tag:identity"], ROOT);
    expect(again.code).toBe(0);
    const relanded = await duck<{ n: number }>(w, "SELECT COUNT(*) AS n FROM raw.people_events WHERE device = 'phone-julie' OR account IN ('julie1', 'julie2', 'guest')");
    expect(relanded).toEqual([{ n: 0 }]);
    expect((await duck<{ n: number }>(w, "SELECT COUNT(*) AS n FROM raw.people_events"))[0]!.n).toBeGreaterThan(0);
    const left = await duck<{ record_key: string; id_value: string }>(w, "SELECT record_key, id_value FROM rcu_identity.record_sightings WHERE record_key NOT LIKE 'people:kiosk%' ORDER BY record_key");
    expect(left).toEqual([{ record_key: "people:paul", id_value: "tablet" }]);
  }, 120_000);

  it("refuses a sighting of an undeclared person source, or one reusing an identifier type", async () => {
    const dir = await tempDir("rcu-sightings-bad-");
    const project = await peopleProject(dir, ["first_name"], {
      source: "identifiers: { device: first_name }",
      identity: `sightings:
    logins: { relation: raw.people_events, person: { source: shop, key: account }, identifiers: { device: device, email: device } }`,
      events: true,
    });
    await project.write(["id,first_name", "a,Anne"]);
    const r = await cli(["plan", "--config", project.config], ROOT);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`identity.sightings.logins.person.source: "shop" is not an identity person source (defined: people)`);
    expect(r.stderr).toContain("identity.sightings.logins.identifiers.device: \"device\" is already an identifier of a person source");
    expect(r.stderr).toContain("identity.sightings.logins.identifiers.email: \"email\" is already a built-in identifier kind");
  }, 60_000);
});
