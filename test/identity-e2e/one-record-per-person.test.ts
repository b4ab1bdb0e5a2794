/**
 * A source declared `one_record_per_person` (an emailing platform: one subscription per person)
 * never has two records in one user, even when they carry one household's email: pair_scores
 * vetoes their direct link, a nameless one does not attach to a person already holding one, and a
 * component still holding two through other records is split (definitions/identity/03_clusters.js).
 * The same estate without the declaration merges them: the test can fail.
 */
import { describe, expect, it } from "vitest";
import { duck, tempDir } from "../helpers.js";
import { crmAndSubscribers } from "./people-project.js";

const CRM = [
  "id,first_name,last_name,email",
  "marie,Marie,Renard,m.renard902@free.fr",
  "luc,Luc,Girard,luc.girard439@outlook.fr",
  "anne,Anne,Leroy,anneleroy48@gmail.com",
];
const SUBSCRIBERS = [
  "id,first_name,last_name,email",
  // Marie's own sign-up, and a nameless one with the household's mailbox: her partner's. (The
  // mailboxes are named after a member: a surname alone is a family's mailbox already, which
  // attaches no nameless record with or without the declaration.)
  "sub_marie,Marie,Renard,m.renard902@free.fr",
  "sub_renard,,,m.renard902@free.fr",
  // Two nameless sign-ups with Luc's household mailbox: which one is his cannot be told.
  "sub_girard1,,,luc.girard439@outlook.fr",
  "sub_girard2,,,luc.girard439@outlook.fr",
  // Two namesakes typing one address: linked to each other only through the CRM record.
  "sub_anne1,Anne,Leroy,anneleroy48@gmail.com",
  "sub_anne2,Anne,Leroy,anneleroy48@gmail.com",
];

async function estate(dir: string, oneRecord: boolean): Promise<{ config: string; warehouse: string }> {
  const fields = "first_name: first_name, last_name: last_name, email: email";
  return crmAndSubscribers(dir, { lines: CRM, fields }, { lines: SUBSCRIBERS, fields, oneRecord });
}

async function usersOf(warehouse: string): Promise<Map<string, string>> {
  const rows = await duck<{ record_key: string; user_id: string }>(warehouse, "SELECT record_key, user_id FROM rcu_identity.identity_map");
  return new Map(rows.map((r) => [r.record_key.replace(/^[a-z]+:/, ""), r.user_id]));
}

describe("a source holding one record per person", () => {
  it("never has two records in one user, whatever they share", async () => {
    const { warehouse } = await estate(await tempDir("rcu-one-record-"), true);
    const user = await usersOf(warehouse);
    expect(user.get("sub_marie")).toBe(user.get("marie"));
    expect(user.get("sub_renard")).not.toBe(user.get("marie"));
    expect(user.get("sub_girard1")).not.toBe(user.get("luc"));
    expect(user.get("sub_girard2")).not.toBe(user.get("luc"));
    expect(user.get("sub_girard1")).not.toBe(user.get("sub_girard2"));
    expect(user.get("sub_anne1")).not.toBe(user.get("sub_anne2"));
    const perUser = await duck<{ n: number }>(
      warehouse,
      `SELECT COUNT(*) AS n FROM rcu_identity.identity_map WHERE record_key LIKE 'subscribers:%' GROUP BY user_id HAVING COUNT(*) > 1`,
    );
    expect(perUser).toEqual([]);

    // Why: the direct link is vetoed, and the namesakes' component (through the CRM record) was split.
    const [pair] = await duck<{ decision: string }>(
      warehouse,
      `SELECT decision FROM rcu_identity.pair_scores WHERE LEAST(id_l, id_r) = 'subscribers:sub_anne1' AND GREATEST(id_l, id_r) = 'subscribers:sub_anne2'`,
    );
    expect(pair?.decision).toBe("vetoed: one record per person in the source");
    const split = await duck<{ node: string; same_component: boolean }>(
      warehouse,
      `SELECT a.node, a.component_id = b.component_id AS same_component FROM rcu_identity.person_clusters AS a
         JOIN rcu_identity.person_clusters AS b ON b.node = 'crm:anne' WHERE a.node LIKE 'subscribers:sub_anne%' ORDER BY a.node`,
    );
    expect(split).toEqual([
      { node: "subscribers:sub_anne1", same_component: true },
      { node: "subscribers:sub_anne2", same_component: true },
    ]);
  }, 120_000);

  it("without the declaration, the same records merge (the control)", async () => {
    const { warehouse } = await estate(await tempDir("rcu-one-record-off-"), false);
    const user = await usersOf(warehouse);
    expect(user.get("sub_renard")).toBe(user.get("marie"));
    expect(user.get("sub_girard1")).toBe(user.get("sub_girard2"));
    expect(user.get("sub_anne1")).toBe(user.get("sub_anne2"));
  }, 120_000);
});
