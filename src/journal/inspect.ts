/**
 * Raw views of the WAL for `lexum journal show` and `journal verify`.
 *
 * `inspectWal` walks every segment file and reports what is physically there — headers,
 * records (committed or not), commit markers, where parsing stopped and why, and valid
 * markers found after a defect — with segment names and byte offsets. It never writes and
 * never throws for damage (that is what it is for); it decides nothing (recovery.ts does).
 */
import type { Disk } from "../base/disk.ts";
import { SEGMENT_HEADER_BYTES, decodeSegmentHeader, parseSegmentName, type SegmentHeader } from "./format.ts";
import { joinPath, type DescribeRecord } from "./recovery.ts";
import { findMarkers, parseBody } from "./segment.ts";
import { openWal, type RecoveryReport, type WalOptions } from "./wal.ts";

export type InspectEntry =
  | { kind: "segment"; segment: string; fileBytes: number; header: SegmentHeader | null; problem: string | null }
  | { kind: "record"; segment: string; offset: number; length: number; lsn: number; type: number; time: number; payload: Uint8Array; committed: boolean }
  | { kind: "marker"; segment: string; offset: number; firstLsn: number; lastLsn: number; count: number; batchBytes: number; time: number; afterDefect: boolean }
  | { kind: "stop"; segment: string; offset: number; clean: boolean; reason: string };

export async function* inspectWal(disk: Disk, dir: string): AsyncGenerator<InspectEntry> {
  const names = (await disk.list(dir)).filter((n) => parseSegmentName(n) !== null);
  for (const segment of names) {
    const buf = await disk.readFile(joinPath(dir, segment));
    const hc = decodeSegmentHeader(buf, parseSegmentName(segment)!);
    yield { kind: "segment", segment, fileBytes: buf.length, header: hc.ok ? hc.header : null, problem: hc.ok ? null : hc.reason };
    if (!hc.ok) {
      yield { kind: "stop", segment, offset: 0, clean: false, reason: hc.reason };
      for (const m of findMarkers(buf, 0)) yield { kind: "marker", segment, ...m, afterDefect: true };
      continue;
    }
    const body = parseBody(buf, SEGMENT_HEADER_BYTES, Math.min(buf.length, hc.header.segmentBytes), hc.header.firstLsn, true);
    let mi = 0;
    for (const r of body.committed) {
      while (mi < body.markers.length && body.markers[mi].offset < r.offset) yield { kind: "marker", segment, ...body.markers[mi++], afterDefect: false };
      yield { kind: "record", segment, offset: r.offset, length: r.length, lsn: r.lsn, type: r.type, time: r.time, payload: r.payload, committed: true };
    }
    while (mi < body.markers.length) yield { kind: "marker", segment, ...body.markers[mi++], afterDefect: false };
    for (const r of body.partial) yield { kind: "record", segment, offset: r.offset, length: r.length, lsn: r.lsn, type: r.type, time: r.time, payload: r.payload, committed: false };
    const s = body.stop;
    yield { kind: "stop", segment, offset: s.offset, clean: s.kind === "end", reason: s.kind === "end" ? "end of data" : s.reason };
    for (const m of findMarkers(buf, s.kind === "mismatch" ? s.offset + 1 : s.offset)) yield { kind: "marker", segment, ...m, afterDefect: true };
  }
}

/** One line per entry, for `journal show`. `describe` may name the instance of a record. */
export function formatInspectEntry(e: InspectEntry, describe?: DescribeRecord): string {
  switch (e.kind) {
    case "segment":
      return e.header
        ? `segment ${e.segment}: first LSN ${e.header.firstLsn}, ${e.header.segmentBytes} bytes, previous last LSN ${e.header.prevLastLsn}`
        : `segment ${e.segment}: DAMAGED HEADER (${e.problem})`;
    case "record": {
      const who = describe?.(e.type, e.payload) ?? null;
      return `  ${e.segment}@${e.offset} lsn=${e.lsn} type=${e.type} time=${e.time} bytes=${e.payload.length}${who ? ` ${who}` : ""}${e.committed ? "" : " (UNCOMMITTED)"}`;
    }
    case "marker":
      return `  ${e.segment}@${e.offset} commit lsn=${e.firstLsn}..${e.lastLsn} records=${e.count} bytes=${e.batchBytes}${e.afterDefect ? " (FOUND AFTER A DEFECT)" : ""}`;
    case "stop":
      return `  ${e.segment}@${e.offset} ${e.clean ? "end of data" : `STOP: ${e.reason}`}`;
  }
}

export interface VerifyResult {
  report: RecoveryReport;
  records: number;
  firstLsn: number;
  lastLsn: number;
}

/**
 * `journal verify`: a read-only open (a torn tail is a note, never truncated) followed by a
 * full read of every committed record. Throws `DataDamagedError` (exit 3) on damage.
 */
export async function verifyWal(disk: Disk, dir: string, opts: Pick<WalOptions, "describe" | "dataDir"> = {}): Promise<VerifyResult> {
  const { wal, report } = await openWal(disk, dir, { ...opts, readOnly: true });
  let records = 0;
  for await (const _ of wal.scan()) records++;
  await wal.close();
  return { report, records, firstLsn: wal.firstLsn, lastLsn: wal.lastLsn };
}
