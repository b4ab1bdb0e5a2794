/**
 * The engine boundary. Everything engine-specific lives behind two interfaces:
 *
 * - `Dialect`: pure SQL generation (quoting, DDL, merge, assertion wrappers) plus capability
 *   flags. No I/O, so plans built with it can be golden-tested.
 * - `Warehouse` / `Connection`: the driver — connect, execute, read, introspect, bulk append.
 *
 * Shared code (plan, execute, connectors) only ever talks to these; adding an engine means adding a
 * folder under `engine/warehouses/` and a name to `EngineName`, after which every golden test that
 * is typed `Record<EngineName, …>` fails to compile until the new engine's expected SQL is written.
 */

/** Engines rcu can run on. Extend this union to add one (see the comment above). */
export type EngineName = "duckdb" | "snowflake" | "postgres" | "redshift";

/** A fully resolved relation. `database` is kept only where the engine can address it. */
export interface Relation {
  readonly database?: string | undefined;
  readonly schema: string;
  readonly name: string;
}

export type RelationKind = "table" | "view";

export interface RelationInfo extends Relation {
  readonly kind: RelationKind;
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** Values that can be bound as statement parameters or appended in bulk. */
export type SqlValue = string | number | bigint | boolean | null | Date;

export type Row = Record<string, unknown>;

export interface Capabilities {
  /** DDL inside BEGIN … COMMIT is rolled back on failure (DuckDB, PostgreSQL; not Snowflake). */
  readonly transactionalDdl: boolean;
  /** `MERGE INTO` is available; otherwise incremental upserts use DELETE + INSERT. */
  readonly merge: boolean;
  /** `CREATE OR REPLACE TABLE … AS` is atomic on its own. */
  readonly createOrReplaceTable: boolean;
  /** Whether a three-part name (`database.schema.name`) can address another database. */
  readonly crossDatabase: boolean;
  /**
   * The largest statement the engine accepts, in bytes of UTF-8 (the Redshift Data API refuses
   * SQL over 100 KB), or null. The planner refuses a plan holding a larger statement, naming its
   * action, before anything runs.
   */
  readonly maxStatementBytes: number | null;
}

/**
 * How the compiler renders targets and string literals inside `@dataform/core`. Plain data only:
 * it crosses into the compile sandbox, where functions from this realm must not go.
 */
export interface RenderSpec {
  readonly identifierQuote: string;
  readonly stringQuote: string;
  /** How a quote character inside a string literal is written, e.g. `''` or `\'`. */
  readonly stringQuoteEscape: string;
  /** Keep `database` in rendered targets (only when the engine can address other databases). */
  readonly keepDatabase: boolean;
  /**
   * Upper-case an identifier written entirely in lower case (letters, digits, `_`, `$`) before
   * quoting it, so a quoted name means what the unquoted one would (Snowflake folds unquoted
   * identifiers to upper case). Absent/false: identifiers are quoted exactly as written.
   */
  readonly foldLowerCaseIdentifiers?: boolean;
}

export type MetaColumnType = "text" | "bigint" | "double" | "boolean" | "timestamp" | "json";

export interface Dialect {
  readonly name: EngineName;
  readonly capabilities: Capabilities;
  readonly renderSpec: RenderSpec;

  quoteIdentifier(identifier: string): string;
  /** `"schema"."name"` (with the database only where `capabilities.crossDatabase`). */
  qualify(relation: Relation): string;
  stringLiteral(value: string): string;
  /** Positional parameter marker for 1-based index `i`. */
  parameter(i: number): string;
  columnType(type: MetaColumnType): string;

  begin(): string;
  commit(): string;
  rollback(): string;

  createSchema(schema: string, database?: string): string;
  createTableAs(relation: Relation, query: string, options: { replace: boolean }): string;
  createViewAs(relation: Relation, query: string): string;
  createTable(relation: Relation, columns: ReadonlyArray<{ name: string; type: string }>): string;
  drop(relation: Relation, kind: RelationKind): string;
  rename(relation: Relation, newName: string, kind: RelationKind): string;
  insertInto(relation: Relation, columns: readonly string[], query: string): string;
  /** Statements that upsert the rows of `query` into `relation` on `uniqueKey`. */
  upsert(
    relation: Relation,
    query: string,
    uniqueKey: readonly string[],
    columns: readonly string[],
  ): string[];
  /** Lower-case hex SHA-256 of a text expression (privacy: suppression-list hashes). */
  sha256Hex(expr: string): string;
  /** `SELECT COUNT(*) AS failing_rows FROM (query)`. */
  countRows(query: string): string;
  /** The first `n` rows of `query`. */
  limitRows(query: string, n: number): string;
}

export interface ExecResult {
  /** Rows inserted/updated/deleted, where the engine reports it. */
  readonly rowsAffected: number | null;
}

export interface Connection {
  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecResult>;
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Every table and view the connection can see, outside the engine's own catalogs. */
  listRelations(): Promise<RelationInfo[]>;
  listColumns(relation: Relation): Promise<ColumnInfo[]>;
  /**
   * The columns of many relations in one catalog query (Redshift: one DescribeTable listing per
   * schema), keyed by `columnsKey(relation)` of the relations asked for; a relation that does not
   * exist is absent. Planning, `rcu docs` and `rcu forget` read dozens of tables, and on Snowflake
   * and Redshift each `listColumns` is a round trip.
   */
  listColumnsOf(relations: readonly Relation[]): Promise<Map<string, ColumnInfo[]>>;
  /** Fast bulk append of rows (column order as given) into an existing table. Returns rows appended. */
  append(relation: Relation, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number>;
  /**
   * Optional bulk-load capability: append the rows of local JSON Lines files (one statement), each
   * line a JSON array of text values (or null) aligned to `columns`, into an existing table, with
   * `constants` (column → text) in every row. Text is cast to the columns' types by the engine.
   * Returns the rows appended. Engines that can read such files natively (DuckDB) implement it;
   * shared code checks for it and falls back to `append`. `maxLineBytes` and `maxFileBytes`, when
   * given, bound every line's and every file's length (they size the engine's read buffers).
   */
  loadJsonLines?(
    relation: Relation,
    columns: readonly string[],
    files: string | readonly string[],
    constants: Readonly<Record<string, string>>,
    options?: { readonly maxLineBytes?: number; readonly maxFileBytes?: number },
  ): Promise<number>;
  close(): Promise<void>;
}

/** Per-connection settings; engines ignore what they cannot use. */
export interface ConnectOptions {
  /** A label for the session's statements in the warehouse's query history (e.g. the run id). */
  readonly queryTag?: string;
}

export interface Warehouse {
  readonly engine: EngineName;
  readonly dialect: Dialect;
  /** A human description for logs, never containing secrets (e.g. `duckdb:./warehouse.duckdb`). */
  readonly description: string;
  connect(options?: ConnectOptions): Promise<Connection>;
  close(): Promise<void>;
}
