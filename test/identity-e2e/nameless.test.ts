/**
 * Records without a first name (an email-only sign-up) join a person only when every named record
 * they match is that one person: a household's shared email must not glue a sign-up to whichever
 * member scores best (definitions/identity/03_clusters.js).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT, tempDir } from "../helpers.js";
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
});
