/**
 * `rcu identity explain`: why records form one person — the records, and the scored pairs
 * between them with the rule or probability that linked them (or the veto that did not), and
 * each pair's weight comparison by comparison (pair_evidence).
 */
import { RcuError } from "../engine/errors.js";
import type { Connection, Dialect, Row } from "../engine/warehouses/types.js";
import { identityMap, identityPins, pairEvidence, pairScores, personClusters, personRecords, haveRelations, recordSightings, userMerges } from "./tables.js";

export interface Explanation {
  readonly query: string;
  readonly userId: string;
  /** When the query named an id merged into another. */
  readonly mergedFrom?: string;
  readonly records: readonly Row[];
  /** Identifiers seen with the records in events (identity.sightings: devices at login). */
  readonly sightings: readonly Row[];
  readonly pairs: readonly Row[];
  /**
   * Per pair of `pairs` and comparison (position 0: the prior): level, level_label, weight (its
   * share of match_weight) and not_counted. Empty for a warehouse built before pair_evidence.
   */
  readonly evidence: readonly Row[];
  /** A steward's pins (rcu identity pin) of the records and of the other sides of their pairs: record_key, person, reason. */
  readonly pins: readonly Row[];
  /** Why `evidence` is empty although there are pairs: an older build, or too many records. */
  readonly evidenceOmitted?: string;
}

/** Pairs of at most this many distinct records get their evidence (one query, one parameter each). */
const EVIDENCE_RECORDS = 400;

export async function explainIdentity(conn: Connection, d: Dialect, query: string): Promise<Explanation> {
  const p = (i: number) => d.parameter(i);
  let userId: string | undefined;
  let mergedFrom: string | undefined;
  const byRecord = await conn.query(`SELECT user_id FROM ${d.qualify(identityMap)} WHERE record_key = ${p(1)}`, [query]);
  if (byRecord[0]) userId = String(byRecord[0].user_id);
  else {
    const byUser = await conn.query(`SELECT user_id FROM ${d.qualify(identityMap)} WHERE user_id = ${p(1)} LIMIT 1`, [query]);
    if (byUser[0]) userId = query;
    else {
      const merged = await conn.query(`SELECT into_user_id FROM ${d.qualify(userMerges)} WHERE merged_user_id = ${p(1)} ORDER BY merged_at DESC LIMIT 1`, [query]);
      if (merged[0]) {
        mergedFrom = query;
        userId = String(merged[0].into_user_id);
      }
    }
  }
  if (!userId) {
    throw new RcuError("USAGE", `No record or user "${query}" in ${d.qualify(identityMap)}.`, {
      hint: "Give a record as source:record_id (e.g. crm_contacts:C000123) or a user_id (u_…).",
    });
  }
  // A record's title and gender explain a "genders conflict" veto; a warehouse whose identity was
  // last built by an older rcu has no such columns until its next run.
  const hasGender = (await conn.listColumns(personRecords)).some((c) => c.name.toLowerCase() === "gender");
  const gender = hasGender ? "p.title, p.gender" : "CAST(NULL AS VARCHAR) AS title, CAST(NULL AS VARCHAR) AS gender";
  // A record that joined by its name alone (definitions/identity/03_clusters.js) has no linking
  // edge: person_clusters holds the probability it was joined with.
  const hasNameOnly = (await conn.listColumns(personClusters)).some((c) => c.name.toLowerCase() === "name_only_probability");
  const nameOnly = hasNameOnly ? "c.name_only_probability" : `CAST(NULL AS ${d.columnType("double")}) AS name_only_probability`;
  const records = await conn.query(
    `SELECT p.record_key, p.source, p.record_id, p.trust, ${gender}, p.first_name, p.last_name, p.email, p.phone_e164, p.birth_date, p.postcode, p.city, ${nameOnly}
       FROM ${d.qualify(personRecords)} AS p JOIN ${d.qualify(identityMap)} AS m ON m.record_key = p.record_key
       LEFT JOIN ${d.qualify(personClusters)} AS c ON c.node = p.record_key
      WHERE m.user_id = ${p(1)} ORDER BY p.record_key`,
    [userId],
  );
  const pairs = await conn.query(
    `SELECT s.id_l, s.id_r, s.linked, s.decision, s.match_probability, s.match_weight, s.first_rule
       FROM ${d.qualify(pairScores)} AS s
       JOIN ${d.qualify(identityMap)} AS ml ON ml.record_key = s.id_l
       JOIN ${d.qualify(identityMap)} AS mr ON mr.record_key = s.id_r
      WHERE ml.user_id = ${p(1)} OR mr.user_id = ${p(1)}
      ORDER BY s.linked DESC, s.match_weight DESC`,
    [userId],
  );
  // Optional relations (older builds, no pins yet), from one catalog read.
  const [hasSightings, hasEvidenceView, hasPins] = await haveRelations(conn, [recordSightings, pairEvidence, identityPins]);
  // The values behind a "seen:<type>" edge, which the records' own columns do not show.
  const sightings = hasSightings
    ? await conn.query(
        `SELECT s.record_key, s.id_type, s.id_value, s.times_seen, s.last_seen_at
       FROM ${d.qualify(recordSightings)} AS s JOIN ${d.qualify(identityMap)} AS m ON m.record_key = s.record_key
      WHERE m.user_id = ${p(1)} ORDER BY s.record_key, s.id_type, s.id_value`,
        [userId],
      )
    : [];
  // Read through the view with the pairs' record keys, so that only those pairs are computed.
  const keys = [...new Set(pairs.flatMap((x) => [String(x.id_l), String(x.id_r)]))];
  const hasEvidence = keys.length > 0 && hasEvidenceView!;
  const evidenceOmitted =
    keys.length === 0
      ? undefined
      : !hasEvidence
        ? `${d.qualify(pairEvidence)} does not exist: rebuild the identity (rcu run --select tag:identity)`
        : keys.length > EVIDENCE_RECORDS
          ? `the pairs involve ${keys.length} records (more than ${EVIDENCE_RECORDS}): query ${d.qualify(pairEvidence)} for the pairs you need`
          : undefined;
  const evidence =
    hasEvidence && !evidenceOmitted
      ? await conn.query(
          `SELECT e.id_l, e.id_r, e.position, e.comparison, e.level, e.level_label, e.weight, e.not_counted
       FROM ${d.qualify(pairEvidence)} AS e
      WHERE e.id_l IN (${keys.map((_, i) => p(i + 1)).join(", ")}) AND e.id_r IN (${keys.map((_, i) => p(keys.length + i + 1)).join(", ")})
      ORDER BY e.id_l, e.id_r, e.position`,
          [...keys, ...keys],
        )
      : [];
  // A steward's pins overrule the links (definitions/identity/03_clusters.js): they say why linked
  // records are apart, or records with no link together.
  const pinKeys = [...new Set([...records.map((r) => String(r.record_key)), ...keys])];
  const pins: Row[] = [];
  if (hasPins) {
    for (let i = 0; i < pinKeys.length; i += 500) {
      const chunk = pinKeys.slice(i, i + 500);
      pins.push(...(await conn.query(`SELECT record_key, person, reason FROM ${d.qualify(identityPins)} WHERE record_key IN (${chunk.map((_, j) => p(j + 1)).join(", ")}) ORDER BY record_key`, chunk)));
    }
  }
  return { query, userId, ...(mergedFrom ? { mergedFrom } : {}), records, sightings, pairs, evidence, pins, ...(evidenceOmitted ? { evidenceOmitted } : {}) };
}
