/**
 * `rcu evaluate`: compare the resolved identities in the warehouse with a ground-truth file
 * (CSV `source,record_id,entity_id`). Records missing on either side are counted and reported,
 * and the metrics are computed over the records present in both.
 */
import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { RcuError } from "../engine/errors.js";
import type { Connection, Dialect } from "../engine/warehouses/types.js";
import { EVIDENCE_COLUMNS, evidenceCeiling, type EvidenceCeiling } from "./ceiling.js";
import { evaluate, type Evaluation } from "./metrics.js";
import { hasRelation, identityMap, personRecords, recordSightings } from "./tables.js";

export interface TruthEvaluation extends Evaluation {
  readonly truthFile: string;
  /** Truth rows whose record is not in the identity map (quarantined, filtered, not landed). */
  readonly missingFromWarehouse: number;
  /** Resolved records absent from the truth file (ignored by the metrics). */
  readonly missingFromTruth: number;
  /** With `ceiling`: the recall any matcher could reach from the evidence the records share. */
  readonly ceiling?: EvidenceCeiling;
}

export async function readTruth(file: string): Promise<Map<string, string>> {
  const truth = new Map<string, string>();
  const input = createReadStream(file);
  const parser = input.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }));
  // pipe() does not forward the file's errors (ENOENT, EACCES) to the parser: do it here.
  input.on("error", (err) => parser.destroy(err));
  let line = 1;
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      line++;
      const { source, record_id: recordId, entity_id: entityId } = row;
      if (!source || recordId === undefined || recordId === "" || !entityId) {
        throw new RcuError("USAGE", `${file}:${line}: expected columns source,record_id,entity_id with values.`, {
          file,
          hint: "The truth file is a CSV with the header source,record_id,entity_id.",
        });
      }
      truth.set(`${source}:${recordId}`, entityId);
    }
  } catch (err) {
    if (err instanceof RcuError) throw err;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RcuError("USAGE", `Truth file not found: ${file}.`, { file });
    }
    throw new RcuError("USAGE", `${file}: not a readable CSV: ${(err as Error).message}`, { file });
  }
  return truth;
}

export async function evaluateAgainstTruth(conn: Connection, dialect: Dialect, truthFile: string, opts: { ceiling?: boolean } = {}): Promise<TruthEvaluation> {
  const truth = await readTruth(truthFile);
  let rows;
  try {
    rows = await conn.query(`SELECT record_key, user_id FROM ${dialect.qualify(identityMap)}`);
  } catch (err) {
    throw new RcuError("WAREHOUSE", `Cannot read ${dialect.qualify(identityMap)}: ${(err as Error).message}`, {
      hint: "Run `rcu run` first, so that identities are resolved.",
    }, { cause: err });
  }
  const labelled = [];
  let missingFromTruth = 0;
  const seen = new Set<string>();
  for (const r of rows) {
    const key = String(r.record_key);
    const entity = truth.get(key);
    if (entity === undefined) {
      missingFromTruth++;
      continue;
    }
    seen.add(key);
    labelled.push({ record: key, predicted: String(r.user_id), truth: entity });
  }
  return {
    truthFile,
    ...evaluate(labelled),
    missingFromWarehouse: truth.size - seen.size,
    missingFromTruth,
    ...(opts.ceiling ? { ceiling: evidenceCeiling(await readEvidence(conn, dialect), truth) } : {}),
  };
}

/** The person-record columns the evidence ceiling compares (not every column: a million rows). */
async function readEvidence(conn: Connection, dialect: Dialect) {
  const table = dialect.qualify(personRecords);
  const [first] = await conn.query(dialect.limitRows(`SELECT * FROM ${table}`, 1));
  if (!first) return [];
  const columns = Object.keys(first).filter((c) => EVIDENCE_COLUMNS.includes(c) || c.startsWith("id_"));
  const rows = await conn.query(`SELECT ${columns.map((c) => dialect.quoteIdentifier(c)).join(", ")} FROM ${table}`);
  // Identifiers seen in events (a device at login), many per record: carried as `seen`.
  if (!(await hasRelation(conn, recordSightings))) return rows;
  const seen = new Map<string, string[]>();
  for (const s of await conn.query(`SELECT record_key, id_type, id_value FROM ${dialect.qualify(recordSightings)}`)) {
    const key = String(s.record_key);
    let list = seen.get(key);
    if (!list) seen.set(key, (list = []));
    list.push(`${String(s.id_type)}:${String(s.id_value)}`);
  }
  return rows.map((r) => (seen.has(String(r.record_key)) ? { ...r, seen: seen.get(String(r.record_key)) } : r));
}
