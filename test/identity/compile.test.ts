/**
 * The normalisation helpers inside a Dataform project: a SQLX definition using them compiles with
 * rcu's compiler (sandbox without Node built-ins; includes require each other by relative path),
 * runs on DuckDB, and compiles with the official Dataform CLI (vm2 sandbox) too.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileProject } from "../../engine/compile/compile.js";
import { duckdbDialect } from "../../engine/warehouses/duckdb/dialect.js";
import { ROOT, tempDir } from "../helpers.js";
import { Duck } from "./harness.js";

const run = promisify(execFile);
const INCLUDES = ["portable.js", "similarity.js", "sql_text.js", "email.js", "phone.js", "person_name.js", "address.js", "dates.js"];

const DEFINITION = `config { type: "view", schema: "stg", description: "People, normalised for matching." }
SELECT
  id,
  \${email.matchKey("email")} AS email_key,
  \${phone.e164("phone")} AS phone_e164,
  \${phone.e164("phone", "country")} AS phone_by_country,
  \${phone.invalidReason("phone", "country")} AS phone_reason,
  \${person_name.display("first_name")} AS first_name,
  \${person_name.canonicalFirstName("first_name")} AS first_canon,
  \${person_name.phonetic("last_name")} AS last_phon,
  \${address.line("street")} AS street_key,
  \${address.postcode("zip", "country")} AS zip,
  \${address.city("city")} AS city_key,
  CAST(\${dates.parseBirthDate("birth")} AS VARCHAR) AS birth_date,
  \${dates.invalidReason("birth")} AS birth_reason
FROM \${ref("raw_people")}
`;

let dir: string;
const duck = new Duck();

beforeAll(async () => {
  dir = await tempDir("rcu-normalise-");
  await mkdir(path.join(dir, "includes"));
  await mkdir(path.join(dir, "definitions"));
  for (const f of INCLUDES) await cp(path.join(ROOT, "includes", f), path.join(dir, "includes", f));
  await writeFile(
    path.join(dir, "workflow_settings.yaml"),
    "defaultProject: rcu\ndefaultDataset: rcu\ndefaultAssertionDataset: rcu_assertions\nvars:\n  default_country: FR\n",
  );
  await writeFile(path.join(dir, "definitions", "raw_people.sqlx"), 'config { type: "declaration", schema: "raw", name: "raw_people" }\n');
  await writeFile(path.join(dir, "definitions", "stg_people.sqlx"), DEFINITION);
  await duck.open();
});
afterAll(() => duck.close());

describe("normalisation helpers in a Dataform project", () => {
  it("compile with rcu and run on DuckDB", async () => {
    const g = await compileProject({ projectDir: dir, renderSpec: duckdbDialect.renderSpec, engine: "duckdb" });
    expect(g.errors).toEqual([]);
    const view = g.actions.find((a) => a.id === "stg.stg_people");
    if (!view || view.kind !== "view") throw new Error("expected the stg_people view");
    expect(view.query).toContain('FROM "raw"."raw_people"');

    await duck.query("CREATE SCHEMA raw");
    await duck.query(`CREATE TABLE raw.raw_people AS SELECT * FROM (VALUES
      (1, ' Jean.Dupont+promo@GoogleMail.com', '06 71 23 45 89', 'FR', 'JEAN-PIERRE', 'Lefebvre', '12B, Av. du Gal de Gaulle', '7500', 'ST-ÉTIENNE CEDEX 2', '05/03/1984'),
      (2, 'test@test.com', '0470 12 34 56', 'BE', 'jp', 'Lefèvre', '12 bis avenue du général de gaulle', '1000', 'Saint Etienne', '31/02/1984')
    ) AS t(id, email, phone, country, first_name, last_name, street, zip, city, birth)`);
    const rows = await duck.query(`${view.query} ORDER BY id`);
    expect(rows).toEqual([
      {
        id: 1, email_key: "jeandupont@gmail.com", phone_e164: "+33671234589", phone_by_country: "+33671234589", phone_reason: null,
        first_name: "Jean-Pierre", first_canon: "jean pierre", last_phon: "LEFEVR", street_key: "12 bis avenue du general de gaulle",
        zip: "07500", city_key: "saint etienne", birth_date: "1984-03-05", birth_reason: null,
      },
      {
        id: 2, email_key: null, phone_e164: "+33470123456", phone_by_country: "+32470123456", phone_reason: null,
        first_name: "Jp", first_canon: "jean pierre", last_phon: "LEFEVR", street_key: "12 bis avenue du general de gaulle",
        zip: "1000", city_key: "saint etienne", birth_date: null, birth_reason: "impossible date",
      },
    ]);
  });

  it("compile with the official Dataform CLI", async () => {
    // The CLI wants @dataform/core installed in the project: copy the pinned one (no network).
    await mkdir(path.join(dir, "node_modules", "@dataform"), { recursive: true });
    await cp(path.join(ROOT, "node_modules", "@dataform", "core"), path.join(dir, "node_modules", "@dataform", "core"), { recursive: true });
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "normalise-test", private: true, dependencies: { "@dataform/core": "3.0.62" } }));
    const { stdout } = await run(process.execPath, [path.join(ROOT, "node_modules", "@dataform", "cli", "bundle.js"), "compile", dir, "--json"], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1" },
    });
    const official = JSON.parse(stdout) as { tables?: Array<{ target: { name: string }; query: string }>; graphErrors?: { compilationErrors?: unknown[] } };
    expect(official.graphErrors?.compilationErrors ?? []).toEqual([]);
    const view = official.tables?.find((t) => t.target.name === "stg_people");
    expect(view?.query).toContain("regexp_replace(");
  }, 60_000);
});
