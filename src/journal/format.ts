/**
 * WAL byte layouts (docs/formats.md "## WAL" is the reference; keep the two in step).
 * All integers are little-endian; u64 values are limited to 2^53−1 (JS safe integers).
 *
 * Segment file `<first LSN, 20 digits>.wal`, preallocated to `segmentBytes`:
 *
 *   off size field
 *   0   8    magic "LXWALSEG"
 *   8   4    u32 format version (1)
 *   12  4    u32 reserved, 0
 *   16  8    u64 first LSN (equals the file name)
 *   24  8    u64 segment bytes (the preallocated file size, header included)
 *   32  8    u64 previous last LSN: last LSN of the segment before this one. Normally
 *            first LSN − 1; lower only after `repairWal` set records aside (an explicit,
 *            recorded skip, so LSNs are never reused); 0 for the very first segment.
 *   40  4    u32 reserved, 0
 *   44  4    u32 CRC32C of bytes 0..44
 *   48  …    frames, then zeros (a zero length field marks the end of data)
 *
 * Frame (a record, or a commit marker when type = 255):
 *
 *   0   4    u32 length of the whole frame, these 4 bytes included (≥ 25); 0 = end of data
 *   4   4    u32 CRC32C of bytes 8..length (everything after this field)
 *   8   1    u8  type: 0..254 record types (defined by the runtime), 255 commit marker
 *   9   8    u64 LSN (a marker carries the last LSN of its batch)
 *   17  8    u64 time, epoch milliseconds (a marker carries its batch's last record time)
 *   25  …    payload
 *
 * Commit marker payload (the frame is exactly 53 bytes):
 *
 *   25  8    magic "LXWALCMT" (found by scanning when a record before it is damaged)
 *   33  8    u64 first LSN of the batch
 *   41  4    u32 record count of the batch (≥ 1)
 *   45  4    u32 byte length of the batch's record frames (from the first record to the marker)
 *   49  4    u32 CRC32C of those bytes
 */
import { assert } from "../base/assert.ts";
import { WAL_RECORD_BYTES_MAX } from "../base/limits.ts";
import { crc32c } from "./crc32c.ts";

export const WAL_FORMAT_VERSION = 1;
export const SEGMENT_MAGIC = new Uint8Array([0x4c, 0x58, 0x57, 0x41, 0x4c, 0x53, 0x45, 0x47]); // "LXWALSEG"
export const MARKER_MAGIC = new Uint8Array([0x4c, 0x58, 0x57, 0x41, 0x4c, 0x43, 0x4d, 0x54]); // "LXWALCMT"
export const SEGMENT_HEADER_BYTES = 48;
export const FRAME_HEADER_BYTES = 25;
export const MARKER_TYPE = 255;
/** Largest record type the runtime may use; 255 is the commit marker. */
export const RECORD_TYPE_MAX = 254;
export const MARKER_FRAME_BYTES = FRAME_HEADER_BYTES + 28;

/** Smallest segment: a header, one small record and its marker with room to spare. Tests use
 * tiny segments to exercise rollover; production uses WAL_SEGMENT_BYTES. */
export const WAL_SEGMENT_BYTES_MIN = 256;
/** Bytes of one group-commit batch (records + marker). The marker's u32 byte-length field
 * caps it below 4 GiB; 256 MiB (four maximal records) bounds the memory a burst of appends
 * can hold while one fsync runs. Past it `append` refuses until the caller flushes. */
export const WAL_BATCH_BYTES_MAX = 256 * 1024 * 1024;
/** Largest payload: a whole frame stays within WAL_RECORD_BYTES_MAX (limits.ts). */
export const WAL_PAYLOAD_BYTES_MAX = WAL_RECORD_BYTES_MAX - FRAME_HEADER_BYTES;

const SEGMENT_NAME_RE = /^(\d{20})\.wal$/;

export function segmentName(firstLsn: number): string {
  assert(Number.isSafeInteger(firstLsn) && firstLsn >= 1, `bad segment first LSN ${firstLsn}`);
  return `${String(firstLsn).padStart(20, "0")}.wal`;
}

/** The first LSN a segment file name states, or null when the name is not a segment's. */
export function parseSegmentName(name: string): number | null {
  const m = SEGMENT_NAME_RE.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

// ---- integers ---------------------------------------------------------------------------

const TWO_32 = 4294967296;

export function writeU64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v >>> 0, true);
  dv.setUint32(off + 4, Math.floor(v / TWO_32), true);
}

/** Reads a u64; null when it exceeds 2^53−1 (never written by us: damage). */
export function readU64(dv: DataView, off: number): number | null {
  const lo = dv.getUint32(off, true);
  const hi = dv.getUint32(off + 4, true);
  if (hi > 0x1fffff) return null;
  return hi * TWO_32 + lo;
}

