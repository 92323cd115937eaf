/**
 * An append-only JSONL file that buffers lines into 1 MB writes and hashes the bytes as they go,
 * so the manifest's sha256 costs no second pass over hundreds of megabytes. It writes to a
 * `.partial` name and renames on close, so an interrupted run never leaves a plausible-looking file.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, renameSync, writeSync } from "node:fs";

export interface WrittenFile {
  readonly lines: number;
  readonly bytes: number;
  readonly sha256: string;
}

const BUFFER_BYTES = 1 << 20;

export class JsonlFile {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  // Lines are encoded straight into one reused buffer: no joined strings for the GC to trace.
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private lines = 0;
  private bytes = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(`${path}.partial`, "w");
  }

  /** Appends one line; `line` must not contain a newline. */
  write(line: string): void {
    this.lines++;
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    if (this.used + 3 * line.length + 1 > BUFFER_BYTES) {
      this.flush();
      if (3 * line.length + 1 > BUFFER_BYTES) {
        this.emit(Buffer.from(`${line}\n`, "utf8"));
        return;
      }
    }
    this.used += this.buffer.write(line, this.used, "utf8");
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private emit(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let off = 0; off < chunk.length; ) off += writeSync(this.fd, chunk, off, chunk.length - off);
  }

  close(): WrittenFile {
    this.flush();
    closeSync(this.fd);
    renameSync(`${this.path}.partial`, this.path);
    return { lines: this.lines, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}
