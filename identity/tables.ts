/**
 * Where the identity layer's results live in the warehouse. The schema matches
 * includes/identity_model.js (SCHEMA); a test checks the two agree.
 */
import type { Connection, Relation } from "../engine/warehouses/types.js";

export const IDENTITY_SCHEMA = "rcu_identity";
export const identityMap: Relation = { schema: IDENTITY_SCHEMA, name: "identity_map" };
export const personRecords: Relation = { schema: IDENTITY_SCHEMA, name: "person_records" };
export const personClusters: Relation = { schema: IDENTITY_SCHEMA, name: "person_clusters" };
export const pairScores: Relation = { schema: IDENTITY_SCHEMA, name: "pair_scores" };
/** A view: each pair's weight comparison by comparison (definitions/identity/02_pair_evidence.js). */
export const pairEvidence: Relation = { schema: IDENTITY_SCHEMA, name: "pair_evidence" };
export const recordSightings: Relation = { schema: IDENTITY_SCHEMA, name: "record_sightings" };
export const userMerges: Relation = { schema: IDENTITY_SCHEMA, name: "user_merges" };
/** A data steward's pins (rcu identity pin; definitions/identity/00_identity_pins.js). */
export const identityPins: Relation = { schema: IDENTITY_SCHEMA, name: "identity_pins" };

/** Whether `rel` exists: optional tables (record_sightings) may be missing from older builds. */
export async function hasRelation(conn: Connection, rel: Relation): Promise<boolean> {
  const [present] = await haveRelations(conn, [rel]);
  return present!;
}

/** Whether each of `rels` exists, from one catalog read (a round trip on Snowflake and Redshift). */
export async function haveRelations(conn: Connection, rels: readonly Relation[]): Promise<boolean[]> {
  const present = await conn.listRelations();
  return rels.map((rel) => present.some((r) => r.schema === rel.schema && r.name === rel.name));
}
