// Segments declared in rcu.yaml (model.segments.<name>: description, purpose, where), materialised
// over customer_360: the segment list, current membership, and membership history (who entered
// and left each segment when) for distribution and analysis. A segment's `where` is SQL over
// customer_360 columns written by the project owner (trusted like SQLX).
const cfg = star_model.config();
const { lit } = star_model;
const segments = Object.entries(cfg.segments || {}).sort(([a], [b]) => a.localeCompare(b));
const M = "rcu_marts";

publish("segments", {
  type: "table",
  schema: M,
  tags: ["marts", "segments"],
  description: "Segments declared in rcu.yaml (model.segments): name, purpose and condition.",
  columns: {
    segment: "Segment name.",
    description: "What the segment is for.",
    purpose: "Processing purpose; distribution only sends members holding consent for it.",
    condition_sql: "The SQL condition over rcu_marts.customer_360.",
  },
  assertions: { uniqueKey: ["segment"] },
}).query(() => {
  const t = portable.textType();
  return segments.length
    ? segments.map(([name, s]) => `SELECT ${lit(name)} AS segment, ${lit(s.description)} AS description, ${lit(s.purpose || "marketing")} AS purpose, ${lit(s.where)} AS condition_sql`).join("\nUNION ALL\n")
    : `SELECT CAST(NULL AS ${t}) AS segment, CAST(NULL AS ${t}) AS description, CAST(NULL AS ${t}) AS purpose, CAST(NULL AS ${t}) AS condition_sql WHERE 1 = 0`;
});

publish("segment_membership", {
  type: "table",
  schema: M,
  tags: ["marts", "segments"],
  description: "Current members of every segment: one row per segment and user.",
  columns: { segment: "Segment name (rcu_marts.segments).", purpose: "The segment's purpose.", user_id: "Member." },
  assertions: { uniqueKey: ["segment", "user_id"], nonNull: ["segment", "user_id"] },
}).query((ctx) => {
  const t = portable.textType();
  const c360 = ctx.ref(M, "customer_360");
  return segments.length
    ? segments.map(([name, s]) => `SELECT ${lit(name)} AS segment, ${lit(s.purpose || "marketing")} AS purpose, c.user_id FROM ${c360} AS c WHERE (${s.where})`).join("\nUNION ALL\n")
    : `SELECT CAST(NULL AS ${t}) AS segment, CAST(NULL AS ${t}) AS purpose, user_id FROM ${c360} WHERE 1 = 0`;
});

operate("segment_membership_history")
  .schema(M)
  .tags(["marts", "segments"])
  .hasOutput(true)
  .description("Segment membership over time: one row per stay of a user in a segment (entered_at, exited_at; NULL exited_at = still a member). State kept across runs; --full-refresh never resets it.")
  .columns(Object.entries({
    segment: "Segment name.",
    user_id: "Member.",
    entered_at: "Run time the user entered the segment.",
    exited_at: "Run time the user left it; NULL while a member.",
  }).map(([name, description]) => ({ path: [name], description })))
  .queries((ctx) => {
    const h = ctx.self();
    const cur = ctx.ref(M, "segment_membership");
    const stamp = h.slice(0, -1) + '__stamp"';
    const t = portable.textType();
    return [
      `CREATE TABLE IF NOT EXISTS ${h} (segment ${t}, user_id ${t}, entered_at TIMESTAMP, exited_at TIMESTAMP)`,
      ...portable.replaceTable(stamp, `AS SELECT CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS ts`),
      `UPDATE ${h} AS m SET exited_at = (SELECT ts FROM ${stamp})
WHERE m.exited_at IS NULL AND NOT EXISTS (SELECT 1 FROM ${cur} AS c WHERE c.segment = m.segment AND c.user_id = m.user_id)`,
      `INSERT INTO ${h} (segment, user_id, entered_at, exited_at)
SELECT c.segment, c.user_id, (SELECT ts FROM ${stamp}), NULL FROM ${cur} AS c
WHERE NOT EXISTS (SELECT 1 FROM ${h} AS m WHERE m.segment = c.segment AND m.user_id = c.user_id AND m.exited_at IS NULL)`,
      `DROP TABLE IF EXISTS ${stamp}`,
    ];
  });
