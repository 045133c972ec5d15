/**
 * Exhaustive damage: a torn write of the last batch cut at every byte offset, and a bit
 * flipped in every byte (so every field) of records and markers, classified by rules.md [35].
 */
import { describe, expect, it } from "vitest";
import { DataDamagedError } from "../../src/base/errors.ts";
import type { SimDisk } from "../../src/base/sim_disk.ts";
import { inspectWal, type InspectEntry } from "../../src/journal/index.ts";
import { MARKER_FRAME_BYTES } from "../../src/journal/format.ts";
import { WAL_DIR, dec, enc, open, overwrite, readAll, segPath, simDisk } from "./helpers.ts";

type Rec = Extract<InspectEntry, { kind: "record" }>;
type Mark = Extract<InspectEntry, { kind: "marker" }>;

/** Three batches in one segment: [1,2] [3,4,5] [6,7]; returns the disk and the frame layout. */
async function fixture(): Promise<{ disk: SimDisk; recs: Rec[]; marks: Mark[]; seg: string }> {
  const disk = simDisk(7);
  const { wal } = await open(disk, { segmentBytes: 4096 });
  const sizes = [2, 3, 2];
  let n = 0;
  for (const k of sizes) {
    for (let i = 0; i < k; i++, n++) wal.append(1 + (n % 5), 1_000 + n, enc(`inst-${n}|payload number ${n}`));
    await wal.flush();
  }
  await wal.close();
  const es: InspectEntry[] = [];
  for await (const e of inspectWal(disk, WAL_DIR)) es.push(e);
  const recs = es.filter((e): e is Rec => e.kind === "record");
  const marks = es.filter((e): e is Mark => e.kind === "marker");
  expect(recs.length).toBe(7);
  expect(marks.length).toBe(3);
  return { disk, recs, marks, seg: recs[0].segment };
}

async function expectRecoveredTo(disk: SimDisk, lastLsn: number): Promise<void> {
  const { wal } = await open(disk);
  expect(wal.lastLsn).toBe(lastLsn);
  const got = await readAll(wal);
  expect(got.map((r) => r.lsn)).toEqual(Array.from({ length: lastLsn }, (_, i) => i + 1));
  for (const r of got) expect(dec(r.payload)).toBe(`inst-${r.lsn - 1}|payload number ${r.lsn - 1}`);
}

describe("torn write of the last batch at every byte offset", () => {
  it("zeros after the cut: recovers exactly batches 1–2 (nothing acknowledged is lost)", async () => {
    const f = await fixture();
    const start = f.recs[5].offset; // first record of batch 3
    const end = f.marks[2].offset + MARKER_FRAME_BYTES;
    for (let cut = start; cut < end; cut++) {
      const disk = f.disk.clone();
      await overwrite(disk, segPath(f.seg), cut, new Uint8Array(end - cut));
      const ro = await open(disk, { readOnly: true });
      expect(ro.report.outcome, `cut at ${cut}`).toBe(cut === start ? "clean" : "torn-tail");
      await expectRecoveredTo(disk, 5);
      // Recovery made the tail read as end-of-data: a second open is clean.
      expect((await open(disk)).report.outcome).toBe("clean");
    }
  });

  it("garbage after the cut: same result", async () => {
    const f = await fixture();
    const start = f.recs[5].offset;
    const end = f.marks[2].offset + MARKER_FRAME_BYTES;
    for (let cut = start; cut < end; cut++) {
      const disk = f.disk.clone();
      const junk = new Uint8Array(end - cut).map((_, i) => (cut * 31 + i * 131 + 7) & 0xff);
      await overwrite(disk, segPath(f.seg), cut, junk);
      const { report } = await open(disk, { readOnly: true });
      expect(report.outcome, `cut at ${cut}`).toBe("torn-tail");
      await expectRecoveredTo(disk, 5);
    }
  });
});

describe("a flipped bit in every byte of a committed batch followed by another batch", () => {
  it("is corruption naming the segment and the damaged frame's offset", async () => {
    const f = await fixture();
    // Batch 2: records 3,4,5 and its marker; batch 3 follows.
    const frames = [
      ...f.recs.slice(2, 5).map((r) => ({ offset: r.offset, length: r.length, lsnFrom: 3 })),
      { offset: f.marks[1].offset, length: MARKER_FRAME_BYTES, lsnFrom: 3 },
    ];
    let cases = 0;
    for (const fr of frames) {
      for (let b = 0; b < fr.length; b++) {
        const disk = f.disk.clone();
        disk.flipBit(segPath(f.seg), fr.offset + b, b % 8);
        const e = await open(disk, { readOnly: true }).then(
          () => null,
          (x) => x,
        );
        expect(e, `flip at ${fr.offset}+${b}`).toBeInstanceOf(DataDamagedError);
        expect((e as DataDamagedError).details, `flip at ${fr.offset}+${b}`).toMatchObject({ segment: f.seg, offset: fr.offset, lsnFrom: fr.lsnFrom });
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(150);
  });
});

describe("a flipped bit in the last batch", () => {
  it("in any byte of its records: corruption (its valid marker follows)", async () => {
    const f = await fixture();
    for (const r of f.recs.slice(5)) {
      for (let b = 0; b < r.length; b++) {
        const disk = f.disk.clone();
        disk.flipBit(segPath(f.seg), r.offset + b, (b + 3) % 8);
        const e = await open(disk).then(
          () => null,
          (x) => x,
        );
        expect(e, `flip at ${r.offset}+${b}`).toBeInstanceOf(DataDamagedError);
        expect((e as DataDamagedError).details).toMatchObject({ segment: f.seg, offset: r.offset, lsnFrom: 6 });
      }
    }
  });

  it("in any byte of its marker with nothing after it: a torn tail (indistinguishable from a torn marker write)", async () => {
    const f = await fixture();
    const m = f.marks[2];
    for (let b = 0; b < MARKER_FRAME_BYTES; b++) {
      const disk = f.disk.clone();
      disk.flipBit(segPath(f.seg), m.offset + b, b % 8);
      const { report } = await open(disk, { readOnly: true });
      expect(report.outcome, `flip at marker+${b}`).toBe("torn-tail");
      await expectRecoveredTo(disk, 5);
    }
  });
});
