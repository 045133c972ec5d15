/**
 * A tiny real-file-system `Disk` for the snapshot tests (so they do not depend on
 * src/base/node_disk.ts, written concurrently). Proves the naming scheme works on a real
 * file system (NAME_MAX, odd ids).
 */
import * as fsp from "node:fs/promises";
import type { Disk, DiskFile, OpenMode } from "../../src/base/disk.ts";
import { DiskError } from "../../src/base/disk.ts";

async function wrap<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === "string") throw new DiskError(err.code, err.message, path);
    throw e;
  }
}

const FLAGS: Record<OpenMode, string> = { r: "r", rw: "r+", create: "a+", "create-new": "wx+" };

export class NodeFsDisk implements Disk {
  async open(path: string, mode: OpenMode): Promise<DiskFile> {
    // "create" must not truncate: open with O_CREAT via "a", then reopen r+ for positional writes.
    if (mode === "create") await wrap(path, async () => (await fsp.open(path, "a")).close());
    const fh = await wrap(path, () => fsp.open(path, mode === "create" ? "r+" : FLAGS[mode]));
    return {
      path,
      read: (buf, offset, length, position) => wrap(path, async () => (await fh.read(buf, offset, length, position)).bytesRead),
      write: (data, position) =>
        wrap(path, async () => {
          let done = 0;
          while (done < data.length) done += (await fh.write(data, done, data.length - done, position + done)).bytesWritten;
        }),
      sync: () => wrap(path, () => fh.datasync()),
      truncate: (length) => wrap(path, () => fh.truncate(length)),
      size: () => wrap(path, async () => (await fh.stat()).size),
      close: () => wrap(path, () => fh.close()),
    };
  }
  readFile(path: string): Promise<Uint8Array> {
    return wrap(path, async () => new Uint8Array(await fsp.readFile(path)));
  }
  async list(dir: string): Promise<string[]> {
    try {
      return (await fsp.readdir(dir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new DiskError((e as NodeJS.ErrnoException).code ?? "EIO", (e as Error).message, dir);
    }
  }
  mkdirp(dir: string): Promise<void> {
    return wrap(dir, async () => void (await fsp.mkdir(dir, { recursive: true })));
  }
  rename(from: string, to: string): Promise<void> {
    return wrap(from, () => fsp.rename(from, to));
  }
  unlink(path: string): Promise<void> {
    return wrap(path, () => fsp.unlink(path));
  }
  async stat(path: string): Promise<{ size: number; isDirectory: boolean } | null> {
    try {
      const st = await fsp.stat(path);
      return { size: st.size, isDirectory: st.isDirectory() };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new DiskError((e as NodeJS.ErrnoException).code ?? "EIO", (e as Error).message, path);
    }
  }
  syncDir(dir: string): Promise<void> {
    return wrap(dir, async () => {
      const fh = await fsp.open(dir, "r");
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
  }
}
