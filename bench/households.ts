/**
 * False merges on the sample estate, read against the generator's own households: how many users
 * hold records of two or more true people, and how many of those hold both members of a household
 * (two people at one address, often sharing an email or a landline: the "households never
 * merged"). The truth file names people only; their households are recomputed from the seed
 * (sample/person.ts is a pure function of seed and index).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { person } from "../sample/person.js";

export interface FalseMerges {
  /** Users whose records belong to two or more true people. */
  readonly usersHoldingSeveralPeople: number;
  /** Of those, users holding records of both members of one household. */
  readonly householdMerges: number;
}

/** Entity ids are `P` + the 1-based person index (sample/person.ts entityId). */
const indexOf = (entityId: string): number => Number(entityId.slice(1)) - 1;

export async function falseMerges(conn: DuckDBConnection, truthCsv: string, seed: number): Promise<FalseMerges> {
  const rows = (
    await conn.runAndReadAll(
      `WITH truth AS (SELECT * FROM read_csv($truth, header = true, all_varchar = true)),
       people AS (
         SELECT DISTINCT m.user_id, t.entity_id
         FROM rcu_identity.person_records AS p
         JOIN rcu_identity.identity_map AS m ON m.record_key = p.record_key
         JOIN truth AS t ON t.source = p.source AND t.record_id = p.record_id)
       SELECT user_id, list(entity_id) AS entities FROM people GROUP BY user_id HAVING COUNT(*) > 1`,
      { truth: truthCsv },
    )
  ).getRowObjectsJS() as { user_id: string; entities: string[] }[];
  let householdMerges = 0;
  for (const r of rows) {
    const households = r.entities.map((e) => person(seed, indexOf(e)).household).filter((h): h is number => h !== null);
    if (new Set(households).size < households.length) householdMerges++;
  }
  return { usersHoldingSeveralPeople: rows.length, householdMerges };
}

/** `node dist/bench/households.js WAREHOUSE ESTATE_DATA_DIR`: the figures for an estate already resolved. */
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [warehouse, data] = process.argv.slice(2);
  if (!warehouse || !data) throw new Error("usage: node dist/bench/households.js <warehouse.duckdb> <estate data dir>");
  const { seed } = JSON.parse(await readFile(path.join(data, "manifest.json"), "utf8")) as { seed: number };
  const instance = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  console.log(JSON.stringify(await falseMerges(conn, path.join(data, "truth", "persons.csv"), seed)));
  conn.closeSync();
  instance.closeSync();
}
