/**
 * The fast CSV tokenizer against csv-parse (the reference): same records, same raw text, same
 * positions and reject reasons, on the malformed corpus and on random CSVs with quotes, embedded
 * delimiters and newlines, ragged rows, mixed line endings, empty lines and BOMs.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../../connectors/files/csv.js";
import { FastCsvTokenizer, fastCsvSupports } from "../../connectors/files/csv-fast.js";
import type { CsvOptions } from "../../connectors/config.js";
import type { RecordBatch } from "../../connectors/types.js";
import { randomCsv, rng } from "./csv-random.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rcu-csvfast-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const PARSE_OPTS = {
  bom: true,
  raw: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  record_delimiter: ["\r\n", "\n", "\r"],
};

let jsonMisses = 0;

/** Tokenizer records (fields + raw), fed in random chunk sizes. */
function fastRecords(text: string, d: string, q: string, r: () => number): { records: Array<{ record: string[]; raw: string }>; bailed: boolean } {
  const records: Array<{ record: string[]; raw: string }> = [];
  const tok = new FastCsvTokenizer(d, q, (fields, json) => {
    // The JSON the tokenizer builds without escaping is exactly JSON.stringify's.
    if (json !== undefined) expect(json).toBe(JSON.stringify(fields));
    else jsonMisses++;
    records.push({ record: fields, raw: tok.lastRaw() });
  });
  let i = 0;
  while (i < text.length && !tok.bailed) {
    const n = 1 + Math.floor(r() * (r() < 0.5 ? 4 : 64));
    tok.push(text.slice(i, i + n), false);
    i += n;
  }
  if (!tok.bailed) tok.push("", true);
  expect(tok.records).toBe(records.length);
  return { records, bailed: tok.bailed };
}

function refRecords(text: string, d: string, q: string): { records: Array<{ record: string[]; raw: string }>; skips: number } {
  let skips = 0;
  const records = parse(text, { ...PARSE_OPTS, delimiter: d, quote: q, escape: q, on_skip: () => void skips++ }) as unknown as Array<{
    record: string[];
    raw: string;
  }>;
  return { records: records.map((x) => ({ record: x.record, raw: x.raw })), skips };
}

async function batches(abs: string, opts: Partial<CsvOptions>, parser: "auto" | "csv-parse", batchSize = 7): Promise<{ batches: RecordBatch[]; hash: string }> {
  const out: RecordBatch[] = [];
  let hash = "";
  for await (const b of readCsv({ abs, rel: "f.csv" }, opts, batchSize, (h) => (hash = h), parser)) {
    b.json?.forEach((j, i) => j !== undefined && expect(j).toBe(JSON.stringify(b.rows[i])));
    out.push(b);
  }
  return { batches: out, hash };
}

/** What the loader sees, independent of batch boundaries. */
function flatten(bs: RecordBatch[]) {
  return {
    columns: bs.map((b) => b.columns),
    rows: bs.flatMap((b) => b.rows.map((row, i) => ({ position: b.positions[i], row }))),
    rejects: bs.flatMap((b) => b.rejects),
  };
}

