/** Public API of the extract–load connectors. */
export { runExtract, listLoads, newLoadId, type ExtractOptions } from "./extract.js";
export { landedRelations } from "./declarations.js";
export { sourcesConfigSchema, parseSourcesConfig, formatSourcesError, type SourcesConfig, type SourceConfig } from "./config.js";
export type { LoadRow } from "./land/ledger.js";
export type { ExtractEvent, ExtractSummary, StreamSummary, RecordBatch, StreamReader, BadRecord } from "./types.js";
