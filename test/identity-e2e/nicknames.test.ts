/**
 * A nickname and the name it shortens are one first name (includes/nicknames.js): "Bob Martin" on
 * a loyalty card and "Robert Martin" in the CRM, sharing a phone, are linked like any two records
 * whose first names agree. Without the nickname level, Bob / Robert read as two different names,
 * a conflict that vetoes the pair: the first assertions fail when the level is removed. On every
 * engine of test/e2e/engines.ts: the level is a LIKE on concatenated text, read alike everywhere.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, tempDir } from "../helpers.js";
import { e2eEngines, type E2eEngine, type EngineTarget } from "../e2e/engines.js";

describe.each(e2eEngines())("first-name nicknames on $name", (engine: E2eEngine) => {
  let dir: string;
  let wh: EngineTarget;
  beforeAll(async () => {
    dir = await tempDir(`rcu-nicknames-${engine.name}-`);
    wh = await engine.setup(dir);
  });
  afterAll(async () => wh?.close());

  it("link a nickname to its formal name, and only to its own", async () => {
    const csv = path.join(dir, "people.csv");
    const config = path.join(dir, "rcu.yaml");
    await writeFile(config, `profiles:
  t:
${wh.profile}
default_profile: t
sources:
  people: { type: files, format: csv, write_disposition: replace, streams: { rows: { path: ${JSON.stringify(csv)} } } }
identity:
  person_sources:
    people: { relation: raw.people_rows, record_id: id, first_name: first_name, last_name: last_name, phone: phone }
`);
    const lines = [
      "id,first_name,last_name,phone",
      "robert,Robert,Martin,06 11 22 33 44",
      "bob,Bob,Martin,06 11 22 33 44", // Robert's nickname
      "rob,Rob,Martin,+33611223344", // another nickname of Robert
      "samantha,Samantha,Girard,06 55 44 33 22",
      "sam,Sam,Girard,0655443322", // Sam: Samuel or Samantha
      "sandra,Sandra,Girard,06 55 44 33 22", // not a name Sam shortens: her sister
      "frederic,Frédéric,Petit,07 12 13 14 15",
      "fred,FRED,PETIT,07 12 13 14 15", // case and accents as for any first name
    ];
    await writeFile(csv, lines.join("\n") + "\n");
    const r = await cli(["run", "--config", config, "--select", "tag:identity"], ROOT, wh.env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const map = await wh.sql("SELECT record_key, user_id FROM rcu_identity.identity_map");
    const user = new Map(map.map((m) => [String(m.record_key).replace("people:", ""), String(m.user_id)]));
    expect(user.get("bob")).toBe(user.get("robert"));
    expect(user.get("rob")).toBe(user.get("robert"));
    expect(user.get("sam")).toBe(user.get("samantha"));
    expect(user.get("fred")).toBe(user.get("frederic"));
    expect(user.get("sandra")).not.toBe(user.get("samantha"));
    expect(new Set(user.values()).size).toBe(4);

    const decisions = await wh.sql(
      `SELECT replace(id_l, 'people:', '') || '/' || replace(id_r, 'people:', '') AS pair, decision FROM rcu_identity.pair_scores
        WHERE id_l IN ('people:bob', 'people:rob', 'people:sam') OR id_r = 'people:sandra' ORDER BY pair`,
    );
    expect(decisions).toEqual([
      { pair: "bob/rob", decision: "deterministic: phone" }, // two nicknames of one name
      { pair: "bob/robert", decision: "deterministic: phone" },
      { pair: "rob/robert", decision: "deterministic: phone" },
      { pair: "sam/samantha", decision: "deterministic: phone" },
      { pair: "sam/sandra", decision: "vetoed: first names conflict" },
      { pair: "samantha/sandra", decision: "vetoed: first names conflict" },
    ]);
    const formal = await wh.sql(
      "SELECT record_id, first_formal FROM rcu_identity.person_records WHERE record_id IN ('bob', 'sam', 'fred', 'frederic') ORDER BY record_id",
    );
    expect(formal).toEqual([
      { record_id: "bob", first_formal: "|robert|" },
      { record_id: "fred", first_formal: "|frederic|frederique|" },
      { record_id: "frederic", first_formal: null },
      { record_id: "sam", first_formal: "|samuel|samantha|" },
    ]);
  }, 300_000);
});
