// Stable identity: a persisted map record_key → user_id that survives rebuilds. Unchanged people
// keep their id; when clusters merge, the oldest id survives (of ids as old, the one holding most
// records) and the others are recorded in user_merges (for downstream systems); when a cluster
// splits, the part holding most of the records keeps the id and the others get new ones. New ids derive from the cluster's smallest
// record key, so they are deterministic — salted in the rare case that id was used before, since
// an id is never given to a second person. This is an operation (state, not a rebuildable table):
// --full-refresh never resets it.
const S = identity_model.SCHEMA;

operate("identity_map")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Persisted map of every person record to its stable user_id, with when the record was first seen and when its user_id last changed.")
  .queries((ctx) => {
    const map = ctx.self();
    const next = map.slice(0, -1) + '__next"';
    const merges = ctx.ref(S, "user_merges");
    const clusters = ctx.ref(S, "person_clusters");
    return [
      `CREATE TABLE IF NOT EXISTS ${map} (record_key VARCHAR, user_id VARCHAR, first_seen_at TIMESTAMP, assigned_at TIMESTAMP)`,
      ...portable.replaceTable(next, `AS
WITH cl AS (
  SELECT node AS record_key, cluster_id FROM ${clusters}
), prev AS (
  SELECT m.record_key, m.user_id, m.first_seen_at, m.assigned_at FROM ${map} AS m
), user_age AS (
  SELECT user_id, MIN(first_seen_at) AS born FROM prev GROUP BY user_id
), candidates AS (
  SELECT cl.cluster_id, prev.user_id, COUNT(*) AS records FROM cl JOIN prev ON prev.record_key = cl.record_key GROUP BY cl.cluster_id, prev.user_id
), owner AS (
  -- A previous id belongs to the cluster holding most of its records (a split's largest part).
  SELECT user_id, cluster_id, records FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.user_id ORDER BY c.records DESC, c.cluster_id) AS rn FROM candidates AS c
  ) AS ranked WHERE rn = 1
), survivor AS (
  -- A cluster owning several previous ids (a merge) keeps the oldest; among ids of the same age
  -- (every id of a first load), the one holding most of its records, so that fewest records change
  -- id: the name order of the ids made two records of one person follow a third (sample estate).
  SELECT cluster_id, user_id FROM (
    SELECT o.cluster_id, o.user_id, ROW_NUMBER() OVER (PARTITION BY o.cluster_id ORDER BY a.born, o.records DESC, o.user_id) AS rn
    FROM owner AS o JOIN user_age AS a ON a.user_id = o.user_id
  ) AS ranked WHERE rn = 1
), taken AS (
  -- Ids ever used: a new id must never reuse one (a split-off part of an old person, say).
  SELECT user_id FROM prev UNION SELECT merged_user_id FROM ${merges} UNION SELECT into_user_id FROM ${merges}
), fresh AS (
  -- New clusters: an id derived from their smallest record key, salted only if already taken.
  SELECT c.cluster_id,
    CASE WHEN t.user_id IS NULL THEN c.base_id
         ELSE 'u_' || substr(md5(c.cluster_id || '#' || CAST(CURRENT_TIMESTAMP AS VARCHAR)), 1, 20) END AS user_id
  FROM (SELECT DISTINCT cl.cluster_id, 'u_' || substr(md5(cl.cluster_id), 1, 20) AS base_id
        FROM cl LEFT JOIN survivor AS s ON s.cluster_id = cl.cluster_id WHERE s.cluster_id IS NULL) AS c
  LEFT JOIN taken AS t ON t.user_id = c.base_id
), assigned AS (
  SELECT cluster_id, user_id FROM survivor UNION ALL SELECT cluster_id, user_id FROM fresh
)
SELECT cl.record_key,
  a.user_id,
  COALESCE(prev.first_seen_at, CAST(CURRENT_TIMESTAMP AS TIMESTAMP)) AS first_seen_at,
  CASE WHEN prev.user_id = a.user_id THEN prev.assigned_at ELSE CAST(CURRENT_TIMESTAMP AS TIMESTAMP) END AS assigned_at
FROM cl
JOIN assigned AS a ON a.cluster_id = cl.cluster_id
LEFT JOIN prev ON prev.record_key = cl.record_key`),
      // Ids that lost their records to another surviving id were merged into it.
      `INSERT INTO ${merges} (merged_user_id, into_user_id, merged_at)
SELECT DISTINCT prev.user_id, nxt.user_id, CAST(CURRENT_TIMESTAMP AS TIMESTAMP)
FROM ${map} AS prev JOIN ${next} AS nxt ON nxt.record_key = prev.record_key
WHERE prev.user_id <> nxt.user_id
  AND NOT EXISTS (SELECT 1 FROM ${next} AS still WHERE still.user_id = prev.user_id)
  AND NOT EXISTS (SELECT 1 FROM ${merges} AS known WHERE known.merged_user_id = prev.user_id AND known.into_user_id = nxt.user_id)`,
      ...portable.replaceTable(map, `AS SELECT * FROM ${next}`),
      `DROP TABLE IF EXISTS ${next}`,
    ];
  });

operate("user_merges")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("History of user_id merges: merged_user_id now lives on as into_user_id (for systems holding old ids).")
  .queries((ctx) => [
    `CREATE TABLE IF NOT EXISTS ${ctx.self()} (merged_user_id VARCHAR, into_user_id VARCHAR, merged_at TIMESTAMP)`,
  ]);

assert("one_cluster_per_user")
  .tags(["identity"])
  .description("A user_id is never given to two clusters (two different people).")
  .query((ctx) => `SELECT m.user_id, COUNT(DISTINCT c.cluster_id) AS clusters
FROM ${ctx.ref(S, "identity_map")} AS m JOIN ${ctx.ref(S, "person_clusters")} AS c ON c.node = m.record_key
GROUP BY m.user_id HAVING COUNT(DISTINCT c.cluster_id) > 1`);
