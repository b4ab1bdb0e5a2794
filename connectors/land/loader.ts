/**
 * Lands one stream for one load, in one of two modes; either way the rows, rejects, ledger row and
 * state become visible in ONE commit, so a load killed before COMMIT leaves nothing visible in
 * `raw` and no cursor moves.
 *
 * - staging (generic; always for `merge`): batches go to staging tables (rows and rejects), then
 *   `publishStatements` moves them into the raw table inside the publish transaction. A killed load
 *   leaves only staging tables, which the next run drops.
 * - direct (engines with transactional DDL and a `direct` bulk writer, i.e. DuckDB): the load's
 *   transaction is opened at `begin` and batches go straight into the raw table and the
 *   rejected-records table. This skips a full copy of the data (the staging → raw INSERT was about
 *   half of the warehouse time); a kill rolls the whole transaction back.
 */
import { RcuError, errorMessage } from "../../engine/errors.js";
import type { Connection, Dialect, Relation, SqlValue } from "../../engine/warehouses/types.js";
import type { ColumnType, StreamOptions } from "../config.js";
import type { CursorState, RecordBatch, StreamState } from "../types.js";
import type { BulkWriter } from "./bulk.js";
import { decideDrift } from "./drift.js";
import { encodedLines } from "./encoded.js";
import { REJECTED, REJECT_STAGING_COLUMNS, publishRejects } from "./quarantine.js";
import { META_COLUMNS, META_PREFIX, META_SCHEMA, castExpr, landedColumnNames, rawRelation } from "./raw-table.js";
import { checkDeclared, compareCursor, rowHash } from "./values.js";

export const STAGING_PREFIX = "_stg_";
/** Staging metadata columns (text, like everything in staging), before the data columns. */
const STG_META = ["_rcu_input", "_rcu_position", "_rcu_hash", "_rcu_seq"];

export interface LoaderInit {
  readonly conn: Connection;
  readonly dialect: Dialect;
  readonly bulk: BulkWriter;
  readonly source: string;
  readonly stream: string;
  readonly options: StreamOptions;
  readonly loadId: string;
  readonly state: StreamState;
  readonly onDrift: (message: string) => void;
  /** ISO time of the load start: `_rcu_loaded_at` of every row. */
  readonly startedAt: string;
}

export interface LoadCounts {
  rowsIn: number;
  staged: number;
  rejected: number;
  discarded: number;
}

export class StreamLoader {
  readonly raw: Relation;
  readonly staging: Relation;
  readonly rejects: Relation;
  readonly counts: LoadCounts = { rowsIn: 0, staged: 0, rejected: 0, discarded: 0 };
  /** Staging data columns (landed names), in staging order. */
  private columns: string[] = [];
  private rawColumns: string[] = [];
  private rawExists = false;
  private locked = false;
  private readonly types = new Map<string, ColumnType>();
  private seq = 0;
  private cursorMax: string | null;
  private boundary = new Set<string>();
  private readonly priorBoundary: ReadonlySet<string>;
  /** Writing straight into `raw` inside the load transaction (see the file comment). */
  readonly direct: boolean;
  /** Direct mode: lowercased columns the raw table has now (inside the transaction). */
  private rawHas: Set<string> | null = null;
  private cleared = false;

  constructor(private readonly init: LoaderInit) {
    const base = `${init.source}_${init.stream}`;
    this.raw = rawRelation(init.source, init.stream);
    this.staging = { schema: META_SCHEMA, name: `${STAGING_PREFIX}${init.loadId}_${base}` };
    this.rejects = { schema: META_SCHEMA, name: `${STAGING_PREFIX}${init.loadId}_${base}__rejects` };
    this.cursorMax = init.state.cursor?.value ?? null;
    this.priorBoundary = new Set(init.state.cursor?.boundary ?? []);
    if (this.cursorMax !== null) this.boundary = new Set(this.priorBoundary);
    for (const [name, type] of Object.entries(init.options.columns)) this.types.set(name.toLowerCase(), type);
    this.direct = init.bulk.direct && init.dialect.capabilities.transactionalDdl && init.options.writeDisposition !== "merge";
  }

