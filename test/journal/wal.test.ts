import { describe, expect, it } from "vitest";
import { AssertionFailure } from "../../src/base/assert.ts";
import { WAL_RECORD_BYTES_MAX } from "../../src/base/limits.ts";
import { WAL_PAYLOAD_BYTES_MAX, WAL_SEGMENT_BYTES_MIN, WalError, openWal } from "../../src/journal/index.ts";
import { FRAME_HEADER_BYTES, MARKER_FRAME_BYTES, SEGMENT_HEADER_BYTES } from "../../src/journal/format.ts";
import { WAL_DIR, dec, enc, open, readAll, simDisk } from "./helpers.ts";

describe("WAL round trips", () => {
  it("appends, flushes and reads back records in LSN order, starting at LSN 1", async () => {
    const disk = simDisk();
    const { wal, report } = await open(disk);
    expect(report.outcome).toBe("fresh");
    expect(wal.lastLsn).toBe(0);
    expect(wal.firstLsn).toBe(1);
    const a = wal.append(7, 100, enc("alpha"));
    const b = wal.append(0, 100, new Uint8Array(0));
    const c = wal.append(254, 105, enc("gamma"));
    expect([a, b, c]).toEqual([1, 2, 3]);
    expect(wal.durableLsn).toBe(0);
    await wal.flush();
    expect(wal.durableLsn).toBe(3);
    const got = await readAll(wal);
    expect(got.map((r) => [r.lsn, r.type, r.time, dec(r.payload)])).toEqual([
      [1, 7, 100, "alpha"],
      [2, 0, 100, ""],
      [3, 254, 105, "gamma"],
    ]);
    await wal.close();
  });

  it("survives close and reopen; LSNs and times continue", async () => {
    const disk = simDisk();
    let { wal } = await open(disk);
    for (let i = 0; i < 50; i++) wal.append(1, 1000 + i, enc(`r${i}`));
    await wal.close();
    ({ wal } = await open(disk));
    expect(wal.lastLsn).toBe(50);
    expect(wal.lastTime).toBe(1049);
    expect(wal.append(1, 1049, enc("next"))).toBe(51);
    await wal.flush();
    const got = await readAll(wal);
    expect(got.length).toBe(51);
    expect(got.map((r) => r.lsn)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(dec(got[50].payload)).toBe("next");
  });

  it("scan(from) starts mid-stream and stops at the durable LSN", async () => {
    const { wal } = await open(simDisk());
    for (let i = 0; i < 30; i++) wal.append(1, 1, enc(`r${i}`));
    await wal.flush();
    wal.append(1, 1, enc("pending"));
    const got = await readAll(wal, 25);
    expect(got.map((r) => r.lsn)).toEqual([25, 26, 27, 28, 29, 30]);
    expect((await readAll(wal, 31)).length).toBe(0);
  });

  it("flushed(lsn) waits for exactly that LSN and starts a flush when needed", async () => {
    const { wal } = await open(simDisk());
    const l1 = wal.append(1, 1, enc("a"));
    await wal.flushed(l1);
    expect(wal.durableLsn).toBe(1);
    await wal.flushed(1); // already durable: resolves at once
    await wal.flush(); // nothing pending: resolves at once
    expect(wal.stats.batches).toBe(1);
  });

  it("refuses time going backwards and out-of-range types (our own invariants)", async () => {
    const { wal } = await open(simDisk());
    wal.append(1, 500, enc("x"));
    expect(() => wal.append(1, 499, enc("y"))).toThrow(AssertionFailure);
    expect(() => wal.append(255, 500, enc("y"))).toThrow(AssertionFailure);
    expect(() => wal.append(-1, 500, enc("y"))).toThrow(AssertionFailure);
    expect(() => wal.flushed(99)).toThrow(AssertionFailure);
  });

  it("a read-only WAL reads but refuses writes with WAL_READ_ONLY", async () => {
    const disk = simDisk();
    const { wal } = await open(disk);
    wal.append(1, 1, enc("a"));
    await wal.close();
    const ro = await open(disk, { readOnly: true });
    expect((await readAll(ro.wal)).length).toBe(1);
    expect(() => ro.wal.append(1, 1, enc("b"))).toThrow(expect.objectContaining({ code: "WAL_READ_ONLY" }));
    await expect(ro.wal.flush()).rejects.toMatchObject({ code: "WAL_READ_ONLY" });
    await expect(ro.wal.deleteSegmentsBefore(10)).rejects.toMatchObject({ code: "WAL_READ_ONLY" });
  });

  it("a read-only open of a missing directory is an empty WAL and creates nothing", async () => {
    const disk = simDisk();
    const { wal, report } = await openWal(disk, "/nowhere/wal", { readOnly: true });
    expect(report.outcome).toBe("fresh");
    expect(wal.lastLsn).toBe(0);
    expect(await disk.list("/nowhere")).toEqual([]);
  });

  it("a closed WAL refuses work with WAL_CLOSED", async () => {
    const { wal } = await open(simDisk());
    await wal.close();
    await wal.close();
    expect(() => wal.append(1, 1, enc("x"))).toThrow(WalError);
    await expect(wal.flush()).rejects.toMatchObject({ code: "WAL_CLOSED" });
  });

  it("close flushes pending records", async () => {
    const disk = simDisk();
    const { wal } = await open(disk);
    wal.append(3, 9, enc("last words"));
    await wal.close();
    const { wal: again } = await open(disk.crash("drop-all"));
    expect((await readAll(again)).map((r) => dec(r.payload))).toEqual(["last words"]);
  });
});

describe("WAL record size limit (WAL_RECORD_BYTES_MAX)", () => {
  it("accepts a frame of exactly WAL_RECORD_BYTES_MAX and refuses one byte more", async () => {
    expect(WAL_PAYLOAD_BYTES_MAX).toBe(WAL_RECORD_BYTES_MAX - FRAME_HEADER_BYTES);
    const disk = simDisk();
    const { wal } = await open(disk, { durability: "none" });
    const big = new Uint8Array(WAL_PAYLOAD_BYTES_MAX);
    big[0] = 1;
    big[big.length - 1] = 2;
    expect(() => wal.append(1, 1, new Uint8Array(WAL_PAYLOAD_BYTES_MAX + 1))).toThrow(expect.objectContaining({ code: "WAL_RECORD_TOO_LARGE", exitCode: 1 }));
    expect(wal.lastLsn).toBe(0);
    const lsn = wal.append(1, 1, big);
    await wal.flush();
    // A batch larger than a segment gets a segment of its own.
    const seg = wal.segments().at(-1)!;
    expect(seg.firstLsn).toBe(lsn);
    expect(seg.fileBytes).toBeGreaterThanOrEqual(SEGMENT_HEADER_BYTES + WAL_RECORD_BYTES_MAX + MARKER_FRAME_BYTES);
    await wal.close();
    const { wal: again } = await open(disk);
    const got = await readAll(again);
    expect(got.length).toBe(1);
    expect(got[0].payload.length).toBe(WAL_PAYLOAD_BYTES_MAX);
    expect(got[0].payload[0]).toBe(1);
    expect(got[0].payload.at(-1)).toBe(2);
  }, 30_000);
});

describe("WAL open options", () => {
  it("accepts WAL_SEGMENT_BYTES_MIN and rejects one byte less", async () => {
    await expect(openWal(simDisk(), WAL_DIR, { segmentBytes: WAL_SEGMENT_BYTES_MIN - 1 })).rejects.toThrow(AssertionFailure);
    const { wal } = await openWal(simDisk(), WAL_DIR, { segmentBytes: WAL_SEGMENT_BYTES_MIN });
    for (let i = 0; i < 10; i++) {
      wal.append(1, 1, enc(`record ${i}`));
      await wal.flush();
    }
    expect(wal.segments().every((s) => s.fileBytes === WAL_SEGMENT_BYTES_MIN)).toBe(true);
  });
});
