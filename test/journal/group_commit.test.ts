/**
 * Group commit: one write + one fdatasync per batch, concurrent flushes coalesce, at most one
 * write+fsync in flight, and nobody is acknowledged before the fsync that covers them.
 */
import { describe, expect, it } from "vitest";
import { CountingDisk, enc, open, readAll, simDisk } from "./helpers.ts";

const tick = (ms = 1) => new Promise<void>((r) => setTimeout(r, ms));

describe("group commit", () => {
  it("N concurrent clients cost far fewer fsyncs than N", async () => {
    const disk = new CountingDisk(simDisk(), () => tick(1));
    const { wal } = await open(disk, { segmentBytes: 64 * 1024 });
    const before = disk.syncs;
    const clients = 200;
    const perClient = 5;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient; i++) {
          const lsn = wal.append(1, 1, enc(`c${c}-${i}`));
          await wal.flush();
          expect(wal.durableLsn).toBeGreaterThanOrEqual(lsn);
        }
      }),
    );
    const syncs = disk.syncs - before;
    expect(wal.durableLsn).toBe(clients * perClient);
    // Each round of the 200 clients rides on about one fsync (plus one for the round in flight).
    expect(syncs).toBeLessThanOrEqual(perClient * 2 + 2);
    expect(disk.maxInFlight).toBe(1);
    expect((await readAll(wal)).length).toBe(clients * perClient);
  });

  it("a burst of append+flush issued together needs two fsyncs: the first batch, then the rest", async () => {
    const disk = new CountingDisk(simDisk());
    const { wal } = await open(disk, { segmentBytes: 64 * 1024 });
    const before = disk.syncs;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      wal.append(1, 1, enc(`r${i}`));
      ps.push(wal.flush());
    }
    await Promise.all(ps);
    expect(disk.syncs - before).toBe(2);
    expect(wal.stats.batches).toBe(2);
  });

  it("pipelines: appends during an fsync form the next batch; flushes issued meanwhile wait, then share one write", async () => {
    const held: (() => void)[] = [];
    let gate = false;
    const disk = new CountingDisk(simDisk(), () => (gate ? new Promise<void>((r) => held.push(r)) : Promise.resolve()));
    const { wal } = await open(disk);
    gate = true;
    const w0 = disk.writes;
    const s0 = disk.syncs;
    wal.append(1, 1, enc("a"));
    const order: string[] = [];
    const p1 = wal.flush().then(() => order.push("p1"));
    while (held.length === 0) await tick(0);
    // The first batch is in its fsync now.
    expect(disk.writes - w0).toBe(1);
    wal.append(1, 1, enc("b"));
    const p2 = wal.flush().then(() => order.push("p2"));
    wal.append(1, 1, enc("c"));
    const p3 = wal.flush().then(() => order.push("p3"));
    await tick(2);
    expect(disk.writes - w0).toBe(1); // nothing else written while the fsync runs
    expect(order).toEqual([]);
    expect(wal.durableLsn).toBe(0); // nobody is acknowledged before the fsync returns
    gate = false;
    held[0]();
    await Promise.all([p1, p2, p3]);
    expect(order).toEqual(["p1", "p2", "p3"]);
    expect(disk.writes - w0).toBe(2); // "a", then "b"+"c" together
    expect(disk.syncs - s0).toBe(2);
    expect(disk.maxInFlight).toBe(1);
    expect(wal.durableLsn).toBe(3);
  });

  it("durability 'none' writes batches without fsync", async () => {
    const disk = new CountingDisk(simDisk());
    const { wal } = await open(disk, { durability: "none" });
    const s0 = disk.syncs;
    for (let i = 0; i < 10; i++) {
      wal.append(1, 1, enc(`r${i}`));
      await wal.flush();
    }
    expect(disk.syncs - s0).toBe(0);
    expect(wal.durableLsn).toBe(10);
    expect((await readAll(wal)).length).toBe(10);
  });

  it("records appended without a flush stay pending and are not written", async () => {
    const disk = new CountingDisk(simDisk());
    const { wal } = await open(disk);
    const w0 = disk.writes;
    wal.append(1, 1, enc("a"));
    wal.append(1, 1, enc("b"));
    await tick(2);
    expect(disk.writes - w0).toBe(0);
    expect(wal.pendingRecords).toBe(2);
    await wal.flush();
    expect(wal.pendingRecords).toBe(0);
  });
});
