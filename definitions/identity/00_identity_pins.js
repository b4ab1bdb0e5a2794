// A data steward's word on who is who, where the data cannot tell: a father and son of one name
// on one family mailbox, or a customer's two accounts that share nothing a rule may link. Each row
// pins one person record to a person label the steward chose; person_clusters keeps records of
// different labels in different users and puts records of one label in one user, whatever the
// links say (definitions/identity/03_clusters.js). Written by `rcu identity pin` / `unpin`
// (identity/pins.ts, the same DDL, so either may create it first); state, like identity_map, so
// --full-refresh never empties it.
operate("identity_pins")
  .schema(identity_model.SCHEMA)
  .tags(["identity"])
  .hasOutput(true)
  .description("A data steward's decisions (rcu identity pin): each row pins a person record to a person label; records of one label are one user, records of different labels never share one.")
  .columns([
    { path: ["record_key"], description: "The pinned record (source:record_id)." },
    { path: ["person"], description: "The steward's label for the person the record belongs to (letters, digits, . _ : -)." },
    { path: ["reason"], description: "Why, as the steward wrote it." },
    { path: ["pinned_at"], description: "When the record was pinned." },
  ])
  .queries((ctx) => [
    `CREATE TABLE IF NOT EXISTS ${ctx.self()} (record_key ${portable.textType()}, person ${portable.textType()}, reason ${portable.textType()}, pinned_at TIMESTAMP)`,
  ]);
