/** `lexum journal repair`: explicit, sets damaged data aside (never deletes it), never reuses LSNs. */
import { describe, expect, it } from "vitest";
import { DataDamagedError } from "../../src/base/errors.ts";
import type { SimDisk } from "../../src/base/sim_disk.ts";
import { repairWal } from "../../src/journal/index.ts";
import { WAL_DIR, dec, enc, open, readAll, segPath, simDisk } from "./helpers.ts";

async function build(disk: SimDisk, batches: number, per: number, segmentBytes: number): Promise<void> {
  const { wal } = await open(disk, { segmentBytes });
  let n = 0;
  for (let k = 0; k < batches; k++) {
    for (let i = 0; i < per; i++, n++) wal.append(1, 10 + n, enc(`inst-${n % 4}|r${n}`));
    await wal.flush();
  }
  await wal.close();
}

const describeRec = (_t: number, p: Uint8Array) => dec(p).split("|")[0];

describe("repairWal", () => {
  it("on a WAL without damage changes nothing (and discards a torn tail like an open)", async () => {
    const disk = simDisk();
    await build(disk, 3, 2, 1024);
    const before = disk.snapshotState();
    const r = await repairWal(disk, WAL_DIR);
    expect(r.repaired).toBe(false);
    expect(disk.snapshotState()).toEqual(before);
  });

  it("damage inside a segment: copies it aside, truncates at the last good batch, moves later segments aside, skips the lost LSNs", async () => {
    const disk = simDisk();
    await build(disk, 12, 3, 512);
    const names = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
    expect(names.length).toBeGreaterThanOrEqual(3);
    // Damage the second record of segment 2.
    const seg = names[1];
    disk.flipBit(segPath(seg), 48 + 40, 4);
    const refused = await open(disk, { describe: describeRec }).then(
      () => null,
      (e) => e,
    );
    expect(refused).toBeInstanceOf(DataDamagedError);
    const lastGood = (refused as DataDamagedError).details.lastGoodLsn as number;
    const allBefore = disk.snapshotState().live;

    const r = await repairWal(disk, WAL_DIR, { describe: describeRec, segmentBytes: 512 });
    expect(r.repaired).toBe(true);
    expect(r.damage?.segment).toBe(seg);
    expect(r.truncatedAt).toEqual({ segment: seg, offset: 48 });
    expect(r.lostLsns).toEqual({ from: lastGood + 1, to: 36 });
    expect(r.newSegment).toBe("00000000000000000037.wal");
    // Nothing deleted: the damaged segment's full copy and every later segment are in damaged/.
    const aside = await disk.list(`${WAL_DIR}/damaged`);
    expect(aside).toEqual(names.slice(1));
    expect(disk.snapshotState().live[`${WAL_DIR}/damaged/${seg}`]).toEqual(allBefore[segPath(seg)]);
    for (const n of names.slice(2)) expect(disk.snapshotState().live[`${WAL_DIR}/damaged/${n}`]).toEqual(allBefore[segPath(n)]);

    // The WAL opens clean, keeps LSNs 1..lastGood, and continues after everything set aside.
    const rebooted = disk.crash("drop-all");
    const { wal, report } = await open(rebooted, { segmentBytes: 512 });
    expect(report.outcome).toBe("clean");
    const got = await readAll(wal);
    expect(got.map((x) => x.lsn)).toEqual(Array.from({ length: lastGood }, (_, i) => i + 1));
    expect(wal.append(1, 100, enc("after repair"))).toBe(37);
    await wal.flush();
    const again = await open(rebooted, { segmentBytes: 512 });
    expect((await readAll(again.wal)).at(-1)).toMatchObject({ lsn: 37 });
  });

  it("a damaged header: the segment and all later ones are moved aside", async () => {
    const disk = simDisk();
    await build(disk, 12, 3, 512);
    const names = (await disk.list(WAL_DIR)).filter((n) => n.endsWith(".wal"));
    disk.flipBit(segPath(names[1]), 20, 0);
    const r = await repairWal(disk, WAL_DIR);
    expect(r.damage?.row).toBe("segment-header");
    expect(r.truncatedAt).toBeNull();
    expect(await disk.list(`${WAL_DIR}/damaged`)).toEqual(names.slice(1));
    const { wal } = await open(disk);
    expect(wal.lastLsn).toBe(36);
    expect((await readAll(wal)).length).toBe(parseInt(names[1], 10) - 1);
  });

  it("repeated repairs never overwrite what an earlier one set aside", async () => {
    const disk = simDisk();
    await build(disk, 4, 2, 4096); // one segment: batches [1,2] [3,4] [5,6] [7,8], 34-byte records
    const first = segPath("00000000000000000001.wal");
    disk.flipBit(first, 48 + 2 * 34 + 53 + 30, 0); // inside LSN 3
    const r1 = await repairWal(disk, WAL_DIR);
    expect(r1.lostLsns).toEqual({ from: 3, to: 8 });
    disk.flipBit(first, 60, 0); // inside LSN 1, still followed by batch 1's marker
    const r2 = await repairWal(disk, WAL_DIR);
    expect(r2.damage?.segment).toBe("00000000000000000001.wal");
    // The second repair copies segment 1 again (under a new name) and moves the empty segment 9
    // that the first repair started.
    expect(await disk.list(`${WAL_DIR}/damaged`)).toEqual(["00000000000000000001.wal", "00000000000000000001.wal.1", "00000000000000000009.wal"]);
    const { wal } = await open(disk);
    expect(wal.lastLsn).toBe(8);
    expect(wal.append(1, 100, enc("x"))).toBe(9);
  });
});
