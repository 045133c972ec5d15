/**
 * Disk faults and the WAL's failure policy (src/journal/wal.ts header):
 * - ENOSPC: flush rejects with WAL_NO_SPACE, the batch stays queued and a later flush
 *   retries it; the WAL stays usable and consistent.
 * - fsync error: flush rejects, the WAL fails permanently (fsyncgate), nothing after is
 *   acknowledged; reopening recovers what is really on disk.
 * - read-only opens never change the disk.
 */
import { describe, expect, it } from "vitest";
import { DiskError } from "../../src/base/disk.ts";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";
import { WalError } from "../../src/journal/index.ts";
import { CountingDisk, dec, enc, open, readAll, simDisk } from "./helpers.ts";

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e) => e,
  );
}

describe("full disk (ENOSPC)", () => {
  it("when a new segment does not fit: flush rejects WAL_NO_SPACE; appends go on; after space frees, everything lands", async () => {
    const disk = simDisk(3);
    const { wal } = await open(disk, { segmentBytes: 1024 });
    for (let i = 0; i < 5; i++) wal.append(1, 1, enc(`early-${i}`));
    await wal.flush();
    disk.setCapacity(disk.usedBytes() + 500); // no room for another 1 KiB segment
    const lsns: number[] = [];
    for (let i = 0; i < 40; i++) lsns.push(wal.append(1, 1, enc(`late-${i}-${"x".repeat(20)}`)));
    const e = await rejection(wal.flush());
    expect(e).toBeInstanceOf(WalError);
    expect(e).toMatchObject({ code: "WAL_NO_SPACE", exitCode: 1 });
    expect((e as WalError).cause).toBeInstanceOf(DiskError);
    expect(wal.durableLsn).toBe(5);
    expect(wal.failed).toBeNull();
    // Still usable: more appends, and another flush still fails cleanly.
    lsns.push(wal.append(1, 1, enc("later")));
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_NO_SPACE" });
    // The failed creation left no half segment behind.
    expect((await disk.list("/data/wal")).filter((n) => n.endsWith(".wal")).length).toBe(1);
    disk.setCapacity(null);
    await wal.flush();
    expect(wal.durableLsn).toBe(46);
    const after = await open(disk.crash("drop-all"));
    expect(after.report.outcome).toBe("clean");
    const got = await readAll(after.wal);
    expect(got.map((r) => r.lsn)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
    expect(dec(got[45].payload)).toBe("later");
  });

  it("when a batch write fails part-way: the same bytes are rewritten in place on the next flush", async () => {
    const disk = simDisk(4);
    const { wal } = await open(disk, { segmentBytes: 4096 });
    wal.append(1, 1, enc("a"));
    await wal.flush();
    wal.append(1, 1, enc("b"));
    wal.append(1, 1, enc("c"));
    disk.failNextWrite("ENOSPC", 30); // 30 bytes reach the page cache, then ENOSPC
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_NO_SPACE" });
    wal.append(1, 1, enc("d"));
    await wal.flush();
    expect(wal.durableLsn).toBe(4);
    expect(wal.stats.noSpaceErrors).toBe(1);
    const got = await readAll((await open(disk.crash("drop-all"))).wal);
    expect(got.map((r) => dec(r.payload))).toEqual(["a", "b", "c", "d"]);
  });

  it("a crash after a partial ENOSPC write leaves a torn tail, never damage", async () => {
    const disk = simDisk(5);
    const { wal } = await open(disk, { segmentBytes: 4096 });
    wal.append(1, 1, enc("a"));
    await wal.flush();
    wal.append(1, 1, enc("b"));
    disk.failNextWrite("ENOSPC", 20);
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_NO_SPACE" });
    const { wal: w, report } = await open(disk.crash("keep-all"));
    expect(report.outcome).toBe("torn-tail");
    expect((await readAll(w)).map((r) => dec(r.payload))).toEqual(["a"]);
  });
});

describe("fsync errors (fsyncgate policy)", () => {
  it("flush rejects, the WAL fails for good, and nothing after is acknowledged", async () => {
    const disk = simDisk(6);
    const { wal } = await open(disk);
    wal.append(1, 1, enc("safe"));
    await wal.flush();
    wal.append(1, 1, enc("doomed"));
    disk.failNextSync("EIO");
    const e = await rejection(wal.flush());
    expect(e).toMatchObject({ code: "WAL_FAILED", exitCode: 1 });
    expect(wal.durableLsn).toBe(1);
    expect(wal.failed).not.toBeNull();
    // A later sync would succeed on this disk, but the WAL does not try: it cannot know what was lost.
    expect(() => wal.append(1, 1, enc("after"))).toThrow(expect.objectContaining({ code: "WAL_FAILED" }));
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_FAILED" });
    await expect(wal.flushed(1)).rejects.toMatchObject({ code: "WAL_FAILED" });
    // Reopen recovers what is really there: "safe" always; "doomed" only if it happened to land whole.
    for (let seed = 0; seed < 20; seed++) {
      const { wal: w } = await open(disk.clone(seededRng(seed)).crash("drop-all"));
      const got = (await readAll(w)).map((r) => dec(r.payload));
      expect(got[0]).toBe("safe");
      expect(got.length === 1 || (got.length === 2 && got[1] === "doomed")).toBe(true);
    }
  });

  it("every waiter of the failed batch and of later batches is rejected", async () => {
    const disk = simDisk(7);
    const { wal } = await open(disk);
    disk.failNextSync("EIO");
    wal.append(1, 1, enc("x"));
    const p1 = wal.flush();
    wal.append(1, 1, enc("y"));
    const p2 = wal.flush();
    await expect(p1).rejects.toMatchObject({ code: "WAL_FAILED" });
    await expect(p2).rejects.toMatchObject({ code: "WAL_FAILED" });
  });

  it("an fsync error while creating a segment fails the WAL too", async () => {
    const disk = simDisk(8);
    const { wal } = await open(disk, { segmentBytes: 256 });
    wal.append(1, 1, enc("fits"));
    await wal.flush();
    for (let i = 0; i < 10; i++) wal.append(1, 1, enc(`needs a new segment ${i}`));
    disk.failNextSync("EIO");
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_FAILED" });
    const { wal: w } = await open(disk.crash("drop-all"), { segmentBytes: 256 });
    expect((await readAll(w)).map((r) => dec(r.payload))).toEqual(["fits"]);
  });

  it("a non-retryable write error (EIO) fails the WAL", async () => {
    const disk = simDisk(9);
    const { wal } = await open(disk);
    wal.append(1, 1, enc("x"));
    disk.failNextWrite("EIO");
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_FAILED" });
    expect(wal.failed?.code).toBe("WAL_FAILED");
  });
});

describe("read-only opens never modify the disk", () => {
  const scenarios: [string, (disk: SimDisk) => Promise<void>][] = [
    ["clean", async () => {}],
    ["torn tail", async (disk) => {
      const { wal } = await open(disk);
      wal.append(1, 1, enc("torn"));
      disk.failNextWrite("ENOSPC", 10);
      await wal.flush().catch(() => {});
    }],
    ["damaged", async (disk) => {
      const snap = disk.snapshotState().durable;
      const seg = Object.keys(snap).find((p) => p.endsWith(".wal"))!;
      disk.flipBit(seg, 60, 1);
    }],
  ];
  for (const [name, damage] of scenarios) {
    it(name, async () => {
      const base = simDisk(10);
      const { wal } = await open(base);
      for (let k = 0; k < 3; k++) {
        wal.append(1, 1, enc(`batch ${k}`));
        await wal.flush();
      }
      await damage(base);
      const disk = new CountingDisk(base);
      const before = base.snapshotState();
      const r = await open(disk, { readOnly: true }).then(
        async ({ wal: ro }) => {
          await readAll(ro);
          await ro.close();
          return "opened";
        },
        () => "refused",
      );
      expect(r).toBe(name === "damaged" ? "refused" : "opened");
      expect(disk.mutations).toBe(0);
      expect(disk.syncs + disk.syncDirs).toBe(0);
      expect(base.snapshotState()).toEqual(before);
    });
  }
});
