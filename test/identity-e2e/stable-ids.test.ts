/**
 * Stable user ids across runs, on a tiny person source: a merge keeps the oldest id (of ids as
 * old, the one holding more records) and records the other in user_merges; a split keeps the id on the larger part and never hands an old id to
 * the other part.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { peopleProject } from "./people-project.js";

const HEADER = "id,first_name,last_name,email,phone";

describe("stable user ids", () => {
  it("survive merges and splits, and are never reused", async () => {
    const dir = await tempDir("rcu-ids-");
    const project = await peopleProject(dir, ["first_name", "last_name", "email", "phone"]);
    const run = async (rows: string[]) => {
      await project.write([HEADER, ...rows]);
      await project.resolve();
      return project.users();
    };
    // Run 1: Anne by email (a1, a2), Anne by phone (a3), Bruno alone: three people.
    const base = [
      "a1,Anne,Dupont,anne.dupont@orange.fr,",
      "a2,Anne,Dupont,anne.dupont@orange.fr,",
      "a3,Anne,Dupont,,+33678452190",
      "b1,Bruno,Marchal,bruno.marchal@free.fr,+33687120459",
    ];
    const first = await run(base);
    expect(new Set(first.values()).size).toBe(3);
    expect(first.get("a1")).toBe(first.get("a2"));

    // Run 2: a4 carries Anne's email and phone: the two Annes merge; the oldest id survives, and
    // of ids as old (both from run 1), the one holding more records: a1 and a2 keep theirs.
    const merged = await run([...base, "a4,Anne,Dupont,anne.dupont@orange.fr,+33678452190"]);
    expect(merged.get("a3")).toBe(merged.get("a1"));
    expect(merged.get("b1")).toBe(first.get("b1"));
    const survivor = merged.get("a1")!;
    expect(survivor).toBe(first.get("a1"));
    const gone = first.get("a3")!;
    const merges = await duck<{ merged_user_id: string; into_user_id: string }>(project.warehouse, "SELECT merged_user_id, into_user_id FROM rcu_identity.user_merges");
    expect(merges).toEqual([{ merged_user_id: gone, into_user_id: survivor }]);

    // Run 3: a4 is gone again: the split keeps the id on the larger part (a1, a2); a3 gets a
    // new id that was never anyone's before.
    const split = await run(base);
    expect(split.get("a1")).toBe(survivor);
    expect(split.get("a2")).toBe(survivor);
    const fresh = split.get("a3")!;
    expect([...first.values(), ...merged.values()]).not.toContain(fresh);
    expect(split.get("b1")).toBe(first.get("b1"));
  }, 120_000);
});
