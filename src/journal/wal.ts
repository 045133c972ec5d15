/**
 * The write-ahead log: one node-wide, segmented, append-only log of `(type, time, payload)`
 * records (runtime.md §1, §5; rules.md [35], [45]). Byte layouts: format.ts and
 * docs/formats.md. Recovery decisions: recovery.ts.
 *
 * LSNs: records get 1, 2, 3, … with no holes (commit markers take no LSN; a marker's LSN
 * field repeats its batch's last LSN). The only exception is an explicit repair, which starts
 * a new segment after the LSNs it set aside and records that skip in the segment header.
 *
 * Group commit, and why acknowledgement waits for fdatasync:
 * - `append` encodes the record into the pending batch and returns its LSN at once; nothing
 *   is on disk yet and nothing may be acknowledged.
 * - `flush` closes the pending batch with a commit marker, writes records + marker with ONE
 *   write at the end of the active segment, then ONE fdatasync, and only then resolves (and
 *   advances `durableLsn`). A batch is therefore on disk whole — marker included — before
 *   anyone hears "ok"; a crash earlier leaves at most a batch with no valid marker, which
 *   recovery discards as a torn tail (it was never acknowledged).
 * - At most one write+fsync is in progress. Appends made meanwhile form the next batch; every
 *   `flush` issued meanwhile waits for the running one, then one write+fsync carries
 *   everything pending. N concurrent callers cost about two fsyncs, not N.
 *
 * Failure policy (STYLE.md §4):
 * - fsync error: the WAL fails permanently (`WAL_FAILED`) and refuses all work until it is
 *   reopened. After a failed fsync Linux may drop the dirty pages and report the *next*
 *   fsync as successful ("fsyncgate"), so retrying could acknowledge data that is not on
 *   disk. Reopening runs recovery, which trusts only what is really there. The failed
 *   batch may or may not survive; it was never acknowledged either way.
 * - ENOSPC/EDQUOT on a write (creating a segment or writing a batch): the flush rejects with
 *   `WAL_NO_SPACE`, the batch stays queued with its LSNs, position and bytes fixed, and the
 *   next flush rewrites exactly the same bytes at the same place (so a partial write is
 *   simply overwritten). Appends keep working; once space frees, a flush succeeds.
 * - Any other write error fails the WAL permanently, like an fsync error.
 */
import { assert } from "../base/assert.ts";
import { DataDamagedError } from "../base/errors.ts";
import { DiskError, type Disk, type DiskFile } from "../base/disk.ts";
import { WAL_SEGMENT_BYTES } from "../base/limits.ts";
import { crc32cUpdate } from "./crc32c.ts";
import { WalError } from "./errors.ts";
import {
  FRAME_HEADER_BYTES,
  MARKER_FRAME_BYTES,
  RECORD_TYPE_MAX,
  SEGMENT_HEADER_BYTES,
  WAL_BATCH_BYTES_MAX,
  WAL_PAYLOAD_BYTES_MAX,
  WAL_SEGMENT_BYTES_MIN,
  dataView,
  decodeSegmentHeader,
  encodeMarkerInto,
  encodeRecordInto,
  parseSegmentName,
  segmentName,
} from "./format.ts";
import { analyzeWal, applyTail, damagedError, joinPath, writeNewSegment, type DescribeRecord, type SegmentFacts } from "./recovery.ts";
import { parseBody } from "./segment.ts";

export type Durability = "fsync" | "none";

export interface WalOptions {
  /** Never writes; a torn tail is reported and ignored (journal verify, state --data). */
  readOnly?: boolean;
  /** "fsync" (default) or "none" (tests and benchmarks: no fdatasync, no directory fsync). */
  durability?: Durability;
  /** Size of new segments (default WAL_SEGMENT_BYTES). */
  segmentBytes?: number;
  /** Names the instance of a record, for damage reports. */
  describe?: DescribeRecord;
  /** Data directory named in the repair hint (default: the WAL directory's parent). */
  dataDir?: string;
  /**
   * Accept frames and batches whose checksums do not match. Exists only for the simulator's
   * mutation test ("replay without checksum", test/sim/mutations.test.ts), which shows the
   * simulator catches a reader without them. Never set it anywhere else.
   */
  unsafeSkipChecksums?: boolean;
}

