/**
 * The immutable snapshot store (runtime.md §3, rules.md [5] [34] [45] [46];
 * docs/formats.md "Snapshots"). Owns naming, the atomic write protocol, retention, verified
 * reading and quarantine. All file access goes through `Disk`, so SimDisk can replace it.
 *
 * Write protocol for one snapshot (crash windows in docs/formats.md "Snapshots" §3):
 *   1. make the instance directory (and fsync each parent the first time in this process);
 *   2. write `<name>.tmp`: header, the state's chunks, trailer — hashing as it goes and
 *      yielding to the event loop so a huge state never stalls other work;
 *   3. fsync the temp file; 4. rename it to `<name>`; 5. fsync the directory
 *      → the snapshot is durable, `write()` may resolve;
 *   6. retention: unlink the snapshots beyond the newest K, then fsync the directory.
 * A file is never rewritten; nothing is deleted before step 5; damaged files are never
 * deleted, only moved aside by an explicit `quarantine()`.
 *
 * Failure semantics: bad input from the runtime (malformed header, state chunks that are not
 * one JSON object, a name that exists, a snapshot older than the newest) is a Lexum bug and
 * fails an assertion. Disk errors are wrapped in a `LexumError` whose code says which step
 * failed. Reading never throws on bad bytes: it returns a `SnapshotDamage` with the reason.
 *
 * Determinism: the bytes written depend only on the header and the chunks. The only
 * scheduling primitive is the injected `yieldToEventLoop` (setImmediate by default), which
 * changes when work happens, never what is written.
 */
import { createHash } from "node:crypto";
import { assert } from "../base/assert.ts";
import type { Disk, DiskFile } from "../base/disk.ts";
import { DiskError } from "../base/disk.ts";
import { LexumError } from "../base/errors.ts";
import { sha256Hex } from "../base/hash.ts";
import { SNAPSHOTS_KEPT } from "../base/limits.ts";
import { compareStrings } from "../base/strings.ts";
import {
  decodeHeaderPrefix,
  decodeSnapshotBytes,
  encodeHeader,
  encodeTrailer,
  indexOfBytes,
  parseTrailer,
  STATE_MARKER,
  TRAILER_BYTES,
  type SnapshotFile,
  type SnapshotHeader,
  type SnapshotHeaderAt,
} from "./format.ts";
import { JsonObjectChecker } from "./json_check.ts";
import {
  DAMAGED_DIR,
  decodeDomainDir,
  decodeInstanceDirs,
  encodeDomainDir,
  encodeInstanceDirs,
  isContinuationDir,
  isTempFileName,
  joinPath,
  parseSnapshotFileName,
  snapshotFileName,
  tempFileName,
} from "./naming.ts";
import { Semaphore } from "./semaphore.ts";

/** Concurrent snapshot writes (the brief's "small semaphore"): two keep the disk busy without
 * letting a checkpoint storm starve the WAL's group-commit fsyncs. */
export const SNAPSHOT_WRITES_CONCURRENT_DEFAULT = 2;
/** Yield to the event loop after this much state text: ~1 ms of hashing and encoding. */
export const SNAPSHOT_YIELD_BYTES_DEFAULT = 1024 * 1024;
/** …and at least every this many chunks, so a slow chunk producer cannot stall the loop. */
export const SNAPSHOT_YIELD_CHUNKS_DEFAULT = 64;
/** Bytes gathered before one `write` call to the temp file. */
export const SNAPSHOT_WRITE_BUFFER_BYTES = 1024 * 1024;
/**
 * A large snapshot is fdatasynced every this many bytes while it is written. Left to one
 * fsync at the end, 100 MB of dirty pages reach the disk at once and the WAL's fdatasyncs
 * queue behind them: small inputs' acknowledgements stall for tens of milliseconds.
 */
export const SNAPSHOT_SYNC_EVERY_BYTES = 8 * 1024 * 1024;
/** A chunk longer than this (UTF-16 units) is processed in pieces of this size, yielding between. */
const SLICE_CHARS = 256 * 1024;
/** `readHeader` refuses a header larger than this (it is held in memory; goals, timers and
 * pending effects are expected to be far smaller). */
