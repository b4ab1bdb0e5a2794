// The suppression list of erased people (rcu forget): salted SHA-256 hashes of their record keys,
// emails, phones, devices and orders, never the values. Person records matching it are left out
// of identity resolution, so an erased person is not re-stitched from a later extract. The salt is
// generated once inside the warehouse (access-controlled like the data) and never printed: it is
// not a compile var, since plans and logs show those. rcu forget creates the same tables.
operate("privacy_salt")
  .schema("rcu_meta")
  .tags(["identity", "privacy"])
  .hasOutput(true)
  .description("One random salt for the suppression-list hashes, generated on first use.")
  .columns([{ path: ["salt"], description: "Random hex salt." }])
  .queries((ctx) => [
    `CREATE TABLE IF NOT EXISTS ${ctx.self()} (salt ${portable.textType()})`,
    `INSERT INTO ${ctx.self()} (salt)
SELECT md5(CAST(random() AS ${portable.textType()}) || CAST(CURRENT_TIMESTAMP AS ${portable.textType()})) || md5(CAST(random() AS ${portable.textType()}))
WHERE NOT EXISTS (SELECT 1 FROM ${ctx.self()})`,
  ]);

operate("suppressions")
  .schema("rcu_meta")
  .tags(["identity", "privacy"])
  .hasOutput(true)
  .description("Suppression list of erased people: kind (record, email, phone, device, order) and the salted SHA-256 of the value.")
  .columns([
    { path: ["kind"], description: "What was hashed: record, email, phone, device or order." },
    { path: ["value_hash"], description: "sha256(salt || ':' || kind || ':' || normalised value), hex." },
    { path: ["request_id"], description: "The erasure request (rcu_meta.erasures)." },
    { path: ["created_at"], description: "When the value was suppressed." },
  ])
  .queries((ctx) => [
    `CREATE TABLE IF NOT EXISTS ${ctx.self()} (kind ${portable.textType()}, value_hash ${portable.textType()}, request_id ${portable.textType()}, created_at TIMESTAMP)`,
  ]);
