/**
 * A data steward's pins (rcu identity pin / unpin / pins; identity/pins.ts,
 * definitions/identity/03_clusters.js): records pinned to two labels end in two users even when
 * every link joins them, the records nobody pinned joining the side they are most strongly linked
 * to; records pinned to one label end in one user even with no link between them; unpinned, the
 * links decide again.
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject, twoRecordsEach } from "./people-project.js";

describe("a steward's pins", () => {
  it("split a father and son the links merge, merge one woman's two users, and let go when unpinned", async () => {
    const dir = await tempDir("rcu-pins-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email", "phone", "birth_date", "address_line", "postcode"]);
    const { config, warehouse } = project;
    await project.write([
      "id,first_name,last_name,email,phone,birth_date,address_line,postcode",
      // Father and son, one name, one family mailbox, one address: every pair is linked by the
      // email, the father's records on the home's landline and dated, the son's on his mobile.
      "father1,Stéphane,Petit,petit808@gmail.com,02 94 36 03 09,1953-09-01,77 rue Denfert-Rochereau,29200",
      "father2,Stéphane,Petit,petit808@gmail.com,02 94 36 03 09,1953-09-01,77 rue Denfert-Rochereau,29200",
      "son1,Stéphane,Petit,petit808@gmail.com,06 67 44 51 91,,77 rue Denfert-Rochereau,29200",
      "son2,Stephane,Petit,petit808@gmail.com,06 67 44 51 91,,,",
      // A newsletter sign-up nobody pinned: it shares the son's mobile too, so it follows him.
      "signup,Stéphane,Petit,petit808@gmail.com,06 67 44 51 91,,,",
      // One woman who moved and changed address, email and phone: nothing links her two records.
      "claire1,Claire,Rousseau,claire.rousseau@orange.fr,06 11 22 33 44,,3 rue des Lilas,75011",
      "claire2,Claire,Rousseau,c.rousseau77@free.fr,07 55 66 77 88,,18 quai Perrache,69002",
      ...twoRecordsEach(30, (i, first, last) => `${first},${last},${first.toLowerCase()}.${last.toLowerCase()}${i}@mail.fr,06 00 00 ${String(10 + i)} 00,1980-01-${String(1 + (i % 28)).padStart(2, "0")},${i} rue Haute,750${String(10 + (i % 10))}`),
    ]);
    await project.resolve();
    const before = await project.users();
    // What the steward corrects: the links merge father and son, and nothing links Claire's records.
    expect(before.get("son1")).toBe(before.get("father1"));
    expect(before.get("claire2")).not.toBe(before.get("claire1"));

    const pin = (...args: string[]) => cli(["identity", "pin", ...args, "--config", config], ROOT);
    expect((await pin("petit-father", "people:father1", "people:father2", "--reason", "born 1953, the home's landline")).code).toBe(0);
    const son = await pin("petit-son", "people:son1", "people:son2", "--reason", "his mobile, undated");
    expect(son.code).toBe(0);
    expect(son.stdout).toMatch(/pinned 2 record\(s\) to petit-son/);
    expect(son.stdout).toMatch(/rcu run --select tag:identity/);
    expect((await pin("claire-rousseau", "people:claire1", "people:claire2", "--reason", "moved from Paris to Lyon (ticket 4411)")).code).toBe(0);
    const pending = JSON.parse((await cli(["identity", "pins", "--json", "--config", config], ROOT)).stdout) as Array<{ person: string; status: string; records: Array<{ record_key: string; reason: string }> }>;
    expect(pending.map((p) => [p.person, p.status, p.records.length])).toEqual([
      ["claire-rousseau", "pending", 2],
      ["petit-father", "pending", 2],
      ["petit-son", "pending", 2],
    ]);
    expect(pending[1]!.records[0]!.reason).toBe("born 1953, the home's landline");
    const listed = await cli(["identity", "pins", "--config", config], ROOT);
    expect(listed.stdout).toMatch(/^petit-son {2}pending \(rcu run --select tag:identity\)$/m);
    expect(listed.stdout).toMatch(/^ {2}people:son1 {2}u_\w+ {2}\S+ {2}his mobile, undated$/m);
    // Pinned again, a record moves, and the command says from where.
    const moved = await pin("petit-son", "people:son2", "people:father2", "--reason", "a mistake, undone below");
    expect(moved.stdout).toMatch(/people:father2 was pinned to petit-father/);
    expect((await pin("petit-father", "people:father2", "--reason", "born 1953, the home's landline")).code).toBe(0);

    await project.resolve();
    const after = await project.users();
    expect(after.get("father2")).toBe(after.get("father1"));
    expect(after.get("son2")).toBe(after.get("son1"));
    expect(after.get("son1")).not.toBe(after.get("father1"));
    expect(after.get("signup")).toBe(after.get("son1"));
    expect(after.get("claire2")).toBe(after.get("claire1"));
    // Stable ids: the father's side (two pinned records and the id's own oldest) or the son's keeps
    // the merged user's id, the other gets a new one; of Claire's two ids one survives, and the
    // other is recorded as merged into it.
    expect([after.get("father1"), after.get("son1")]).toContain(before.get("father1"));
    expect([before.get("claire1"), before.get("claire2")]).toContain(after.get("claire1"));
    const merges = await duck<{ merged_user_id: string; into_user_id: string }>(warehouse, "SELECT merged_user_id, into_user_id FROM rcu_identity.user_merges");
    expect(merges).toContainEqual({
      merged_user_id: after.get("claire1") === before.get("claire1") ? before.get("claire2") : before.get("claire1"),
      into_user_id: after.get("claire1"),
    });
    // Everyone else is as before.
    for (const [id, user] of before) if (/^p\d+[ab]$/.test(id)) expect(after.get(id), id).toBe(user);
    const applied = JSON.parse((await cli(["identity", "pins", "--json", "--config", config], ROOT)).stdout) as Array<{ status: string }>;
    expect(applied.map((p) => p.status)).toEqual(["applied", "applied", "applied"]);
    // The quality mart counts them, for a scheduled build to watch.
    expect((await cli(["run", "--config", config, "--select", "+identity_quality"], ROOT)).code).toBe(0);
    expect(await duck(warehouse, "SELECT value FROM rcu_marts.identity_quality WHERE metric = 'records.pinned'")).toEqual([{ value: 6 }]);

    // explain says why the linked records are apart, and why the unlinked ones are together.
    const ex = await cli(["identity", "explain", "people:father1", "--config", config], ROOT);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/pinned to petit-father by a steward: born 1953, the home's landline/);
    expect(ex.stdout).toMatch(/people:son1 is another person: pinned to petit-son/);
    const claire = await cli(["identity", "explain", "people:claire2", "--config", config], ROOT);
    expect(claire.stdout).toMatch(/2 record\(s\)/);
    expect(claire.stdout).toMatch(/0 linking edge\(s\)/);
    expect(claire.stdout).toMatch(/pinned to claire-rousseau by a steward: moved from Paris to Lyon/);

    // Pins persist across a full refresh of the model; unpinned, the links decide again.
    const full = await cli(["run", "--config", config, "--select", "tag:identity", "--full-refresh"], ROOT);
    expect(full.code).toBe(0);
    expect((await project.users()).get("son1")).not.toBe((await project.users()).get("father1"));
    const unpin = await cli(["identity", "unpin", "people:son1", "people:son2", "--config", config], ROOT);
    expect(unpin.stdout).toMatch(/removed 2 pin\(s\)/);
    const unpinLabel = await cli(["identity", "unpin", "--person", "petit-father", "--config", config], ROOT);
    expect(unpinLabel.stdout).toMatch(/removed 2 pin\(s\)/);
    expect((await cli(["identity", "unpin", "--config", config], ROOT)).stderr).toMatch(/needs records \(source:record_id \.\.\.\) or --person <label>/);
    await project.resolve();
    const again = await project.users();
    expect(again.get("son1")).toBe(again.get("father1"));
    expect(again.get("claire2")).toBe(again.get("claire1"));

    // Erased, a person's pins go with the rest of their identity rows.
    expect(await duck(warehouse, "SELECT DISTINCT person FROM rcu_identity.identity_pins")).toEqual([{ person: "claire-rousseau" }]);
    const gone = await cli(["forget", "--source-record", "people:claire1", "--json", "--config", config], ROOT);
    expect(gone.code).toBe(0);
    const left = await duck<{ person: string }>(warehouse, "SELECT DISTINCT person FROM rcu_identity.identity_pins ORDER BY 1");
    expect(left).toEqual([]);
  }, 180_000);

  it("refuse an unknown record, a record not written source:record_id, a bad label and a missing reason, pinning nothing", async () => {
    const dir = await tempDir("rcu-pins-errors-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email"]);
    await project.write(["id,first_name,last_name,email", "a,Anne,Morel,anne.morel@orange.fr", "b,Anne,Morel,anne.morel@orange.fr"]);
    await project.resolve();
    const pin = (...args: string[]) => cli(["identity", "pin", ...args, "--config", project.config], ROOT);
    const unknown = await pin("anne", "people:a", "people:zz", "--reason", "x");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no such person record: people:zz\. Nothing was pinned/);
    const bare = await pin("anne", "a", "--reason", "x");
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toMatch(/"a" is not a record; give records as source:record_id/);
    const label = await pin("Anne Morel", "people:a", "--reason", "x");
    expect(label.code).not.toBe(0);
    expect(label.stderr).toMatch(/person label "Anne Morel" is not valid/);
    const noReason = await pin("anne", "people:a");
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason/);
    // A quote in a label's reason is a value, bound as a parameter.
    expect((await pin("anne", "people:a", "--reason", "O'Brien's '); DROP TABLE x; --")).code).toBe(0);
    const pins = await duck<{ record_key: string; reason: string }>(project.warehouse, "SELECT record_key, reason FROM rcu_identity.identity_pins");
    expect(pins).toEqual([{ record_key: "people:a", reason: "O'Brien's '); DROP TABLE x; --" }]);

    // A pinned record that leaves the sources has no user; the label's other records still tell
    // whether the pin is applied.
    expect((await pin("anne", "people:b", "--reason", "same person")).code).toBe(0);
    await project.write(["id,first_name,last_name,email", "a,Anne,Morel,anne.morel@orange.fr"]);
    await project.resolve();
    const listed = JSON.parse((await cli(["identity", "pins", "--json", "--config", project.config], ROOT)).stdout) as Array<{ status: string; records: Array<{ record_key: string; user_id: string | null }> }>;
    expect(listed).toHaveLength(1);
    expect(listed[0]!.status).toBe("applied");
    expect(listed[0]!.records.map((r) => [r.record_key, r.user_id === null])).toEqual([["people:a", false], ["people:b", true]]);
  }, 120_000);
});
