/**
 * The Data API test server's catalog operations, ListTables and DescribeTable, answered from
 * PostgreSQL's information_schema (pg_catalog and information_schema left out) and paginated
 * like the Data API. They queue on the server's single PGlite session like statements.
 */
import type { PGlite } from "@electric-sql/pglite";
import { page, target } from "./requests.js";
import type { Operation } from "./types.js";

export interface CatalogContext {
  readonly db: PGlite;
  /** The server's queue: one statement at a time on the single PGlite session. */
  readonly serially: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Tables per ListTables page and schema-wide DescribeTable page; a table's columns per DescribeTable page. */
  readonly pageSize: number;
  /** Whether schema-wide DescribeTable listings name each column's table (false after `omitTableNames(true)`). */
  readonly tableNames: () => boolean;
}

export function catalogOperations({ db, serially, pageSize, tableNames }: CatalogContext): Record<"ListTables" | "DescribeTable", Operation> {
  return {
    async ListTables(body) {
      target(body);
      const schemaPattern = typeof body.SchemaPattern === "string" ? body.SchemaPattern : "%";
      const tablePattern = typeof body.TablePattern === "string" ? body.TablePattern : "%";
      const res = await serially(() =>
        db.query<{ schema: string; name: string; type: string }>(
          `SELECT table_schema AS schema, table_name AS name, CASE table_type WHEN 'VIEW' THEN 'VIEW' ELSE 'TABLE' END AS type
             FROM information_schema.tables
            WHERE table_schema LIKE $1 AND table_name LIKE $2
              AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2`,
          [schemaPattern, tablePattern],
        ),
      );
      const p = page(res.rows, body, pageSize);
      return { Tables: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    // With no Table, every table of the schema (with no Schema either, of every schema), each
    // column naming its schema and table, as the Data API documents.
    async DescribeTable(body) {
      target(body);
      const schema = typeof body.Schema === "string" ? body.Schema : null;
      const table = typeof body.Table === "string" ? body.Table : null;
      const res = await serially(() =>
        db.query<{ schemaName: string; tableName: string; name: string; typeName: string; nullable: number; length: number | null; precision: number | null; scale: number | null; columnDefault: string | null }>(
          `SELECT table_schema AS "schemaName", table_name AS "tableName", column_name AS name, udt_name AS "typeName",
                  CASE is_nullable WHEN 'YES' THEN 1 ELSE 0 END AS nullable,
                  character_maximum_length AS length, numeric_precision AS precision, numeric_scale AS scale,
                  column_default AS "columnDefault"
             FROM information_schema.columns
            WHERE table_schema = coalesce($1, table_schema) AND table_name = coalesce($2, table_name)
              AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY table_schema, table_name, ordinal_position`,
          [schema, table],
        ),
      );
      const columns = res.rows.map(({ tableName, ...c }) => ({ ...c, ...(tableNames() || table ? { tableName } : {}), typeName: c.typeName === "text" ? "varchar" : c.typeName }));
      if (table) {
        const p = page(columns, body, pageSize);
        return { TableName: table, ColumnList: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
      }
      // A schema-wide listing pages by tables (MaxResults: "the maximum number of tables to
      // return"), each table's columns whole.
      const tables = [...new Set(res.rows.map((c) => `${c.schemaName}.${c.tableName}`))];
      const p = page(tables, body, pageSize);
      const shown = new Set(p.items);
      return { ColumnList: columns.filter((_, i) => shown.has(`${res.rows[i]!.schemaName}.${res.rows[i]!.tableName}`)), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  };
}
