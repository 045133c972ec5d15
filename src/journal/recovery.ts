/**
 * WAL recovery: what `openWal` decides about the bytes it finds (rules.md [35], runtime.md
 * §1, STYLE.md §10). Every row has a test in test/journal/recovery_table.test.ts.
 *
 * The principle: a group commit is acknowledged only after its records *and* its commit
 * marker were written with one write and made durable with one fdatasync. So anything after
 * the last valid marker was never acknowledged and may be discarded; but damage *followed*
 * by a valid marker means a batch that was (or may have been) acknowledged is unreadable,
 * and the WAL refuses to guess.
 *
 * | # | found on open                                                         | verdict    | writable open                          | read-only open |
 * |---|-----------------------------------------------------------------------|------------|----------------------------------------|----------------|
 * | 1 | no segment files                                                      | fresh      | create segment 1                       | empty WAL      |
 * | 2 | every batch closed by a matching marker; after the last one a zero    | clean      | append after the last batch            | read it        |
 * |   | length field or the segment end; no valid marker further on           |            |                                        |                |
 * | 3 | after the last complete batch: a short frame, a bad length, a bad     | torn tail  | zero from the end of the last batch,   | report, ignore |
 * |   | checksum, an unexpected LSN, or records with no marker (zeroed rest), |            | delete later segments, fsync, report   |                |
 * |   | and NO valid marker anywhere after it (rest of segment, later ones);  |            | what was discarded                     |                |
 * |   | also non-zero bytes after the end of data in the newest segment       |            |                                        |                |
 * | 4 | the newest segment's header is torn (short, bad magic, bad checksum)  | torn       | delete it, fsync the directory         | ignore it      |
 * |   | and it holds no valid marker: a crash interrupted its creation        | creation   |                                        |                |
 * | 5 | a row-3 defect (or a zeroed frame) FOLLOWED by a valid marker, in the | damaged    | refuse: DataDamagedError (exit 3)      | refuse         |
 * |   | same segment or a later one                                           |            |                                        |                |
 * | 6 | a valid marker that disagrees with its batch (count, LSNs, bytes, CRC)| damaged    | refuse                                 | refuse         |
 * | 7 | a damaged header on any other segment, or a header that checksums but | damaged    | refuse                                 | refuse         |
 * |   | is not acceptable (other version, name mismatch, reserved bits)       |            |                                        |                |
 * | 8 | a segment whose "previous last LSN" differs from the last LSN of the  | damaged    | refuse                                 | refuse         |
 * |   | segment before it (a missing segment, a gap or an overlap)            |            |                                        |                |
 *
 * A refusal names the segment file, byte offset, LSN range and the instances of readable
 * records nearby (through the runtime's `describe` callback), and points to
 * `lexum journal repair --data DIR`, which runs `repairWal`: it copies or moves the damaged
 * segment(s) into `damaged/` (never deletes them), truncates at the last good batch and
 * starts a new segment after the highest LSN seen, so LSNs are never reused.
 *
 * Known limit of the rule (not of this code): a bit flip inside the newest batch's marker,
 * with nothing after it, looks exactly like a torn write of that marker (row 3), so that
 * batch is discarded although it was acknowledged. Only a second copy of the marker could
 * tell them apart.
 */
import * as posix from "node:path/posix";
import { assert } from "../base/assert.ts";
import { DataDamagedError } from "../base/errors.ts";
import type { Disk } from "../base/disk.ts";
import { WAL_SEGMENT_BYTES } from "../base/limits.ts";
import { FRAME_HEADER_BYTES, MARKER_TYPE, SEGMENT_HEADER_BYTES, dataView, decodeSegmentHeader, encodeSegmentHeader, parseSegmentName, segmentName } from "./format.ts";
import { findMarker, findMarkers, nonZeroEnd, parseBody, resyncRecords, type MarkerView, type RecordView } from "./segment.ts";

/** Names the instance a record belongs to, for damage reports; the runtime provides it. */
export type DescribeRecord = (type: number, payload: Uint8Array) => string | null;

/** Instances named in one damage report: enough to act on, bounded for a one-line message. */
const DAMAGE_INSTANCES_MAX = 20;

