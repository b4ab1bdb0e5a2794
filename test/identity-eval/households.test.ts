/**
 * bench/households.ts: users holding several true people, and of those, both members of one of
 * the generator's households — recomputed from the seed, since the truth file names people only.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { falseMerges } from "../../bench/households.js";
import { entityId, person } from "../../sample/person.js";
import { tempDir } from "../helpers.js";

const SEED = 42;

describe("falseMerges", () => {
  it("counts users holding several people, and those holding both members of a household", async () => {
    // A household living together (consecutive indexes 2k, 2k+1), and two people of different pairs.
    let k = 0;
    while (person(SEED, 2 * k).household === null) k++;
    const [a, b] = [2 * k, 2 * k + 1];
    let c = 0;
    while (person(SEED, 2 * c).household !== null || c === k) c++;
    // Pairs beyond both: never the household's.
    const far = Math.max(k, c) + 1;
    const [x, y, one] = [2 * c, 2 * far + 1, 2 * (far + 1)];
    expect(person(SEED, b).household).toBe(person(SEED, a).household);
    expect(person(SEED, x).household).toBeNull();

    const records: Array<[string, number, string]> = [
      ["r1", a, "u_household"], ["r2", b, "u_household"], // the household, merged
      ["r3", x, "u_strangers"], ["r4", y, "u_strangers"], // two people of different pairs, merged
      ["r5", one, "u_one"], ["r6", one, "u_one"], // one person, two records
      ["r7", b, "u_alone"], // the household's second member has another user too
    ];
    const dir = await tempDir("rcu-households-");
    const truth = path.join(dir, "truth.csv");
    await writeFile(truth, ["source,record_id,entity_id", ...records.map(([id, i]) => `crm,${id},${entityId(i)}`)].join("\n") + "\n");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run("CREATE SCHEMA rcu_identity");
    await conn.run(`CREATE TABLE rcu_identity.person_records AS SELECT * FROM (VALUES ${records.map(([id]) => `('crm:${id}', 'crm', '${id}')`).join(", ")}) AS t(record_key, source, record_id)`);
    await conn.run(`CREATE TABLE rcu_identity.identity_map AS SELECT * FROM (VALUES ${records.map(([id, , u]) => `('crm:${id}', '${u}')`).join(", ")}) AS t(record_key, user_id)`);

    expect(await falseMerges(conn, truth, SEED)).toEqual({ usersHoldingSeveralPeople: 2, householdMerges: 1 });
    conn.closeSync();
    db.closeSync();
  });
});
