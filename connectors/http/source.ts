/**
 * HTTP JSON API streams: page / offset / cursor / Link-header pagination, records at a JSON path,
 * the incremental parameter from the persisted cursor, auth headers from env vars (named in the
 * config, resolved from the `env` passed to runExtract). Position = index of the record in its page;
 * input = the page URL (headers, where secrets live, are never recorded).
 */
import { RcuError } from "../../engine/errors.js";
import type { HttpSourceConfig } from "../config.js";
import { ObjectBatcher } from "../files/decode.js";
import type { ReadContext, RecordBatch, StreamReader } from "../types.js";
import { getJson, nextLink } from "./client.js";
import { atPath } from "./json-path.js";

/** Header values from config: literals, or `{ env, prefix }` read from `env` (secrets never in files). */
export function resolveHeaders(
  source: { readonly headers?: HttpSourceConfig["headers"] },
  env: ReadContext["env"],
  where: string,
  doing = "extract",
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(source.headers ?? {})) {
    if (typeof ref === "string") out[name] = ref;
    else {
      const v = env[ref.env];
      if (v === undefined || v === "") {
        throw new RcuError("CONFIG", `${where}: environment variable ${ref.env} (header ${name}) is not set`, {
          doing,
          action: where,
          hint: `Export ${ref.env} before running rcu ${doing}.`,
        });
      }
      out[name] = (ref.prefix ?? "") + v;
    }
  }
  return out;
}

export function httpStreamReader(sourceName: string, source: HttpSourceConfig, streamName: string): StreamReader {
  const stream = source.streams[streamName]!;
  const where = `${sourceName}.${streamName}`;
  return {
    source: sourceName,
    stream: streamName,
    async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
      const headers = resolveHeaders(source, ctx.env, where);
      const policy = { timeoutMs: source.timeout_ms, maxRetries: source.max_retries, backoffMs: source.backoff_ms };
      const first = new URL(stream.path, source.base_url.endsWith("/") ? source.base_url : `${source.base_url}/`);
      for (const [k, v] of Object.entries(stream.params ?? {})) first.searchParams.set(k, String(v));
      const inc = stream.incremental;
      const since = ctx.state.cursor?.value ?? inc?.initial;
      if (inc && since !== undefined) first.searchParams.set(inc.param, since);
      const pg = stream.pagination;
      let url: string | null;
      let page = pg.type === "page" ? pg.start : 0;
      let offset = 0;
      const withParams = (u: URL, params: Record<string, string | number>): string => {
        const x = new URL(u);
        for (const [k, v] of Object.entries(params)) x.searchParams.set(k, String(v));
        return x.toString();
      };
      const pageUrl = (): string =>
        pg.type === "page"
          ? withParams(first, { [pg.page_param]: page, ...(pg.size_param && pg.size ? { [pg.size_param]: pg.size } : {}) })
          : pg.type === "offset"
            ? withParams(first, { [pg.offset_param]: offset, [pg.limit_param]: pg.limit })
            : first.toString();
      url = pageUrl();
      for (let n = 0; url !== null; n++) {
        if (n >= source.max_pages) throw new RcuError("USAGE", `${where}: more than max_pages (${source.max_pages}) pages`, { doing: "extract", action: where });
        const res = await getJson(url, headers, policy, where);
        const records = atPath(res.body, stream.records_path);
        const batcher = new ObjectBatcher(res.url);
        let count = 0;
        if (Array.isArray(records)) {
          count = records.length;
          records.forEach((r, i) => {
            if (r !== null && typeof r === "object" && !Array.isArray(r)) batcher.add(r as Record<string, unknown>, i);
            else batcher.reject(i, JSON.stringify(r) ?? "null", "not a JSON object");
          });
        } else if (records !== undefined && records !== null) {
          batcher.reject(0, JSON.stringify(records).slice(0, 1_000_000), `no array at ${stream.records_path || "the top level"}`);
        }
        if (batcher.size) yield batcher.take();
        switch (pg.type) {
          case "none":
            url = null;
            break;
          case "page":
            page++;
            url = count === 0 || (pg.size !== undefined && count < pg.size) ? null : pageUrl();
            break;
          case "offset":
            offset += count;
            url = count < pg.limit ? null : pageUrl();
            break;
          case "cursor": {
            const next = atPath(res.body, pg.cursor_path);
            url = next === null || next === undefined || next === "" || count === 0 ? null : withParams(first, { [pg.cursor_param]: String(next) });
            break;
          }
          case "link":
            url = nextLink(res.headers.get("link"), res.url);
            break;
        }
      }
    },
  };
}