export const SNAPSHOT_HEADER_BYTES_MAX = 64 * 1024 * 1024;
/** First read size of `readHeader`; typical headers are a few hundred bytes. */
const HEADER_READ_BYTES = 64 * 1024;
/** Deepest nesting of instance-id continuation directories we walk (a 256-byte id needs ≤ 4). */
const INSTANCE_DIR_DEPTH_MAX = 8;

/** Stable codes of the typed operating errors this store throws. */
export const SnapshotErrorCode = {
  /** Writing, syncing or renaming a new snapshot failed; it must not be counted as durable. */
  write: "SNAPSHOT_WRITE_FAILED",
  /** The new snapshot IS durable, but deleting superseded ones failed (they stay; harmless). */
  prune: "SNAPSHOT_PRUNE_FAILED",
  quarantine: "SNAPSHOT_QUARANTINE_FAILED",
  sweep: "SNAPSHOT_SWEEP_FAILED",
} as const;

/** A snapshot known by its name only (not read). */
export interface SnapshotRef {
  readonly path: string;
  readonly domain: string;
  readonly instance: string;
  readonly cycle: number;
  readonly lsn: number;
}

export interface WrittenSnapshot extends SnapshotRef {
  /** File size in bytes. */
  readonly bytes: number;
  readonly file_hash: string;
  /** Older snapshots deleted by retention after this one became durable. */
  readonly pruned: readonly string[];
}

/** A snapshot file that cannot be used, and why. Reading returns it; it never throws. */
export class SnapshotDamage {
  readonly kind = "damaged" as const;
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {}
}

export interface NewestValid {
  /** The newest snapshot that verified, or null (replay the instance's whole journal). */
  readonly snapshot: SnapshotFile | null;
  /** Newer snapshots that were skipped, newest first. */
  readonly skipped: readonly SnapshotDamage[];
}

/** Extra check of a verified snapshot (e.g. `state_hash` against the decoded state):
 * null when fine, else the reason it must not be used. */
export type ExtraVerify = (s: SnapshotFile) => string | null | Promise<string | null>;

export interface SnapshotStoreOptions {
  readonly disk: Disk;
  /** The data directory; snapshots live in `<dataDir>/snapshots/`. */
  readonly dataDir: string;
  /** K: snapshots kept per instance (rules.md [45]); default SNAPSHOTS_KEPT. */
  readonly keep?: number;
  readonly maxConcurrentWrites?: number;
  readonly yieldEveryBytes?: number;
  readonly yieldEveryChunks?: number;
  /** How to let other work run; default `setImmediate`. A simulator may inject its own. */
  readonly yieldToEventLoop?: () => Promise<void>;
  /**
   * Check that the streamed state text is one JSON object before it becomes durable
   * (default true). The runtime turns it off: its text comes from the typed JSON generator
   * (round-trip tested) and the check costs a fifth of a large snapshot's time.
   */
  readonly checkStateJson?: boolean;
}

const defaultYield = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
const textEncoder = new TextEncoder();

function compareRefsNewestFirst(a: SnapshotRef, b: SnapshotRef): number {
  return b.cycle - a.cycle || b.lsn - a.lsn;
}

function parentDir(path: string): string {
  const i = path.lastIndexOf("/");
  assert(i > 0, () => `path has a parent: ${path}`);
  return path.slice(0, i);
}

function wrapDiskError(e: unknown, code: string, what: string, details: Record<string, unknown>): unknown {
  if (!(e instanceof DiskError)) return e; // assertions, crashes and producer errors pass through
  return new LexumError(code, `${what}: ${e.code}: ${e.message}`, 1, { ...details, diskCode: e.code }, { cause: e });
}

export class SnapshotStore {
  readonly disk: Disk;
  readonly dataDir: string;
  readonly keep: number;
  /** `<dataDir>/snapshots` */
  readonly root: string;
  private readonly yieldEveryBytes: number;
  private readonly yieldEveryChunks: number;
  private readonly yieldToEventLoop: () => Promise<void>;
  private readonly semaphore: Semaphore;
  /** Per-instance tail of queued writes: one write per instance at a time, in call order. */
  private readonly instanceTails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Temp paths being written now (sweepTemps leaves them alone). */
  private readonly writingTemps = new Set<string>();
  /** Directories whose entry in their parent this process has made durable. */
  private readonly durableDirs = new Set<string>();
  /** Snapshots this process found damaged: retention never deletes them (STYLE.md §10). */
  private readonly knownDamaged = new Set<string>();
  private waitingWrites = 0;