export interface SegmentFacts {
  name: string;
  path: string;
  firstLsn: number;
  prevLastLsn: number;
  /** Last committed LSN (firstLsn − 1 when empty). */
  lastLsn: number;
  lastTime: number | null;
  segmentBytes: number;
  fileBytes: number;
  /** End of the last complete batch. */
  dataEnd: number;
  records: number;
}

export type DamageRow = "bad-frame-before-marker" | "marker-mismatch" | "segment-header" | "segment-gap";

export interface WalDamage {
  row: DamageRow;
  segment: string;
  offset: number;
  reason: string;
  /** LSNs that cannot be read (lsnTo null when unknown). */
  lsnFrom: number;
  lsnTo: number | null;
  /** The valid marker found after the damage (row 5). */
  marker: { segment: string; offset: number; lastLsn: number } | null;
  instances: string[];
  /** Index (in the listing) of the damaged segment. */
  segmentIndex: number;
  /** Keep the damaged segment's bytes before this offset (rows 5, 6); null: set it all aside. */
  cutOffset: number | null;
  /** Last LSN of the good prefix. */
  lastGoodLsn: number;
}

export interface TornTail {
  kind: "torn-tail" | "torn-segment-creation";
  reason: string;
  badSegment: string;
  badOffset: number;
  /** Index in `segments` of the segment the WAL now ends in; −1 when none remains. */
  cutIndex: number;
  cutOffset: number;
  /** Zero [cutOffset, zeroTo) of the cut segment. */
  zeroTo: number;
  removeSegments: string[];
  /** Individually valid records after the last marker (never acknowledged). */
  discardedRecords: number;
  discardedLsns: { from: number; to: number } | null;
  /** First LSN to use when no segment remains. */
  nextLsnHint: number;
}

export interface Analysis {
  /** All segment file names found, in LSN order. */
  names: string[];
  /** Facts of the segments that hold the WAL (torn-creation segments and those after a torn tail excluded). */
  segments: SegmentFacts[];
  tail: TornTail | null;
  damage: WalDamage | null;
}

export function joinPath(dir: string, name: string): string {
  return posix.join(dir, name);
}

/** The frame at `off` read without trusting its checksum (for naming only), or nothing. */
function damagedFrame(buf: Uint8Array, off: number): RecordView[] {
  if (off < 0 || off + FRAME_HEADER_BYTES > buf.length) return [];
  const len = dataView(buf).getUint32(off, true);
  if (len < FRAME_HEADER_BYTES || off + len > buf.length || buf[off + 8] === MARKER_TYPE) return [];
  return [{ lsn: 0, type: buf[off + 8], time: 0, payload: buf.subarray(off + FRAME_HEADER_BYTES, off + len), offset: off, length: len }];
}

function describeAll(records: RecordView[], describe: DescribeRecord | undefined): string[] {
  if (!describe) return [];
  const out = new Set<string>();
  for (const r of records) {
    let s: string | null = null;
    try {
      s = describe(r.type, r.payload);
    } catch {
      s = null; // a payload the runtime cannot decode names no instance
    }
    if (s !== null && s !== "") out.add(s);
  }
  return [...out].sort().slice(0, DAMAGE_INSTANCES_MAX);
}

/**
 * Reads every segment and classifies the WAL by the decision table above. Never writes.
 * `checksums = false` is the simulator's mutation switch (WalOptions.unsafeSkipChecksums).
 */
