/**
 * The disk behind the journal, the snapshot store and the data directory (runtime.md §4:
 * "disk and clock sit behind interfaces"). `NodeDisk` is the real one; `SimDisk`
 * (sim_disk.ts) models crashes, torn writes, bit flips, fsync errors and a full disk for
 * fault tests and the simulator.
 *
 * Contract every implementation keeps:
 * - `write` may be partially persisted until `sync`; after `sync` resolves, everything
 *   written to that file before the call is durable.
 * - `rename` and newly created/deleted names are durable only after `syncDir` of the parent.
 * - Errors are thrown as `DiskError` with an errno-like `code` (`ENOSPC`, `EIO`, `ENOENT`, …).
 * - `list` returns names sorted by code unit order, so callers never see host order.
 */
export class DiskError extends Error {
  override name = "DiskError";
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface DiskFile {
  readonly path: string;
  /** Reads up to `length` bytes at `position` into `buf[offset…]`; returns bytes read (0 at end). */
  read(buf: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Writes all of `data` at `position`. */
  write(data: Uint8Array, position: number): Promise<void>;
  /** fdatasync: makes the file's written data durable. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export type OpenMode =
  /** read only; the file must exist */
  | "r"
  /** read/write; the file must exist */
  | "rw"
  /** read/write; create when missing (never truncates) */
  | "create"
  /** read/write; the file must not exist */
  | "create-new";

export interface Disk {
  open(path: string, mode: OpenMode): Promise<DiskFile>;
  readFile(path: string): Promise<Uint8Array>;
  /** Sorted names in a directory; [] when the directory does not exist. */
  list(dir: string): Promise<string[]>;
  mkdirp(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Size in bytes, or null when missing. */
  stat(path: string): Promise<{ size: number; isDirectory: boolean } | null>;
  /** fsync of a directory: makes creations, renames and deletions in it durable. */
  syncDir(dir: string): Promise<void>;
}