  private readonly checkStateJson: boolean;

  constructor(opts: SnapshotStoreOptions) {
    this.disk = opts.disk;
    assert(typeof opts.dataDir === "string" && opts.dataDir.length > 0, "dataDir is a non-empty path");
    this.dataDir = opts.dataDir.length > 1 ? opts.dataDir.replace(/\/+$/, "") : opts.dataDir;
    this.root = joinPath(this.dataDir, "snapshots");
    this.keep = opts.keep ?? SNAPSHOTS_KEPT;
    assert(Number.isSafeInteger(this.keep) && this.keep >= 1, () => `keep must be >= 1, got ${this.keep}`);
    this.semaphore = new Semaphore(opts.maxConcurrentWrites ?? SNAPSHOT_WRITES_CONCURRENT_DEFAULT);
    this.yieldEveryBytes = opts.yieldEveryBytes ?? SNAPSHOT_YIELD_BYTES_DEFAULT;
    this.yieldEveryChunks = opts.yieldEveryChunks ?? SNAPSHOT_YIELD_CHUNKS_DEFAULT;
    assert(this.yieldEveryBytes >= 1 && this.yieldEveryChunks >= 1, "yield intervals are positive");
    this.yieldToEventLoop = opts.yieldToEventLoop ?? defaultYield;
    this.checkStateJson = opts.checkStateJson ?? true;
  }

  // ── naming ────────────────────────────────────────────────────────────────────────────

  instanceDir(domain: string, instance: string): string {
    return joinPath(this.root, encodeDomainDir(domain), ...encodeInstanceDirs(instance));
  }

  pathFor(domain: string, instance: string, cycle: number, lsn: number): string {
    return joinPath(this.instanceDir(domain, instance), snapshotFileName(cycle, lsn));
  }

  /** Parses a path this store produced; null for anything else (temps, quarantine, strays). */
  parsePath(path: string): SnapshotRef | null {
    if (!path.startsWith(this.root + "/")) return null;
    const parts = path.slice(this.root.length + 1).split("/");
    if (parts.length < 3) return null;
    const domain = decodeDomainDir(parts[0]);
    const instance = decodeInstanceDirs(parts.slice(1, -1));
    const name = parseSnapshotFileName(parts[parts.length - 1]);
    if (domain === null || instance === null || name === null) return null;
    return { path, domain, instance, cycle: name.cycle, lsn: name.lsn };
  }

  // ── writing ───────────────────────────────────────────────────────────────────────────

  /** Writes accepted but not yet started (waiting for their instance or a write slot). */
  get queueLength(): number {
    return this.waitingWrites;
  }

  /** Writes holding a slot right now (≤ maxConcurrentWrites). */
  get activeWrites(): number {
    return this.semaphore.active;
  }

  /** True when a snapshot with this name exists (the runtime must not write it again). */
  async has(domain: string, instance: string, cycle: number, lsn: number): Promise<boolean> {
    return (await this.disk.stat(this.pathFor(domain, instance, cycle, lsn))) !== null;
  }

  /**
   * Writes one snapshot durably and applies retention. `stateChunks` yields the state's JSON
   * text (one JSON object) in pieces of any size; chunk boundaries may fall anywhere.
   * Resolves once the snapshot is durable (after the directory fsync) and superseded ones are
   * pruned. Rejects with a LexumError (`SNAPSHOT_WRITE_FAILED`: not durable, do not retry the
   * same cycle/lsn if the file appeared; `SNAPSHOT_PRUNE_FAILED`: durable, pruning failed).
   * Writes for one instance run one at a time in call order; at most maxConcurrentWrites
   * run at once overall.
   */
  write(header: SnapshotHeader, stateChunks: Iterable<string> | AsyncIterable<string>): Promise<WrittenSnapshot> {
    let headerBytes: Uint8Array;
    try {
      headerBytes = encodeHeader(header); // asserts the header before anything queues
    } catch (e) {
      return Promise.reject(e); // one failure channel: the promise
    }
    const key = header.domain + "\u0000" + header.instance;
    this.waitingWrites++;
    const p = this.withInstanceLock(key, async () => {
      const release = await this.semaphore.acquire();
      this.waitingWrites--;
      try {
        return await this.writeNow(header, headerBytes, stateChunks);
      } finally {
        release();
      }
    });
    this.inFlight.add(p);
    const forget = (): void => void this.inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Resolves when every write accepted so far has settled (for a clean shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async withInstanceLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.instanceTails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = prev.then(() => mine);
    this.instanceTails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      done();
      if (this.instanceTails.get(key) === tail) this.instanceTails.delete(key);
    }
  }

