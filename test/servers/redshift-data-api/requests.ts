/**
 * Request fields the Data API test server's operations share: the target (ClusterIdentifier with
 * DbUser or SecretArn, or WorkgroupName; Database), validated as the Data API does, and paging
 * (NextToken, an opaque offset; MaxResults, capped at the server's page size).
 */
import { ApiError } from "./errors.js";

export function target(body: Record<string, unknown>): Record<string, string> {
  const cluster = body.ClusterIdentifier;
  const workgroup = body.WorkgroupName;
  if ((typeof cluster === "string") === (typeof workgroup === "string")) {
    throw new ApiError("ValidationException", "Either ClusterIdentifier or WorkgroupName must be specified.");
  }
  if (typeof body.Database !== "string" || !body.Database) throw new ApiError("ValidationException", "Database is required.");
  if (typeof cluster === "string" && typeof body.DbUser !== "string" && typeof body.SecretArn !== "string") {
    throw new ApiError("ValidationException", "Either DbUser or SecretArn must be specified for a cluster.");
  }
  const out: Record<string, string> = {};
  for (const k of ["ClusterIdentifier", "WorkgroupName", "DbUser", "SecretArn", "Database"]) {
    if (typeof body[k] === "string") out[k] = body[k] as string;
  }
  return out;
}

export const token = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64");
export const fromToken = (t: unknown): number => {
  if (t === undefined || t === null) return 0;
  try {
    return Number((JSON.parse(Buffer.from(String(t), "base64").toString("utf8")) as { offset: number }).offset) || 0;
  } catch {
    throw new ApiError("ValidationException", "Invalid NextToken.");
  }
};
export function page<T>(items: T[], body: Record<string, unknown>, pageSize: number): { items: T[]; NextToken?: string } {
  const offset = fromToken(body.NextToken);
  const size = typeof body.MaxResults === "number" && body.MaxResults > 0 ? Math.min(body.MaxResults, pageSize) : pageSize;
  const slice = items.slice(offset, offset + size);
  return offset + size < items.length ? { items: slice, NextToken: token(offset + size) } : { items: slice };
}
