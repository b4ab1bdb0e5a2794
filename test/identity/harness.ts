/**
 * Test harness for the includes/ normalisation helpers: loads them as Dataform would (CommonJS,
 * `dataform.projectConfig.vars.rcu_engine = "duckdb"`), loads input values into an in-memory
 * DuckDB table and evaluates helper expressions over them.
 */
import { DuckDBWarehouse } from "../../engine/warehouses/duckdb/driver.js";
import type { Connection, Row } from "../../engine/warehouses/types.js";
import { loadInclude } from "../helpers.js";

type Sql = string;
export interface EmailHelpers {
  normalize(e: Sql): Sql;
  isValid(e: Sql): Sql;
  isJunk(e: Sql): Sql;
  matchKey(e: Sql): Sql;
  matchKeyOfNormalized(n: Sql): Sql;
  isHouseholdMailbox(key: Sql, prefixes: readonly string[]): Sql;
  givenBesideSurname(key: Sql, surname: Sql): Sql;
  initialBeforeSurname(key: Sql, surname: Sql): Sql;
  isDistinctive(key: Sql): Sql;
  domainCorrections(counts: Sql): Sql;
  HOUSEHOLD_MAILBOXES: string[];
}
/** Layers of named columns (relations.layerCtes). */
export type Layers = ReadonlyArray<ReadonlyArray<readonly [string, Sql]>>;
export interface PhoneHelpers {
  e164(e: Sql, defaultCountry?: Sql): Sql;
  invalidReason(e: Sql, defaultCountry?: Sql): Sql;
  layers(column: Sql, defaultCountry: Sql | undefined, prefix: string): Layers;
  isMobile(e164: Sql): Sql;
  COUNTRIES: Record<string, { callingCode: string; trunk: string; min: number; max: number; pattern: string }>;
  MOBILE: Record<string, string>;
}
export interface NameHelpers {
  display(e: Sql): Sql;
  matchKey(e: Sql): Sql;
  firstToken(e: Sql): Sql;
  initial(e: Sql): Sql;
  phonetic(e: Sql): Sql;
  phoneticOfKey(key: Sql): Sql;
  canonicalFirstName(e: Sql): Sql;
  canonicalFirstNameOfKey(key: Sql): Sql;
  initialsOfKey(key: Sql): Sql;
}
export interface AddressHelpers {
  line(e: Sql): Sql;
  postcode(e: Sql, country?: Sql): Sql;
  city(e: Sql): Sql;
}
export interface DateHelpers {
  parse(e: Sql): Sql;
  parseBirthDate(e: Sql): Sql;
  invalidReason(e: Sql): Sql;
  birthDateInvalidReason(e: Sql): Sql;
  birthDateLayers(column: Sql, prefix: string): Layers;
}

export const load = <T>(file: string): T => loadInclude<T>(file);

export class Duck {
  private wh = new DuckDBWarehouse({ engine: "duckdb", path: ":memory:" });
  private conn!: Connection;
  private n = 0;

  async open(): Promise<void> {
    this.conn = await this.wh.connect();
  }

  async close(): Promise<void> {
    await this.conn.close();
    await this.wh.close();
  }

  query(sql: string): Promise<Row[]> {
    return this.conn.query(sql);
  }

  /** Load `values` into a fresh table `(id, v)` and return its name. */
  async table(values: ReadonlyArray<string | null>): Promise<string> {
    const name = `input_${++this.n}`;
    await this.conn.execute(`CREATE TABLE ${name} (id INTEGER, v VARCHAR)`);
    await this.conn.append({ schema: "main", name }, ["id", "v"], values.map((v, i) => [i, v]));
    return name;
  }

  /** Evaluate each expression (a function of the SQL column `v`) over `values`, in input order. */
  async eval<K extends string>(
    values: ReadonlyArray<string | null>,
    exprs: Record<K, (col: Sql) => Sql>,
  ): Promise<Array<Record<K, unknown> & { v: string | null }>> {
    const table = await this.table(values);
    const cols = Object.entries(exprs as Record<string, (c: Sql) => Sql>).map(([k, f]) => `${f("v")} AS "${k}"`);
    const rows = await this.conn.query(`SELECT v, ${cols.join(", ")} FROM ${table} ORDER BY id`);
    return rows as Array<Record<K, unknown> & { v: string | null }>;
  }

  /**
   * Evaluate `layers` of named columns (relations.layerCtes: [[column, expression of v and earlier
   * columns], …] per layer) over `values`, in input order: every column of the last layer.
   */
  async evalLayers(values: ReadonlyArray<string | null>, layers: Layers): Promise<Row[]> {
    const table = await this.table(values);
    const { ctes, last } = load<{ layerCtes(from: string, l: Layers, name: string): { ctes: string; last: string } }>("relations.js").layerCtes("input", layers, "layer");
    return this.conn.query(`WITH input AS (SELECT id, v FROM ${table}), ${ctes} SELECT * FROM ${last} ORDER BY id`);
  }

  /** Map input → value of one expression. */
  async map(values: ReadonlyArray<string | null>, f: (col: Sql) => Sql): Promise<unknown[]> {
    const rows = await this.eval(values, { out: f });
    return rows.map((r) => r.out);
  }
}
