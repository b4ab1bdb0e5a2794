/**
 * Operation early exits (engine/plan/control.ts): markers parsed from the statements' leading
 * comment; a misspelt marker, a duplicate label or a skip with no later landing is refused while
 * planning, naming the operation.
 */
import { describe, expect, it } from "vitest";
import { checkControls, statementControl } from "../../engine/plan/control.js";
import { RcuError } from "../../engine/errors.js";
import { loadInclude } from "../helpers.js";

const control = loadInclude<{
  skipIfEmpty(label: string, q: string): string;
  labelled(label: string, sql: string): string;
  transactions(statements: string[], max?: number, engine?: string): string[];
}>("control.js");
const where = { action: "s.op", file: "definitions/op.js" };
const refusal = (sqls: string[]) => {
  try {
    checkControls(sqls, where);
  } catch (e) {
    return e instanceof RcuError ? { code: e.code, message: e.message, action: e.context.action } : e;
  }
  return null;
};

describe("operation control markers", () => {
  it("reads the markers the includes write, and nothing from other statements", () => {
    expect(statementControl(control.skipIfEmpty("done_1", "SELECT 1 FROM t"))).toEqual({ skipIfEmpty: "done_1" });
    expect(statementControl(control.labelled("done_1", "CREATE TABLE x AS SELECT 1"))).toEqual({ label: "done_1" });
    expect(statementControl("/* a comment */ SELECT 1")).toEqual({});
    expect(statementControl("SELECT 1 /* rcu:label x */")).toEqual({});
    expect(() => control.skipIfEmpty("bad label", "SELECT 1")).toThrow(/control label/);
  });

  it("on Redshift, wraps runs of plain statements in transactions, leaving checks and labelled statements outside", () => {
    const check = control.skipIfEmpty("d", "SELECT 1");
    const landing = control.labelled("d", "CREATE TABLE out AS SELECT 1");
    expect(control.transactions(["s1", "s2", "s3", check, "s4", "s5", landing, "s6"], 2, "redshift")).toEqual([
      "BEGIN TRANSACTION", "s1", "s2", "COMMIT",
      "s3",
      check,
      "BEGIN TRANSACTION", "s4", "s5", "COMMIT",
      landing,
      "s6",
    ]);
    // The result still passes the plan's checks.
    expect(refusal(control.transactions(["s1", "s2", check, "s3", landing], 40, "redshift"))).toBeNull();
    // Elsewhere each statement is a cheap call: left as it is.
    expect(control.transactions(["s1", "s2"], 40, "duckdb")).toEqual(["s1", "s2"]);
  });

  it("accepts a skip to a later label", () => {
    expect(refusal([control.skipIfEmpty("d", "SELECT 1"), "CREATE TABLE a AS SELECT 1", control.labelled("d", "SELECT 2")])).toBeNull();
  });

  it("refuses a skip with no later label, a duplicate label and an unknown marker", () => {
    expect(refusal([control.skipIfEmpty("d", "SELECT 1"), "SELECT 2"])).toEqual({
      code: "COMPILE",
      action: "s.op",
      message: "Operation s.op: rcu:skip-if-empty d has no later statement labelled d.",
    });
    expect(refusal([control.labelled("d", "SELECT 2"), control.skipIfEmpty("d", "SELECT 1")])).toMatchObject({ message: /no later statement labelled d/ });
    expect(refusal([control.labelled("d", "SELECT 1"), control.labelled("d", "SELECT 2")])).toMatchObject({ message: /label d is used twice/ });
    expect(refusal(["/* rcu:skip-if-emty d */ SELECT 1"])).toMatchObject({ message: /unknown rcu: marker/ });
  });
});
