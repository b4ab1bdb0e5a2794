/**
 * Records carrying only a name (a ticket saying "Octave Vasseur": no email, phone, date or id)
 * join the one person bearing that name when the probability that it is theirs reaches the
 * threshold: the namesakes expected from the name's frequency (first × last, over the estate's
 * people) weighed against how often such records' authors have other records under the name,
 * fitted to the estate (includes/identity_name_only.js, identity.matching.join_name_only).
 * rcu_marts.identity_quality counts them (records.joined_by_name_only).
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { crmAndSubscribers, type PeopleProject, peopleProject } from "./people-project.js";

const PEOPLE = [
  "id,title,first_name,last_name,email,birth_date",
  "octave,,Octave,Vasseur,octave.vasseur@free.fr,1975-04-12",
  // Five Maries and five Martins: a Marie Martin is expected to have namesakes.
  "marie_martin,,Marie,Martin,mm1958@orange.fr,1958-02-03",
  "marie_durand,,Marie,Durand,marie.durand@gmail.com,1962-05-30",
  "marie_petit,,Marie,Petit,mpetit@laposte.net,1971-07-14",
  "marie_roux,,Marie,Roux,roux.marie@sfr.fr,1980-09-09",
  "marie_blanc,,Marie,Blanc,blanc.m@free.fr,1990-01-21",
  "paul_martin,,Paul,Martin,paul.martin@gmail.com,1966-12-01",
  "luc_martin,,Luc,Martin,lucmartin@hotmail.fr,1977-03-18",
  "anne_martin,,Anne,Martin,anne.m@orange.fr,1983-10-25",
  "hugo_martin,,Hugo,Martin,hugo.martin@free.fr,2001-06-06",
  // Two Jean Duponts, two people (their birth dates conflict).
  "jean_1961,,Jean,Dupont,jdupont61@gmail.com,1961-03-02",
  "jean_1984,,Jean,Dupont,jean.dupont84@yahoo.fr,1984-11-20",
  "camille,M.,Camille,Leroux,camille.leroux@gmail.com,1969-08-08",
  "sophie,,Sophie,Garnier,sgarnier@free.fr,1974-02-17",
  "thomas,,Thomas,Lemoine,tlemoine@orange.fr,1986-04-04",
  "julie,,Julie,Fabre,julie.fabre@gmail.com,1992-11-11",
  "nicolas,,Nicolas,Bertin,nbertin@sfr.fr,1968-01-30",
  "claire,,Claire,Mallet,claire.mallet@laposte.net,1979-05-05",
  "antoine,,Antoine,Royer,aroyer@gmail.com,1988-08-19",
  "elodie,,Elodie,Chauvin,elodie.chauvin@free.fr,1995-03-23",
  "romain,,Romain,Lacombe,rlacombe@orange.fr,1973-12-12",
  "lea,,Léa,Brunet,lea.brunet@gmail.com,1999-07-07",
  // Records carrying only a name:
  "ticket_octave,,Octave,Vasseur,,", // one person bears the name, and it is rare: joins
  "ticket_marie_martin,,Marie,Martin,,", // one bearer, but Marie Martins are expected: apart
  "ticket_jean_dupont,,Jean,Dupont,,", // two bearers: apart
  "ticket_camille,Mme,Camille,Leroux,,", // the one Camille Leroux is a man: apart
  "ticket_ilse,,Ilse,Vogt,,", // nobody else bears these names: their authors have
  "ticket_zoe,,Zoé,Kerbrat,,", //   no other record here
];

async function resolved(prefix: string, identity?: string, source?: string, more: readonly string[] = []): Promise<PeopleProject> {
  const project = await peopleProject(await tempDir(prefix), ["title", "first_name", "last_name", "email", "birth_date"], { ...(identity ? { identity } : {}), ...(source ? { source } : {}) });
  await project.write([...PEOPLE, ...more]);
  await project.resolve();
  return project;
}

describe("records carrying only a name", () => {
  it("join the one person bearing the name when namesakes are unlikely", async () => {
    const project = await resolved("rcu-name-only-");
    const user = await project.users();
    expect(user.get("ticket_octave")).toBe(user.get("octave"));
    for (const [ticket, others] of [
      ["ticket_marie_martin", ["marie_martin"]],
      ["ticket_jean_dupont", ["jean_1961", "jean_1984"]],
      ["ticket_camille", ["camille"]],
    ] as const) {
      for (const other of others) expect(user.get(ticket), `${ticket} / ${other}`).not.toBe(user.get(other));
    }
    expect(user.get("jean_1961")).not.toBe(user.get("jean_1984"));
    // Every full record is its own person; the tickets other than Octave's stay alone.
    expect(new Set(user.values()).size).toBe(PEOPLE.length - 1 - 1);

    const joined = await duck<{ record_key: string; p: number }>(
      project.warehouse,
      "SELECT node AS record_key, name_only_probability AS p FROM rcu_identity.person_clusters WHERE name_only_probability IS NOT NULL",
    );
    expect(joined.map((r) => r.record_key)).toEqual(["people:ticket_octave"]);
    expect(joined[0]!.p).toBeGreaterThanOrEqual(0.9);
    expect(joined[0]!.p).toBeLessThan(1);

    const explained = await cli(["identity", "explain", "people:ticket_octave", "--config", project.config], ROOT);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("joined by its name alone");
    expect(explained.stdout).toContain("people:octave");

    // identity_quality counts it.
    const run = await cli(["run", "--config", project.config, "--select", "+identity_quality"], ROOT);
    expect(run.code).toBe(0);
    const metric = await duck<{ value: number }>(project.warehouse, "SELECT value FROM rcu_marts.identity_quality WHERE metric = 'records.joined_by_name_only'");
    expect(metric).toEqual([{ value: 1 }]);
  }, 120_000);

  it("follow the model's probability, which the threshold cuts", async () => {
    // The model's inputs on this estate, by hand: 22 people bear a name; per ticket, the people
    // bearing its name (h) and the namesakes expected, n_first · n_last / 22 (λ). The author is
    // among the bearers with probability v, fitted by maximum likelihood of Π (λ + v·(h − λ)).
    const lone = [
      { h: 1, lambda: 1 / 22 }, // Octave Vasseur
      { h: 1, lambda: 25 / 22 }, // Marie Martin: five Maries, five Martins
      { h: 2, lambda: 4 / 22 }, // Jean Dupont
      { h: 1, lambda: 1 / 22 }, // Camille Leroux
      { h: 0, lambda: 0 }, // Ilse Vogt
      { h: 0, lambda: 0 }, // Zoé Kerbrat
    ];
    // (With a Beta(2, 2) prior: one pseudo-record of each kind, ln v + ln(1 − v).)
    const ll = (v: number) => Math.log(v) + Math.log(1 - v) + lone.reduce((s, x) => s + Math.log(Math.max(x.lambda, 1e-9) + v * (x.h - Math.max(x.lambda, 1e-9))), 0);
    let [lo, hi] = [0, 1];
    for (let i = 0; i < 100; i++) {
      const [a, b] = [lo + (hi - lo) / 3, hi - (hi - lo) / 3];
      if (ll(a) < ll(b)) lo = a;
      else hi = b;
    }
    const v = (lo + hi) / 2;
    const p = (lambda: number) => v / (v + (1 - v) * lambda);
    // At threshold 0.5, Marie Martin's ticket (p ≈ 0.54) joins too; Camille's still does not.
    const project = await resolved("rcu-name-only-half-", "matching: { threshold: 0.5 }");
    const rows = await duck<{ record_key: string; p: number }>(
      project.warehouse,
      "SELECT node AS record_key, name_only_probability AS p FROM rcu_identity.person_clusters WHERE name_only_probability IS NOT NULL ORDER BY node",
    );
    expect(rows.map((r) => r.record_key)).toEqual(["people:ticket_marie_martin", "people:ticket_octave"]);
    expect(rows[0]!.p).toBeCloseTo(p(25 / 22), 2);
    expect(rows[1]!.p).toBeCloseTo(p(1 / 22), 2);
    const user = await project.users();
    expect(user.get("ticket_marie_martin")).toBe(user.get("marie_martin"));
    expect(user.get("ticket_camille")).not.toBe(user.get("camille"));
  }, 120_000);

  it("do not join a person holding a record of their one-record-per-person source", async () => {
    // Every record here is of one source: declared to hold one record per person, Octave's
    // ticket would be his second record there, so it stays apart.
    const project = await resolved("rcu-name-only-one-record-", undefined, "one_record_per_person: true");
    const user = await project.users();
    expect(user.get("ticket_octave")).not.toBe(user.get("octave"));
    const joined = await duck<{ n: number }>(project.warehouse, "SELECT COUNT(*) AS n FROM rcu_identity.person_clusters WHERE name_only_probability IS NOT NULL");
    expect(joined).toEqual([{ n: 0 }]);
  }, 120_000);

  it("do not join a person whose records connect through their record of a one-record source", async () => {
    // Gaspard's two CRM contacts share nothing but his name; his newsletter subscription carries
    // the email of one and the phone of the other, and links them. A second subscription carrying
    // only his name cannot join him: the split of a component holding two subscriptions would
    // group his contacts by their links to each other, and cut him in two.
    const fields = "first_name: first_name, last_name: last_name, email: email, phone: phone";
    const { warehouse } = await crmAndSubscribers(
      await tempDir("rcu-name-only-two-sources-"),
      {
        lines: [
          "id,title,first_name,last_name,email,birth_date,phone",
          ...PEOPLE.slice(1).filter((l) => !l.startsWith("ticket_")).map((l) => `${l},`),
          "gaspard_mail,,Gaspard,Tessier,g.tessier@free.fr,,",
          "gaspard_phone,,Gaspard,Tessier,,,06 47 83 15 29",
        ],
        fields: `${fields}, title: title, birth_date: birth_date`,
      },
      {
        lines: [
          "id,first_name,last_name,email,phone",
          "sub_gaspard,Gaspard,Tessier,g.tessier@free.fr,06 47 83 15 29",
          "sub_name_only,Gaspard,Tessier,,",
          "sub_octave,Octave,Vasseur,,", // the control: a name-only subscription that may join
        ],
        fields,
        oneRecord: true,
      },
    );
    const rows = await duck<{ record_key: string; user_id: string }>(warehouse, "SELECT record_key, user_id FROM rcu_identity.identity_map");
    const user = new Map(rows.map((r) => [r.record_key, r.user_id]));
    expect(user.get("crm:gaspard_phone")).toBe(user.get("crm:gaspard_mail"));
    expect(user.get("subscribers:sub_gaspard")).toBe(user.get("crm:gaspard_mail"));
    expect(user.get("subscribers:sub_name_only")).not.toBe(user.get("crm:gaspard_mail"));
    expect(user.get("subscribers:sub_octave")).toBe(user.get("crm:octave"));
  }, 120_000);

  it("stay apart when the bearer's component is split, and keep no probability", async () => {
    // A father and his son, one name, one mailbox: the undated record links both, their birth
    // dates conflict, so the component is split. Which part bears the name is not known.
    const project = await resolved("rcu-name-only-split-", undefined, undefined, [
      "gaspard_1950,,Gaspard,Tessier,tessier.g@free.fr,1950-02-02",
      "gaspard_1985,,Gaspard,Tessier,tessier.g@free.fr,1985-06-06",
      "gaspard_web,,Gaspard,Tessier,tessier.g@free.fr,",
      "ticket_gaspard,,Gaspard,Tessier,,",
    ]);
    const user = await project.users();
    expect(user.get("gaspard_1950")).not.toBe(user.get("gaspard_1985"));
    for (const other of ["gaspard_1950", "gaspard_1985", "gaspard_web"]) expect(user.get("ticket_gaspard")).not.toBe(user.get(other));
    const rows = await duck<{ p: number | null; split: boolean | null }>(
      project.warehouse,
      "SELECT name_only_probability AS p, cluster_id <> component_id AS split FROM rcu_identity.person_clusters WHERE node = 'people:ticket_gaspard'",
    );
    expect(rows).toEqual([{ p: null, split: true }]);
    expect(user.get("ticket_octave")).toBe(user.get("octave"));
  }, 120_000);

  it("stay apart with join_name_only: false", async () => {
    const project = await resolved("rcu-name-only-off-", "matching: { join_name_only: false }");
    const user = await project.users();
    expect(user.get("ticket_octave")).not.toBe(user.get("octave"));
    expect(new Set(user.values()).size).toBe(PEOPLE.length - 1);
  }, 120_000);
});
