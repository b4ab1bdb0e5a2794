/**
 * The star-schema contracts are described for TypeScript (rcu.yaml validation) and for the
 * Dataform includes (SQL generation): they must agree. rcu.yaml's model section is validated at
 * the edge, with errors naming the key.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../cli/config.js";
import { CONTRACTS, modelSchema } from "../../model/config.js";
import { loadInclude, tempDir, writeProjectFile } from "../helpers.js";

const star = loadInclude<{
  CONTRACTS: Record<string, Record<string, string>>;
  FIELD_DOCS: Record<string, string>;
  config(): { session_timeout_minutes: number; churn_after_days: number };
  typed(type: string, field: unknown): string;
}>("star_model.js");

describe("model contract", () => {
  it("lists the same contracts and fields on both sides, every field documented", () => {
    expect(Object.keys(star.CONTRACTS).sort()).toEqual(Object.keys(CONTRACTS).sort());
    for (const [c, f] of Object.entries(CONTRACTS)) {
      expect({ c, fields: Object.keys(star.CONTRACTS[c]!).sort() }).toEqual({ c, fields: [...f.required, ...f.optional].sort() });
      for (const field of Object.keys(star.CONTRACTS[c]!)) expect(star.FIELD_DOCS[field], field).toBeTruthy();
    }
  });

  it("has the same defaults with and without rcu (official Dataform CLI: no var)", () => {
    const defaults = modelSchema.parse({});
    expect(star.config().session_timeout_minutes).toBe(defaults.session_timeout_minutes);
    expect(star.config().churn_after_days).toBe(defaults.churn_after_days);
  });

  it("quotes column names and constants from config (hostile names stay names)", () => {
    expect(star.typed("text", 'x"; drop table raw.y; --')).toContain('"x""; drop table raw.y; --"');
    expect(star.typed("text", { value: "it's" })).toContain("'it''s'");
  });

  it("rejects a model section that names unknown person or orders sources, naming the key", async () => {
    const dir = await tempDir("rcu-model-");
    await writeProjectFile(dir, "rcu.yaml", `model:
  orders:
    shop: { relation: raw.orders, order_id: id, ordered_at: ts, amount: total, person: { source: nobody, key: customer_id } }
  order_lines:
    shop: { relation: raw.lines, order_id: order_id, product_id: sku, order_source: elsewhere }
`);
    const err = await loadConfig(dir).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/model\.orders\.shop\.person\.source: "nobody" is not an identity person source/);
    expect((err as Error).message).toMatch(/model\.order_lines\.shop\.order_source: "elsewhere" is not a model\.orders source/);

    await writeProjectFile(dir, "rcu.yaml", "model:\n  orders:\n    shop: { relation: orders, order_id: id }\n");
    const bad = await loadConfig(dir).catch((e: Error) => e);
    expect((bad as Error).message).toMatch(/model\.orders\.shop\.relation: relation must be schema\.table/);
    expect((bad as Error).message).toMatch(/model\.orders\.shop\.ordered_at/);
  });
});
