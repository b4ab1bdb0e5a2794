/**
 * rcu_marts.identity_quality counts the users whose records disagree on a birth date or a national
 * id: the users a data steward reads first, since each is a typo or two people merged.
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

describe("identity_quality: users whose records disagree", () => {
  it("counts users holding two birth dates or two national ids, and no others", async () => {
    const dir = await tempDir("rcu-quality-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email", "phone", "birth_date", "national_id"]);
    await project.write([
      "id,first_name,last_name,email,phone,birth_date,national_id",
      // One woman, her birth date mistyped on one record: one user, two birth dates.
      "anne1,Anne,Morel,anne.morel@orange.fr,,1980-03-14,",
      "anne2,Anne,Morel,anne.morel@orange.fr,07 11 22 33 44,1980-03-19,",
      // One man, his national id mistyped on one record: one user, two national ids.
      "paul1,Paul,Girard,paul.girard@free.fr,,1975-06-02,1750675123456",
      "paul2,Paul,Girard,paul.girard@free.fr,06 47 83 15 29,1975-06-02,1750675123465",
      // Agreeing records, and an undated one: nothing to count.
      "lea1,Léa,Roux,lea.roux@gmail.com,,1992-01-30,2920175001002",
      "lea2,Léa,Roux,lea.roux@gmail.com,06 58 21 94 37,,2920175001002",
      "lea3,Léa,Roux,,06 58 21 94 37,1992-01-30,",
    ]);
    const run = await cli(["run", "--config", project.config, "--select", "+identity_quality"], ROOT);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    const user = await project.users();
    expect(user.get("anne2")).toBe(user.get("anne1"));
    expect(user.get("paul2")).toBe(user.get("paul1"));
    expect(new Set(["lea1", "lea2", "lea3"].map((id) => user.get(id))).size).toBe(1);

    const metrics = await duck<{ metric: string; value: number }>(project.warehouse, "SELECT metric, value FROM rcu_marts.identity_quality WHERE metric LIKE 'users.%' ORDER BY metric");
    const value = (m: string) => metrics.find((r) => r.metric === m)?.value;
    expect(value("users.count")).toBe(3);
    expect(value("users.several_birth_dates")).toBe(1);
    expect(value("users.several_national_ids")).toBe(1);
  }, 120_000);
});
