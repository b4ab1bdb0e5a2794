/**
 * Records without a first name (an email-only sign-up) join a person only when every named record
 * they match is that one person: a household's shared email must not glue a sign-up to whichever
 * member scores best (definitions/identity/03_clusters.js). An address named as a family's mailbox
 * ("famille.moreau@…", identity.matching.household_mailboxes) does not attach a nameless record
 * even to the one member known to use it: the other member may be the one who signed up. Nor does
 * a mailbox named by a surname alone ("fournier676@", identity.matching.surname_mailboxes) that is
 * no holder's given name.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { type PeopleProject, peopleProject } from "./people-project.js";

/** A people project of `lines` (header id,first_name,last_name,email), identity resolved. */
async function resolved(prefix: string, lines: readonly string[], identity?: string): Promise<PeopleProject> {
  const project = await peopleProject(await tempDir(prefix), ["first_name", "last_name", "email"], identity ? { identity } : {});
  await project.write(lines);
  await project.resolve();
  return project;
}

describe("nameless records", () => {
  it("attach to the one person they match, and stay alone when they match several", async () => {
    const project = await resolved("rcu-nameless-", [
      "id,first_name,last_name,email",
      "marie,Marie,Renard,renard902@free.fr", // a household sharing one mailbox:
      "paul,Paul,Renard,renard902@free.fr", //   two people (first names conflict)
      "signup_household,,,renard902@free.fr", // could be either of them
      "jeanne,Jeanne,Moreau,jeanne.moreau@orange.fr",
      "signup_jeanne,,,jeanne.moreau@orange.fr", // only Jeanne holds this email
    ]);
    const config = project.config;
    const user = await project.users();
    expect(user.get("signup_jeanne")).toBe(user.get("jeanne"));
    expect(user.get("marie")).not.toBe(user.get("paul"));
    expect(user.get("signup_household")).not.toBe(user.get("marie"));
    expect(user.get("signup_household")).not.toBe(user.get("paul"));
    expect(new Set(user.values()).size).toBe(4);

    // The evidence ceiling sees what the matcher left: the household sign-up shares Marie's email.
    const truth = path.join(path.dirname(config), "truth.csv");
    await writeFile(truth, "source,record_id,entity_id\npeople,marie,P1\npeople,signup_household,P1\npeople,paul,P2\npeople,jeanne,P3\npeople,signup_jeanne,P3\n");
    const ev = await cli(["evaluate", "--config", config, "--truth", truth, "--ceiling", "--json"], ROOT);
    expect(ev.code).toBe(0);
    const result = JSON.parse(ev.stdout) as { pairwise: { recall: number }; ceiling: { truePairs: number; levels: Array<{ evidence: string; recall: number }> } };
    expect(result.pairwise.recall).toBe(0.5);
    expect(result.ceiling.truePairs).toBe(2);
    expect(result.ceiling.levels.map((l) => [l.evidence, l.recall])).toEqual([["identifiers", 1], ["names", 1], ["attributes", 1], ["last name", 1]]);
  }, 120_000);

  it("do not attach through a family's mailbox; named records still link through it", async () => {
    const lines = [
      "id,first_name,last_name,email",
      "pierre,Pierre,Moreau,famille.moreau@free.fr", // the one member with a named record
      "pierre_eshop,Pierre,Moreau,famille.moreau@free.fr", // his e-shop account: first names agree
      "signup_moreau,,,famille.moreau@free.fr", // him, or his partner
      "claire,Claire,Blanc,Famille.Blanc+promo@gmail.com", // Gmail's key: familleblanc@gmail.com
      "signup_blanc,,,familleblanc@gmail.com",
      "signup_petit,,,famille_petit@laposte.net", // any separator

      "lucie,Lucie,Roux,lucie.roux@orange.fr", // a personal address: the sign-up attaches
      "signup_lucie,,,lucie.roux@orange.fr",
    ];
    const project = await resolved("rcu-household-mailbox-", lines);
    const user = await project.users();
    expect(user.get("pierre_eshop")).toBe(user.get("pierre"));
    expect(user.get("signup_moreau")).not.toBe(user.get("pierre"));
    expect(user.get("signup_blanc")).not.toBe(user.get("claire"));
    expect(user.get("signup_lucie")).toBe(user.get("lucie"));
    const stats = await duck<{ id_value: string; is_household: boolean }>(
      project.warehouse,
      "SELECT id_value, is_household FROM rcu_identity.identifier_stats WHERE id_type = 'email' ORDER BY id_value",
    );
    expect(stats).toEqual([
      { id_value: "famille.moreau@free.fr", is_household: true },
      { id_value: "famille_petit@laposte.net", is_household: true },
      { id_value: "familleblanc@gmail.com", is_household: true },
      { id_value: "lucie.roux@orange.fr", is_household: false },
    ]);

    // Why, as `rcu identity explain` shows it: the pair's decision names the mailbox.
    const [pair] = await duck<{ decision: string; family_mailbox: boolean }>(
      project.warehouse,
      `SELECT decision, family_mailbox FROM rcu_identity.pair_scores WHERE LEAST(id_l, id_r) = 'people:pierre' AND GREATEST(id_l, id_r) = 'people:signup_moreau'`,
    );
    expect(pair).toEqual({ decision: "below threshold: email is a family's mailbox", family_mailbox: true });

    // The control: with no household prefixes, the sign-ups attach to the one member they match.
    const off = await resolved("rcu-household-mailbox-off-", lines, "matching: { household_mailboxes: [] }");
    const userOff = await off.users();
    expect(userOff.get("signup_moreau")).toBe(userOff.get("pierre"));
    expect(userOff.get("signup_blanc")).toBe(userOff.get("claire"));
  }, 180_000);

  it("do not attach through a mailbox named by a surname alone; a given name's mailbox stays personal", async () => {
    const lines = [
      "id,first_name,last_name,email",
      "marc,Marc,Fournier,fournier676@free.fr", // the one member with a named record
      "signup_fournier,,,fournier676@free.fr", // Marc, or his partner
      "anne,Anne,Le Goff,le.goff@orange.fr", // a surname with a particle, separators in the address
      "anne_eshop,Anne,Le Goff,le.goff@orange.fr", // named records still link through it
      "signup_le_goff,,,le.goff@orange.fr",
      "marie,Marie,Dubois,marie75@gmail.com", // a given name: Marie's own mailbox
      "signup_marie,,,marie75@gmail.com",
      "louis,Louis,Marie,louis.marie@orange.fr", // Marie is a surname too: the mailbox is hers as she is named so
      "sophie,Sophie,Dubois,guillaume696@gmail.com", // her married name, Guillaume, on the family's mailbox
      "signup_guillaume,,,guillaume696@gmail.com", // Sophie, or her husband
      "guillaume,Guillaume,Roux,g.roux@free.fr", // Guillaume is more often a given name here,
      "guillaume_eshop,Guillaume,Roux,g.roux@free.fr",
      "paul,Paul,Guillaume,p.guillaume@free.fr", //   and a surname on one record in three
      "michel,Michel,Noël,noel709@orange.fr", // the Noël family's mailbox,
      "michel_ticket,Noel,Michel,noel709@orange.fr", //   his ticket typed the other way round:
      "signup_noel,,,noel709@orange.fr", //   Noël is a holder's surname, whichever field holds it
    ];
    const project = await resolved("rcu-surname-mailbox-", lines);
    const user = await project.users();
    expect(user.get("signup_fournier")).not.toBe(user.get("marc"));
    expect(user.get("anne_eshop")).toBe(user.get("anne"));
    expect(user.get("signup_le_goff")).not.toBe(user.get("anne"));
    expect(user.get("signup_marie")).toBe(user.get("marie"));
    expect(user.get("signup_guillaume")).not.toBe(user.get("sophie"));
    expect(user.get("signup_noel")).not.toBe(user.get("michel"));
    const stats = await duck<{ id_value: string; is_household: boolean }>(
      project.warehouse,
      "SELECT id_value, is_household FROM rcu_identity.identifier_stats WHERE id_type = 'email' ORDER BY id_value",
    );
    expect(stats).toEqual([
      { id_value: "fournier676@free.fr", is_household: true },
      { id_value: "g.roux@free.fr", is_household: false },
      { id_value: "guillaume696@gmail.com", is_household: true },
      { id_value: "le.goff@orange.fr", is_household: true },
      { id_value: "louis.marie@orange.fr", is_household: false },
      { id_value: "marie75@gmail.com", is_household: false },
      { id_value: "noel709@orange.fr", is_household: true },
      { id_value: "p.guillaume@free.fr", is_household: false },
    ]);
    const [pair] = await duck<{ decision: string }>(
      project.warehouse,
      `SELECT decision FROM rcu_identity.pair_scores WHERE LEAST(id_l, id_r) = 'people:marc' AND GREATEST(id_l, id_r) = 'people:signup_fournier'`,
    );
    expect(pair).toEqual({ decision: "below threshold: email is a family's mailbox" });

    // The control: with surname_mailboxes off, the sign-ups attach to the one member they match.
    const off = await resolved("rcu-surname-mailbox-off-", lines, "matching: { surname_mailboxes: false }");
    const userOff = await off.users();
    expect(userOff.get("signup_fournier")).toBe(userOff.get("marc"));
    expect(userOff.get("signup_le_goff")).toBe(userOff.get("anne"));
    expect(userOff.get("signup_guillaume")).toBe(userOff.get("sophie"));
  }, 180_000);
});
