/**
 * An erased person's email stays suppressed when the match-key rules change. `rcu forget` lists
 * both the normalised email and its key; person_records drops a record whose key or normalised
 * email is listed. Before session 19 a +tag was kept in the key at most providers, so an erasure
 * of `jean.dupont+promo@orange.fr` then listed that address alone; the key is now
 * `jean.dupont@orange.fr`, and a record checked on its key only would come back.
 */
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";
import { peopleProject } from "../identity-e2e/people-project.js";

describe("suppressed emails", () => {
  it("keep a record out by its normalised email when its key is not listed", async () => {
    const project = await peopleProject(await tempDir("rcu-suppressed-email-"), ["first_name", "last_name", "email"]);
    const w = project.warehouse;
    await project.write(["id,first_name,last_name,email", "a,Jean,Dupont,Jean.Dupont+promo@Orange.fr", "b,Marie,Curie,marie.curie@orange.fr"]);
    await project.resolve();
    const forget = await cli(["forget", "--email", "jean.dupont+promo@orange.fr", "--json", "--config", project.config], ROOT);
    expect(forget.code, forget.stderr).toBe(0);

    // The erasure as the previous key rules recorded it: the key's hash removed from the list,
    // the normalised email's kept.
    const hash = (v: string) => `sha256((SELECT salt FROM rcu_meta.privacy_salt) || ':email:' || '${v}')`;
    const listed = async (v: string) => (await duck<{ n: number }>(w, `SELECT COUNT(*) AS n FROM rcu_meta.suppressions WHERE kind = 'email' AND value_hash = ${hash(v)}`))[0]!.n;
    expect(await listed("jean.dupont+promo@orange.fr")).toBe(1);
    expect(await listed("jean.dupont@orange.fr")).toBe(1);
    await duck(w, `DELETE FROM rcu_meta.suppressions WHERE kind = 'email' AND value_hash = ${hash("jean.dupont@orange.fr")}`);

    // The same address arrives again under another record id, loaded straight into the raw table
    // (a load rcu's connectors, which drop suppressed rows as they land, did not make).
    await duck(w, "INSERT INTO raw.people_rows SELECT * REPLACE ('a2' AS id, 'Jean' AS first_name, 'Dupont' AS last_name, 'jean.dupont+promo@orange.fr' AS email) FROM raw.people_rows WHERE id = 'b'");
    const run = await cli(["run", "--skip-extract", "--select", "tag:identity", "--config", project.config], ROOT);
    expect(run.code, run.stdout).toBe(0);
    const keys = await duck<{ record_key: string }>(w, "SELECT record_key FROM rcu_identity.person_records ORDER BY record_key");
    expect(keys.map((k) => k.record_key)).toEqual(["people:b"]);
  }, 120_000);
});
