/**
 * What the Data API test server keeps of a statement: its status, its result (columns and
 * records in the Data API's field shape) and, for ExecuteStatement/BatchExecuteStatement, its
 * parameters, target and batch members (each a sub-statement `Id:N`).
 */
export type Status = "SUBMITTED" | "PICKED" | "STARTED" | "FINISHED" | "ABORTED" | "FAILED";

export interface Column {
  name: string;
  typeName: string;
}
export type FieldJson = { isNull: true } | { longValue: number } | { doubleValue: number } | { booleanValue: boolean } | { stringValue: string };

export interface Sub {
  id: string;
  sql: string;
  status: Status;
  error?: string;
  resultRows: number;
  hasResultSet: boolean;
  columns: Column[];
  records: FieldJson[][];
  createdAt: number;
  updatedAt: number;
}

export interface Statement extends Sub {
  batch: Sub[] | null;
  params: Array<{ name: string; value: string }>;
  database: string;
  target: Record<string, string>;
}

/** A Data API operation: the request's JSON body in, the response's JSON body out. */
export type Operation = (body: Record<string, unknown>) => Promise<unknown> | unknown;