describe("fast CSV tokenizer vs csv-parse", () => {
  it("supports only the common options", () => {
    expect(fastCsvSupports({ delimiter: ",", quote: '"', escape: '"' })).toBe(true);
    expect(fastCsvSupports({ delimiter: ";", quote: "'", escape: "'" })).toBe(true);
    expect(fastCsvSupports({ delimiter: ",", quote: '"', escape: "\\" })).toBe(false);
    expect(fastCsvSupports({ delimiter: "||", quote: '"', escape: '"' })).toBe(false);
  });

  it("produces csv-parse's records and raw text on random CSVs (any chunking), up to where it hands over", () => {
    let bails = 0;
    let clean = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      const [d, q] = seed % 3 === 0 ? [";", "'"] : seed % 3 === 1 ? [",", '"'] : ["\t", '"'];
      const dirt = seed % 2 === 0;
      const text = randomCsv(r, d!, q!, dirt);
      const ref = refRecords(text, d!, q!);
      const fast = fastRecords(text, d!, q!, r);
      if (fast.bailed) {
        bails++;
        expect(fast.records, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(ref.records.slice(0, fast.records.length));
      } else {
        clean++;
        expect(ref.skips, `seed ${seed}`).toBe(0);
        expect(fast.records, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(ref.records);
      }
      if (!dirt) expect(fast.bailed, `seed ${seed}: well-formed CSV must not need csv-parse: ${JSON.stringify(text)}`).toBe(false);
    }
    expect(bails).toBeGreaterThan(50);
    expect(jsonMisses).toBeGreaterThan(0);
    expect(clean).toBeGreaterThan(1000);
  });

  const corpus: Record<string, string | Buffer> = {
    "01_quotes.csv": 'a,b,c\n1,"2"x,3\n4,5,6\n7,"8,9\n',
    "02_ragged.csv": "a,b,c\n1,2\n3,4,5,6\n7,8,9\n",
    "03_utf8.csv": Buffer.concat([Buffer.from("a,b,c\n1,"), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(",3\n4,5,6\n")]),
    "04_bom.csv": "\uFEFFa,b,c\n1,2,3\n",
    "05_empty.csv": "",
    "06_header_only.csv": "a,b,c\n",
    "07_big.csv": `a,b,c\n1,${"x".repeat(5 * 1024 * 1024)},3\n2,"${"y\n".repeat(2 * 1024 * 1024)}",4\n`,
    "08_mixed_eol.csv": "a,b,c\r\n1,2,3\n4,5,6\r7,8,9\r\n",
    "09_empty_lines.csv": "a,b\n\n\r\n1,2\n\r\r\n3\n",
    "10_stray_late.csv": `a,b\n${"1,2\n".repeat(50)}3,x"y\n4,5\n6,"7\n`,
    "11_quoted_newlines.csv": 'a,b\r\n"x\r\ny","p ""q"" r"\r\n"",""\r\n',
    "12_no_final_eol.csv": "a,b\n1,2\n3,",
    "13_cr_only.csv": "a,b\r1,2\r3,4",
  };

  it("readCsv gives identical batches with both parsers on the malformed corpus", async () => {
    for (const [name, content] of Object.entries(corpus)) {
      const abs = path.join(dir, name);
      await writeFile(abs, content);
      const fast = await batches(abs, {}, "auto");
      const ref = await batches(abs, {}, "csv-parse");
      expect(flatten(fast.batches), name).toEqual(flatten(ref.batches));
      expect(fast.hash, name).toBe(ref.hash);
      expect(fast.batches.length, name).toBe(ref.batches.length);
    }
  });

  it("readCsv gives identical batches on random files, encodings and header options", async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed * 7919);
      const text = randomCsv(r, ",", '"', seed % 2 === 0);
      const enc = (["utf-8", "windows-1252", "utf-16le"] as const)[seed % 3]!;
      const abs = path.join(dir, `r${seed}.csv`);
      await writeFile(abs, enc === "utf-8" ? Buffer.from(text) : iconv.encode(text.replace(/[\uFFFD—é]/g, "e"), enc));
      const opts: Partial<CsvOptions> = { encoding: enc, ...(seed % 5 === 0 ? { header: false } : {}), ...(seed % 7 === 0 ? { columns: ["p", "q"] } : {}) };
      const fast = await batches(abs, opts, "auto", 1 + (seed % 9));
      const ref = await batches(abs, opts, "csv-parse", 1 + (seed % 9));
      expect(flatten(fast.batches), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(flatten(ref.batches));
    }
  });

  it("builds rows' JSON without escaping only where nothing needs escaping", () => {
    const got: Array<string | undefined> = [];
    const tok = new FastCsvTokenizer(",", '"', (_f, json) => got.push(json));
    tok.push('a,"b,c",d\n1,"x\ny",2\n3,"p""q",4\n5,6,7\n', true);
    expect(got).toEqual(['["a","b,c","d"]', undefined, '["3","p\\"q","4"]', '["5","6","7"]']);
    const got2: Array<string | undefined> = [];
    const tok2 = new FastCsvTokenizer(",", '"', (_f, json) => got2.push(json));
    tok2.push("a,b\n1,\\\n2,\u0001\n", true);
    expect(got2).toEqual([undefined, undefined, undefined]);
  });

  it("keeps csv-parse for options the tokenizer does not implement", async () => {
    const abs = path.join(dir, "esc.csv");
    await writeFile(abs, 'a,b\n"x\\"y",2\n');
    const fast = await batches(abs, { escape: "\\" }, "auto");
    expect(flatten(fast.batches).rows).toEqual([{ position: 1, row: ['x"y', "2"] }]);
  });
});
