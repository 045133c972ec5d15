/**
 * SimDisk: an in-memory `Disk` that models what a power cut can do to a file system, for
 * fault tests and the whole-system simulator (STYLE.md §13). Every random choice comes from
 * the caller's PRNG (`rng`), so a seed replays a run exactly. It never reads the host clock.
 *
 * The model:
 * - **Files** are inodes with two contents: `live` (what reads return now) and `durable`
 *   (what survives a crash). `write` and `truncate` change `live` at once and queue a data op
 *   on the inode; `sync` (fdatasync) applies the inode's queued ops to `durable`.
 * - **Directory entries** (create, rename, unlink) change the live name table at once and
 *   queue a metadata op on one node-wide ordered list (like a file-system journal).
 *   `syncDir(d)` makes every queued op that touches `d` durable, in order. A cross-directory
 *   rename is one atomic op touching both directories (durable when either is synced — the
 *   journalled behaviour of ext4/xfs; POSIX asks callers to sync both, and they should).
 *   A file whose name never became durable disappears in a crash even if its data was
 *   synced. Directories themselves (`mkdirp`) are durable at once: a simplification, since
 *   Lexum creates its directories once at start-up.
 * - **`crash(mode)`** applies a choice of the queued state to `durable`, kills this object
 *   (every later call on it or on its open files throws `EIO`, so a "zombie" pre-crash task
 *   cannot touch the new world) and returns a fresh `SimDisk` over the durable state, as a
 *   reboot would. Modes, chosen per inode for data ops:
 *   - `drop-all`: nothing unsynced survives (the classic model);
 *   - `keep-all`: every queued op survives (the OS flushed just in time);
 *   - `prefix`: a random prefix of each inode's queued ops survives;
 *   - `subset`: a random subset survives, in order (the disk reordered writes);
 *   - `torn`: a random prefix survives, and the next queued write is torn at a
 *     `sectorBytes` (512) boundary: sectors before the cut hold the new data, each sector
 *     after it either keeps its old bytes or holds garbage. Sectors after a cut never hold
 *     new data: that is the prefix assumption rules.md [35] relies on.
 *   Metadata ops: none survive in `drop-all`, all in `keep-all`, a random prefix otherwise.
 * - **`processCrash()`** kills only the process: live data and queued ops survive (page cache).
 * - **Latent corruption**: `flipBit(path, byte, bit)` flips a bit of durable data (and of the
 *   live view when that byte is not overwritten by a queued write).
 * - **Faults**: `failNextSync(code)` / `failNextSyncDir(code)` make the next sync throw. A
 *   failed file sync behaves like Linux after an fsync error ("fsyncgate"): a random subset
 *   of the queued writes reaches the disk, the rest is forgotten by the durable layer while
 *   reads still return the new data, and a later sync reports success without writing it.
 *   `failNextWrite(code, partialBytes)` applies the first `partialBytes` of the next write,
 *   then throws. `capacityBytes` models a full disk: a write or truncate that would push the
 *   total size of all files past it throws `ENOSPC` and is not applied. `faultHook` can fail
 *   any operation by name; `delay` can make any operation slow (e.g. on a SimClock timer).
 */
import * as posix from "node:path/posix";
import { assert } from "./assert.ts";
import { DiskError, type Disk, type DiskFile, type OpenMode } from "./disk.ts";

export type CrashMode = "drop-all" | "keep-all" | "prefix" | "subset" | "torn";
export const CRASH_MODES: readonly CrashMode[] = ["drop-all", "keep-all", "prefix", "subset", "torn"];

export type SimDiskOp =
  | "open"
  | "read"
  | "write"
  | "sync"
  | "truncate"
  | "size"
  | "close"
  | "readFile"
  | "list"
  | "mkdirp"
  | "rename"
  | "unlink"
  | "stat"
  | "syncDir";

