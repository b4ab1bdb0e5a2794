import { describe, expect, it } from "vitest";
import { runDag, type NodeOutcome } from "../../engine/execute/scheduler.js";

const node = (id: string, ...dependencies: string[]) => ({ id, dependencies });

describe("DAG scheduler", () => {
  it("never exceeds its concurrency and starts dependents only after their dependencies", async () => {
    let active = 0;
    let peak = 0;
    const finished: string[] = [];
    const nodes = [node("a"), node("b"), node("c"), node("d", "a", "b"), node("e", "d"), node("f")];
    const results = await runDag<ReturnType<typeof node>, NodeOutcome>(nodes, 2, {
      run: async (n) => {
        for (const d of n.dependencies) expect(finished).toContain(d);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        finished.push(n.id);
        return { ok: true };
      },
      skip: () => ({ ok: false }),
    });
    expect(peak).toBe(2);
    expect(results.size).toBe(6);
  });

  it("skips only the downstream of a failure and runs everything else", async () => {
    const ran: string[] = [];
    const skipped: Array<[string, string]> = [];
    const nodes = [node("a"), node("b", "a"), node("c", "b"), node("x"), node("y", "x")];
    await runDag<ReturnType<typeof node>, NodeOutcome>(nodes, 3, {
      run: async (n) => {
        ran.push(n.id);
        return { ok: n.id !== "a" };
      },
      skip: (n, because) => {
        skipped.push([n.id, because]);
        return { ok: false };
      },
    });
    expect(ran.sort()).toEqual(["a", "x", "y"]);
    expect(skipped).toEqual([["b", "a"], ["c", "b"]]);
  });
});