  get cursor(): CursorState | null {
    return this.cursorMax === null ? null : { value: this.cursorMax, boundary: [...this.boundary] };
  }

  async begin(): Promise<void> {
    const { conn, dialect } = this.init;
    const cols = await conn.listColumns(this.raw);
    this.rawExists = cols.length > 0;
    this.rawColumns = cols.map((c) => c.name).filter((n) => !n.toLowerCase().startsWith(META_PREFIX));
    this.columns = [...this.rawColumns];
    for (const name of Object.keys(this.init.options.columns)) {
      if (!this.columns.some((c) => c.toLowerCase() === name.toLowerCase())) this.columns.push(name);
    }
    this.locked = this.rawExists || Object.keys(this.init.options.columns).length > 0;
    if (this.direct) {
      await conn.execute(dialect.begin());
      return;
    }
    const text = dialect.columnType("text");
    await conn.execute(dialect.createTable(this.staging, [...STG_META, ...this.columns].map((name) => ({ name, type: text }))));
    await conn.execute(dialect.createTable(this.rejects, REJECT_STAGING_COLUMNS.map((name) => ({ name, type: text }))));
  }

  async add(batch: RecordBatch): Promise<void> {
    const { dialect, bulk, options } = this.init;
    const landed = landedColumnNames(batch.columns);
    const drift = decideDrift(options.schemaDrift, landed, this.columns, this.locked, {
      source: this.init.source,
      stream: this.init.stream,
      input: batch.input,
    });
    this.locked = true;
    if (drift.added.length) {
      await bulk.flush();
      for (const name of drift.added) {
        if (!this.direct) {
          await this.init.conn.execute(
            `ALTER TABLE ${dialect.qualify(this.staging)} ADD COLUMN ${dialect.quoteIdentifier(name)} ${dialect.columnType("text")}`,
          );
        }
        this.columns.push(name);
      }
      if (this.rawExists) {
        this.init.onDrift(`new column(s) in ${batch.input}: ${drift.added.map((n) => JSON.stringify(n)).join(", ")} (evolve: added)`);
      }
    }
    if (this.direct) await this.ensureRaw();
    const width = this.columns.length;
    const colTypes = this.columns.map((c) => this.types.get(c.toLowerCase()));
    const keyIdx = (options.writeDisposition === "merge" ? (options.primaryKey ?? []) : []).map((k) =>
      this.columns.findIndex((c) => c.toLowerCase() === k.toLowerCase()),
    );
    const cursorIdx = options.cursorField
      ? this.columns.findIndex((c) => c.toLowerCase() === options.cursorField!.toLowerCase())
      : -1;
    const rows: (string | null)[][] = [];
    const rejects: (string | null)[][] = batch.rejects.map((r) => [r.input, String(r.position), r.raw, r.reason]);
    this.counts.rowsIn += batch.rejects.length;
    const reject = (i: number, reason: string): void => {
      const rawRow: Record<string, string | null> = {};
      batch.columns.forEach((c, j) => (rawRow[c] = batch.rows[i]![j] ?? null));
      rejects.push([batch.input, String(batch.positions[i]), JSON.stringify(rawRow), reason]);
    };
    // Hot loop (millions of rows): when the batch's columns are exactly the target's, in order,
    // the source row array is used as is instead of being copied.
    const identity = landed.length === width && drift.mapping.every((m, j) => m === j);
    const jsonLines: string[] | null = this.direct && bulk.writeJsonLines ? [] : null;
    const typed = colTypes.flatMap((t, c) => (t === undefined || t === "text" ? [] : [c]));
    // Rows given as JSON bytes, landed as they are (no value to check or map, no cursor to
    // track): hashed and framed without a string per row. Anything else decodes `rows`.
    const encoded =
      batch.encoded && this.direct && bulk.writeJsonLinesBuffer && identity && typed.length === 0 && keyIdx.length === 0 && cursorIdx < 0
        ? encodedLines(batch.encoded, batch.positions)
        : null;
    if (encoded) this.counts.rowsIn += encoded.rows;
    for (let i = 0; !encoded && i < batch.rows.length; i++) {
      const src = batch.rows[i]!;
      let data: (string | null)[];
      let reason: string | null = null;
      // Typed checks normalise values in place: keep the source row intact for the quarantine.
      if (identity) data = typed.length ? src.slice() : src;
      else {
        data = new Array<string | null>(width).fill(null);
        for (let j = 0; j < src.length; j++) {
          const v = src[j] ?? null;
          const at = drift.mapping[j]!;
          if (at >= 0) data[at] = v;
          else if (v !== null && v !== "") {
            if (drift.rejecting.includes(j)) reason ??= `unknown column ${JSON.stringify(landed[j])} (schema_drift: discard_row)`;
            else this.counts.discarded++;
          }
        }
      }
      for (let k = 0; k < typed.length && reason === null; k++) {
        const c = typed[k]!;
        const t = colTypes[c]!;
        const v = data[c];
        if (v === null || v === undefined) continue;
        // An empty field in a typed column is a missing value, not a bad one.
        if (v.trim() === "") {
          data[c] = null;
          continue;
        }
        const ok = checkDeclared(v, t);
        if (ok instanceof Error) reason = `column ${JSON.stringify(this.columns[c])}: value ${JSON.stringify(v.slice(0, 200))} ${ok.message} (declared ${t})`;
        else data[c] = ok;
      }
      for (const k of keyIdx) {
        if (reason === null && (k < 0 || data[k] === null || data[k] === "")) {
          reason = `primary key column ${JSON.stringify(k < 0 ? options.primaryKey : this.columns[k])} is missing (write_disposition: merge)`;
        }
      }
      // Direct writers take the JSON text: serialise once, for the hash and the batch file.
      const json = jsonLines ? ((data === src ? batch.json?.[i] : undefined) ?? JSON.stringify(data)) : undefined;
      const hash = rowHash(data, json);
      if (reason === null && cursorIdx >= 0) {
        const cv = data[cursorIdx];
        if (cv !== null && cv !== undefined) {
          const cmp = this.cursorMax === null ? 1 : compareCursor(cv, this.cursorMax);
          // Inclusive windows (`>=`) return the boundary rows again: skip the ones already landed.
          if (cmp === 0 && this.priorBoundary.has(hash)) continue;
          if (cmp > 0) {
            this.cursorMax = cv;
            this.boundary = new Set([hash]);
          } else if (cmp === 0) this.boundary.add(hash);
        }
      }
      this.counts.rowsIn++;
      if (reason !== null) {
        reject(i, reason);
        continue;
      }
      // Positions are integers: their JSON string needs no escaping.
      if (jsonLines) jsonLines.push('["' + batch.positions[i] + '","' + hash + (data.length ? '",' : '"') + json!.slice(1));
      else if (this.direct) rows.push([String(batch.positions[i]), hash, ...data]);
      else rows.push([batch.input, String(batch.positions[i]), hash, String(this.seq++), ...data]);
    }
    if (this.direct) {
      const { loadId, source, stream, startedAt } = this.init;
      // A batch comes from one input: it is a per-batch constant, not a per-row value.
      const constants = { _rcu_load_id: loadId, _rcu_loaded_at: startedAt, _rcu_input: batch.input };
      const columns = ["_rcu_position", "_rcu_hash", ...this.columns];
      if (encoded) await bulk.writeJsonLinesBuffer!(this.raw, columns, encoded, constants);
      else if (jsonLines) await bulk.writeJsonLines!(this.raw, columns, jsonLines, constants);
      else await bulk.write(this.raw, columns, rows, constants);
      await bulk.write(REJECTED, REJECT_STAGING_COLUMNS, rejects, { load_id: loadId, source, stream, rejected_at: startedAt });
    } else {
      await bulk.write(this.staging, [...STG_META, ...this.columns], rows);
      await bulk.write(this.rejects, REJECT_STAGING_COLUMNS, rejects);
    }
    this.counts.staged += encoded ? encoded.rows : jsonLines ? jsonLines.length : rows.length;
    this.counts.rejected += rejects.length;
  }