export async function analyzeWal(disk: Disk, dir: string, describe?: DescribeRecord, checksums = true): Promise<Analysis> {
  const names = (await disk.list(dir)).filter((n) => parseSegmentName(n) !== null);
  const segments: SegmentFacts[] = [];
  let tail: TornTail | null = null;
  // The damaged segment's buffer is kept while we look for a marker after it (row 3 vs 5).
  let tailCtx: { buf: Uint8Array; index: number; dataEnd: number; from: number; lastLsn: number; partial: RecordView[] } | null = null;
  const result = (damage: WalDamage | null): Analysis => ({ names, segments, tail: damage ? null : tail, damage });
  // Bytes of the newest good segment: appends go there, so its area after the data must be zeros.
  let activeBuf: Uint8Array | null = null;

  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const nameLsn = parseSegmentName(name)!;
    const buf = await disk.readFile(joinPath(dir, name));

    if (tail !== null) {
      // Past a defect: any valid marker from here on turns the torn tail into damage (row 5).
      // (A torn segment creation is only ever the last segment, so a tail here has a context.)
      assert(tailCtx !== null, "only a torn tail can have segments after it");
      const m = findMarker(buf, 0);
      if (m !== null) return result(markerAfterDefect(tail, tailCtx, name, buf, m, describe));
      tail.removeSegments.push(name);
      continue;
    }

    const hc = decodeSegmentHeader(buf, nameLsn);
    if (!hc.ok) {
      const m = findMarker(buf, 0);
      const prev = segments.at(-1);
      if (i === names.length - 1 && hc.kind === "torn" && m === null) {
        // Row 4: creation interrupted (header, preallocation, fsync or directory fsync).
        tail = {
          kind: "torn-segment-creation",
          reason: hc.reason,
          badSegment: name,
          badOffset: 0,
          cutIndex: segments.length - 1,
          cutOffset: prev?.dataEnd ?? 0,
          zeroTo: prev?.dataEnd ?? 0,
          removeSegments: [name],
          discardedRecords: 0,
          discardedLsns: null,
          nextLsnHint: nameLsn,
        };
        continue;
      }
      // Row 7.
      const lsnFrom = prev ? prev.lastLsn + 1 : nameLsn;
      const nextName = names[i + 1];
      const lsnTo = nextName !== undefined ? parseSegmentName(nextName)! - 1 : m !== null ? m.lastLsn : null;
      const near = resyncRecords(buf, 0, buf.length, lsnFrom, lsnTo ?? Number.MAX_SAFE_INTEGER);
      return result({
        row: "segment-header",
        segment: name,
        offset: 0,
        reason: `damaged segment header: ${hc.reason}`,
        lsnFrom,
        lsnTo: lsnTo !== null && lsnTo >= lsnFrom ? lsnTo : null,
        marker: null,
        instances: describeAll(near, describe),
        segmentIndex: i,
        cutOffset: null,
        lastGoodLsn: lsnFrom - 1,
      });
    }

    const h = hc.header;
    const prev = segments.at(-1);
    if (prev !== undefined && h.prevLastLsn !== prev.lastLsn) {
      // Row 8.
      const lo = Math.min(prev.lastLsn, h.prevLastLsn) + 1;
      const hi = Math.max(prev.lastLsn, h.prevLastLsn);
      return result({
        row: "segment-gap",
        segment: name,
        offset: 0,
        reason: `segment ${name} follows a segment ending at LSN ${h.prevLastLsn}, but ${prev.name} ends at LSN ${prev.lastLsn} (a segment is missing or was replaced)`,
        lsnFrom: lo,
        lsnTo: hi >= lo ? hi : null,
        marker: null,
        instances: [],
        segmentIndex: i,
        cutOffset: null,
        lastGoodLsn: prev.lastLsn,
      });
    }

    const limit = Math.min(buf.length, h.segmentBytes);
    const body = parseBody(buf, SEGMENT_HEADER_BYTES, limit, h.firstLsn, false, checksums);
    segments.push({
      name,
      path: joinPath(dir, name),
      firstLsn: h.firstLsn,
      prevLastLsn: h.prevLastLsn,
      lastLsn: body.lastLsn,
      lastTime: body.lastTime,
      segmentBytes: h.segmentBytes,
      fileBytes: buf.length,
      dataEnd: body.dataEnd,
      records: body.committedCount,
    });
    activeBuf = buf;

    if (body.stop.kind === "mismatch") {
      // Row 6.
      const s = body.stop;
      return result({
        row: "marker-mismatch",
        segment: name,
        offset: s.offset,
        reason: s.reason,
        lsnFrom: body.lastLsn + 1,
        lsnTo: Math.max(s.marker.lastLsn, body.partial.at(-1)?.lsn ?? 0),
        marker: { segment: name, offset: s.offset, lastLsn: s.marker.lastLsn },
        instances: describeAll(body.partial, describe),
        segmentIndex: i,
        cutOffset: body.dataEnd,
        lastGoodLsn: body.lastLsn,
      });
    }

    const ctx = { buf, index: i, dataEnd: body.dataEnd, from: body.stop.offset, lastLsn: body.lastLsn, partial: body.partial };
    const reason = body.stop.kind === "bad" ? body.stop.reason : "zero length field (end-of-data mark)";
    const probe: TornTail = {
      kind: "torn-tail",
      reason,
      badSegment: name,
      badOffset: body.stop.offset,
      cutIndex: segments.length - 1,
      cutOffset: body.dataEnd,
      zeroTo: nonZeroEnd(buf, body.dataEnd),
      removeSegments: [],
      discardedRecords: body.partial.length,
      discardedLsns: body.partial.length > 0 ? { from: body.partial[0].lsn, to: body.partial.at(-1)!.lsn } : null,
      nextLsnHint: body.lastLsn + 1,
    };
    const m = findMarker(buf, body.stop.offset);
    if (m !== null) return result(markerAfterDefect(probe, ctx, name, buf, m, describe)); // row 5
    if (body.stop.kind === "bad") {
      tail = probe; // row 3 (unless a later segment holds a marker)
      tailCtx = ctx;
    }
  }

  // Row 3, last case: non-zero bytes after a clean end of data in the segment appends will
  // extend — a torn preallocation or an unfinished write whose first frame reads as zero.
  // Left there, later batches would sandwich them between good data and a later marker.
  const act = segments.at(-1);
  if (act !== undefined && activeBuf !== null) {
    const nz = nonZeroEnd(activeBuf, act.dataEnd);
    if (tail === null && nz > act.dataEnd) {
      let first = act.dataEnd;
      while (activeBuf[first] === 0) first++;
      tail = {
        kind: "torn-tail",
        reason: "non-zero bytes after the end of data (an interrupted write or preallocation)",
        badSegment: act.name,
        badOffset: first,
        cutIndex: segments.length - 1,
        cutOffset: act.dataEnd,
        zeroTo: nz,
        removeSegments: [],
        discardedRecords: 0,
        discardedLsns: null,
        nextLsnHint: act.lastLsn + 1,
      };
    } else if (tail !== null && tail.kind === "torn-segment-creation") tail.zeroTo = nz;
  }
  return result(null);
}

