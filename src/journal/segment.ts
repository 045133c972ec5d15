/**
 * Reading one segment's bytes: the strict parser every reader shares (recovery, scan,
 * inspector) and the two forgiving searches recovery uses after damage (find a commit marker
 * by its magic; find readable records to name the instances affected).
 *
 * The parser accepts exactly what the writer produces: frames with valid checksums and
 * consecutive LSNs, grouped into batches each closed by a commit marker that matches them.
 * Records after the last matching marker are `partial`: individually valid, never committed.
 * It stops at the first thing that is not that and says why; deciding whether the stop is a
 * torn tail or corruption is recovery's job (recovery.ts), because it needs what follows.
 */
import { assert } from "../base/assert.ts";
import { WAL_RECORD_BYTES_MAX } from "../base/limits.ts";
import { crc32c, crc32cUpdate } from "./crc32c.ts";
import {
  FRAME_HEADER_BYTES,
  MARKER_FRAME_BYTES,
  MARKER_MAGIC,
  MARKER_TYPE,
  dataView,
  decodeMarkerAt,
  readU64,
  type MarkerFields,
} from "./format.ts";

/** A record as read from disk. `payload` is a view into the segment's buffer. */
export interface RecordView {
  lsn: number;
  type: number;
  time: number;
  payload: Uint8Array;
  /** Byte offset of the frame in its segment file. */
  offset: number;
  /** Frame length in bytes. */
  length: number;
}

export interface MarkerView extends MarkerFields {
  offset: number;
}

export type BodyStop =
  /** Clean: a zero length field (or the end of the segment) right after a complete batch. */
  | { kind: "end"; offset: number }
  /** The frame at `offset` is bad, or the batch that began at the last marker is not closed. */
  | { kind: "bad"; offset: number; reason: string }
  /** A checksummed marker at `offset` disagrees with the records before it. */
  | { kind: "mismatch"; offset: number; reason: string; marker: MarkerFields };

export interface BodyParse {
  /** Committed records (collected only when asked). */
  committed: RecordView[];
  /** Commit markers (collected only when asked). */
  markers: MarkerView[];
  committedCount: number;
  batches: number;
  /** Last committed LSN, or firstLsn − 1 when the segment holds no committed record. */
  lastLsn: number;
  /** Time of the last committed record, or null. */
  lastTime: number | null;
  /** End offset of the last complete batch (the header end when none). */
  dataEnd: number;
  /** Individually valid records after the last complete batch (never committed). */
  partial: RecordView[];
  stop: BodyStop;
}

/**
 * Parses frames of `buf[start, limit)`; the first record must carry `firstLsn`.
 * `collect` keeps committed records and markers (readers); recovery only needs the summary.
 * `checksums = false` skips the frame and batch CRC checks: only the simulator's mutation
 * test sets it (WalOptions.unsafeSkipChecksums), to show that a reader without them is caught.
 */
