/**
 * The raw tables the configured sources land, so `definitions/` can `ref("raw", "crm_contacts")`
 * without boilerplate: rcu passes this list to the compile as the var `rcu_sources`, and
 * definitions/sources/declarations.js declares each entry.
 */
import { parseSourcesConfig, type SourcesConfig } from "./config.js";
import { rawRelation } from "./land/raw-table.js";

/** One `{ schema, name }` per stream, sorted by source then stream. */
export function landedRelations(sources: SourcesConfig | unknown): Array<{ schema: string; name: string }> {
  const parsed = parseSourcesConfig(sources);
  return Object.entries(parsed)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([source, cfg]) => Object.keys(cfg.streams).sort().map((stream) => rawRelation(source, stream)))
    .map((r) => ({ schema: r.schema, name: r.name }));
}