  /** Data columns of the staging table the raw table does not have yet (evolve). */
  columnsAdded(): string[] {
    if (!this.rawExists) return [];
    const have = new Set(this.rawColumns.map((c) => c.toLowerCase()));
    return this.columns.filter((c) => !have.has(c.toLowerCase()));
  }

  /**
   * Publish statements, in order, for the transaction (the caller adds ledger and state). When
   * `touchData` is false (nothing was read: unchanged files) the raw table is left alone.
   */
  async publishStatements(at: string, touchData: boolean): Promise<Array<[string, SqlValue[]]>> {
    const { dialect, options, loadId } = this.init;
    await this.init.bulk.flush();
    await this.verifyStaging();
    if (this.direct) {
      // Rows are already in place, inside the open transaction.
      if (touchData && this.columns.length > 0) await this.ensureRaw();
      if (touchData && options.writeDisposition === "replace" && !this.cleared && this.rawExists) {
        await this.init.conn.execute(`DELETE FROM ${dialect.qualify(this.raw)}`);
      }
      return [];
    }
    const q = dialect.quoteIdentifier;
    const out: Array<[string, SqlValue[]]> = [];
    const typeOf = (c: string): ColumnType | undefined => this.types.get(c.toLowerCase());
    if (touchData && this.columns.length > 0) {
      out.push([
        dialect.createTable(this.raw, [
          ...this.columns.map((name) => ({ name, type: dialect.columnType(typeOf(name) ?? "text") })),
          ...META_COLUMNS.map((m) => ({ name: m.name, type: dialect.columnType(m.type) })),
        ]),
        [],
      ]);
      for (const name of this.columnsAdded()) {
        out.push([`ALTER TABLE ${dialect.qualify(this.raw)} ADD COLUMN ${q(name)} ${dialect.columnType(typeOf(name) ?? "text")}`, []]);
      }
      const stg = dialect.qualify(this.staging);
      if (options.writeDisposition === "replace") out.push([`DELETE FROM ${dialect.qualify(this.raw)}`, []]);
      let from = stg;
      if (options.writeDisposition === "merge") {
        const keys = options.primaryKey!.map((k) => this.columns.find((c) => c.toLowerCase() === k.toLowerCase()) ?? k);
        const match = keys.map((k) => `${castExpr(dialect, k, typeOf(k), "s.")} = t.${q(k)}`).join(" AND ");
        out.push([
          `DELETE FROM ${dialect.qualify(this.raw)} AS t WHERE EXISTS (SELECT 1 FROM ${stg} AS s WHERE ${match})`,
          [],
        ]);
        // Within one load, the last record for a key wins (as if upserted one by one).
        from = `(SELECT *, ROW_NUMBER() OVER (PARTITION BY ${keys.map(q).join(", ")} ORDER BY CAST(${q("_rcu_seq")} AS ${dialect.columnType("bigint")}) DESC) AS ${q("_rcu_rn")} FROM ${stg}) AS s WHERE ${q("_rcu_rn")} = 1`;
      }
      const targetCols = [...this.columns, ...META_COLUMNS.map((m) => m.name)];
      const exprs = [
        ...this.columns.map((c) => castExpr(dialect, c, typeOf(c))),
        dialect.stringLiteral(loadId),
        `CAST(${dialect.stringLiteral(at)} AS ${dialect.columnType("timestamp")})`,
        q("_rcu_input"),
        `CAST(${q("_rcu_position")} AS ${dialect.columnType("bigint")})`,
        q("_rcu_hash"),
      ];
      out.push([`INSERT INTO ${dialect.qualify(this.raw)} (${targetCols.map(q).join(", ")}) SELECT ${exprs.join(", ")} FROM ${from}`, []]);
    }
    out.push([publishRejects(dialect, this.rejects, { loadId, source: this.init.source, stream: this.init.stream, at }), []]);
    out.push([dialect.drop(this.staging, "table"), []]);
    out.push([dialect.drop(this.rejects, "table"), []]);
    return out;
  }