export interface SimDiskOptions {
  /** Uniform random numbers in [0, 1): the only source of randomness. */
  rng: () => number;
  /** Total bytes all files may hold; null for unlimited. */
  capacityBytes?: number | null;
  /** Torn-write granularity. */
  sectorBytes?: number;
  /** Awaited at the start of every operation (slow disks); keep it deterministic. */
  delay?: (op: SimDiskOp, path: string) => Promise<void> | void;
  /** Returns an errno code to make an operation fail, or null. */
  faultHook?: (op: SimDiskOp, path: string) => string | null;
}

export interface SimDiskStats {
  opens: number;
  reads: number;
  writes: number;
  bytesWritten: number;
  syncs: number;
  syncDirs: number;
  truncates: number;
  renames: number;
  unlinks: number;
  creates: number;
}

/** A plain, comparable picture of a SimDisk (tests compare two with `toEqual`). */
export interface SimDiskState {
  dirs: string[];
  /** Files as a reader sees them now, by path. */
  live: Record<string, Uint8Array>;
  /** Files as a crash that drops everything unsynced would leave them. */
  durable: Record<string, Uint8Array>;
  /** Queued data ops plus queued metadata ops. */
  pendingOps: number;
}

export interface CrashOutcome {
  mode: CrashMode;
  /** Data ops that reached the disk / were queued. */
  dataOpsKept: number;
  dataOpsQueued: number;
  tornWrites: number;
  metaOpsKept: number;
  metaOpsQueued: number;
}

