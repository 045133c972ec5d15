/**
 * One test per row of the recovery decision table (src/journal/recovery.ts header and
 * docs/formats.md "## WAL"), each for a writable and a read-only open where they differ.
 */
import { describe, expect, it } from "vitest";
import { DataDamagedError } from "../../src/base/errors.ts";
import type { SimDisk } from "../../src/base/sim_disk.ts";
import { inspectWal, type InspectEntry, type Wal } from "../../src/journal/index.ts";
import { encodeSegmentHeader, encodeMarkerInto, dataView, SEGMENT_HEADER_BYTES } from "../../src/journal/format.ts";
import { crc32c } from "../../src/journal/crc32c.ts";
import { WAL_DIR, dec, enc, open, overwrite, readAll, segPath, simDisk } from "./helpers.ts";

/** Payload "<instance>|<text>"; describe() names the instance. */
const describeRec = (_type: number, p: Uint8Array): string | null => dec(p).split("|")[0] || null;

async function build(disk: SimDisk, batches: number[], segmentBytes = 1024): Promise<Wal> {
  const { wal } = await open(disk, { segmentBytes });
  let n = 0;
  for (const k of batches) {
    for (let i = 0; i < k; i++, n++) wal.append(1, 1000 + n, enc(`Order/o-${n % 3}|record ${n}`));
    await wal.flush();
  }
  return wal;
}

async function entries(disk: SimDisk): Promise<InspectEntry[]> {
  const out: InspectEntry[] = [];
  for await (const e of inspectWal(disk, WAL_DIR)) out.push(e);
  return out;
}

type Rec = Extract<InspectEntry, { kind: "record" }>;
type Mark = Extract<InspectEntry, { kind: "marker" }>;
const records = (es: InspectEntry[]) => es.filter((e): e is Rec => e.kind === "record");
const markers = (es: InspectEntry[]) => es.filter((e): e is Mark => e.kind === "marker");

async function damagedErrorOf(p: Promise<unknown>): Promise<DataDamagedError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(DataDamagedError);
  return e as DataDamagedError;
}