  private async writeNow(
    header: SnapshotHeader,
    headerBytes: Uint8Array,
    chunks: Iterable<string> | AsyncIterable<string>,
  ): Promise<WrittenSnapshot> {
    const { domain, instance, cycle, lsn } = header;
    const dir = this.instanceDir(domain, instance);
    const name = snapshotFileName(cycle, lsn);
    const finalPath = joinPath(dir, name);
    const tempPath = joinPath(dir, tempFileName(name));
    const ref: SnapshotRef = { path: finalPath, domain, instance, cycle, lsn };
    const details = { path: finalPath, domain, instance, cycle, lsn };

    let step = "list";
    try {
      const existing = await this.list(domain, instance);
      assert(
        !existing.some((r) => r.path === finalPath),
        () => `snapshot ${finalPath} already exists; snapshot files are never rewritten`,
      );
      const newest = existing.find((r) => !this.knownDamaged.has(r.path));
      assert(
        newest === undefined || compareRefsNewestFirst(ref, newest) < 0,
        () => `snapshot ${name} of ${domain}/${instance} is not newer than ${newest?.path}`,
      );
      step = "mkdir";
      await this.ensureDurableDirs(this.dataDir, [encodeDomainDir(domain), ...encodeInstanceDirs(instance)], "snapshots");
    } catch (e) {
      throw wrapDiskError(e, SnapshotErrorCode.write, `writing snapshot ${finalPath} failed at ${step}`, { ...details, step });
    }

    // Steps 2–3. A crash here leaves at most a temp file, which readers ignore.
    assert(!this.writingTemps.has(tempPath), () => `temp ${tempPath} is being written already`);
    this.writingTemps.add(tempPath);
    let file: DiskFile | null = null;
    let written: { bytes: number; fileHash: string };
    try {
      step = "open";
      file = await this.disk.open(tempPath, "create");
      step = "truncate"; // a stale temp of the same name, left by a crash
      await file.truncate(0);
      step = "write";
      written = await this.streamInto(file, headerBytes, chunks, `${domain}/${instance}`);
      step = "sync";
      await file.sync();
      step = "close";
      const f = file;
      file = null;
      await f.close();
    } catch (e) {
      if (file !== null) await file.close().catch(() => undefined);
      await this.disk.unlink(tempPath).catch(() => undefined); // best effort; sweepTemps otherwise
      throw wrapDiskError(e, SnapshotErrorCode.write, `writing snapshot ${finalPath} failed at ${step}`, { ...details, step });
    } finally {
      this.writingTemps.delete(tempPath);
    }

    // Steps 4–5. A crash after the rename but before the directory fsync may lose the rename:
    // the previous snapshots are untouched and recovery replays a longer WAL tail.
    try {
      step = "rename";
      await this.disk.rename(tempPath, finalPath);
      step = "sync-dir";
      await this.disk.syncDir(dir);
    } catch (e) {
      throw wrapDiskError(e, SnapshotErrorCode.write, `writing snapshot ${finalPath} failed at ${step}`, { ...details, step });
    }

    // Durable. Only now may older snapshots go (never before: rules.md [5], runtime.md §3).
    const pruned = await this.pruneInstance(domain, instance, finalPath);
    return { ...ref, bytes: written.bytes, file_hash: written.fileHash, pruned };
  }