/** A small seeded PRNG (sfc32 seeded through splitmix32) for tests and simulators. */
export function seededRng(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A growable byte buffer with an explicit size (a file's content). */
class FileBytes {
  bytes: Uint8Array;
  size: number;
  constructor(bytes = new Uint8Array(0), size = bytes.length) {
    this.bytes = bytes;
    this.size = size;
  }
  private ensure(n: number): void {
    if (n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(n, this.bytes.length * 2, 64));
    next.set(this.bytes.subarray(0, this.size));
    this.bytes = next;
  }
  write(pos: number, data: Uint8Array): void {
    const end = pos + data.length;
    this.ensure(end);
    // Bytes between the old end and `pos` read as zeros (a hole).
    if (pos > this.size) this.bytes.fill(0, this.size, pos);
    this.bytes.set(data, pos);
    if (end > this.size) this.size = end;
  }
  truncate(len: number): void {
    if (len > this.size) {
      this.ensure(len);
      this.bytes.fill(0, this.size, len);
    }
    this.size = len;
  }
  view(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }
  copy(): FileBytes {
    return new FileBytes(this.bytes.slice(0, this.size));
  }
}

type DataOp = { kind: "write"; pos: number; data: Uint8Array } | { kind: "truncate"; length: number };

class Inode {
  live = new FileBytes();
  durable = new FileBytes();
  pending: DataOp[] = [];
  constructor(readonly id: number) {}
}

type MetaOp =
  | { kind: "link"; path: string; inode: number; dirs: string[] }
  | { kind: "unlink"; path: string; dirs: string[] }
  | { kind: "rename"; from: string; to: string; inode: number; dirs: string[] };

class SimState {
  inodes = new Map<number, Inode>();
  nextInode = 1;
  dirs = new Set<string>(["/", "."]);
  live = new Map<string, number>();
  durable = new Map<string, number>();
  metaOps: MetaOp[] = [];

  copy(): SimState {
    const s = new SimState();
    for (const [id, ino] of this.inodes) {
      const c = new Inode(id);
      c.live = ino.live.copy();
      c.durable = ino.durable.copy();
      c.pending = ino.pending.map((op) => (op.kind === "write" ? { ...op, data: op.data.slice() } : { ...op }));
      s.inodes.set(id, c);
    }
    s.nextInode = this.nextInode;
    s.dirs = new Set(this.dirs);
    s.live = new Map(this.live);
    s.durable = new Map(this.durable);
    s.metaOps = this.metaOps.map((op) => ({ ...op, dirs: [...op.dirs] }));
    return s;
  }
}

function applyData(fb: FileBytes, op: DataOp): void {
  if (op.kind === "write") fb.write(op.pos, op.data);
  else fb.truncate(op.length);
}

function applyMeta(entries: Map<string, number>, op: MetaOp): void {
  if (op.kind === "link") entries.set(op.path, op.inode);
  else if (op.kind === "unlink") entries.delete(op.path);
  else {
    entries.delete(op.from);
    entries.set(op.to, op.inode);
  }
}

function norm(p: string): string {
  assert(typeof p === "string" && p.length > 0, "SimDisk: empty path");
  let n = posix.normalize(p);
  if (n.length > 1 && n.endsWith("/")) n = n.slice(0, -1);
  return n;
}

export class SimDisk implements Disk {
  private state: SimState;
  private dead = false;
  readonly rng: () => number;
  capacityBytes: number | null;
  readonly sectorBytes: number;
  delay: SimDiskOptions["delay"];
  faultHook: SimDiskOptions["faultHook"];
  private nextSyncFail: string | null = null;
  private nextSyncDirFail: string | null = null;
  private nextWriteFail: { code: string; partialBytes: number } | null = null;
  readonly stats: SimDiskStats = {
    opens: 0,
    reads: 0,
    writes: 0,
    bytesWritten: 0,
    syncs: 0,
    syncDirs: 0,
    truncates: 0,
    renames: 0,
    unlinks: 0,
    creates: 0,
  };

  constructor(opts: SimDiskOptions, state?: SimState) {
    assert(typeof opts.rng === "function", "SimDisk needs an rng function");
    this.rng = opts.rng;
    this.capacityBytes = opts.capacityBytes ?? null;
    this.sectorBytes = opts.sectorBytes ?? 512;
    assert(Number.isSafeInteger(this.sectorBytes) && this.sectorBytes > 0, "sectorBytes must be a positive integer");
    this.delay = opts.delay;
    this.faultHook = opts.faultHook;
    this.state = state ?? new SimState();
  }

  private options(rng = this.rng): SimDiskOptions {
    return { rng, capacityBytes: this.capacityBytes, sectorBytes: this.sectorBytes, delay: this.delay, faultHook: this.faultHook };
  }

  // ---- fault controls -------------------------------------------------------------------

  failNextSync(code = "EIO"): void {
    this.nextSyncFail = code;
  }
  failNextSyncDir(code = "EIO"): void {
    this.nextSyncDirFail = code;
  }
  failNextWrite(code = "EIO", partialBytes = 0): void {
    assert(partialBytes >= 0, "partialBytes must be non-negative");
    this.nextWriteFail = { code, partialBytes };
  }
  setCapacity(bytes: number | null): void {
    this.capacityBytes = bytes;
  }

  /** Total bytes of all files reachable by name (the live view). */
  usedBytes(): number {
    let n = 0;
    for (const id of this.state.live.values()) n += this.state.inodes.get(id)!.live.size;
    return n;
  }

  /** Flips one bit of a file's durable content (latent corruption: a bad sector, a cosmic ray). */
  flipBit(path: string, byteOffset: number, bit: number): void {
    this.checkAlive();
    const p = norm(path);
    const id = this.state.durable.get(p);
    if (id === undefined) throw new DiskError("ENOENT", `flipBit: ${p} has no durable content`, p);
    const ino = this.state.inodes.get(id)!;
    assert(byteOffset >= 0 && byteOffset < ino.durable.size, `flipBit: byte ${byteOffset} outside ${p} (${ino.durable.size} bytes)`);
    assert(Number.isInteger(bit) && bit >= 0 && bit < 8, `flipBit: bit ${bit} must be 0..7`);
    const mask = 1 << bit;
    const covered = ino.pending.some((op) => op.kind === "write" && byteOffset >= op.pos && byteOffset < op.pos + op.data.length);
    const sameInLive = byteOffset < ino.live.size && ino.live.bytes[byteOffset] === ino.durable.bytes[byteOffset];
    ino.durable.bytes[byteOffset] ^= mask;
    if (!covered && sameInLive) ino.live.bytes[byteOffset] ^= mask;
  }

  /**
   * Simulates a power cut and reboot. This object and its open files die; the returned disk
   * holds the durable state (see the header for what each mode keeps).
   */
  crash(mode: CrashMode | "random" = "random"): SimDisk {
    this.checkAlive();
    const m: CrashMode = mode === "random" ? CRASH_MODES[Math.floor(this.rng() * CRASH_MODES.length)] : mode;
    const s = this.state;
    const out: CrashOutcome = { mode: m, dataOpsKept: 0, dataOpsQueued: 0, tornWrites: 0, metaOpsKept: 0, metaOpsQueued: s.metaOps.length };

    const ids = [...s.inodes.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const ino = s.inodes.get(id)!;
      const ops = ino.pending;
      out.dataOpsQueued += ops.length;
      if (ops.length === 0) continue;
      if (m === "keep-all") {
        for (const op of ops) applyData(ino.durable, op);
        out.dataOpsKept += ops.length;
      } else if (m === "prefix" || m === "torn") {
        const k = this.randInt(ops.length + 1);
        for (let i = 0; i < k; i++) applyData(ino.durable, ops[i]);
        out.dataOpsKept += k;
        if (m === "torn" && k < ops.length && ops[k].kind === "write") {
          this.tear(ino.durable, ops[k] as Extract<DataOp, { kind: "write" }>);
          out.tornWrites++;
        }
      } else if (m === "subset") {
        for (const op of ops) {
          if (this.rng() < 0.5) {
            applyData(ino.durable, op);
            out.dataOpsKept++;
          }
        }
      }
    }

    let metaKept = 0;
    if (m === "keep-all") metaKept = s.metaOps.length;
    else if (m !== "drop-all") metaKept = this.randInt(s.metaOps.length + 1);
    for (let i = 0; i < metaKept; i++) applyMeta(s.durable, s.metaOps[i]);
    out.metaOpsKept = metaKept;

    // Reboot: the world is what is durable; unreachable inodes are gone.
    const next = new SimState();
    next.nextInode = s.nextInode;
    next.dirs = new Set(s.dirs);
    for (const [path, id] of s.durable) {
      next.durable.set(path, id);
      next.live.set(path, id);
      if (!next.inodes.has(id)) {
        const ino = new Inode(id);
        ino.durable = s.inodes.get(id)!.durable.copy();
        ino.live = ino.durable.copy();
        next.inodes.set(id, ino);
      }
    }
    this.dead = true;
    this.lastCrash = out;
    const disk = new SimDisk(this.options(), next);
    disk.lastCrash = out;
    return disk;
  }

  /** What the crash that produced this disk kept (for failure messages). */
  lastCrash: CrashOutcome | null = null;

  /**
   * Simulates the process dying (`kill -9`, an abort) while the machine keeps running: the
   * page cache survives, so every write stays readable and unsynced data is still queued (a
   * later `sync` of the file, or a later `crash`, decides its fate). This object and its open
   * files die; the returned disk is the same machine as the next process sees it.
   */
  processCrash(): SimDisk {
    this.checkAlive();
    this.dead = true;
    const disk = new SimDisk(this.options(), this.state);
    this.state = new SimState();
    return disk;
  }

  /** An independent copy (live, durable and queued state); faults armed with failNext* are not copied. */
  clone(rng: () => number = this.rng): SimDisk {
    this.checkAlive();
    return new SimDisk(this.options(rng), this.state.copy());
  }

  snapshotState(): SimDiskState {
    const s = this.state;
    const live: Record<string, Uint8Array> = {};
    const durable: Record<string, Uint8Array> = {};
    for (const p of [...s.live.keys()].sort()) live[p] = s.inodes.get(s.live.get(p)!)!.live.view().slice();
    for (const p of [...s.durable.keys()].sort()) durable[p] = s.inodes.get(s.durable.get(p)!)!.durable.view().slice();
    let pendingOps = s.metaOps.length;
    for (const ino of s.inodes.values()) pendingOps += ino.pending.length;
    return { dirs: [...s.dirs].sort(), live, durable, pendingOps };
  }

  // ---- Disk ----------------------------------------------------------------------------

  async open(path: string, mode: OpenMode): Promise<DiskFile> {
    const p = norm(path);
    await this.enter("open", p);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    this.stats.opens++;
    const s = this.state;
    if (s.dirs.has(p)) throw new DiskError("EISDIR", `open ${p}: is a directory`, p);
    const parent = posix.dirname(p);
    if (!s.dirs.has(parent)) throw new DiskError("ENOENT", `open ${p}: no such directory ${parent}`, p);
    let id = s.live.get(p);
    if (id !== undefined && mode === "create-new") throw new DiskError("EEXIST", `open ${p}: file exists`, p);
    if (id === undefined) {
      if (mode === "r" || mode === "rw") throw new DiskError("ENOENT", `open ${p}: no such file`, p);
      id = s.nextInode++;
      s.inodes.set(id, new Inode(id));
      s.live.set(p, id);
      s.metaOps.push({ kind: "link", path: p, inode: id, dirs: [parent] });
      this.stats.creates++;
    }
    return new SimFile(this, p, id, mode !== "r");
  }

  async readFile(path: string): Promise<Uint8Array> {
    const p = norm(path);
    await this.enter("readFile", p);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    this.stats.reads++;
    if (this.state.dirs.has(p)) throw new DiskError("EISDIR", `read ${p}: is a directory`, p);
    const id = this.state.live.get(p);
    if (id === undefined) throw new DiskError("ENOENT", `read ${p}: no such file`, p);
    return this.state.inodes.get(id)!.live.view().slice();
  }

  async list(dir: string): Promise<string[]> {
    const d = norm(dir);
    await this.enter("list", d);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    if (!this.state.dirs.has(d)) return [];
    const names: string[] = [];
    for (const p of this.state.live.keys()) if (posix.dirname(p) === d) names.push(posix.basename(p));
    for (const p of this.state.dirs) if (p !== d && posix.dirname(p) === d) names.push(posix.basename(p));
    return names.sort();
  }

  async mkdirp(dir: string): Promise<void> {
    const d = norm(dir);
    await this.enter("mkdirp", d);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    const chain: string[] = [];
    for (let cur = d; !this.state.dirs.has(cur); cur = posix.dirname(cur)) {
      if (this.state.live.has(cur)) throw new DiskError("ENOTDIR", `mkdir ${d}: ${cur} is a file`, d);
      chain.push(cur);
    }
    for (const c of chain) this.state.dirs.add(c);
  }

  async rename(from: string, to: string): Promise<void> {
    const f = norm(from);
    const t = norm(to);
    await this.enter("rename", f);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    this.stats.renames++;
    const s = this.state;
    const id = s.live.get(f);
    if (id === undefined) throw new DiskError(s.dirs.has(f) ? "EISDIR" : "ENOENT", `rename ${f}: no such file`, f);
    if (s.dirs.has(t)) throw new DiskError("EISDIR", `rename to ${t}: is a directory`, t);
    if (!s.dirs.has(posix.dirname(t))) throw new DiskError("ENOENT", `rename to ${t}: no such directory`, t);
    if (f === t) return;
    s.live.delete(f);
    s.live.set(t, id);
    const dirs = [...new Set([posix.dirname(f), posix.dirname(t)])];
    s.metaOps.push({ kind: "rename", from: f, to: t, inode: id, dirs });
  }

  async unlink(path: string): Promise<void> {
    const p = norm(path);
    await this.enter("unlink", p);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    this.stats.unlinks++;
    const s = this.state;
    if (s.dirs.has(p)) throw new DiskError("EISDIR", `unlink ${p}: is a directory`, p);
    if (!s.live.has(p)) throw new DiskError("ENOENT", `unlink ${p}: no such file`, p);
    s.live.delete(p);
    s.metaOps.push({ kind: "unlink", path: p, dirs: [posix.dirname(p)] });
  }

  async stat(path: string): Promise<{ size: number; isDirectory: boolean } | null> {
    const p = norm(path);
    await this.enter("stat", p);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    if (this.state.dirs.has(p)) return { size: 0, isDirectory: true };
    const id = this.state.live.get(p);
    if (id === undefined) return null;
    return { size: this.state.inodes.get(id)!.live.size, isDirectory: false };
  }

  async syncDir(dir: string): Promise<void> {
    const d = norm(dir);
    await this.enter("syncDir", d);
    this.checkAlive(); // a crash may have come while we awaited: apply nothing to a dead disk
    this.stats.syncDirs++;
    const s = this.state;
    if (!s.dirs.has(d)) throw new DiskError("ENOENT", `fsync dir ${d}: no such directory`, d);
    const mine = s.metaOps.filter((op) => op.dirs.includes(d));
    const rest = s.metaOps.filter((op) => !op.dirs.includes(d));
    if (this.nextSyncDirFail !== null) {
      const code = this.nextSyncDirFail;
      this.nextSyncDirFail = null;
      // Like a failed file sync: some of the queued entries reach the disk, the rest are forgotten.
      const k = this.randInt(mine.length + 1);
      for (let i = 0; i < k; i++) applyMeta(s.durable, mine[i]);
      s.metaOps = rest;
      throw new DiskError(code, `fsync dir ${d}: injected ${code}`, d);
    }
    for (const op of mine) applyMeta(s.durable, op);
    s.metaOps = rest;
  }

  // ---- internals used by SimFile --------------------------------------------------------

  /** @internal */
  async enter(op: SimDiskOp, path: string): Promise<void> {
    this.checkAlive();
    if (this.delay) await this.delay(op, path);
    this.checkAlive();
    const code = this.faultHook?.(op, path) ?? null;
    if (code !== null) throw new DiskError(code, `${op} ${path}: injected ${code}`, path);
  }

  /** @internal */
  checkAlive(): void {
    if (this.dead) throw new DiskError("EIO", "SimDisk: this disk crashed; use the disk crash() returned");
  }

  /** @internal */
  inode(id: number): Inode {
    const ino = this.state.inodes.get(id);
    assert(ino !== undefined, `SimDisk: inode ${id} vanished`);
    return ino;
  }

  /** @internal */
  fileWrite(path: string, id: number, data: Uint8Array, pos: number): void {
    const ino = this.inode(id);
    this.stats.writes++;
    const fail = this.nextWriteFail;
    if (fail !== null) {
      this.nextWriteFail = null;
      const n = Math.min(fail.partialBytes, data.length);
      if (n > 0) this.applyWrite(path, ino, data.subarray(0, n), pos);
      throw new DiskError(fail.code, `write ${path}: injected ${fail.code}`, path);
    }
    this.applyWrite(path, ino, data, pos);
  }

  private applyWrite(path: string, ino: Inode, data: Uint8Array, pos: number): void {
    this.checkSpace(path, ino, pos + data.length);
    const copy = data.slice();
    ino.live.write(pos, copy);
    ino.pending.push({ kind: "write", pos, data: copy });
    this.stats.bytesWritten += data.length;
  }

  /** @internal */
  fileTruncate(path: string, id: number, length: number): void {
    const ino = this.inode(id);
    this.stats.truncates++;
    this.checkSpace(path, ino, length);
    ino.live.truncate(length);
    ino.pending.push({ kind: "truncate", length });
  }

  /** @internal */
  fileSync(path: string, id: number): void {
    const ino = this.inode(id);
    this.stats.syncs++;
    if (this.nextSyncFail !== null) {
      const code = this.nextSyncFail;
      this.nextSyncFail = null;
      for (const op of ino.pending) if (this.rng() < 0.5) applyData(ino.durable, op);
      ino.pending = [];
      throw new DiskError(code, `fdatasync ${path}: injected ${code}`, path);
    }
    for (const op of ino.pending) applyData(ino.durable, op);
    ino.pending = [];
  }

  private checkSpace(path: string, ino: Inode, newEnd: number): void {
    if (this.capacityBytes === null || newEnd <= ino.live.size) return;
    const used = this.usedBytes();
    const grow = newEnd - ino.live.size;
    if (used + grow > this.capacityBytes) {
      throw new DiskError("ENOSPC", `write ${path}: no space left on device (${used} + ${grow} > ${this.capacityBytes} bytes)`, path);
    }
  }

  private tear(fb: FileBytes, op: { pos: number; data: Uint8Array }): void {
    const start = op.pos;
    const end = op.pos + op.data.length;
    if (end === start) return;
    const S = this.sectorBytes;
    const cuts = [start];
    for (let b = (Math.floor(start / S) + 1) * S; b < end; b += S) cuts.push(b);
    const cut = cuts[this.randInt(cuts.length)];
    if (cut > start) fb.write(start, op.data.subarray(0, cut - start));
    for (let s = cut; s < end; ) {
      const e = Math.min((Math.floor(s / S) + 1) * S, end);
      if (this.rng() < 0.5) {
        const junk = new Uint8Array(e - s);
        for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(this.rng() * 256);
        fb.write(s, junk);
      }
      s = e;
    }
  }

  private randInt(n: number): number {
    return Math.min(n - 1, Math.floor(this.rng() * n));
  }
}

class SimFile implements DiskFile {
  private closed = false;
  constructor(
    private readonly disk: SimDisk,
    readonly path: string,
    private readonly id: number,
    private readonly writable: boolean,
  ) {}

  private async enter(op: SimDiskOp, write: boolean): Promise<void> {
    await this.disk.enter(op, this.path);
    if (this.closed) throw new DiskError("EBADF", `${op} ${this.path}: file is closed`, this.path);
    if (write && !this.writable) throw new DiskError("EBADF", `${op} ${this.path}: opened read-only`, this.path);
  }

  async read(buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    assert(offset >= 0 && length >= 0 && offset + length <= buf.length, "read range outside the buffer");
    await this.enter("read", false);
    this.disk.checkAlive(); // see SimDisk.open
    this.disk.stats.reads++;
    const live = this.disk.inode(this.id).live;
    if (position >= live.size) return 0;
    const n = Math.min(length, live.size - position);
    buf.set(live.bytes.subarray(position, position + n), offset);
    return n;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    assert(Number.isSafeInteger(position) && position >= 0, `bad write position ${position}`);
    await this.enter("write", true);
    this.disk.checkAlive(); // see SimDisk.open
    this.disk.fileWrite(this.path, this.id, data, position);
  }

  async sync(): Promise<void> {
    await this.enter("sync", false);
    this.disk.checkAlive(); // see SimDisk.open
    this.disk.fileSync(this.path, this.id);
  }

  async truncate(length: number): Promise<void> {
    assert(Number.isSafeInteger(length) && length >= 0, `bad truncate length ${length}`);
    await this.enter("truncate", true);
    this.disk.checkAlive(); // see SimDisk.open
    this.disk.fileTruncate(this.path, this.id, length);
  }

  async size(): Promise<number> {
    await this.enter("size", false);
    this.disk.checkAlive(); // see SimDisk.open
    return this.disk.inode(this.id).live.size;
  }

  async close(): Promise<void> {
    await this.enter("close", false);
    this.closed = true;
  }
}