export function parseBody(buf: Uint8Array, start: number, limit: number, firstLsn: number, collect: boolean, checksums = true): BodyParse {
  assert(start >= 0 && start <= limit && limit <= buf.length, "parseBody: bad region");
  const dv = dataView(buf);
  const out: BodyParse = {
    committed: [],
    markers: [],
    committedCount: 0,
    batches: 0,
    lastLsn: firstLsn - 1,
    lastTime: null,
    dataEnd: start,
    partial: [],
    stop: { kind: "end", offset: start },
  };
  let pos = start;
  let nextLsn = firstLsn;
  let batchStart = start;
  let batchCrc = 0;
  const bad = (reason: string): BodyParse => {
    out.stop = { kind: "bad", offset: pos, reason };
    return out;
  };
  for (;;) {
    if (pos + 4 > limit || dv.getUint32(pos, true) === 0) {
      if (out.partial.length > 0) return bad(`${out.partial.length} record(s) not closed by a commit marker (end of data)`);
      out.stop = { kind: "end", offset: pos };
      return out;
    }
    const len = dv.getUint32(pos, true);
    if (len < FRAME_HEADER_BYTES) return bad(`frame length ${len} is below the ${FRAME_HEADER_BYTES}-byte frame header`);
    if (len > WAL_RECORD_BYTES_MAX) return bad(`frame length ${len} exceeds WAL_RECORD_BYTES_MAX`);
    if (pos + len > limit) return bad(`frame of ${len} bytes runs past the end of the segment (short record)`);
    if (checksums && dv.getUint32(pos + 4, true) !== crc32c(buf, pos + 8, pos + len)) return bad("frame checksum mismatch");
    const type = buf[pos + 8];
    if (type === MARKER_TYPE) {
      const m = decodeMarkerAt(buf, dv, pos, limit);
      if (m === null) return bad("malformed commit marker");
      const count = out.partial.length;
      const first = count > 0 ? out.partial[0].lsn : nextLsn;
      const why =
        count === 0
          ? "commit marker closes no records"
          : m.count !== count
            ? `commit marker counts ${m.count} records, the batch has ${count}`
            : m.firstLsn !== first || m.lastLsn !== nextLsn - 1
              ? `commit marker covers LSNs ${m.firstLsn}..${m.lastLsn}, the batch holds ${first}..${nextLsn - 1}`
              : m.batchBytes !== pos - batchStart
                ? `commit marker says ${m.batchBytes} bytes, the batch has ${pos - batchStart}`
                : checksums && m.batchCrc !== batchCrc
                  ? "commit marker checksum does not match the batch's records"
                  : null;
      if (why !== null) {
        out.stop = { kind: "mismatch", offset: pos, reason: why, marker: m };
        return out;
      }
      out.committedCount += count;
      out.batches++;
      out.lastLsn = nextLsn - 1;
      out.lastTime = out.partial[count - 1].time;
      if (collect) {
        for (const r of out.partial) out.committed.push(r);
        out.markers.push({ ...m, offset: pos });
      }
      out.partial = [];
      pos += len;
      out.dataEnd = pos;
      batchStart = pos;
      batchCrc = 0;
      continue;
    }
    const lsn = readU64(dv, pos + 9);
    const time = readU64(dv, pos + 17);
    if (lsn !== nextLsn) return bad(`record carries LSN ${lsn}, expected ${nextLsn}`);
    if (time === null) return bad("record time out of range");
    out.partial.push({ lsn, type, time, payload: buf.subarray(pos + FRAME_HEADER_BYTES, pos + len), offset: pos, length: len });
    batchCrc = crc32cUpdate(batchCrc, buf, pos, pos + len);
    nextLsn++;
    pos += len;
  }
}

/**
 * The first valid commit marker whose frame starts at or after `from` (and ends by `limit`),
 * found by its magic. Valid means: exact marker length and type, magic, frame checksum.
 */
export function findMarker(buf: Uint8Array, from: number, limit = buf.length): MarkerView | null {
  const dv = dataView(buf);
  const hay = Buffer.from(buf.buffer, buf.byteOffset, Math.min(limit, buf.length));
  let q = Math.max(0, from) + 25;
  for (;;) {
    const idx = hay.indexOf(MARKER_MAGIC, q);
    if (idx < 0) return null;
    const m = decodeMarkerAt(buf, dv, idx - 25, limit);
    if (m !== null) return { ...m, offset: idx - 25 };
    q = idx + 1;
  }
}

/** Every valid commit marker in `buf[from, limit)`, in order. */
export function findMarkers(buf: Uint8Array, from: number, limit = buf.length): MarkerView[] {
  const out: MarkerView[] = [];
  for (let m = findMarker(buf, from, limit); m !== null; m = findMarker(buf, m.offset + MARKER_FRAME_BYTES, limit)) out.push(m);
  return out;
}

/**
 * Readable records in a damaged region: tries every byte offset of `buf[from, limit)` as a
 * frame start and keeps frames with a plausible LSN in [lsnLo, lsnHi] and a valid checksum.
 * Used only on the error path, to name the instances near the damage.
 */
export function resyncRecords(buf: Uint8Array, from: number, limit: number, lsnLo: number, lsnHi: number): RecordView[] {
  const dv = dataView(buf);
  const out: RecordView[] = [];
  for (let off = Math.max(0, from); off + FRAME_HEADER_BYTES <= limit; off++) {
    const len = dv.getUint32(off, true);
    if (len < FRAME_HEADER_BYTES || off + len > limit || buf[off + 8] === MARKER_TYPE) continue;
    const lsn = readU64(dv, off + 9);
    const time = readU64(dv, off + 17);
    if (lsn === null || time === null || lsn < lsnLo || lsn > lsnHi) continue;
    if (dv.getUint32(off + 4, true) !== crc32c(buf, off + 8, off + len)) continue;
    out.push({ lsn, type: buf[off + 8], time, payload: buf.subarray(off + FRAME_HEADER_BYTES, off + len), offset: off, length: len });
    off += len - 1;
  }
  return out;
}

/** One past the last non-zero byte of `buf[from, limit)`, or `from` when it is all zeros. */
export function nonZeroEnd(buf: Uint8Array, from: number, limit = buf.length): number {
  for (let i = Math.min(limit, buf.length) - 1; i >= from; i--) if (buf[i] !== 0) return i + 1;
  return from;
}
