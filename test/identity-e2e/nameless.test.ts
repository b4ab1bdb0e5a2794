/**
 * Records without a first name (an email-only sign-up) join a person only when every named record
 * they match is that one person: a household's shared email must not glue a sign-up to whichever
 * member scores best (definitions/identity/03_clusters.js). An address named as a family's mailbox
 * ("famille.moreau@…", identity.matching.household_mailboxes) does not attach a nameless record
 * even to the one member known to use it: the other member may be the one who signed up.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

describe("nameless records", () => {
  it("attach to the one person they match, and stay alone when they match several", async () => {
    const dir = await tempDir("rcu-nameless-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email"]);
    const config = project.config;
    await project.write([
      "id,first_name,last_name,email",
      "marie,Marie,Renard,famille.renard@free.fr", // a household sharing one mailbox:
      "paul,Paul,Renard,famille.renard@free.fr", //   two people (first names conflict)
      "signup_household,,,famille.renard@free.fr", // could be either of them
      "jeanne,Jeanne,Moreau,jeanne.moreau@orange.fr",
      "signup_jeanne,,,jeanne.moreau@orange.fr", // only Jeanne holds this email
    ]);
    const r = await cli(["run", "--config", config, "--select", "tag:identity"], ROOT);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const user = await project.users();
    expect(user.get("signup_jeanne")).toBe(user.get("jeanne"));
    expect(user.get("marie")).not.toBe(user.get("paul"));
    expect(user.get("signup_household")).not.toBe(user.get("marie"));
    expect(user.get("signup_household")).not.toBe(user.get("paul"));
    expect(new Set(user.values()).size).toBe(4);

    // The evidence ceiling sees what the matcher left: the household sign-up shares Marie's email.
    const truth = path.join(dir, "truth.csv");
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
    const dir = await tempDir("rcu-household-mailbox-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email"]);
    await project.write(lines);
    const r = await cli(["run", "--config", project.config, "--select", "tag:identity"], ROOT);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
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
    const off = await peopleProject(await tempDir("rcu-household-mailbox-off-"), ["first_name", "last_name", "email"], {
      identity: "matching: { household_mailboxes: [] }",
    });
    await off.write(lines);
    const r2 = await cli(["run", "--config", off.config, "--select", "tag:identity"], ROOT);
    expect(r2.code).toBe(0);
    const userOff = await off.users();
    expect(userOff.get("signup_moreau")).toBe(userOff.get("pierre"));
    expect(userOff.get("signup_blanc")).toBe(userOff.get("claire"));
  }, 180_000);
});
