/**
 * Records without a first name (an email-only sign-up) join a person only when every named record
 * they match is that one person: a household's shared email must not glue a sign-up to whichever
 * member scores best (definitions/identity/03_clusters.js).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";

describe("nameless records", () => {
  it("attach to the one person they match, and stay alone when they match several", async () => {
    const dir = await tempDir("rcu-nameless-");
    const config = path.join(dir, "rcu.yaml");
    await writeFile(config, `profiles:
  t: { engine: duckdb, path: ${JSON.stringify(path.join(dir, "w.duckdb"))} }
default_profile: t
sources:
  people:
    type: files
    format: csv
    streams:
      rows: { path: ${JSON.stringify(path.join(dir, "people.csv"))} }
identity:
  person_sources:
    people: { relation: raw.people_rows, record_id: id, first_name: first_name, last_name: last_name, email: email }
`);
    await writeFile(path.join(dir, "people.csv"), [
      "id,first_name,last_name,email",
      "marie,Marie,Renard,famille.renard@free.fr", // a household sharing one mailbox:
      "paul,Paul,Renard,famille.renard@free.fr", //   two people (first names conflict)
      "signup_household,,,famille.renard@free.fr", // could be either of them
      "jeanne,Jeanne,Moreau,jeanne.moreau@orange.fr",
      "signup_jeanne,,,jeanne.moreau@orange.fr", // only Jeanne holds this email
    ].join("\n") + "\n");
    const r = await cli(["run", "--config", config, "--select", "tag:identity"], ROOT);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = await duck<{ record_key: string; user_id: string }>(path.join(dir, "w.duckdb"), "SELECT record_key, user_id FROM rcu_identity.identity_map");
    const user = new Map(rows.map((x) => [x.record_key.replace("people:", ""), x.user_id]));
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