  /**
   * Direct mode: create the raw table (first batch) and add columns it lacks, inside the load's
   * transaction; for `replace`, empty it first (the DELETE is rolled back if the load fails).
   */
  private async ensureRaw(): Promise<void> {
    const { conn, dialect, options } = this.init;
    const typeOf = (c: string): string => dialect.columnType(this.types.get(c.toLowerCase()) ?? "text");
    if (this.rawHas === null) {
      if (!this.rawExists) {
        await conn.execute(
          dialect.createTable(this.raw, [
            ...this.columns.map((name) => ({ name, type: typeOf(name) })),
            ...META_COLUMNS.map((m) => ({ name: m.name, type: dialect.columnType(m.type) })),
          ]),
        );
        this.rawHas = new Set(this.columns.map((c) => c.toLowerCase()));
      } else this.rawHas = new Set(this.rawColumns.map((c) => c.toLowerCase()));
      if (options.writeDisposition === "replace" && this.rawExists) {
        await conn.execute(`DELETE FROM ${dialect.qualify(this.raw)}`);
      }
      this.cleared = true;
    }
    for (const name of this.columns) {
      if (this.rawHas.has(name.toLowerCase())) continue;
      await conn.execute(`ALTER TABLE ${dialect.qualify(this.raw)} ADD COLUMN ${dialect.quoteIdentifier(name)} ${typeOf(name)}`);
      this.rawHas.add(name.toLowerCase());
    }
  }