  /** Streams header + state chunks + trailer into `file`; returns size and file_hash. */
  private async streamInto(
    file: DiskFile,
    headerBytes: Uint8Array,
    chunks: Iterable<string> | AsyncIterable<string>,
    who: string,
  ): Promise<{ bytes: number; fileHash: string }> {
    const hasher = createHash("sha256");
    let position = 0;
    let buffered: Uint8Array[] = [];
    let bufferedBytes = 0;
    let syncedTo = 0;
    const flush = async (): Promise<void> => {
      if (bufferedBytes === 0) return;
      const data = buffered.length === 1 ? buffered[0] : Buffer.concat(buffered, bufferedBytes);
      buffered = [];
      bufferedBytes = 0;
      await file.write(data, position);
      position += data.length;
      if (position - syncedTo >= SNAPSHOT_SYNC_EVERY_BYTES) {
        await file.sync();
        syncedTo = position;
      }
    };
    const put = async (b: Uint8Array): Promise<void> => {
      if (b.length === 0) return;
      hasher.update(b);
      buffered.push(b);
      bufferedBytes += b.length;
      if (bufferedBytes >= SNAPSHOT_WRITE_BUFFER_BYTES) await flush();
    };

    await put(headerBytes);
    const checker = new JsonObjectChecker();
    // A chunk (or slice) may end between the two halves of a surrogate pair; encoding the
    // halves separately would turn each into U+FFFD, so a trailing high surrogate waits for
    // the next piece.
    let carry = "";
    let bytesSinceYield = 0;
    let chunksSinceYield = 0;
    let stateBytes = 0;
    for await (const chunk of chunks) {
      assert(typeof chunk === "string", () => `state chunks for ${who} must be strings, got ${typeof chunk}`);
      for (let i = 0; i < chunk.length; i += SLICE_CHARS) {
        let piece = carry + chunk.slice(i, i + SLICE_CHARS);
        carry = "";
        const last = piece.charCodeAt(piece.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          carry = piece.slice(-1);
          piece = piece.slice(0, -1);
        }
        if (this.checkStateJson) checker.feed(piece);
        const bytes = textEncoder.encode(piece);
        await put(bytes);
        stateBytes += bytes.length;
        bytesSinceYield += bytes.length;
        if (bytesSinceYield >= this.yieldEveryBytes) {
          await this.yieldToEventLoop();
          bytesSinceYield = 0;
          chunksSinceYield = 0;
        }
      }
      if (++chunksSinceYield >= this.yieldEveryChunks) {
        await this.yieldToEventLoop();
        bytesSinceYield = 0;
        chunksSinceYield = 0;
      }
    }
    if (carry !== "") checker.feed(carry); // a lone high surrogate: the checker rejects it
    const problem = this.checkStateJson || carry !== "" ? checker.end() : null;
    assert(problem === null, () => `state chunks for ${who} are not one JSON object: ${problem}`);
    assert(stateBytes >= 2, "a state object has at least two bytes");
    await flush();
    const fileHash = "0x" + hasher.digest("hex");
    const trailer = encodeTrailer(fileHash);
    await file.write(trailer, position);
    position += trailer.length;
    assert(position === headerBytes.length + stateBytes + TRAILER_BYTES, "every byte was written once");
    return { bytes: position, fileHash };
  }

  /**
   * Makes `base/first/parts…` exist with each level's entry durable in its parent: fsyncs
   * the parent of every level not yet known durable by this process (once per process, since
   * a directory left by a crashed process may exist only in the page cache).
   */
  private async ensureDurableDirs(base: string, parts: readonly string[], first: string): Promise<void> {
    const chain = [first, ...parts];
    let parent = base;
    const full = joinPath(base, ...chain);
    if (this.durableDirs.has(full)) return;
    await this.disk.mkdirp(full);
    for (const part of chain) {
      const dir = joinPath(parent, part);
      if (!this.durableDirs.has(dir)) {
        const st = await this.disk.stat(dir);
        assert(st !== null && st.isDirectory, () => `${dir} is a directory after mkdirp`);
        await this.disk.syncDir(parent);
        this.durableDirs.add(dir);
      }
      parent = dir;
    }
  }

  // ── retention ─────────────────────────────────────────────────────────────────────────

  /**
   * Applies retention to one instance now: keeps the newest K snapshots not known to be
   * damaged, deletes older ones, fsyncs the directory. Known-damaged files are left for
   * `quarantine()`. Returns the deleted paths.
   */
  async prune(domain: string, instance: string): Promise<string[]> {
    return this.withInstanceLock(domain + "\u0000" + instance, () => this.pruneInstance(domain, instance, null));
  }

