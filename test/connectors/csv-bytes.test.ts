/**
 * The byte tokenizer (UTF-8 files) against the string tokenizer and csv-parse: same records, raw
 * text, JSON (hence record hashes), positions, rejects and batch boundaries, on random CSVs with
 * multibyte characters cut by chunk boundaries, controls, backslashes, quotes, CRLF, BOMs and
 * ragged rows; invalid UTF-8 and U+FFFD hand the file over to the string path.
 */
import { createHash, hash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { readCsv } from "../../connectors/files/csv.js";
import { ByteCsvTokenizer } from "../../connectors/files/csv-bytes.js";
import { FastCsvTokenizer } from "../../connectors/files/csv-fast.js";
import { encodedLines } from "../../connectors/land/encoded.js";
import { rowHash } from "../../connectors/land/values.js";
import type { CsvOptions } from "../../connectors/config.js";
import type { RecordBatch } from "../../connectors/types.js";
import { randomCsv, rng } from "./csv-random.js";
import { testProject, type TestProject } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rcu-csvbytes-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Characters the byte path must copy or escape exactly as JSON.stringify does. */
const EXTRA = ["😀", "\\", "\u0001", "\u001f", "\u007f", "\u2028", '"', "'", "ß", "\b\f", "日本"];

function textFor(seed: number, d: string, q: string, dirt: boolean): string {
  const text = randomCsv(rng(seed), d, q, dirt, EXTRA);
  // Most files without U+FFFD, which makes the byte path hand over.
  return seed % 5 === 0 ? text : text.replaceAll("\uFFFD", "ü");
}

interface Rec {
  record: string[];
  raw: string;
}

function byteRecords(bytes: Buffer, d: string, q: string, r: () => number): { records: Rec[]; bailed: boolean } {
  const records: Rec[] = [];
  const tok: ByteCsvTokenizer = new ByteCsvTokenizer(d, q, (n, start, end) => {
    const json = tok.out.toString("utf8", start, end);
    const record = JSON.parse(json) as string[];
    expect(record.length).toBe(n);
    // The bytes are exactly JSON.stringify's, so the record hash is the string path's.
    expect(json).toBe(JSON.stringify(record));
    records.push({ record, raw: tok.lastRaw() });
    return r() < 0.5;
  });
  let i = 0;
  while (i < bytes.length && !tok.bailed) {
    const n = 1 + Math.floor(r() * (r() < 0.5 ? 4 : 64));
    tok.push(bytes.subarray(i, i + n), false);
    i += n;
  }
  if (!tok.bailed) tok.push(Buffer.alloc(0), true);
  expect(tok.records).toBe(records.length);
  return { records, bailed: tok.bailed };
}

function stringRecords(text: string, d: string, q: string): { records: Rec[]; bailed: boolean } {
  const records: Rec[] = [];
  const tok = new FastCsvTokenizer(d, q, (fields) => records.push({ record: fields, raw: tok.lastRaw() }));
  tok.push(text, true);
  return { records, bailed: tok.bailed };
}

async function batches(abs: string, opts: Partial<CsvOptions>, parser: "auto" | "strings" | "csv-parse", batchSize: number) {
  const out: RecordBatch[] = [];
  let fileHash = "";
  for await (const b of readCsv({ abs, rel: "f.csv" }, opts, batchSize, (h) => (fileHash = h), parser)) out.push(b);
  return { batches: out, hash: fileHash };
}

function flatten(bs: RecordBatch[]) {
  return {
    columns: bs.map((b) => b.columns),
    sizes: bs.map((b) => [b.rows.length, b.rejects.length]),
    rows: bs.flatMap((b) => b.rows.map((row, i) => ({ position: b.positions[i], row, json: b.json?.[i] ?? JSON.stringify(row) }))),
    rejects: bs.flatMap((b) => b.rejects),
  };
}

describe("byte CSV tokenizer", () => {
  it("gives the string tokenizer's records, raw text and JSON on random UTF-8 CSVs cut anywhere", () => {
    let bails = 0;
    let clean = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed * 31);
      const [d, q] = seed % 3 === 0 ? [";", "'"] : seed % 3 === 1 ? [",", '"'] : ["\t", '"'];
      const text = textFor(seed, d!, q!, seed % 2 === 0);
      const ref = stringRecords(text, d!, q!);
      const got = byteRecords(Buffer.from(text), d!, q!, r);
      if (got.bailed) {
        bails++;
        expect(got.records, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(ref.records.slice(0, got.records.length));
      } else {
        clean++;
        expect(ref.bailed, `seed ${seed}`).toBe(false);
        expect(got.records, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(ref.records);
      }
      if (!ref.bailed && !text.includes("\uFFFD")) expect(got.bailed, `seed ${seed}: ${JSON.stringify(text)}`).toBe(false);
    }
    expect(bails).toBeGreaterThan(100);
    expect(clean).toBeGreaterThan(1500);
  });

  it("hands over at invalid UTF-8 and U+FFFD, after the records before them", () => {
    const bad = Buffer.concat([Buffer.from("a,b\n1,2\n3,"), Buffer.from([0xc3, 0x28]), Buffer.from("\n5,6\n")]);
    // In 2-byte chunks: the records of earlier chunks are produced, the bad chunk hands over.
    const got = byteRecords(bad, ",", '"', () => 0.3);
    expect(got.bailed).toBe(true);
    expect(got.records.map((x) => x.record)).toEqual([["a", "b"], ["1", "2"]]);
    const fffd = byteRecords(Buffer.from("a,b\n1,\uFFFD\n"), ",", '"', () => 0.9);
    expect(fffd.bailed).toBe(true);
    // A character cut by a chunk boundary is not invalid.
    const tok = new ByteCsvTokenizer(",", '"', () => true);
    const cut = Buffer.from("a,é😀\n");
    for (let i = 0; i < cut.length; i++) expect(tok.push(cut.subarray(i, i + 1), false)).toBe(true);
    expect(tok.push(Buffer.alloc(0), true)).toBe(true);
    expect(tok.records).toBe(1);
  });

  it("readCsv: bytes, strings and csv-parse give identical batches on random files, options and bad bytes", async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed * 104729);
      const text = textFor(seed, ",", '"', seed % 2 === 0);
      let bytes = Buffer.from(text);
      if (seed % 4 === 0 && bytes.length > 4) {
        // Invalid UTF-8 somewhere: the records from there on are csv-parse's / the decoder's.
        const at = Math.floor(r() * bytes.length);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xe9]), bytes.subarray(at)]);
      }
      const abs = path.join(dir, `r${seed}.csv`);
      await writeFile(abs, bytes);
      const opts: Partial<CsvOptions> = { ...(seed % 5 === 0 ? { header: false } : {}), ...(seed % 7 === 0 ? { columns: ["p", "q"] } : {}) };
      const size = 1 + (seed % 9);
      const [auto, strings, ref] = await Promise.all([batches(abs, opts, "auto", size), batches(abs, opts, "strings", size), batches(abs, opts, "csv-parse", size)]);
      const msg = `seed ${seed}: ${JSON.stringify(bytes.toString("latin1"))}`;
      expect(flatten(auto.batches), msg).toEqual(flatten(strings.batches));
      expect(flatten(auto.batches), msg).toEqual(flatten(ref.batches));
      expect(auto.hash).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(strings.hash).toBe(auto.hash);
    }
  });

  it("leaves records of several MiB to the string path, with the same result", async () => {
    const abs = path.join(dir, "huge.csv");
    await writeFile(abs, `a,b\n1,x\n2,"${"é\n".repeat(3 << 20)}"\n3,y\n`);
    const [auto, ref] = await Promise.all([batches(abs, {}, "auto", 1), batches(abs, {}, "csv-parse", 1)]);
    expect(flatten(auto.batches)).toEqual(flatten(ref.batches));
    // Row 1 came from the byte path, rows 2 and 3 from the string path (then the closing batch).
    expect(auto.batches.map((b) => b.encoded !== undefined)).toEqual([true, false, false, false]);
  });

  it("frames encoded rows exactly as the loader frames strings, with the same record hash", async () => {
    const abs = path.join(dir, "frame.csv");
    await writeFile(abs, 'a,b,c\n1,"x, ""y""",é😀\n2,\\,"l1\r\nl2"\n3,\u0001,\n');
    const { batches: bs } = await batches(abs, {}, "auto", 100);
    const b = bs[0]!;
    expect(b.encoded).toBeDefined();
    const lines = encodedLines(b.encoded!, b.positions);
    const text = lines.buf.toString("utf8");
    // What the loader builds for the same rows from strings (values.ts rowHash).
    const expected = b.rows.map((row, i) => `["${b.positions[i]}","${rowHash(row)}",${JSON.stringify(row).slice(1)}`);
    expect(text).toBe(expected.join("\n") + "\n");
    expect(lines.rows).toBe(3);
    expect(lines.maxLineBytes).toBe(Math.max(...expected.map((l) => Buffer.byteLength(l))));
  });
});

