/**
 * Output files: encode each block's big string once (UTF-8 or Windows-1252), hash it
 * incrementally (sha256 for the manifest) and write it with a loop that honours partial writes.
 * The caller awaits the previous block's writes before handing over the next one, which is the
 * backpressure: at most one block is in flight per file, so memory stays bounded.
 */
import { createHash, type Hash } from "node:crypto";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { writeCp1252 } from "./context.js";

export type Encoding = "utf8" | "cp1252";

export function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === "utf8") return Buffer.from(text, "utf8");
  const buf = Buffer.allocUnsafe(text.length);
  writeCp1252(buf, text, 0);
  return buf;
}

export class OutFile {
  bytes = 0;
  private readonly hash: Hash = createHash("sha256");
  private constructor(
    readonly rel: string,
    private readonly handle: FileHandle,
    readonly encoding: Encoding,
  ) {}

  static async open(outDir: string, rel: string, encoding: Encoding): Promise<OutFile> {
    const abs = path.join(outDir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    return new OutFile(rel, await open(abs, "w"), encoding);
  }

  /** Encodes and hashes synchronously, returns the pending write. */
  write(text: string): Promise<void> {
    return this.writeBytes(encode(text, this.encoding));
  }

  /** Hashes synchronously, returns the pending write. */
  writeBytes(buf: Buffer): Promise<void> {
    if (buf.length === 0) return Promise.resolve();
    this.hash.update(buf);
    this.bytes += buf.length;
    return this.writeAll(buf);
  }

  private async writeAll(buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
  }

  async close(): Promise<string> {
    await this.handle.close();
    return this.hash.digest("hex");
  }
}