  private async pruneInstance(domain: string, instance: string, justWritten: string | null): Promise<string[]> {
    const dir = this.instanceDir(domain, instance);
    const deleted: string[] = [];
    try {
      const live = (await this.list(domain, instance)).filter((r) => !this.knownDamaged.has(r.path));
      const drop = live.slice(this.keep);
      assert(
        justWritten === null || live.slice(0, this.keep).some((r) => r.path === justWritten),
        () => `retention would delete the snapshot just written (${justWritten})`,
      );
      for (const r of drop) {
        try {
          await this.disk.unlink(r.path);
        } catch (e) {
          if (!(e instanceof DiskError && e.code === "ENOENT")) throw e;
        }
        deleted.push(r.path);
      }
      if (deleted.length > 0) await this.disk.syncDir(dir);
    } catch (e) {
      throw wrapDiskError(e, SnapshotErrorCode.prune, `pruning old snapshots in ${dir} failed (newer ones are durable)`, {
        dir,
        deleted,
      });
    }
    return deleted;
  }

  /**
   * The oldest snapshot retention keeps: the K-th newest not known to be damaged, or null
   * when fewer than K exist. rules.md [5]: the runtime may delete WAL records of this
   * instance only when their LSN ≤ this snapshot's `lsn`; null means none may go (with fewer
   * than K snapshots, a damaged newest one falls back to replaying from the beginning).
   */
  async oldestRetained(domain: string, instance: string): Promise<SnapshotRef | null> {
    const live = (await this.list(domain, instance)).filter((r) => !this.knownDamaged.has(r.path));
    return live.length >= this.keep ? live[this.keep - 1] : null;
  }

  // ── listing ───────────────────────────────────────────────────────────────────────────

  /** The instance's snapshots by name, newest first (cycle, then lsn). Temps and strays are ignored. */
  async list(domain: string, instance: string): Promise<SnapshotRef[]> {
    const dir = this.instanceDir(domain, instance);
    const refs: SnapshotRef[] = [];
    for (const name of await this.disk.list(dir)) {
      const parsed = parseSnapshotFileName(name);
      if (parsed === null) continue;
      refs.push({ path: joinPath(dir, name), domain, instance, cycle: parsed.cycle, lsn: parsed.lsn });
    }
    refs.sort(compareRefsNewestFirst);
    return refs;
  }

  /** Every (domain, instance) with at least one snapshot, sorted by domain then instance
   * (code-point order). Names that do not decode canonically are ignored. */
  async listInstances(): Promise<{ domain: string; instance: string }[]> {
    const out: { domain: string; instance: string }[] = [];
    for (const d of await this.instanceDirs()) {
      const names = await this.disk.list(d.dir);
      if (names.some((n) => parseSnapshotFileName(n) !== null)) out.push({ domain: d.domain, instance: d.instance });
    }
    out.sort((a, b) => compareStrings(a.domain, b.domain) || compareStrings(a.instance, b.instance));
    return out;
  }

  /** Every directory that decodes to an instance (with or without snapshots in it). */
  private async instanceDirs(): Promise<{ domain: string; instance: string; dir: string }[]> {
    const out: { domain: string; instance: string; dir: string }[] = [];
    for (const dname of await this.disk.list(this.root)) {
      if (dname === DAMAGED_DIR) continue;
      const domain = decodeDomainDir(dname);
      if (domain === null) continue;
      await this.walkInstanceDirs(domain, joinPath(this.root, dname), [], out);
    }
    return out;
  }

  private async walkInstanceDirs(
    domain: string,
    dir: string,
    parts: string[],
    out: { domain: string; instance: string; dir: string }[],
  ): Promise<void> {
    for (const name of await this.disk.list(dir)) {
      const path = joinPath(dir, name);
      const st = await this.disk.stat(path);
      if (st === null || !st.isDirectory) continue;
      if (isContinuationDir(name)) {
        if (parts.length + 1 < INSTANCE_DIR_DEPTH_MAX) await this.walkInstanceDirs(domain, path, [...parts, name], out);
        continue;
      }
      const instance = decodeInstanceDirs([...parts, name]);
      if (instance !== null) out.push({ domain, instance, dir: path });
    }
  }

  // ── reading ───────────────────────────────────────────────────────────────────────────

  /** True when this process found the file damaged (retention leaves such files alone). */
  isKnownDamaged(path: string): boolean {
    return this.knownDamaged.has(path);
  }

