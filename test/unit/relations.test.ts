/** includes/relations.js: identifiers as each engine stores them (Snowflake folds lower case to upper). */
import { describe, expect, it } from "vitest";
import { dialects } from "../../engine/warehouses/registry.js";
import { loadInclude } from "../helpers.js";

type Relations = { ident(id: string): string; qualify(r: unknown): string; beside(r: unknown, s: string): string; literal(s: string): string };

describe("includes/relations.js", () => {
  it("quotes as written on DuckDB", () => {
    const r = loadInclude<Relations>("relations.js", { rcu_engine: "duckdb" });
    expect(r.ident("id_contact")).toBe(`"id_contact"`);
    expect(r.beside({ schema: "rcu_identity", name: "params" }, "__em_prior")).toBe(`"rcu_identity"."params__em_prior"`);
    expect(r.literal(`a\\b'c`)).toBe(`'a\\b''c'`);
  });

  it("folds like the Snowflake dialect on Snowflake, including names built beside a relation", () => {
    const r = loadInclude<Relations>("relations.js", { rcu_engine: "snowflake" });
    for (const id of ["id_contact", "Users", "my table", "a\"b", "x$1", "_rcu_hash"]) expect(r.ident(id)).toBe(dialects.snowflake.quoteIdentifier(id));
    expect(r.qualify({ schema: "rcu_core", name: "users" })).toBe(dialects.snowflake.qualify({ schema: "rcu_core", name: "users" }));
    expect(r.beside({ schema: "rcu_identity", name: "params" }, "__em_prior")).toBe(`"RCU_IDENTITY"."PARAMS__EM_PRIOR"`);
    // ctx.self() is rendered already folded by Dataform's RenderSpec.
    expect(r.beside(`"RCU_IDENTITY"."PERSON_CLUSTERS"`, "__cc_edges")).toBe(`"RCU_IDENTITY"."PERSON_CLUSTERS__CC_EDGES"`);
    expect(r.beside(`"S"."Mixed"`, "__x")).toBe(`"S"."Mixed__x"`);
    // Backslashes are escapes in Snowflake string literals.
    expect(r.literal(`a\\b'c`)).toBe(`'a\\\\b''c'`);
    expect(r.literal(`a\\b'c`)).toBe(dialects.snowflake.stringLiteral(`a\\b'c`));
  });
});
