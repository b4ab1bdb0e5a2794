// History of the golden record as SCD type 2: one row per version of a user's attributes, with
// valid_from / valid_to. Each run closes the current version of users whose attributes changed
// (or who were merged away) and opens a new one, all stamped with one timestamp so versions tile
// without gaps. State, not a rebuildable table: an operation that --full-refresh never resets.
const { SCHEMAS, q } = star_model;

const ATTRIBUTES = ["email", "phone", "first_name", "last_name", "birth_date", "address_line", "postcode", "city", "country"];

operate("users_history")
  .schema(SCHEMAS.core)
  .tags(["star", "history"])
  .hasOutput(true)
  .description("SCD type 2 history of rcu_core.users: one row per version of a user's golden attributes (valid_from inclusive, valid_to exclusive; NULL valid_to = current).")
  .columns(Object.entries({
    user_id: "The user.",
    attributes_hash: "md5 of the version's attributes (what changes open a new version).",
    valid_from: "When this version became current (run time).",
    valid_to: "When it was superseded; NULL while current.",
    is_current: "The version in force.",
    change_reason: "new (first version), changed (attributes changed) or, on closed versions, merged_or_removed.",
    ...Object.fromEntries(ATTRIBUTES.map((a) => [a, `Golden ${a.replace("_", " ")} in this version (rcu_core.users.${a}).`])),
  }).map(([name, description]) => ({ path: [name], description })))
  .queries((ctx) => {
    const h = ctx.self();
    const users = ctx.ref(SCHEMAS.core, "users");
    const stamp = h.slice(0, -1) + '__stamp"';
    const t = portable.textType();
    const hash = (a) => `md5(${ATTRIBUTES.map((c) => `COALESCE(CAST(${a}.${q(c)} AS ${t}), '~')`).join(" || '|' || ")})`;
    const types = { birth_date: "DATE" };
    return [
      `CREATE TABLE IF NOT EXISTS ${h} (user_id ${t}, attributes_hash ${t}, ${ATTRIBUTES.map((c) => `${q(c)} ${types[c] || t}`).join(", ")}, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN, change_reason ${t})`,
      ...portable.replaceTable(stamp, `AS SELECT CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS ts`),
      `UPDATE ${h} AS v SET valid_to = (SELECT ts FROM ${stamp}), is_current = FALSE,
  change_reason = CASE WHEN EXISTS (SELECT 1 FROM ${users} AS u WHERE u.user_id = v.user_id) THEN v.change_reason ELSE 'merged_or_removed' END
WHERE v.is_current AND NOT EXISTS (SELECT 1 FROM ${users} AS u WHERE u.user_id = v.user_id AND ${hash("u")} = v.attributes_hash)`,
      `INSERT INTO ${h} (user_id, attributes_hash, ${ATTRIBUTES.map(q).join(", ")}, valid_from, valid_to, is_current, change_reason)
SELECT u.user_id, ${hash("u")}, ${ATTRIBUTES.map((c) => `u.${q(c)}`).join(", ")}, (SELECT ts FROM ${stamp}), NULL, TRUE,
  CASE WHEN EXISTS (SELECT 1 FROM ${h} AS old WHERE old.user_id = u.user_id) THEN 'changed' ELSE 'new' END
FROM ${users} AS u
WHERE NOT EXISTS (SELECT 1 FROM ${h} AS cur WHERE cur.user_id = u.user_id AND cur.is_current)`,
      `DROP TABLE IF EXISTS ${stamp}`,
    ];
  });