  private damaged(path: string, reason: string, isData = true): SnapshotDamage {
    if (isData) this.knownDamaged.add(path);
    return new SnapshotDamage(path, reason);
  }

  private readFailure(path: string, e: unknown): SnapshotDamage {
    if (!(e instanceof DiskError)) throw e;
    if (e.code === "ENOENT") return this.damaged(path, "file missing", false);
    return this.damaged(path, `read failed (${e.code}: ${e.message})`);
  }

  /** Null when `header` matches what the path's name says; else the mismatch. */
  private nameMismatch(path: string, header: SnapshotHeader): string | null {
    const ref = this.parsePath(path);
    if (ref === null) return null; // not in the store's tree (e.g. quarantined): nothing to compare
    for (const k of ["domain", "instance", "cycle", "lsn"] as const) {
      if (ref[k] !== header[k]) return `the file name says ${k} ${JSON.stringify(ref[k])} but the file says ${JSON.stringify(header[k])}`;
    }
    return null;
  }

  /**
   * Reads and fully verifies one snapshot: trailer and file_hash, UTF-8, JSON, field order
   * and types, and that the content matches the file name. Never throws on bad data.
   */
  async read(path: string): Promise<SnapshotFile | SnapshotDamage> {
    let bytes: Uint8Array;
    try {
      bytes = await this.disk.readFile(path);
    } catch (e) {
      return this.readFailure(path, e);
    }
    const decoded = decodeSnapshotBytes(bytes, sha256Hex);
    if (typeof decoded === "string") return this.damaged(path, decoded);
    const mismatch = this.nameMismatch(path, decoded.header);
    if (mismatch !== null) return this.damaged(path, mismatch);
    const file: SnapshotFile = { ...decoded.header, state: decoded.state, path, bytes: bytes.length };
    assert(file.format === 1 && typeof file.state === "object", "a decoded snapshot has format 1 and an object state");
    return file;
  }

