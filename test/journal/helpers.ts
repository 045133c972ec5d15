/** Shared helpers for the journal tests. */
import type { Disk, DiskFile, OpenMode } from "../../src/base/disk.ts";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";
import { openWal, type Wal, type WalOptions, type WalRecord } from "../../src/journal/index.ts";

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

export const WAL_DIR = "/data/wal";

export function simDisk(seed = 1): SimDisk {
  return new SimDisk({ rng: seededRng(seed) });
}

/** Every committed record from `from`, payloads copied. */
export async function readAll(wal: Wal, from?: number): Promise<WalRecord[]> {
  const out: WalRecord[] = [];
  for await (const r of wal.scan(from)) out.push({ ...r, payload: r.payload.slice() });
  return out;
}

/** Opens a WAL and returns it with its report; small segments by default so tests roll over. */
export async function open(disk: Disk, opts: WalOptions = {}) {
  return openWal(disk, WAL_DIR, { segmentBytes: 1024, ...opts });
}

/** Overwrites bytes of a file and makes them durable (a stand-in for damage at rest). */
export async function overwrite(disk: Disk, path: string, offset: number, bytes: Uint8Array): Promise<void> {
  const f = await disk.open(path, "rw");
  await f.write(bytes, offset);
  await f.sync();
  await f.close();
}

export function segPath(name: string): string {
  return `${WAL_DIR}/${name}`;
}

/**
 * A Disk wrapper that counts operations and checks the group-commit pipelining rule: at most
 * one file write or fsync in progress at any time.
 */
export class CountingDisk implements Disk {
  syncs = 0;
  syncDirs = 0;
  writes = 0;
  mutations = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly inner: Disk,
    private readonly syncDelay: (() => Promise<void>) | null = null,
  ) {}

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }

  async open(path: string, mode: OpenMode): Promise<DiskFile> {
    if (mode === "create" || mode === "create-new") this.mutations++;
    const f = await this.inner.open(path, mode);
    const self = this;
    return {
      path: f.path,
      read: (b, o, l, p) => f.read(b, o, l, p),
      write(data, pos) {
        self.writes++;
        self.mutations++;
        return self.track(() => f.write(data, pos));
      },
      sync() {
        self.syncs++;
        return self.track(async () => {
          if (self.syncDelay) await self.syncDelay();
          await f.sync();
        });
      },
      truncate(len) {
        self.mutations++;
        return f.truncate(len);
      },
      size: () => f.size(),
      close: () => f.close(),
    };
  }
  readFile(path: string) {
    return this.inner.readFile(path);
  }
  list(dir: string) {
    return this.inner.list(dir);
  }
  mkdirp(dir: string) {
    this.mutations++;
    return this.inner.mkdirp(dir);
  }
  rename(from: string, to: string) {
    this.mutations++;
    return this.inner.rename(from, to);
  }
  unlink(path: string) {
    this.mutations++;
    return this.inner.unlink(path);
  }
  stat(path: string) {
    return this.inner.stat(path);
  }
  syncDir(dir: string) {
    this.syncDirs++;
    return this.inner.syncDir(dir);
  }
}