export function dataView(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function bytesAt(buf: Uint8Array, off: number, want: Uint8Array): boolean {
  if (off < 0 || off + want.length > buf.length) return false;
  for (let i = 0; i < want.length; i++) if (buf[off + i] !== want[i]) return false;
  return true;
}

// ---- segment header ---------------------------------------------------------------------

export interface SegmentHeader {
  version: number;
  firstLsn: number;
  segmentBytes: number;
  prevLastLsn: number;
}

export function encodeSegmentHeader(h: Omit<SegmentHeader, "version">): Uint8Array {
  assert(Number.isSafeInteger(h.firstLsn) && h.firstLsn >= 1, "segment first LSN must be ≥ 1");
  assert(h.prevLastLsn >= 0 && h.prevLastLsn < h.firstLsn, "previous last LSN must be below the first LSN");
  assert(h.segmentBytes >= SEGMENT_HEADER_BYTES && Number.isSafeInteger(h.segmentBytes), "segment too small for its header");
  const b = new Uint8Array(SEGMENT_HEADER_BYTES);
  const dv = dataView(b);
  b.set(SEGMENT_MAGIC, 0);
  dv.setUint32(8, WAL_FORMAT_VERSION, true);
  writeU64(dv, 16, h.firstLsn);
  writeU64(dv, 24, h.segmentBytes);
  writeU64(dv, 32, h.prevLastLsn);
  dv.setUint32(44, crc32c(b, 0, 44), true);
  return b;
}

/**
 * `torn`: the header is not what a completed write of ours looks like (short file, bad magic,
 * bad checksum) — possibly a segment whose creation a crash interrupted.
 * `foreign`: the checksum holds but the content is not acceptable (another version, a name
 * that disagrees) — never something a crash produces, so never discarded.
 */
export type HeaderCheck =
  | { ok: true; header: SegmentHeader }
  | { ok: false; kind: "torn" | "foreign"; reason: string };

export function decodeSegmentHeader(buf: Uint8Array, nameLsn: number): HeaderCheck {
  if (buf.length < SEGMENT_HEADER_BYTES) return { ok: false, kind: "torn", reason: `file is ${buf.length} bytes, shorter than a segment header` };
  if (!bytesAt(buf, 0, SEGMENT_MAGIC)) return { ok: false, kind: "torn", reason: "bad segment magic" };
  const dv = dataView(buf);
  if (dv.getUint32(44, true) !== crc32c(buf, 0, 44)) return { ok: false, kind: "torn", reason: "segment header checksum mismatch" };
  const version = dv.getUint32(8, true);
  if (version !== WAL_FORMAT_VERSION) return { ok: false, kind: "foreign", reason: `unsupported WAL format version ${version} (this build reads ${WAL_FORMAT_VERSION})` };
  const firstLsn = readU64(dv, 16);
  const segmentBytes = readU64(dv, 24);
  const prevLastLsn = readU64(dv, 32);
  if (dv.getUint32(12, true) !== 0 || dv.getUint32(40, true) !== 0) return { ok: false, kind: "foreign", reason: "reserved header fields are not zero" };
  if (firstLsn === null || firstLsn !== nameLsn) return { ok: false, kind: "foreign", reason: `header first LSN ${firstLsn} disagrees with the file name (${nameLsn})` };
  if (segmentBytes === null || segmentBytes < SEGMENT_HEADER_BYTES) return { ok: false, kind: "foreign", reason: `bad segment size ${segmentBytes}` };
  if (prevLastLsn === null || prevLastLsn >= firstLsn) return { ok: false, kind: "foreign", reason: `bad previous last LSN ${prevLastLsn}` };
  return { ok: true, header: { version, firstLsn, segmentBytes, prevLastLsn } };
}

// ---- frames -----------------------------------------------------------------------------

/** Writes a record frame at `off` (the caller made room); returns its length. */
export function encodeRecordInto(buf: Uint8Array, dv: DataView, off: number, type: number, lsn: number, time: number, payload: Uint8Array): number {
  const len = FRAME_HEADER_BYTES + payload.length;
  dv.setUint32(off, len, true);
  buf[off + 8] = type;
  writeU64(dv, off + 9, lsn);
  writeU64(dv, off + 17, time);
  buf.set(payload, off + FRAME_HEADER_BYTES);
  dv.setUint32(off + 4, crc32c(buf, off + 8, off + len), true);
  return len;
}

export interface MarkerFields {
  /** Last LSN of the batch (the frame's LSN field). */
  lastLsn: number;
  time: number;
  firstLsn: number;
  count: number;
  batchBytes: number;
  batchCrc: number;
}

export function encodeMarkerInto(buf: Uint8Array, dv: DataView, off: number, m: MarkerFields): number {
  assert(m.count >= 1 && m.lastLsn === m.firstLsn + m.count - 1, "a commit marker closes a non-empty batch of consecutive LSNs");
  dv.setUint32(off, MARKER_FRAME_BYTES, true);
  buf[off + 8] = MARKER_TYPE;
  writeU64(dv, off + 9, m.lastLsn);
  writeU64(dv, off + 17, m.time);
  buf.set(MARKER_MAGIC, off + 25);
  writeU64(dv, off + 33, m.firstLsn);
  dv.setUint32(off + 41, m.count, true);
  dv.setUint32(off + 45, m.batchBytes, true);
  dv.setUint32(off + 49, m.batchCrc, true);
  dv.setUint32(off + 4, crc32c(buf, off + 8, off + MARKER_FRAME_BYTES), true);
  return MARKER_FRAME_BYTES;
}

/** The marker at `off` when it is a complete, checksummed marker frame within `limit`; else null. */
export function decodeMarkerAt(buf: Uint8Array, dv: DataView, off: number, limit: number): MarkerFields | null {
  if (off < 0 || off + MARKER_FRAME_BYTES > limit) return null;
  if (dv.getUint32(off, true) !== MARKER_FRAME_BYTES || buf[off + 8] !== MARKER_TYPE) return null;
  if (!bytesAt(buf, off + 25, MARKER_MAGIC)) return null;
  if (dv.getUint32(off + 4, true) !== crc32c(buf, off + 8, off + MARKER_FRAME_BYTES)) return null;
  const lastLsn = readU64(dv, off + 9);
  const time = readU64(dv, off + 17);
  const firstLsn = readU64(dv, off + 33);
  if (lastLsn === null || time === null || firstLsn === null) return null;
  return {
    lastLsn,
    time,
    firstLsn,
    count: dv.getUint32(off + 41, true),
    batchBytes: dv.getUint32(off + 45, true),
    batchCrc: dv.getUint32(off + 49, true),
  };
}