  /**
   * Reads only the header (fast start-up indexing, rules.md [36]): the bytes up to the first
   * `⏎"state":` plus the fixed-size trailer's shape, never the state. NOT hash-verified — a
   * flipped bit inside the header may go unnoticed here; `read()` verifies everything before
   * a snapshot is used to restore state. Detects truncation, a missing trailer, a malformed
   * header and a name/content mismatch.
   */
  async readHeader(path: string): Promise<SnapshotHeaderAt | SnapshotDamage> {
    let file: DiskFile;
    try {
      file = await this.disk.open(path, "r");
    } catch (e) {
      return this.readFailure(path, e);
    }
    try {
      const size = await file.size();
      if (size < TRAILER_BYTES + 2) return this.damaged(path, `truncated: the file has only ${size} bytes`);
      const tail = new Uint8Array(TRAILER_BYTES);
      const got = await readFully(file, tail, size - TRAILER_BYTES);
      if (got !== TRAILER_BYTES || parseTrailer(tail) === null) {
        return this.damaged(path, "missing or malformed file_hash trailer (truncated or damaged at the end)");
      }
      const limit = Math.min(size - TRAILER_BYTES, SNAPSHOT_HEADER_BYTES_MAX + STATE_MARKER.length);
      let buf: Uint8Array<ArrayBuffer> = new Uint8Array(0);
      let marker = -1;
      while (marker < 0 && buf.length < limit) {
        const want = Math.min(Math.max(HEADER_READ_BYTES, buf.length), limit - buf.length);
        const next: Uint8Array<ArrayBuffer> = new Uint8Array(buf.length + want);
        next.set(buf);
        const n = await readFully(file, next.subarray(buf.length), buf.length);
        if (n === 0) break;
        const searchFrom = Math.max(0, buf.length - STATE_MARKER.length + 1);
        buf = next.subarray(0, buf.length + n);
        marker = indexOfBytes(buf, STATE_MARKER, searchFrom);
      }
      if (marker < 0) {
        return this.damaged(
          path,
          buf.length >= SNAPSHOT_HEADER_BYTES_MAX ? `header larger than ${SNAPSHOT_HEADER_BYTES_MAX} bytes` : "no state field",
        );
      }
      const header = decodeHeaderPrefix(buf.subarray(0, marker));
      if (typeof header === "string") return this.damaged(path, header);
      const mismatch = this.nameMismatch(path, header);
      if (mismatch !== null) return this.damaged(path, mismatch);
      return { ...header, path };
    } catch (e) {
      return this.readFailure(path, e);
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  /**
   * The newest snapshot that verifies (and passes `extraVerify`), falling back from damaged
   * newer ones; `skipped` lists those, newest first, for the runtime to report
   * (`fallbackReport`). Damaged files stay where they are until `quarantine()`.
   */
  async readNewestValid(domain: string, instance: string, extraVerify?: ExtraVerify): Promise<NewestValid> {
    const skipped: SnapshotDamage[] = [];
    for (const ref of await this.list(domain, instance)) {
      const s = await this.read(ref.path);
      if (s instanceof SnapshotDamage) {
        skipped.push(s);
        continue;
      }
      const why = extraVerify === undefined ? null : await extraVerify(s);
      if (why !== null) {
        skipped.push(this.damaged(ref.path, why));
        continue;
      }
      return { snapshot: s, skipped };
    }
    return { snapshot: null, skipped };
  }

  // ── damaged data and temp files ───────────────────────────────────────────────────────

  /**
   * Moves a (damaged) snapshot to `<dataDir>/snapshots/damaged/<domain>/<instance…>/<name>`
   * (adding `.1`, `.2`, … when that name is taken) and returns the new path. Never deletes.
   */
  async quarantine(path: string): Promise<string> {
    const ref = this.parsePath(path);
    assert(ref !== null, () => `quarantine: ${path} is not a snapshot path of this store`);
    return this.withInstanceLock(ref.domain + "\u0000" + ref.instance, async () => {
      const parts = [encodeDomainDir(ref.domain), ...encodeInstanceDirs(ref.instance)];
      const targetDir = joinPath(this.root, DAMAGED_DIR, ...parts);
      const name = path.slice(path.lastIndexOf("/") + 1);
      try {
        await this.ensureDurableDirs(this.root, parts, DAMAGED_DIR);
        let target = joinPath(targetDir, name);
        for (let n = 1; (await this.disk.stat(target)) !== null; n++) target = joinPath(targetDir, `${name}.${n}`);
        await this.disk.rename(path, target);
        // Target first: a crash in between leaves the file in both places at worst, never in neither.
        await this.disk.syncDir(targetDir);
        await this.disk.syncDir(parentDir(path));
        this.knownDamaged.delete(path);
        return target;
      } catch (e) {
        throw wrapDiskError(e, SnapshotErrorCode.quarantine, `moving ${path} to ${targetDir} failed`, { path });
      }
    });
  }

  /**
   * Deletes stale temp files (`<snapshot name>.tmp`) left by crashed writes, in every
   * instance directory, and returns their paths. Temps of writes in progress are left alone;
   * nothing else is touched. A temp was never renamed, so it was never a snapshot.
   */
  async sweepTemps(): Promise<string[]> {
    const removed: string[] = [];
    try {
      for (const d of await this.instanceDirs()) {
        let here = 0;
        for (const name of await this.disk.list(d.dir)) {
          const path = joinPath(d.dir, name);
          if (!isTempFileName(name) || this.writingTemps.has(path)) continue;
          await this.disk.unlink(path);
          removed.push(path);
          here++;
        }
        if (here > 0) await this.disk.syncDir(d.dir);
      }
    } catch (e) {
      throw wrapDiskError(e, SnapshotErrorCode.sweep, "sweeping snapshot temp files failed", { removed });
    }
    return removed;
  }
}

/** Reads until `buf` is full or the file ends; returns bytes read. */
async function readFully(file: DiskFile, buf: Uint8Array, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const n = await file.read(buf, got, buf.length - got, position + got);
    if (n === 0) break;
    assert(n > 0 && n <= buf.length - got, "DiskFile.read returns a count within the request");
    got += n;
  }
  return got;
}

/**
 * The user-facing lines for a fallback: "snapshot X is damaged (reason); using Y".
 * Empty when nothing was skipped.
 */
export function fallbackReport(result: NewestValid): string[] {
  const using = result.snapshot === null ? "none (replaying the instance's whole journal)" : result.snapshot.path;
  return result.skipped.map((d) => `snapshot ${d.path} is damaged (${d.reason}); using ${using}`);
}

