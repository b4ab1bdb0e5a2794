/**
 * person_records.last_is_given: a last-name field holding a word seen at least ten times more
 * often as a first name across all records (names typed the other way round), computed in the
 * warehouse over the whole estate (definitions/identity/01_person_records.js).
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

describe("name roles", () => {
  it("mark a last name that is a given name ten times more often, and not a surname that is also a given name", async () => {
    const project = await peopleProject(await tempDir("rcu-roles-"), ["first_name", "last_name"]);
    await project.write([
      "id,first_name,last_name",
      ...Array.from({ length: 10 }, (_, i) => `y${i},Yasmine,Nom${"abcdefghij"[i]}`), // Yasmine: 10 × a first name
      "swapped,Bertrand,Yasmine", // … once a last name: typed the other way round
      ...Array.from({ length: 3 }, (_, i) => `n${i},Nicolas,Dupont${"abc"[i]}`), // Nicolas: 3 × a first name
      "clement,Clément,Nicolas", // … and a surname too
    ]);
    const r = await cli(["run", "--config", project.config, "--select", "tag:identity"], ROOT);
    expect(r.code).toBe(0);
    const rows = await duck<{ record_id: string; last_is_given: boolean }>(project.warehouse, "SELECT record_id, last_is_given FROM rcu_identity.person_records WHERE record_id IN ('swapped', 'clement', 'y0')");
    expect(Object.fromEntries(rows.map((x) => [x.record_id, x.last_is_given]))).toEqual({ swapped: true, clement: false, y0: false });
  }, 120_000);
});
