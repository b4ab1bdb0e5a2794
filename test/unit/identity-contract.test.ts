/**
 * The identity layer is described twice, once for TypeScript (rcu.yaml schema, CLI queries) and
 * once for the Dataform includes (which cannot import TypeScript): they must agree.
 */
import { describe, expect, it } from "vitest";
import { BUILT_IN_KINDS, fieldSchema, GOLDEN_ATTRIBUTES, identitySchema, JSON_PATH, PERSON_FIELDS, TIMESTAMP_FORMAT } from "../../identity/config.js";
import { portableFieldSql } from "../../identity/field-forms.js";
import { dialects } from "../../engine/warehouses/registry.js";
import { IDENTITY_SCHEMA } from "../../identity/tables.js";
import { loadInclude } from "../helpers.js";

const model = loadInclude<{
  SCHEMA: string;
  FIELDS: string[];
  BUILT_IN_KINDS: Array<[string, string]>;
  SURVIVORSHIP: Record<string, string>;
  config(): { default_country: string; matching: Record<string, unknown> };
}>("identity_model.js");

describe("identity contract", () => {
  it("uses one schema and one list of person fields", () => {
    expect(model.SCHEMA).toBe(IDENTITY_SCHEMA);
    expect([...model.FIELDS].sort()).toEqual([...PERSON_FIELDS].sort());
    expect(model.BUILT_IN_KINDS.map(([kind]) => kind)).toEqual(BUILT_IN_KINDS);
    expect(Object.keys(model.SURVIVORSHIP).sort()).toEqual([...GOLDEN_ATTRIBUTES].sort());
  });
  it("has the same matching defaults as rcu.yaml's schema (the Dataform CLI compiles without rcu's config)", () => {
    expect(model.config().matching).toEqual(identitySchema.parse({}).matching);
  });
  it("refuses a household mailbox prefix that is not lower-case letters and digits", () => {
    expect(identitySchema.safeParse({ matching: { household_mailboxes: ["famille", "mretmme"] } }).success).toBe(true);
    const bad = identitySchema.safeParse({ matching: { household_mailboxes: ["Famille."] } });
    expect(bad.error?.issues[0]).toMatchObject({ path: ["matching", "household_mailboxes", 0], message: expect.stringContaining("lower-case letters and digits") });
  });
  it("refuses a survivorship rule for an attribute the golden record does not have", () => {
    expect(identitySchema.safeParse({ survivorship: { address_line: "most_recent", gender: "trust" } }).success).toBe(true);
    const typo = identitySchema.safeParse({ survivorship: { adress_line: "most_recent" } });
    expect(typo.success).toBe(false);
    expect(typo.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["adress_line"], path: ["survivorship"] });
    expect(identitySchema.safeParse({ survivorship: { city: "newest" } }).success).toBe(false);
  });
  it("takes a name in one field (full_name) instead of first_name / last_name, not beside them", () => {
    const source = { relation: "raw.tickets", record_id: "id" };
    expect(identitySchema.safeParse({ person_sources: { t: { ...source, full_name: "customer_name" } } }).success).toBe(true);
    const both = identitySchema.safeParse({ person_sources: { t: { ...source, full_name: "customer_name", last_name: "nom" } } });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]).toMatchObject({ path: ["person_sources", "t", "full_name"], message: expect.stringContaining("full_name replaces first_name and last_name") });
  });
  it("has the same defaults with and without rcu (official Dataform CLI: no var)", () => {
    const defaults = identitySchema.parse({});
    const include = model.config();
    expect(include.default_country).toBe(defaults.default_country);
    expect(include.matching).toEqual(defaults.matching);
  });
});

describe("engine-portable field forms", () => {
  type Portable = { JSON_PATH: RegExp; TIMESTAMP_FORMAT: RegExp; fieldForm(f: unknown, q: (c: string) => string): string | undefined };
  const forms = [{ json: "address", path: "line1" }, { json: "Address", path: "a.b_2" }, { timestamp: "date_maj", format: "DD/MM/YYYY HH24:MI" }];

  it("accepts the same paths and formats in rcu.yaml as the includes render", () => {
    const p = loadInclude<Portable>("portable.js");
    expect(p.JSON_PATH.source).toBe(JSON_PATH.source);
    expect(p.TIMESTAMP_FORMAT.source).toBe(TIMESTAMP_FORMAT.source);
    for (const f of forms) expect(fieldSchema.safeParse(f).success).toBe(true);
    for (const bad of [{ json: "a", path: "$.x" }, { json: "a", path: "x[0]" }, { timestamp: "a", format: "%d/%m/%Y" }, { timestamp: "a", format: "Mon DD" }, { json: "a" }]) {
      expect(fieldSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("renders the same SQL in the definitions and in rcu's own queries, on every engine", () => {
    for (const engine of ["duckdb", "snowflake"] as const) {
      const p = loadInclude<Portable>("portable.js", { rcu_engine: engine });
      const rel = loadInclude<{ ident(c: string): string }>("relations.js", { rcu_engine: engine });
      for (const f of forms) expect(portableFieldSql(dialects[engine], f), `${engine} ${JSON.stringify(f)}`).toBe(p.fieldForm(f, rel.ident));
    }
    const sf = loadInclude<Portable>("portable.js", { rcu_engine: "snowflake" });
    const rel = loadInclude<{ ident(c: string): string }>("relations.js", { rcu_engine: "snowflake" });
    expect(sf.fieldForm(forms[0], rel.ident)).toBe(`JSON_EXTRACT_PATH_TEXT("ADDRESS", 'line1')`);
    expect(sf.fieldForm(forms[2], rel.ident)).toBe(`TRY_TO_TIMESTAMP("DATE_MAJ", 'DD/MM/YYYY HH24:MI')`);
  });
});
