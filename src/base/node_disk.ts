/**
 * The real disk: `Disk` over `node:fs/promises` (see disk.ts for the contract).
 *
 * - `sync` is fdatasync: it flushes the file's data and the metadata needed to read it back
 *   (its size), which is all a preallocated WAL segment needs.
 * - `syncDir` opens the directory read-only and fsyncs it, which makes creations, renames and
 *   deletions in it durable (Linux/ext4/xfs semantics; macOS needs F_FULLFSYNC for real
 *   durability, which Node does not expose — documented, not hidden).
 * - Every fs error becomes a `DiskError` carrying the errno code and the path, so callers
 *   match on `code` and messages name the file.
 */
import * as fs from "node:fs/promises";
import { constants as C } from "node:fs";
import { assert } from "./assert.ts";
import { DiskError, type Disk, type DiskFile, type OpenMode } from "./disk.ts";

function toDiskError(e: unknown, op: string, path: string): DiskError {
  if (e instanceof DiskError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === "string" ? err.code : "EIO";
  const why = err instanceof Error ? err.message : String(e);
  return new DiskError(code, `${op} ${path} failed: ${why}`, path);
}

async function wrap<T>(op: string, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toDiskError(e, op, path);
  }
}

const OPEN_FLAGS: Record<OpenMode, number> = {
  r: C.O_RDONLY,
  rw: C.O_RDWR,
  create: C.O_RDWR | C.O_CREAT,
  "create-new": C.O_RDWR | C.O_CREAT | C.O_EXCL,
};

class NodeDiskFile implements DiskFile {
  constructor(
    readonly path: string,
    private readonly fh: fs.FileHandle,
  ) {}

  read(buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    assert(offset >= 0 && length >= 0 && offset + length <= buf.length, "read range outside the buffer");
    return wrap("read", this.path, async () => (await this.fh.read(buf, offset, length, position)).bytesRead);
  }

  write(data: Uint8Array, position: number): Promise<void> {
    assert(Number.isSafeInteger(position) && position >= 0, `bad write position ${position}`);
    return wrap("write", this.path, async () => {
      // pwrite may write less than asked (signals, quotas): loop until all of it is written.
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await this.fh.write(data, done, data.length - done, position + done);
        if (bytesWritten <= 0) throw new DiskError("EIO", `write ${this.path} made no progress`, this.path);
        done += bytesWritten;
      }
    });
  }

  sync(): Promise<void> {
    return wrap("fdatasync", this.path, () => this.fh.datasync());
  }

  truncate(length: number): Promise<void> {
    assert(Number.isSafeInteger(length) && length >= 0, `bad truncate length ${length}`);
    return wrap("truncate", this.path, () => this.fh.truncate(length));
  }

  size(): Promise<number> {
    return wrap("stat", this.path, async () => (await this.fh.stat()).size);
  }

  close(): Promise<void> {
    return wrap("close", this.path, () => this.fh.close());
  }
}

export class NodeDisk implements Disk {
  open(path: string, mode: OpenMode): Promise<DiskFile> {
    return wrap("open", path, async () => new NodeDiskFile(path, await fs.open(path, OPEN_FLAGS[mode], 0o644)));
  }

  readFile(path: string): Promise<Uint8Array> {
    return wrap("read", path, async () => {
      const b = await fs.readFile(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    });
  }

  list(dir: string): Promise<string[]> {
    return wrap("list", dir, async () => {
      try {
        const names = await fs.readdir(dir);
        // Default sort compares UTF-16 code units: the order the contract promises.
        return names.sort();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw e;
      }
    });
  }

  mkdirp(dir: string): Promise<void> {
    return wrap("mkdir", dir, async () => {
      await fs.mkdir(dir, { recursive: true });
    });
  }

  rename(from: string, to: string): Promise<void> {
    return wrap("rename", `${from} -> ${to}`, () => fs.rename(from, to));
  }

  unlink(path: string): Promise<void> {
    return wrap("unlink", path, () => fs.unlink(path));
  }

  stat(path: string): Promise<{ size: number; isDirectory: boolean } | null> {
    return wrap("stat", path, async () => {
      try {
        const s = await fs.stat(path);
        return { size: s.size, isDirectory: s.isDirectory() };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    });
  }

  syncDir(dir: string): Promise<void> {
    return wrap("fsync dir", dir, async () => {
      const fh = await fs.open(dir, C.O_RDONLY | (C.O_DIRECTORY ?? 0));
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
  }
}