  /** rows in = landed + rejected, checked against what the warehouse actually holds. */
  private async verifyStaging(): Promise<void> {
    const { conn, dialect } = this.init;
    const q = dialect.quoteIdentifier;
    const count = async (r: Relation, where = ""): Promise<number> =>
      Number((await conn.query(`SELECT COUNT(*) AS n FROM ${dialect.qualify(r)}${where}`))[0]?.n ?? -1);
    const lit = dialect.stringLiteral(this.init.loadId);
    const staged = this.direct
      ? this.rawHas === null
        ? 0
        : await count(this.raw, ` WHERE ${q("_rcu_load_id")} = ${lit}`)
      : await count(this.staging);
    const rejected = this.direct ? await count(REJECTED, ` WHERE ${q("load_id")} = ${lit}`) : await count(this.rejects);
    const c = this.counts;
    if (staged !== c.staged || rejected !== c.rejected || c.rowsIn !== c.staged + c.rejected) {
      throw new RcuError(
        "INTERNAL",
        `Row accounting mismatch for ${this.init.source}.${this.init.stream}: in ${c.rowsIn}, staged ${staged} (expected ${c.staged}), rejected ${rejected} (expected ${c.rejected})`,
        { doing: "extract", action: `${this.init.source}.${this.init.stream}` },
      );
    }
  }

  /** Drop staging after a failure (best effort: the next run drops leftovers too). */
  async discard(): Promise<void> {
    const { conn, dialect } = this.init;
    if (this.direct) {
      await conn.execute(dialect.rollback()).catch((e: unknown) => errorMessage(e));
      return;
    }
    for (const r of [this.staging, this.rejects]) {
      await conn.execute(dialect.drop(r, "table")).catch((e: unknown) => errorMessage(e));
    }
  }
}