export interface WalRecord {
  lsn: number;
  type: number;
  time: number;
  /** A view into a buffer read for this scan; copy it to keep it past the next record. */
  payload: Uint8Array;
}

export interface RecoveryReport {
  outcome: "fresh" | "clean" | "torn-tail" | "torn-segment-creation";
  readOnly: boolean;
  /** True when the torn tail was discarded on disk (writable open); false when only reported. */
  applied: boolean;
  segments: string[];
  firstLsn: number;
  lastLsn: number;
  truncated: null | {
    /** The segment the WAL now ends in, and where (null when no segment remained). */
    segment: string | null;
    offset: number;
    /** Where the bad data begins, and why it is bad. */
    badSegment: string;
    badOffset: number;
    reason: string;
    /** Individually valid records after the last marker: never acknowledged, discarded. */
    discardedRecords: number;
    discardedLsns: { from: number; to: number } | null;
    removedSegments: string[];
    zeroedBytes: number;
  };
  /** One sentence per thing worth telling an operator. */
  notes: string[];
}

export interface SegmentInfo {
  name: string;
  firstLsn: number;
  /** Last durable LSN in it (firstLsn − 1 when empty). */
  lastLsn: number;
  /** Bytes written (header, records, markers). */
  dataBytes: number;
  /** Bytes allocated (the preallocated file size). */
  fileBytes: number;
}

interface Segment {
  name: string;
  path: string;
  firstLsn: number;
  prevLastLsn: number;
  lastLsn: number;
  dataEnd: number;
  segmentBytes: number;
}

interface Batch {
  buf: Uint8Array;
  /** Bytes of records + marker. */
  bytes: Uint8Array;
  firstLsn: number;
  lastLsn: number;
  lastTime: number;
  /** Where it goes; fixed once chosen, so a retried write rewrites the same bytes in place. */
  place: { seg: Segment; pos: number } | null;
}

