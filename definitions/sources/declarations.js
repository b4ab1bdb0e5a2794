// Declarations of the raw tables landed by the sources of rcu.yaml (`rcu extract`). rcu passes
// them in the compile var `rcu_sources`; under the official Dataform CLI the var is absent and
// nothing is declared (definitions that read raw tables are generated from config the same way).
const landed = JSON.parse((dataform.projectConfig.vars || {}).rcu_sources || "[]");
for (const r of landed) {
  declare({
    schema: r.schema,
    name: r.name,
    description: `Raw table landed by rcu extract, unchanged source columns plus _rcu_* load metadata.`,
  });
}
