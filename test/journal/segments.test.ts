/** Segment rollover and the bounded journal (runtime.md §5, rules.md [5]). */
import { describe, expect, it } from "vitest";
import { DataDamagedError } from "../../src/base/errors.ts";
import { WAL_SEGMENT_BYTES } from "../../src/base/limits.ts";
import { openWal, segmentName, parseSegmentName } from "../../src/journal/index.ts";
import { SEGMENT_HEADER_BYTES } from "../../src/journal/format.ts";
import { CountingDisk, WAL_DIR, enc, open, readAll, simDisk } from "./helpers.ts";

describe("segments", () => {
  it("are named by their first LSN, zero-padded to 20 digits", () => {
    expect(segmentName(1)).toBe("00000000000000000001.wal");
    expect(segmentName(981233)).toBe("00000000000000981233.wal");
    expect(parseSegmentName("00000000000000000042.wal")).toBe(42);
    expect(parseSegmentName("42.wal")).toBeNull();
    expect(parseSegmentName("00000000000000000042.wal.tmp")).toBeNull();
    expect(parseSegmentName("00000000000000000000.wal")).toBeNull();
  });

  it("default to WAL_SEGMENT_BYTES (1 MiB), preallocated", async () => {
    const disk = simDisk();
    const { wal } = await openWal(disk, WAL_DIR);
    expect(WAL_SEGMENT_BYTES).toBe(1024 * 1024);
    expect(wal.segments()[0]).toMatchObject({ fileBytes: WAL_SEGMENT_BYTES, dataBytes: SEGMENT_HEADER_BYTES });
    expect((await disk.stat(`${WAL_DIR}/00000000000000000001.wal`))?.size).toBe(WAL_SEGMENT_BYTES);
  });

  it("roll over when a batch does not fit; creation fsyncs the file and the directory", async () => {
    const disk = new CountingDisk(simDisk());
    const { wal } = await open(disk, { segmentBytes: 512 });
    const d0 = disk.syncDirs;
    for (let k = 0; k < 20; k++) {
      for (let i = 0; i < 3; i++) wal.append(1, 1, enc(`batch ${k} record ${i}`));
      await wal.flush();
    }
    const segs = wal.segments();
    expect(segs.length).toBeGreaterThan(3);
    expect(disk.syncDirs - d0).toBe(segs.length - 1);
    for (let i = 1; i < segs.length; i++) {
      expect(segs[i].firstLsn).toBe(segs[i - 1].lastLsn + 1);
      expect(segs[i].name).toBe(segmentName(segs[i].firstLsn));
    }
    for (const s of segs) expect(s.dataBytes).toBeLessThanOrEqual(s.fileBytes);
    expect((await readAll(wal)).length).toBe(60);
  });

  it("a batch larger than a segment gets a larger segment of its own", async () => {
    const disk = simDisk();
    const { wal } = await open(disk, { segmentBytes: 512 });
    wal.append(1, 1, enc("small"));
    await wal.flush();
    wal.append(1, 1, new Uint8Array(3000));
    await wal.flush();
    const segs = wal.segments();
    expect(segs.length).toBe(2);
    expect(segs[1]).toMatchObject({ firstLsn: 2, fileBytes: 4096 });
    // The larger segment is then used like any other until it is full.
    wal.append(1, 1, enc("fits in the rest of the large segment"));
    await wal.flush();
    expect(wal.segments().length).toBe(2);
    expect((await readAll(wal)).map((r) => r.payload.length)).toEqual([5, 3000, 37]);
  });

  it("an empty active segment too small for a batch is replaced by a larger one with the same first LSN", async () => {
    const disk = simDisk();
    const { wal } = await open(disk, { segmentBytes: 512 });
    wal.append(1, 1, new Uint8Array(2000));
    await wal.flush();
    expect(wal.segments()).toEqual([expect.objectContaining({ name: segmentName(1), fileBytes: 4096, lastLsn: 1 })]);
    const again = await open(disk.crash("drop-all"), { segmentBytes: 512 });
    expect(again.report.outcome).toBe("clean");
    expect((await readAll(again.wal))[0].payload.length).toBe(2000);
  });
});

describe("bounded journal", () => {
  async function filled() {
    const disk = simDisk();
    const { wal } = await open(disk, { segmentBytes: 512 });
    for (let k = 0; k < 30; k++) {
      for (let i = 0; i < 3; i++) wal.append(1, 1, enc(`batch ${k} record ${i}`));
      await wal.flush();
    }
    return { disk, wal };
  }

  it("deleteSegmentsBefore removes only whole segments entirely below the LSN, never the active one", async () => {
    const { disk, wal } = await filled();
    const segs = wal.segments();
    const cut = segs[3].firstLsn + 1; // inside segment 3: segments 0..2 go, 3 stays
    const sizeBefore = wal.sizeBytes();
    const deleted = await wal.deleteSegmentsBefore(cut);
    expect(deleted).toEqual(segs.slice(0, 3).map((s) => s.name));
    expect(wal.firstLsn).toBe(segs[3].firstLsn);
    expect(wal.sizeBytes()).toBe(sizeBefore - segs.slice(0, 3).reduce((n, s) => n + s.dataBytes, 0));
    expect(wal.allocatedBytes()).toBe(wal.segments().reduce((n, s) => n + s.fileBytes, 0));
    expect(await disk.list(WAL_DIR)).toEqual(wal.segments().map((s) => s.name));
    // Exactly at a boundary: the segment starting at `lsn` stays.
    expect(await wal.deleteSegmentsBefore(segs[4].firstLsn)).toEqual([segs[3].name]);
    // Far past the end: everything but the active segment.
    await wal.deleteSegmentsBefore(Number.MAX_SAFE_INTEGER);
    expect(wal.segments().length).toBe(1);
    expect(wal.segments()[0].name).toBe(segs.at(-1)!.name);
    wal.append(1, 1, enc("still appending"));
    await wal.flush();
  });

  it("deletions are durable (directory fsync) and the WAL reopens from its new first LSN", async () => {
    const { disk, wal } = await filled();
    const segs = wal.segments();
    await wal.deleteSegmentsBefore(segs[2].firstLsn);
    const { wal: again, report } = await open(disk.crash("drop-all"), { segmentBytes: 512 });
    expect(report.outcome).toBe("clean");
    expect(again.firstLsn).toBe(segs[2].firstLsn);
    expect(again.lastLsn).toBe(90);
    const got = await readAll(again);
    expect(got[0].lsn).toBe(segs[2].firstLsn);
  });

  it("scanning from a deleted LSN is a gap (exit 3), never silently skipped", async () => {
    const { wal } = await filled();
    await wal.deleteSegmentsBefore(wal.segments()[2].firstLsn);
    const e = await readAll(wal, 1).then(
      () => null,
      (x) => x,
    );
    expect(e).toBeInstanceOf(DataDamagedError);
    expect(e).toMatchObject({ code: "WAL_GAP", exitCode: 3 });
  });

  it("sizeBytes counts written data; allocatedBytes counts preallocated files", async () => {
    const { wal } = await open(simDisk(), { segmentBytes: 4096 });
    expect(wal.sizeBytes()).toBe(SEGMENT_HEADER_BYTES);
    expect(wal.allocatedBytes()).toBe(4096);
    wal.append(1, 1, new Uint8Array(100));
    await wal.flush();
    expect(wal.sizeBytes()).toBe(SEGMENT_HEADER_BYTES + 25 + 100 + 53);
  });
});
