/**
 * Every dialect's SQL for every statement kind, typed per engine: adding an engine to
 * `EngineName` makes this file fail to compile until its expected SQL is written here.
 */
import { describe, expect, it } from "vitest";
import { dialects } from "../../engine/warehouses/registry.js";
import type { EngineName } from "../../engine/warehouses/types.js";

const rel = { schema: "core", name: "users" };
const hostile = { schema: 'we"ird', name: 'x"; drop table y; --' };

interface Expected {
  quote: string;
  qualifyHostile: string;
  qualifyWithDatabase: string;
  literal: string;
  createSchema: string;
  createTableAs: string;
  createViewAs: string;
  drop: string;
  rename: string;
  insertInto: string;
  upsert: string[];
  countRows: string;
  limitRows: string;
  parameter: string;
}

const expected: Record<EngineName, Expected> = {
  duckdb: {
    quote: '"a""b"',
    qualifyHostile: '"we""ird"."x""; drop table y; --"',
    qualifyWithDatabase: '"other"."core"."users"',
    literal: "'O''Brien'",
    createSchema: 'CREATE SCHEMA IF NOT EXISTS "core"',
    createTableAs: 'CREATE OR REPLACE TABLE "core"."users" AS\nSELECT 1',
    createViewAs: 'CREATE OR REPLACE VIEW "core"."users" AS\nSELECT 1',
    drop: 'DROP VIEW IF EXISTS "core"."users"',
    rename: 'ALTER TABLE "core"."users" RENAME TO "users_old"',
    insertInto: 'INSERT INTO "core"."users" ("id", "v")\nSELECT "id", "v" FROM (\nSELECT 1\n) AS s',
    upsert: [
      'CREATE OR REPLACE TEMP TABLE "rcu_upsert__core__users" AS\nSELECT 1',
      'DELETE FROM "core"."users" WHERE ("id") IN (SELECT "id" FROM "rcu_upsert__core__users")',
      'INSERT INTO "core"."users" ("id", "v")\nSELECT "id", "v" FROM "rcu_upsert__core__users"',
      'DROP TABLE "rcu_upsert__core__users"',
    ],
    countRows: "SELECT COUNT(*) AS failing_rows FROM (\nSELECT 1\n) AS assertion_rows",
    limitRows: "SELECT * FROM (\nSELECT 1\n) AS assertion_rows LIMIT 5",
    parameter: "$3",
  },
  snowflake: {
    quote: '"a""b"',
    qualifyHostile: '"we""ird"."x""; drop table y; --"',
    qualifyWithDatabase: '"OTHER"."CORE"."USERS"',
    literal: "'O''Brien'",
    createSchema: 'CREATE SCHEMA IF NOT EXISTS "CORE"',
    createTableAs: 'CREATE OR REPLACE TABLE "CORE"."USERS" AS\nSELECT 1',
    createViewAs: 'CREATE OR REPLACE VIEW "CORE"."USERS" AS\nSELECT 1',
    drop: 'DROP VIEW IF EXISTS "CORE"."USERS"',
    rename: 'ALTER TABLE "CORE"."USERS" RENAME TO "CORE"."USERS_OLD"',
    insertInto: 'INSERT INTO "CORE"."USERS" ("ID", "V")\nSELECT "ID", "V" FROM (\nSELECT 1\n) AS s',
    upsert: [
      'MERGE INTO "CORE"."USERS" AS t\nUSING (\nSELECT 1\n) AS s\nON (t."ID" = s."ID")\nWHEN MATCHED THEN UPDATE SET "V" = s."V"\nWHEN NOT MATCHED THEN INSERT ("ID", "V") VALUES (s."ID", s."V")',
    ],
    countRows: "SELECT COUNT(*) AS failing_rows FROM (\nSELECT 1\n) AS assertion_rows",
    limitRows: "SELECT * FROM (\nSELECT 1\n) AS assertion_rows LIMIT 5",
    parameter: ":3",
  },
  postgres: {
    quote: '"a""b"',
    qualifyHostile: '"we""ird"."x""; drop table y; --"',
    // One database per connection: the database part is dropped.
    qualifyWithDatabase: '"core"."users"',
    literal: "'O''Brien'",
    createSchema: 'CREATE SCHEMA IF NOT EXISTS "core"',
    // No CREATE OR REPLACE TABLE: the planner drops first (see plan goldens).
    createTableAs: 'CREATE TABLE "core"."users" AS\nSELECT 1',
    createViewAs: 'CREATE OR REPLACE VIEW "core"."users" AS\nSELECT 1',
    drop: 'DROP VIEW IF EXISTS "core"."users" CASCADE',
    rename: 'ALTER TABLE "core"."users" RENAME TO "users_old"',
    insertInto: 'INSERT INTO "core"."users" ("id", "v")\nSELECT "id", "v" FROM (\nSELECT 1\n) AS s',
    upsert: [
      'MERGE INTO "core"."users" AS t\nUSING (\nSELECT 1\n) AS s\nON (t."id" = s."id")\nWHEN MATCHED THEN UPDATE SET "v" = s."v"\nWHEN NOT MATCHED THEN INSERT ("id", "v") VALUES (s."id", s."v")',
    ],
    countRows: "SELECT COUNT(*) AS failing_rows FROM (\nSELECT 1\n) AS assertion_rows",
    limitRows: "SELECT * FROM (\nSELECT 1\n) AS assertion_rows LIMIT 5",
    parameter: "$3",
  },
  redshift: {
    quote: '"a""b"',
    qualifyHostile: '"we""ird"."x""; drop table y; --"',
    qualifyWithDatabase: '"core"."users"',
    literal: "'O''Brien'",
    createSchema: 'CREATE SCHEMA IF NOT EXISTS "core"',
    createTableAs: 'CREATE TABLE "core"."users" AS\nSELECT 1',
    createViewAs: 'CREATE OR REPLACE VIEW "core"."users" AS\nSELECT 1',
    drop: 'DROP VIEW IF EXISTS "core"."users" CASCADE',
    rename: 'ALTER TABLE "core"."users" RENAME TO "users_old"',
    insertInto: 'INSERT INTO "core"."users" ("id", "v")\nSELECT "id", "v" FROM (\nSELECT 1\n) AS s',
    // No MERGE: DELETE the incoming keys, then INSERT (the planner wraps both in a transaction).
    upsert: [
      'CREATE TEMP TABLE "rcu_incoming__users" AS\nSELECT 1',
      'DELETE FROM "core"."users" USING "rcu_incoming__users" WHERE "users"."id" = "rcu_incoming__users"."id"',
      'INSERT INTO "core"."users" ("id", "v")\nSELECT "id", "v" FROM "rcu_incoming__users"',
      'DROP TABLE "rcu_incoming__users"',
    ],
    countRows: "SELECT COUNT(*) AS failing_rows FROM (\nSELECT 1\n) AS assertion_rows",
    limitRows: "SELECT * FROM (\nSELECT 1\n) AS assertion_rows LIMIT 5",
    parameter: ":p3",
  },
};