/** Row 5: a defect at `t.badSegment:t.badOffset` followed by the valid marker `m` in `name`. */
function markerAfterDefect(
  t: TornTail,
  ctx: { buf: Uint8Array; index: number; dataEnd: number; from: number; lastLsn: number; partial: RecordView[] },
  name: string,
  buf: Uint8Array,
  m: MarkerView,
  describe: DescribeRecord | undefined,
): WalDamage {
  const lsnFrom = ctx.lastLsn + 1;
  const sameSegment = name === t.badSegment;
  const near = [...ctx.partial];
  if (sameSegment) near.push(...resyncRecords(ctx.buf, ctx.from + 1, m.offset, lsnFrom, m.lastLsn));
  else {
    near.push(...resyncRecords(ctx.buf, ctx.from + 1, ctx.buf.length, lsnFrom, Number.MAX_SAFE_INTEGER));
    near.push(...resyncRecords(buf, 0, m.offset, lsnFrom, m.lastLsn));
  }
  // Without readable neighbours (a batch of one record) the damaged frame itself is the only
  // clue: it usually still frames its record, so the instance it names is a guess, marked so.
  const named = describeAll(near, describe);
  const guess = named.length > 0 ? [] : describeAll(damagedFrame(ctx.buf, ctx.from), describe).map((s) => `${s} (the damaged record, unverified)`);
  return {
    row: "bad-frame-before-marker",
    segment: t.badSegment,
    offset: t.badOffset,
    reason: `${t.reason}, followed by a valid commit marker at ${name} byte ${m.offset}`,
    lsnFrom,
    lsnTo: m.lastLsn >= lsnFrom ? m.lastLsn : null,
    marker: { segment: name, offset: m.offset, lastLsn: m.lastLsn },
    instances: [...named, ...guess],
    segmentIndex: ctx.index,
    cutOffset: ctx.dataEnd,
    lastGoodLsn: ctx.lastLsn,
  };
}

export function repairCommand(dataDir: string): string {
  return `lexum journal repair --data ${dataDir}`;
}

