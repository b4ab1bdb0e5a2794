/**
 * After every extract: remove from the raw tables the rows of erased people that a source sent
 * again (its system still holds them, or an old export was re-read). Rows are matched by the
 * salted hashes of the suppression list — record ids, emails, devices, orders, sighted identifiers — so no clear value
 * of an erased person is needed, or kept, to recognise them.
 */
import type { Connection, Dialect } from "../engine/warehouses/types.js";
import type { ProjectConfig } from "../cli/config.js";
import { linkSuppressionKind, linkValue, rawLinks } from "./sources.js";
import { isSuppressed, SUPPRESSIONS } from "./tables.js";

export interface PurgeResult {
  readonly relation: string;
  readonly link: string;
  readonly rows: number;
}

export async function purgeSuppressed(conn: Connection, d: Dialect, config: ProjectConfig): Promise<PurgeResult[]> {
  const relations = new Set((await conn.listRelations()).filter((r) => r.kind === "table").map((r) => `${r.schema}.${r.name}`));
  if (!relations.has(`${SUPPRESSIONS.schema}.${SUPPRESSIONS.name}`)) return [];
  const [{ n } = { n: 0 }] = await conn.query(`SELECT COUNT(*) AS n FROM ${d.qualify(SUPPRESSIONS)}`);
  if (Number(n) === 0) return [];
  const out: PurgeResult[] = [];
  for (const link of rawLinks(d, config)) {
    if (!relations.has(`${link.relation.schema}.${link.relation.name}`)) continue;
    const res = await conn.execute(`DELETE FROM ${d.qualify(link.relation)} WHERE ${isSuppressed(d, linkSuppressionKind(link), linkValue(link))}`);
    if (res.rowsAffected) out.push({ relation: `${link.relation.schema}.${link.relation.name}`, link: link.describe, rows: res.rowsAffected });
  }
  return out;
}