describe("snowflake identifier case", () => {
  const d = dialects.snowflake;
  it("upper-cases names written in lower case, keeps any other name exactly", () => {
    expect(d.quoteIdentifier("users")).toBe('"USERS"');
    expect(d.quoteIdentifier("rcu_core")).toBe('"RCU_CORE"');
    expect(d.quoteIdentifier("Users")).toBe('"Users"');
    expect(d.quoteIdentifier("USERS")).toBe('"USERS"');
    expect(d.quoteIdentifier("my table")).toBe('"my table"');
    expect(d.quoteIdentifier("é")).toBe('"é"');
  });
  it("doubles backslashes in literals (Snowflake reads them as escapes)", () => {
    expect(d.stringLiteral("a\\b'c")).toBe("'a\\\\b''c'");
  });
  it("says DDL is not transactional", () => {
    expect(d.capabilities.transactionalDdl).toBe(false);
  });
});

describe.each(Object.keys(expected) as EngineName[])("dialect %s", (engine) => {
  const d = dialects[engine];
  const e = expected[engine];
  it("quotes identifiers and literals so hostile names stay inert", () => {
    expect(d.quoteIdentifier('a"b')).toBe(e.quote);
    expect(d.qualify(hostile)).toBe(e.qualifyHostile);
    expect(d.qualify({ database: "other", ...rel })).toBe(e.qualifyWithDatabase);
    expect(d.stringLiteral("O'Brien")).toBe(e.literal);
    expect(() => d.quoteIdentifier("")).toThrow(/empty/);
    expect(() => d.stringLiteral("a\u0000b")).toThrow(/NUL/);
  });
  it("renders DDL and DML", () => {
    expect(d.createSchema("core")).toBe(e.createSchema);
    // Replace only where the engine has CREATE OR REPLACE TABLE; elsewhere replace is refused.
    expect(d.createTableAs(rel, "SELECT 1", { replace: d.capabilities.createOrReplaceTable })).toBe(e.createTableAs);
    if (!d.capabilities.createOrReplaceTable) expect(() => d.createTableAs(rel, "SELECT 1", { replace: true })).toThrow(/CREATE OR REPLACE/);
    expect(d.createViewAs(rel, "SELECT 1")).toBe(e.createViewAs);
    expect(d.drop(rel, "view")).toBe(e.drop);
    expect(d.rename(rel, "users_old", "table")).toBe(e.rename);
    expect(d.insertInto(rel, ["id", "v"], "SELECT 1")).toBe(e.insertInto);
    expect(d.upsert(rel, "SELECT 1", ["id"], ["id", "v"])).toEqual(e.upsert);
    expect(d.countRows("SELECT 1")).toBe(e.countRows);
    expect(d.limitRows("SELECT 1", 5)).toBe(e.limitRows);
    expect(d.parameter(3)).toBe(e.parameter);
  });
  it("renders compile-time quoting as plain data the sandbox can use", () => {
    expect(Object.values(d.renderSpec).every((v) => typeof v === "string" || typeof v === "boolean")).toBe(true);
  });
});