/** The exit-3 error for a damaged WAL: one sentence with everything needed to act. */
export function damagedError(d: WalDamage, dir: string, dataDir: string): DataDamagedError {
  const lsns = d.lsnTo !== null ? `LSNs ${d.lsnFrom}..${d.lsnTo}` : `LSNs from ${d.lsnFrom}`;
  const who = d.instances.length > 0 ? `instances affected (from readable records nearby): ${d.instances.join(", ")}` : "no readable record nearby names an instance";
  const message =
    `WAL damaged in ${joinPath(dir, d.segment)} at byte ${d.offset}: ${d.reason}; ${lsns} cannot be read; ${who}. ` +
    `Nothing was changed. To set the damaged segment(s) aside into ${joinPath(dir, "damaged")} and truncate at the last good batch ` +
    `(LSN ${d.lastGoodLsn}), run: ${repairCommand(dataDir)}`;
  return new DataDamagedError("WAL_DAMAGED", message, {
    row: d.row,
    segment: d.segment,
    segmentPath: joinPath(dir, d.segment),
    offset: d.offset,
    reason: d.reason,
    lsnFrom: d.lsnFrom,
    lsnTo: d.lsnTo,
    marker: d.marker,
    instances: d.instances,
    lastGoodLsn: d.lastGoodLsn,
    repair: repairCommand(dataDir),
  });
}

/** Discards a torn tail (rows 3, 4): zero the cut segment after its last batch, delete later segments. */
export async function applyTail(disk: Disk, dir: string, a: Analysis): Promise<number> {
  const t = a.tail;
  assert(t !== null && a.damage === null, "applyTail needs a torn tail and no damage");
  let zeroed = 0;
  if (t.cutIndex >= 0 && t.zeroTo > t.cutOffset) {
    const seg = a.segments[t.cutIndex];
    assert(t.cutOffset >= SEGMENT_HEADER_BYTES && t.cutOffset === seg.dataEnd, "a torn tail is cut at the end of a complete batch");
    const f = await disk.open(seg.path, "rw");
    try {
      await f.write(new Uint8Array(t.zeroTo - t.cutOffset), t.cutOffset);
      await f.sync();
    } finally {
      await f.close();
    }
    zeroed = t.zeroTo - t.cutOffset;
  }
  for (const name of t.removeSegments) await disk.unlink(joinPath(dir, name));
  if (t.removeSegments.length > 0) await disk.syncDir(dir);
  return zeroed;
}

/** Writes a complete, preallocated, empty segment and makes it and its name durable. */
export async function writeNewSegment(disk: Disk, dir: string, firstLsn: number, prevLastLsn: number, segmentBytes: number, fsync: boolean): Promise<void> {
  const path = joinPath(dir, segmentName(firstLsn));
  const image = new Uint8Array(segmentBytes);
  image.set(encodeSegmentHeader({ firstLsn, segmentBytes, prevLastLsn }), 0);
  // "create", not "create-new": a creation that failed earlier (ENOSPC) may have left the file.
  const f = await disk.open(path, "create");
  try {
    await f.truncate(0);
    await f.write(image, 0);
    if (fsync) await f.sync();
  } catch (e) {
    await f.close().catch(() => {});
    await disk.unlink(path).catch(() => {});
    throw e;
  }
  await f.close();
  if (fsync) await disk.syncDir(dir);
}

export interface RepairReport {
  /** False when the WAL had no damage (a torn tail, if any, was discarded as on open). */
  repaired: boolean;
  damage: WalDamage | null;
  /** Where damaged segments (or full copies of them) were put. */
  setAside: string[];
  /** The WAL now ends here. */
  truncatedAt: { segment: string; offset: number } | null;
  /** LSNs set aside: lastGoodLsn + 1 .. highest LSN seen in the damaged material. */
  lostLsns: { from: number; to: number } | null;
  /** Segment started after the set-aside LSNs so they are never reused. */
  newSegment: string | null;
  notes: string[];
}

export interface RepairOptions {
  describe?: DescribeRecord;
  /** Size of the segment repair starts after a skip (default WAL_SEGMENT_BYTES). */
  segmentBytes?: number;
}

async function asideName(disk: Disk, damagedDir: string, name: string): Promise<string> {
  for (let k = 0; ; k++) {
    const p = joinPath(damagedDir, k === 0 ? name : `${name}.${k}`);
    if ((await disk.stat(p)) === null) return p;
  }
}

/**
 * `lexum journal repair`: the only code that gives up WAL data, and only when called
 * explicitly (never from openWal). Damaged material is copied or moved into `<dir>/damaged/`,
 * never deleted. The caller must hold the data directory's lock.
 */