describe("byte path landing", () => {
  let p: TestProject;
  afterEach(async () => p?.dispose());

  it("lands the hashes the string path lands (pinned), and rejects like before", async () => {
    p = await testProject();
    // Valid UTF-8 (byte path) and the same file with a stray invalid byte in its last record
    // (the string path lands it): identical rows and hashes up to there.
    const body = 'id,name,note\n1,Zoë,"a ""q"", b"\n2,😀,\\x\n3,ragged\n';
    await p.write("ok/a.csv", body + "4,x,y\n");
    await p.write("bad/a.csv", Buffer.concat([Buffer.from(body + "4,x,"), Buffer.from([0xff]), Buffer.from("\n")]));
    const land = (stream: string, glob: string) =>
      runExtract({
        sources: { s: { type: "files", format: "csv", streams: { [stream]: { path: glob } } } },
        warehouse: p.warehouse,
        env: {},
        projectDir: p.dir,
      });
    expect((await land("ok", "ok/*.csv")).streams[0]).toMatchObject({ status: "succeeded", rowsIn: 4, rowsLanded: 3, rowsRejected: 1 });
    expect((await land("bad", "bad/*.csv")).streams[0]).toMatchObject({ status: "succeeded", rowsIn: 4, rowsLanded: 2, rowsRejected: 2 });
    const rows = (t: string) => p.query(`SELECT id, name, note, _rcu_position, _rcu_hash FROM raw.${t} ORDER BY _rcu_position`);
    const ok = await rows("s_ok");
    expect((await rows("s_bad")).slice(0, 2)).toEqual(ok.slice(0, 2));
    // Pinned: the hashes rcu landed for these rows before the byte path existed (SHA-1 of the
    // row's JSON text).
    expect(ok.slice(0, 2).map((r) => r._rcu_hash)).toEqual(["ccdd4496e364bd869c49599e564d8ecffe2f06ba", "282860c4b72894ac6a98645538b6a006f8f18ff7"]);
    expect(ok[0]!._rcu_hash).toBe(hash("sha1", '["1","Zoë","a \\"q\\", b"]', "hex"));
    expect(ok.map((r) => r.name)).toEqual(["Zoë", "😀", "x"]);
    const rejects = await p.query(`SELECT stream, position, raw, reason FROM rcu_meta.rejected_records ORDER BY stream, position`);
    expect(rejects).toEqual([
      { stream: "bad", position: 3, raw: "3,ragged", reason: "expected 3 fields, found 2" },
      { stream: "bad", position: 4, raw: "4,x,\uFFFD", reason: "invalid UTF-8 byte sequence (shown as U+FFFD)" },
      { stream: "ok", position: 3, raw: "3,ragged", reason: "expected 3 fields, found 2" },
    ]);
  });
});
