/**
 * The identity layer is described twice, once for TypeScript (rcu.yaml schema, CLI queries) and
 * once for the Dataform includes (which cannot import TypeScript): they must agree.
 */
import { describe, expect, it } from "vitest";
import { identitySchema, PERSON_FIELDS } from "../../identity/config.js";
import { IDENTITY_SCHEMA } from "../../identity/tables.js";
import { loadInclude } from "../helpers.js";

const model = loadInclude<{
  SCHEMA: string;
  FIELDS: string[];
  config(): { default_country: string; matching: Record<string, number> };
}>("identity_model.js");

describe("identity contract", () => {
  it("uses one schema and one list of person fields", () => {
    expect(model.SCHEMA).toBe(IDENTITY_SCHEMA);
    expect([...model.FIELDS].sort()).toEqual([...PERSON_FIELDS].sort());
  });
  it("has the same defaults with and without rcu (official Dataform CLI: no var)", () => {
    const defaults = identitySchema.parse({});
    const include = model.config();
    expect(include.default_country).toBe(defaults.default_country);
    expect(include.matching).toEqual(defaults.matching);
  });
});