interface Waiter {
  lsn: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const BATCH_BUFFER_INITIAL = 64 * 1024;
/** A batch buffer larger than this is dropped after use instead of being kept for reuse. */
const BATCH_BUFFER_KEEP_MAX = 4 * 1024 * 1024;

function isNoSpace(e: unknown): boolean {
  return e instanceof DiskError && (e.code === "ENOSPC" || e.code === "EDQUOT");
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function parentDir(dir: string): string {
  const i = dir.replace(/\/+$/, "").lastIndexOf("/");
  return i > 0 ? dir.slice(0, i) : i === 0 ? "/" : ".";
}

/**
 * Opens (and recovers) the WAL in `dir`. Resolves with the WAL and what recovery did;
 * rejects with `DataDamagedError` (exit 3) when the decision table says the WAL is damaged,
 * or a `DiskError` when the disk fails.
 */
export async function openWal(disk: Disk, dir: string, opts: WalOptions = {}): Promise<{ wal: Wal; report: RecoveryReport }> {
  const readOnly = opts.readOnly ?? false;
  const durability = opts.durability ?? "fsync";
  const segmentBytes = opts.segmentBytes ?? WAL_SEGMENT_BYTES;
  assert(Number.isSafeInteger(segmentBytes) && segmentBytes >= WAL_SEGMENT_BYTES_MIN, `segmentBytes must be ≥ ${WAL_SEGMENT_BYTES_MIN}`);
  if (!readOnly) await disk.mkdirp(dir);

  const checksums = opts.unsafeSkipChecksums !== true;
  const a = await analyzeWal(disk, dir, opts.describe, checksums);
  if (a.damage !== null) throw damagedError(a.damage, dir, opts.dataDir ?? parentDir(dir));

  const notes: string[] = [];
  let applied = false;
  let zeroedBytes = 0;
  const t = a.tail;
  if (t !== null) {
    const what =
      t.kind === "torn-segment-creation"
        ? `newest segment ${t.badSegment} has a torn header (${t.reason}) and no committed data: its creation was interrupted`
        : `torn tail at ${t.badSegment} byte ${t.badOffset} (${t.reason}); ${t.discardedRecords} unacknowledged record(s) after the last commit marker`;
    if (readOnly) notes.push(`${what}; ignored (read-only open never truncates)`);
    else {
      zeroedBytes = await applyTail(disk, dir, a);
      applied = true;
      notes.push(`${what}; discarded`);
    }
  }

  const segs: Segment[] = a.segments.map((s: SegmentFacts) => ({
    name: s.name,
    path: s.path,
    firstLsn: s.firstLsn,
    prevLastLsn: s.prevLastLsn,
    lastLsn: s.lastLsn,
    dataEnd: s.dataEnd,
    segmentBytes: s.segmentBytes,
  }));
  const fresh = a.names.length === 0;
  const lastTime = [...a.segments].reverse().find((s) => s.lastTime !== null)?.lastTime ?? 0;
  const nextLsn = segs.length > 0 ? segs.at(-1)!.lastLsn + 1 : (t?.nextLsnHint ?? 1);

  const wal = new Wal(disk, dir, readOnly, durability, segmentBytes, segs, nextLsn, lastTime);
  wal.checksums = checksums;
  if (!readOnly) {
    if (segs.length === 0) {
      await wal.createFirstSegment(nextLsn);
      if (!fresh) notes.push(`no segment remained; started ${segmentName(nextLsn)}`);
    } else await wal.openActive(a.segments.at(-1)!.fileBytes);
  }

  const report: RecoveryReport = {
    outcome: fresh ? "fresh" : t === null ? "clean" : t.kind,
    readOnly,
    applied,
    segments: wal.segments().map((s) => s.name),
    firstLsn: wal.firstLsn,
    lastLsn: wal.lastLsn,
    truncated:
      t === null
        ? null
        : {
            segment: t.cutIndex >= 0 ? a.segments[t.cutIndex].name : null,
            offset: t.cutOffset,
            badSegment: t.badSegment,
            badOffset: t.badOffset,
            reason: t.reason,
            discardedRecords: t.discardedRecords,
            discardedLsns: t.discardedLsns,
            removedSegments: t.removeSegments,
            zeroedBytes,
          },
    notes,
  };
  return { wal, report };
}

export class Wal {
  private active: DiskFile | null = null;
  private nextLsn: number;
  private lastTime_: number;
  private durable: number;

  // The pending batch, encoded as appended.
  private buf: Uint8Array;
  private dv: DataView;
  private len = 0;
  private count = 0;
  private batchFirstLsn = 0;
  private batchCrc = 0;
  private spare: Uint8Array | null = null;

  private inflight: Batch | null = null;
  private flushing = false;
  private waiters: Waiter[] = [];
  private wantLsn = 0;
  private failure: WalError | null = null;
  private closed = false;

  /** False only under the simulator's mutation test (WalOptions.unsafeSkipChecksums). */
  checksums = true;

  /** Counters for metrics and tests. */
  readonly stats = { batches: 0, records: 0, syncs: 0, bytesWritten: 0, segmentsCreated: 0, noSpaceErrors: 0 };

  /** @internal use openWal */
  constructor(
    private readonly disk: Disk,
    readonly dir: string,
    readonly readOnly: boolean,
    readonly durability: Durability,
    readonly segmentBytes: number,
    private readonly segs: Segment[],
    nextLsn: number,
    lastTime: number,
  ) {
    this.nextLsn = nextLsn;
    this.durable = nextLsn - 1;
    this.lastTime_ = lastTime;
    this.buf = new Uint8Array(BATCH_BUFFER_INITIAL);
    this.dv = dataView(this.buf);
  }

  // ---- state ----------------------------------------------------------------------------

  /** Highest LSN known durable: every record up to it survives any crash. */
  get durableLsn(): number {
    return this.durable;
  }
  /** First LSN the WAL still holds (segments before it were deleted); lastLsn + 1 when empty. */
  get firstLsn(): number {
    return this.segs.length > 0 ? this.segs[0].firstLsn : this.nextLsn;
  }
  /** Highest LSN appended (pending records included). */
  get lastLsn(): number {
    return this.nextLsn - 1;
  }
  /** Time of the last appended record; callers clamp new times to at least this (rules.md [16]). */
  get lastTime(): number {
    return this.lastTime_;
  }
  /** Records appended but not yet handed to a write. */
  get pendingRecords(): number {
    return this.count;
  }
  /** Set when the WAL failed permanently (reopen to recover). */
  get failed(): WalError | null {
    return this.failure;
  }

  segments(): SegmentInfo[] {
    return this.segs.map((s) => ({ name: s.name, firstLsn: s.firstLsn, lastLsn: s.lastLsn, dataBytes: s.dataEnd, fileBytes: s.segmentBytes }));
  }
  /** Bytes of live segments actually written (headers, records, markers): the WAL-size metric. */
  sizeBytes(): number {
    return this.segs.reduce((n, s) => n + s.dataEnd, 0);
  }
  /** Bytes the live segments occupy on disk (preallocated). */
  allocatedBytes(): number {
    return this.segs.reduce((n, s) => n + s.segmentBytes, 0);
  }

  // ---- writing --------------------------------------------------------------------------

  /**
   * Adds a record to the pending batch and returns its LSN. Not durable until a `flush`
   * (or `flushed(lsn)`) resolves. `time` must be ≥ `lastTime` (the runtime clamps, rules.md
   * [16]); `type` is 0..254. Throws `WalError` when the WAL is read-only, failed or closed,
   * the payload is too large, or the pending batch is full.
   */
  append(type: number, time: number, payload: Uint8Array): number {
    this.checkWritable();
    assert(Number.isInteger(type) && type >= 0 && type <= RECORD_TYPE_MAX, () => `WAL record type ${type} outside 0..${RECORD_TYPE_MAX}`);
    assert(Number.isSafeInteger(time) && time >= 0, () => `WAL record time ${time} is not a non-negative integer`);
    assert(time >= this.lastTime_, () => `WAL record time ${time} is before the previous record's ${this.lastTime_} (clamp it, rules.md [16])`);
    if (payload.length > WAL_PAYLOAD_BYTES_MAX) {
      throw new WalError("WAL_RECORD_TOO_LARGE", `a WAL record payload of ${payload.length} bytes exceeds the limit of ${WAL_PAYLOAD_BYTES_MAX} bytes`, { bytes: payload.length });
    }
    const frameBytes = FRAME_HEADER_BYTES + payload.length;
    if (this.len + frameBytes + MARKER_FRAME_BYTES > WAL_BATCH_BYTES_MAX) {
      throw new WalError("WAL_BATCH_FULL", `the pending WAL batch would exceed ${WAL_BATCH_BYTES_MAX} bytes; flush before appending more`, { bytes: this.len });
    }
    this.ensure(frameBytes + MARKER_FRAME_BYTES);
    const lsn = this.nextLsn;
    const off = this.len;
    encodeRecordInto(this.buf, this.dv, off, type, lsn, time, payload);
    this.batchCrc = crc32cUpdate(this.batchCrc, this.buf, off, off + frameBytes);
    if (this.count === 0) this.batchFirstLsn = lsn;
    this.count++;
    this.len += frameBytes;
    this.nextLsn++;
    this.lastTime_ = time;
    return lsn;
  }

  /**
   * Makes every record appended so far durable. Resolves once they are on disk (after
   * fdatasync in "fsync" mode); concurrent calls share writes. Rejects with `WalError`
   * `WAL_NO_SPACE` (retry later; nothing lost, nothing acknowledged) or `WAL_FAILED`
   * (permanent until reopen), or `WAL_CLOSED`/`WAL_READ_ONLY`.
   */
  flush(): Promise<void> {
    return this.flushed(this.nextLsn - 1);
  }

  /** Resolves once `lsn` is durable, starting a flush if it is still pending. */
  flushed(lsn: number): Promise<void> {
    try {
      this.checkWritable();
    } catch (e) {
      return Promise.reject(e);
    }
    assert(Number.isSafeInteger(lsn) && lsn < this.nextLsn, () => `flushed(${lsn}): no such LSN was appended (last is ${this.nextLsn - 1})`);
    if (lsn <= this.durable) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ lsn, resolve, reject });
      if (lsn > this.wantLsn) this.wantLsn = lsn;
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing || this.failure !== null) return;
    this.flushing = true;
    this.flushLoop().then(
      () => {
        this.flushing = false;
        // A flush request that arrived as the loop was finishing.
        if (this.wantLsn > this.durable && this.failure === null && this.waiters.length > 0) this.kick();
      },
      (e) => {
        // Only a broken invariant gets here: stop for good and tell every waiter.
        this.flushing = false;
        this.failPermanently(e);
      },
    );
  }

  /** At most one instance runs: one write + one fsync per iteration. */
  private async flushLoop(): Promise<void> {
    while (this.failure === null && this.wantLsn > this.durable) {
      if (this.inflight === null) {
        assert(this.count > 0, "a flush is wanted but nothing is pending or in flight");
        this.inflight = this.takeBatch();
      }
      const b = this.inflight;
      try {
        if (b.place === null) b.place = await this.place(b.bytes.length, b.firstLsn);
        const f = await this.activeFile();
        await f.write(b.bytes, b.place.pos);
      } catch (e) {
        if (isNoSpace(e)) {
          // Keep the batch as it is (same bytes, same place) and let a later flush retry it.
          this.stats.noSpaceErrors++;
          const err = new WalError("WAL_NO_SPACE", `the WAL could not write LSNs ${b.firstLsn}..${b.lastLsn}: ${(e as Error).message}; they are kept and a later flush retries`, {}, { cause: e });
          this.wantLsn = this.durable;
          this.rejectWaiters(err);
          return;
        }
        this.failPermanently(e);
        return;
      }
      this.stats.bytesWritten += b.bytes.length;
      if (this.durability === "fsync") {
        try {
          await (await this.activeFile()).sync();
          this.stats.syncs++;
        } catch (e) {
          this.failPermanently(e);
          await this.eraseUnsynced(b);
          return;
        }
      }
      const place = b.place;
      assert(place.pos === place.seg.dataEnd, "a batch must land exactly at the end of its segment's data");
      place.seg.dataEnd = place.pos + b.bytes.length;
      place.seg.lastLsn = b.lastLsn;
      assert(b.firstLsn === this.durable + 1, "batches become durable in LSN order");
      this.durable = b.lastLsn;
      this.stats.batches++;
      this.stats.records += b.lastLsn - b.firstLsn + 1;
      this.inflight = null;
      if (b.buf.length <= BATCH_BUFFER_KEEP_MAX) this.spare = b.buf;
      this.resolveWaiters();
    }
  }

  /** Closes the pending batch with its marker and swaps in a fresh buffer for new appends. */
  private takeBatch(): Batch {
    assert(this.count > 0 && this.len + MARKER_FRAME_BYTES <= this.buf.length, "takeBatch needs records and room for the marker");
    const firstLsn = this.batchFirstLsn;
    const lastLsn = this.nextLsn - 1;
    assert(lastLsn - firstLsn + 1 === this.count, "the pending batch holds consecutive LSNs");
    encodeMarkerInto(this.buf, this.dv, this.len, {
      lastLsn,
      time: this.lastTime_,
      firstLsn,
      count: this.count,
      batchBytes: this.len,
      batchCrc: this.batchCrc,
    });
    const b: Batch = { buf: this.buf, bytes: this.buf.subarray(0, this.len + MARKER_FRAME_BYTES), firstLsn, lastLsn, lastTime: this.lastTime_, place: null };
    const next = this.spare ?? new Uint8Array(BATCH_BUFFER_INITIAL);
    this.spare = null;
    this.buf = next;
    this.dv = dataView(next);
    this.len = 0;
    this.count = 0;
    this.batchCrc = 0;
    return b;
  }

  /** Chooses where a batch of `n` bytes goes: the active segment, or a new one. */
  private async place(n: number, firstLsn: number): Promise<{ seg: Segment; pos: number }> {
    const last = this.segs.at(-1);
    if (last !== undefined && last.dataEnd + n <= last.segmentBytes) return { seg: last, pos: last.dataEnd };
    // A batch larger than a segment gets a segment of its own size (rounded to 4 KiB pages).
    const need = SEGMENT_HEADER_BYTES + n;
    const size = need <= this.segmentBytes ? this.segmentBytes : roundUp(need, 4096);
    let prevLastLsn = firstLsn - 1;
    if (last !== undefined && last.lastLsn < last.firstLsn) {
      // The active segment is empty but too small for this batch: replace it by a larger one
      // with the same first LSN (it holds nothing, so nothing is lost) and the same skip.
      assert(last.firstLsn === firstLsn, "an empty active segment starts at the next LSN");
      prevLastLsn = last.prevLastLsn;
      await this.closeActive();
      this.segs.pop();
      await this.disk.unlink(last.path);
    } else if (last !== undefined) {
      assert(last.lastLsn === firstLsn - 1, "a new segment continues the LSNs of the one before");
    }
    const seg = await this.createSegment(firstLsn, prevLastLsn, size);
    return { seg, pos: seg.dataEnd };
  }

  private async createSegment(firstLsn: number, prevLastLsn: number, size: number): Promise<Segment> {
    assert(this.segs.every((s) => s.firstLsn < firstLsn), "a new segment starts after every existing one");
    await writeNewSegment(this.disk, this.dir, firstLsn, prevLastLsn, size, this.durability === "fsync");
    await this.closeActive();
    const name = segmentName(firstLsn);
    const seg: Segment = { name, path: joinPath(this.dir, name), firstLsn, prevLastLsn, lastLsn: firstLsn - 1, dataEnd: SEGMENT_HEADER_BYTES, segmentBytes: size };
    this.segs.push(seg);
    this.active = await this.disk.open(seg.path, "rw");
    this.stats.segmentsCreated++;
    return seg;
  }

  /** @internal openWal: a fresh WAL (or one whose only segment was a torn creation). */
  async createFirstSegment(firstLsn: number): Promise<void> {
    await this.createSegment(firstLsn, firstLsn - 1, this.segmentBytes);
  }

  /** @internal openWal: opens the newest segment for appends, re-extending a short file. */
  async openActive(fileBytes: number): Promise<void> {
    const seg = this.segs.at(-1)!;
    this.active = await this.disk.open(seg.path, "rw");
    // Preallocation was cut short (a crash during creation, or ENOSPC): finish it.
    if (fileBytes < seg.segmentBytes) await this.active.write(new Uint8Array(seg.segmentBytes - fileBytes), fileBytes);
    // A predecessor killed between a write and its fdatasync (kill -9, no power loss) leaves a
    // batch in the page cache that recovery just read as committed and that we are about to
    // build on and acknowledge. Make it durable before anything else happens: only the newest
    // segment can hold such a batch (each batch is synced before the next is written), and the
    // directory may hold its creation or a deletion that was never synced.
    if (fileBytes < seg.segmentBytes || this.durability === "fsync") await this.active.sync();
    if (this.durability === "fsync") await this.disk.syncDir(this.dir);
  }

  private async activeFile(): Promise<DiskFile> {
    if (this.active === null) {
      const seg = this.segs.at(-1);
      assert(seg !== undefined, "no active segment");
      this.active = await this.disk.open(seg.path, "rw");
    }
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const f = this.active;
    this.active = null;
    if (f !== null) await f.close();
  }

  private resolveWaiters(): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.lsn <= this.durable) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private rejectWaiters(e: unknown): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(e);
  }

  /**
   * After a failed fdatasync the page cache may keep the batch while the disk never gets it
   * (Linux marks the pages clean and forgets the error: "fsyncgate"). A successor process
   * would read it back as committed, then acknowledge, execute and build on records that a
   * power cut can still take away. Overwrite the batch with zeros and sync once more (best
   * effort), so cache and disk agree that this batch, never acknowledged, does not exist.
   * Known limit: a process death between the failed fdatasync and this write leaves the batch
   * in the cache only; nothing a successor can read tells it apart from a durable batch.
   */
  private async eraseUnsynced(b: Batch): Promise<void> {
    if (b.place === null) return;
    try {
      const f = await this.activeFile();
      await f.write(new Uint8Array(b.bytes.length), b.place.pos);
      await f.sync();
    } catch {
      // Nothing more can be done from here; recovery judges whatever is on disk.
    }
  }

  private failPermanently(e: unknown): void {
    if (this.failure === null) {
      const why = e instanceof Error ? e.message : String(e);
      this.failure = new WalError("WAL_FAILED", `the WAL stopped after a failed write or fsync (${why}); records after LSN ${this.durable} are not durable; reopen to recover`, { durableLsn: this.durable }, { cause: e });
    }
    this.rejectWaiters(e instanceof WalError || !(e instanceof DiskError) ? e : this.failure);
  }

  private checkWritable(): void {
    if (this.closed) throw new WalError("WAL_CLOSED", "the WAL is closed");
    if (this.readOnly) throw new WalError("WAL_READ_ONLY", "the WAL was opened read-only");
    if (this.failure !== null) throw this.failure;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = dataView(next);
  }

  // ---- bounded journal ------------------------------------------------------------------

  /**
   * Deletes whole segments whose every record has an LSN below `lsn` (never the active
   * segment), then fsyncs the directory. Returns the names deleted. The caller decides `lsn`
   * (rules.md [5]: below every instance's oldest retained snapshot).
   */
  async deleteSegmentsBefore(lsn: number): Promise<string[]> {
    this.checkWritable();
    assert(Number.isSafeInteger(lsn), "deleteSegmentsBefore needs an integer LSN");
    let k = 0;
    // Segment k holds LSNs firstLsn(k) .. firstLsn(k+1) − 1: all below `lsn` iff firstLsn(k+1) ≤ lsn.
    while (k < this.segs.length - 1 && this.segs[k + 1].firstLsn <= lsn) k++;
    const victims = this.segs.splice(0, k);
    for (const v of victims) await this.disk.unlink(v.path);
    if (victims.length > 0 && this.durability === "fsync") await this.disk.syncDir(this.dir);
    return victims.map((v) => v.name);
  }

  // ---- reading --------------------------------------------------------------------------

  /**
   * Committed records with `fromLsn ≤ lsn ≤ durableLsn` (as of the call), in LSN order across
   * segments. Throws `DataDamagedError` when bytes that recovery accepted no longer read back
   * (latent damage since open), or when `fromLsn` lies in deleted segments.
   */
  async *scan(fromLsn = this.firstLsn): AsyncGenerator<WalRecord> {
    if (this.closed) throw new WalError("WAL_CLOSED", "the WAL is closed");
    assert(Number.isSafeInteger(fromLsn) && fromLsn >= 1, `scan from LSN ${fromLsn}`);
    const upTo = this.durable;
    if (fromLsn < this.firstLsn) {
      throw new DataDamagedError("WAL_GAP", `LSN ${fromLsn} is no longer in the WAL (it starts at LSN ${this.firstLsn}); the records between were deleted`, { fromLsn, firstLsn: this.firstLsn });
    }
    for (const seg of [...this.segs]) {
      const segLast = Math.min(seg.lastLsn, upTo);
      if (segLast < fromLsn || segLast < seg.firstLsn) continue;
      const buf = await this.disk.readFile(seg.path);
      const hc = decodeSegmentHeader(buf, parseSegmentName(seg.name)!);
      const body = hc.ok ? parseBody(buf, SEGMENT_HEADER_BYTES, Math.min(buf.length, hc.header.segmentBytes), seg.firstLsn, true, this.checksums) : null;
      if (body === null || body.lastLsn < segLast) {
        const where = body === null ? `header (${hc.ok ? "" : hc.reason})` : `byte ${body.stop.offset} (${body.stop.kind === "end" ? "data ends early" : body.stop.reason})`;
        throw new DataDamagedError("WAL_DAMAGED", `WAL segment ${seg.path} no longer reads back at ${where}: LSNs ${body === null ? seg.firstLsn : body.lastLsn + 1}..${segLast} were durable and are now unreadable`, {
          segment: seg.name,
          lsnFrom: body === null ? seg.firstLsn : body.lastLsn + 1,
          lsnTo: segLast,
        });
      }
      for (const r of body.committed) {
        if (r.lsn < fromLsn) continue;
        if (r.lsn > segLast) break;
        yield { lsn: r.lsn, type: r.type, time: r.time, payload: r.payload };
      }
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** Flushes pending records (writable WAL) and closes the segment file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    let err: unknown = null;
    if (!this.readOnly && this.failure === null && (this.count > 0 || this.inflight !== null || this.flushing)) {
      await this.flush().catch((e) => (err = e));
    }
    this.closed = true;
    await this.closeActive().catch((e) => (err ??= e));
    if (err !== null) throw err;
  }
}