describe("recovery decision table", () => {
  it("row 1: no segment files → fresh; writable creates segment 1, read-only creates nothing", async () => {
    const ro = simDisk();
    const r1 = await open(ro, { readOnly: true });
    expect(r1.report.outcome).toBe("fresh");
    expect(ro.snapshotState().live).toEqual({});

    const disk = simDisk();
    const { report } = await open(disk);
    expect(report.outcome).toBe("fresh");
    expect(report.segments).toEqual(["00000000000000000001.wal"]);
    // Created durably: header, preallocation, file fsync and directory fsync.
    const d = disk.snapshotState().durable;
    expect(Object.keys(d)).toEqual([segPath("00000000000000000001.wal")]);
    expect(d[segPath("00000000000000000001.wal")].length).toBe(1024);
  });

  it("row 2: clean → opens after the last batch and writes nothing", async () => {
    const disk = simDisk();
    const wal = await build(disk, [2, 3, 1, 4, 5]);
    await wal.close();
    const before = disk.snapshotState();
    const writes = disk.stats.writes;
    const { wal: again, report } = await open(disk);
    expect(report.outcome).toBe("clean");
    expect(report.truncated).toBeNull();
    expect(again.lastLsn).toBe(15);
    expect(disk.stats.writes).toBe(writes);
    expect(disk.snapshotState()).toEqual(before);
  });

  describe("row 3: torn tail with no valid marker after it → truncate to the last complete batch", () => {
    const cases: [string, (disk: SimDisk, last: Rec[], marker: Mark) => Promise<void>][] = [
      ["zeroed region (the marker and part of the records never reached the disk)", async (disk, last, m) => {
        const from = last[1].offset + 3;
        await overwrite(disk, segPath(m.segment), from, new Uint8Array(m.offset + 53 - from));
      }],
      ["garbage after a sector boundary", async (disk, last, m) => {
        const g = new Uint8Array(m.offset + 53 - last[0].offset - 10).map((_, i) => (i * 97 + 13) & 0xff);
        await overwrite(disk, segPath(m.segment), last[0].offset + 10, g);
      }],
      ["short record: a length running past the segment end", async (disk, last, m) => {
        const b = new Uint8Array(4);
        dataView(b).setUint32(0, 5000, true);
        await overwrite(disk, segPath(m.segment), last[1].offset, b);
        await overwrite(disk, segPath(m.segment), m.offset, new Uint8Array(53));
      }],
      ["records complete, marker missing", async (disk, _last, m) => {
        await overwrite(disk, segPath(m.segment), m.offset, new Uint8Array(53));
      }],
    ];
    for (const [name, tear] of cases) {
      it(name, async () => {
        const disk = simDisk();
        const wal = await build(disk, [2, 3, 3]);
        await wal.close();
        const es = await entries(disk);
        const last = records(es).filter((r) => r.lsn >= 6);
        const m = markers(es).at(-1)!;
        await tear(disk, last, m);

        // Read-only: reported, ignored, nothing written.
        const snap = disk.snapshotState();
        const ro = await open(disk, { readOnly: true });
        expect(ro.report.outcome).toBe("torn-tail");
        expect(ro.report.applied).toBe(false);
        expect(ro.wal.lastLsn).toBe(5);
        expect((await readAll(ro.wal)).length).toBe(5);
        expect(disk.snapshotState()).toEqual(snap);

        // Writable: truncated to the end of batch 2 (LSN 5), zeroed, durable.
        const { wal: w, report } = await open(disk);
        expect(report.outcome).toBe("torn-tail");
        expect(report.applied).toBe(true);
        expect(report.truncated).toMatchObject({ segment: m.segment, offset: last[0].offset, badSegment: m.segment });
        expect(w.lastLsn).toBe(5);
        expect(w.append(1, 2000, enc("x|after"))).toBe(6);
        await w.flush();
        const after = await open(disk.crash("drop-all"));
        expect(after.report.outcome).toBe("clean");
        expect((await readAll(after.wal)).map((r) => r.lsn)).toEqual([1, 2, 3, 4, 5, 6]);
      });
    }

    it("garbage after the end of data in the newest segment (a torn preallocation) is zeroed before appends reach it", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2]);
      await wal.close();
      const m = markers(await entries(disk)).at(-1)!;
      const garbageAt = m.offset + 53 + 300;
      await overwrite(disk, segPath(m.segment), garbageAt, enc("junk from a torn sector"));
      const { wal: w, report } = await open(disk);
      expect(report.outcome).toBe("torn-tail");
      expect(report.truncated).toMatchObject({ offset: m.offset + 53, badOffset: garbageAt, discardedRecords: 0 });
      expect(w.lastLsn).toBe(2);
      // Fill past the old garbage, then roll over: no false damage afterwards.
      for (let k = 0; k < 12; k++) {
        for (let i = 0; i < 3; i++) w.append(1, 3000, enc(`Order/x|fill ${k}.${i}`));
        await w.flush();
      }
      await w.close();
      const again = await open(disk);
      expect(again.report.outcome).toBe("clean");
      expect(again.wal.lastLsn).toBe(38);
    });

    it("garbage in the unused area of an older segment is not damage (no marker follows it)", async () => {
      const disk = simDisk();
      const wal = await build(disk, [3, 3, 3, 3, 3, 3], 512);
      await wal.close();
      const segs = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
      await overwrite(disk, segPath(segs[0]), 508, enc("zz"));
      const { report } = await open(disk, { readOnly: true });
      expect(report.outcome).toBe("clean");
    });

    it("discards individually valid records after the last marker and says how many", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2, 3]);
      await wal.close();
      const m = markers(await entries(disk)).at(-1)!;
      await overwrite(disk, segPath(m.segment), m.offset, new Uint8Array(53));
      const { report } = await open(disk);
      expect(report.truncated).toMatchObject({ discardedRecords: 3, discardedLsns: { from: 3, to: 5 } });
    });

    it("deletes later segments that hold no committed batch", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2, 3], 1024);
      // A batch too big for segment 1 goes to a new segment; tear it so nothing of it is valid.
      for (let i = 0; i < 30; i++) wal.append(1, 5000, enc(`Order/o-9|big ${i}`));
      await wal.flush();
      await wal.close();
      const segs = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
      expect(segs.length).toBe(2);
      // Break the first record of the new segment so its only batch is torn.
      await overwrite(disk, segPath(segs[1]), SEGMENT_HEADER_BYTES + 4, enc("XXXX"));
      await overwrite(disk, segPath(segs[1]), SEGMENT_HEADER_BYTES + 30, new Uint8Array(4000));
      const { wal: w, report } = await open(disk);
      expect(report.outcome).toBe("torn-tail");
      expect(report.truncated?.segment).toBe(segs[1]);
      expect(w.lastLsn).toBe(5);
    });
  });

  it("row 4: newest segment with a torn header and no marker → its creation was interrupted; deleted", async () => {
    const disk = simDisk();
    const wal = await build(disk, [2, 2]);
    await wal.close();
    // A half-written header: the first 20 bytes of a real one, then zeros.
    const hdr = encodeSegmentHeader({ firstLsn: 5, segmentBytes: 1024, prevLastLsn: 4 });
    const f = await disk.open(segPath("00000000000000000005.wal"), "create-new");
    const img = new Uint8Array(1024);
    img.set(hdr.subarray(0, 20));
    await f.write(img, 0);
    await f.sync();
    await disk.syncDir(WAL_DIR);
    await f.close();

    const snap = disk.snapshotState();
    const ro = await open(disk, { readOnly: true });
    expect(ro.report.outcome).toBe("torn-segment-creation");
    expect(ro.wal.lastLsn).toBe(4);
    expect(disk.snapshotState()).toEqual(snap);

    const { wal: w, report } = await open(disk);
    expect(report.outcome).toBe("torn-segment-creation");
    expect(report.truncated?.removedSegments).toEqual(["00000000000000000005.wal"]);
    expect(await disk.list(WAL_DIR)).toEqual(["00000000000000000001.wal"]);
    expect(w.lastLsn).toBe(4);
  });

  it("row 4 (only segment): a torn first segment is replaced by a fresh one at the same LSN", async () => {
    const disk = simDisk();
    await disk.mkdirp(WAL_DIR);
    const f = await disk.open(segPath("00000000000000000001.wal"), "create-new");
    await f.write(new Uint8Array(1024), 0);
    await f.sync();
    await f.close();
    const { wal, report } = await open(disk);
    expect(report.outcome).toBe("torn-segment-creation");
    expect(report.segments).toEqual(["00000000000000000001.wal"]);
    expect(wal.append(1, 1, enc("a|b"))).toBe(1);
  });

  describe("row 5: a bad frame followed by a valid marker → DataDamagedError (exit 3)", () => {
    it("in the same segment: names segment, offset, LSNs, instances and the repair command", async () => {
      const disk = simDisk();
      const wal = await build(disk, [3, 3, 2]);
      await wal.close();
      const es = await entries(disk);
      const victim = records(es).find((r) => r.lsn === 5)!;
      disk.flipBit(segPath(victim.segment), victim.offset + 30, 2);
      for (const readOnly of [true, false]) {
        const snap = disk.snapshotState();
        const e = await damagedErrorOf(open(disk, { readOnly, describe: describeRec, dataDir: "/data" }));
        expect(disk.snapshotState()).toEqual(snap);
        expect(e.exitCode).toBe(3);
        expect(e.code).toBe("WAL_DAMAGED");
        expect(e.details).toMatchObject({ row: "bad-frame-before-marker", segment: victim.segment, offset: victim.offset, lsnFrom: 4, lsnTo: 6 });
        // Readable records of the damaged batch name their instances (LSN 4 → o-0, LSN 6 → o-2).
        expect(e.details.instances).toEqual(["Order/o-0", "Order/o-2"]);
        expect(e.message).toContain(victim.segment);
        expect(e.message).toContain(`byte ${victim.offset}`);
        expect(e.message).toContain("lexum journal repair --data /data");
      }
    });

    it("with the marker in a later segment", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2, 2], 512);
      for (let k = 0; k < 6; k++) {
        for (let i = 0; i < 3; i++) wal.append(1, 9000, enc(`Order/late|${k}.${i}`));
        await wal.flush();
      }
      await wal.close();
      const segs = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
      expect(segs.length).toBeGreaterThan(1);
      // Zero the second batch's marker in segment 1: a "torn tail" there, but later segments hold markers.
      const m = markers(await entries(disk)).filter((x) => x.segment === segs[0]).at(-1)!;
      await overwrite(disk, segPath(segs[0]), m.offset, new Uint8Array(53));
      const e = await damagedErrorOf(open(disk, { describe: describeRec }));
      expect(e.details).toMatchObject({ row: "bad-frame-before-marker", segment: segs[0] });
      expect((e.details.marker as { segment: string }).segment).toBe(segs[1]);
    });

    it("a zeroed frame inside committed data is damage, not end of data", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2, 2, 2]);
      await wal.close();
      const r = records(await entries(disk)).find((x) => x.lsn === 3)!;
      await overwrite(disk, segPath(r.segment), r.offset, new Uint8Array(4));
      const e = await damagedErrorOf(open(disk));
      expect(e.details).toMatchObject({ row: "bad-frame-before-marker", offset: r.offset, lsnFrom: 3 });
    });
  });

  it("row 6: a valid marker that disagrees with its batch → DataDamagedError", async () => {
    const disk = simDisk();
    const wal = await build(disk, [2, 3]);
    await wal.close();
    const m = markers(await entries(disk)).at(-1)!;
    // Rewrite the marker with a consistent frame checksum but a wrong batch checksum.
    const b = new Uint8Array(53);
    encodeMarkerInto(b, dataView(b), 0, { lastLsn: m.lastLsn, time: m.time, firstLsn: m.firstLsn, count: m.count, batchBytes: m.batchBytes, batchCrc: 12345 });
    await overwrite(disk, segPath(m.segment), m.offset, b);
    for (const readOnly of [true, false]) {
      const e = await damagedErrorOf(open(disk, { readOnly, describe: describeRec }));
      expect(e.details).toMatchObject({ row: "marker-mismatch", segment: m.segment, offset: m.offset, lsnFrom: 3, lsnTo: 5 });
      expect(e.details.reason).toContain("checksum");
    }
  });

  describe("row 7: damaged or unacceptable header → DataDamagedError", () => {
    it("a torn header on a segment that is not the newest", async () => {
      const disk = simDisk();
      const wal = await build(disk, [3, 3, 3, 3, 3, 3], 512);
      await wal.close();
      const segs = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
      expect(segs.length).toBeGreaterThanOrEqual(3);
      disk.flipBit(segPath(segs[1]), 17, 0);
      const e = await damagedErrorOf(open(disk));
      expect(e.details).toMatchObject({ row: "segment-header", segment: segs[1], offset: 0 });
    });

    it("a newest segment whose header checksums but has another format version", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2]);
      await wal.close();
      const hdr = encodeSegmentHeader({ firstLsn: 1, segmentBytes: 1024, prevLastLsn: 0 });
      dataView(hdr).setUint32(8, 2, true);
      dataView(hdr).setUint32(44, crc32c(hdr, 0, 44), true);
      await overwrite(disk, segPath("00000000000000000001.wal"), 0, hdr);
      const e = await damagedErrorOf(open(disk));
      expect(e.details).toMatchObject({ row: "segment-header" });
      expect(e.message).toContain("unsupported WAL format version 2");
    });

    it("a torn newest header with a valid marker in its body (data was acknowledged)", async () => {
      const disk = simDisk();
      const wal = await build(disk, [2, 2]);
      await wal.close();
      disk.flipBit(segPath("00000000000000000001.wal"), 3, 1);
      const e = await damagedErrorOf(open(disk));
      expect(e.details).toMatchObject({ row: "segment-header" });
    });
  });

  it("row 8: a missing segment (LSN gap) → DataDamagedError", async () => {
    const disk = simDisk();
    const wal = await build(disk, [3, 3, 3, 3, 3, 3], 512);
    await wal.close();
    const segs = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
    expect(segs.length).toBeGreaterThanOrEqual(3);
    await disk.unlink(segPath(segs[1]));
    for (const readOnly of [true, false]) {
      const e = await damagedErrorOf(open(disk, { readOnly }));
      expect(e.details).toMatchObject({ row: "segment-gap", segment: segs[2] });
    }
  });
});