export async function repairWal(disk: Disk, dir: string, opts: RepairOptions = {}): Promise<RepairReport> {
  const a = await analyzeWal(disk, dir, opts.describe);
  const notes: string[] = [];
  if (a.damage === null) {
    if (a.tail !== null) {
      await applyTail(disk, dir, a);
      notes.push(`no damage; discarded a torn tail at ${a.tail.badSegment} byte ${a.tail.badOffset} (${a.tail.reason})`);
    } else notes.push("no damage found; nothing changed");
    return { repaired: false, damage: null, setAside: [], truncatedAt: null, lostLsns: null, newSegment: null, notes };
  }

  const d = a.damage;
  const damagedDir = joinPath(dir, "damaged");
  await disk.mkdirp(damagedDir);
  const setAside: string[] = [];
  let maxKnown = Math.max(d.lastGoodLsn, d.lsnTo ?? 0);
  const noteLsns = (buf: Uint8Array, from: number): void => {
    for (const m of findMarkers(buf, from)) maxKnown = Math.max(maxKnown, m.lastLsn);
    for (const r of resyncRecords(buf, from, buf.length, d.lastGoodLsn + 1, Number.MAX_SAFE_INTEGER)) maxKnown = Math.max(maxKnown, r.lsn);
  };

  // 1. Keep a full copy of the damaged segment before touching it (rows 5, 6).
  const damagedPath = joinPath(dir, a.names[d.segmentIndex]);
  if (d.cutOffset !== null) {
    const buf = await disk.readFile(damagedPath);
    noteLsns(buf, d.cutOffset);
    const to = await asideName(disk, damagedDir, a.names[d.segmentIndex]);
    const f = await disk.open(to, "create-new");
    try {
      await f.write(buf, 0);
      await f.sync();
    } finally {
      await f.close();
    }
    setAside.push(to);
    notes.push(`copied ${damagedPath} to ${to}`);
  }
  // 2. Move every later segment (or the damaged one itself, rows 7, 8) aside.
  for (let j = d.cutOffset !== null ? d.segmentIndex + 1 : d.segmentIndex; j < a.names.length; j++) {
    const name = a.names[j];
    const from = joinPath(dir, name);
    noteLsns(await disk.readFile(from), 0);
    maxKnown = Math.max(maxKnown, parseSegmentName(name)! - 1);
    const to = await asideName(disk, damagedDir, name);
    await disk.rename(from, to);
    setAside.push(to);
    notes.push(`moved ${from} to ${to}`);
  }
  await disk.syncDir(damagedDir);
  await disk.syncDir(dir);

  // 3. Truncate the damaged segment at its last good batch.
  let truncatedAt: RepairReport["truncatedAt"] = null;
  if (d.cutOffset !== null) {
    const buf = await disk.readFile(damagedPath);
    const end = nonZeroEnd(buf, d.cutOffset);
    if (end > d.cutOffset) {
      const f = await disk.open(damagedPath, "rw");
      try {
        await f.write(new Uint8Array(end - d.cutOffset), d.cutOffset);
        await f.sync();
      } finally {
        await f.close();
      }
    }
    truncatedAt = { segment: a.names[d.segmentIndex], offset: d.cutOffset };
  }

  // 4. Continue after everything set aside: LSNs are never reused (snapshots may cite them).
  const remaining = (await disk.list(dir)).filter((n) => parseSegmentName(n) !== null);
  let newSegment: string | null = null;
  if (maxKnown > d.lastGoodLsn || remaining.length === 0) {
    const first = Math.max(maxKnown, d.lastGoodLsn) + 1;
    await writeNewSegment(disk, dir, first, d.lastGoodLsn, Math.max(opts.segmentBytes ?? WAL_SEGMENT_BYTES, SEGMENT_HEADER_BYTES), true);
    newSegment = segmentName(first);
    notes.push(`started ${newSegment}; LSNs ${d.lastGoodLsn + 1}..${first - 1} are skipped`);
  }

  const after = await analyzeWal(disk, dir);
  assert(after.damage === null && after.tail === null, () => `repair left the WAL unclean: ${after.damage?.reason ?? after.tail?.reason}`);
  return {
    repaired: true,
    damage: d,
    setAside,
    truncatedAt,
    lostLsns: maxKnown > d.lastGoodLsn ? { from: d.lastGoodLsn + 1, to: maxKnown } : null,
    newSegment,
    notes,
  };
}
