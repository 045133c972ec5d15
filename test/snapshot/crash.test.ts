/**
 * Crash windows of the write protocol (docs/formats_snapshot.md §3). Each test crashes the
 * in-memory disk right before one step, reopens the store on what survived, and checks the
 * documented outcome: the previous snapshots intact and readable, or the new one complete.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SnapshotDamage, SnapshotStore } from "../../src/snapshot/index.ts";
import { DATA, header, stateChunks, writeCycles } from "./helpers.ts";
import { diskWithDir, type MemDisk, SimulatedCrash, type CrashMode } from "./mem_disk.ts";

const BIG = { pad: "z".repeat(3 * 1024 * 1024) }; // several write() calls to the temp file

/** `ops` is the disk's operation log, ending with the operation about to run. */
type Pred = (op: string, path: string, ops: readonly { op: string }[]) => boolean;

/**
 * Writes cycles 1–2 durably, then attempts cycle 3 with a crash before the first operation
 * matching `pred` (counting only operations of the cycle-3 write). Returns the rebooted store.
 */
async function crashDuringThirdWrite(pred: Pred, mode: CrashMode): Promise<{ store: SnapshotStore; disk: MemDisk; crashed: boolean }> {
  const disk = await diskWithDir(DATA);
  const store = new SnapshotStore({ disk, dataDir: DATA });
  await writeCycles(store, 2);
  disk.crashBefore((op, path) => pred(op, path, disk.ops), mode);
  let crashed = false;
  try {
    await store.write(header({ cycle: 3, lsn: 30 }), stateChunks({ n: 3, ...BIG }, 64 * 1024));
  } catch (e) {
    expect(e).toBeInstanceOf(SimulatedCrash);
    crashed = true;
  }
  const after = disk.rebooted ?? disk;
  return { store: new SnapshotStore({ disk: after, dataDir: DATA }), disk: after, crashed };
}

async function newestCycle(store: SnapshotStore): Promise<number> {
  const r = await store.readNewestValid("Order", "o-1");
  expect(r.skipped).toEqual([]); // a crash never leaves a damaged snapshot under a final name
  for (const ref of await store.list("Order", "o-1")) expect(await store.read(ref.path)).not.toBeInstanceOf(SnapshotDamage);
  return r.snapshot!.cycle;
}

/** After recovery the store keeps working: a later snapshot is written and retention holds. */
async function continuesAfterRecovery(store: SnapshotStore): Promise<void> {
  await store.sweepTemps();
  const w = await store.write(header({ cycle: 4, lsn: 40 }), stateChunks({ n: 4 }));
  expect((await store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([4, (await store.list("Order", "o-1"))[1].cycle]);
  expect((await store.readNewestValid("Order", "o-1")).snapshot!.path).toBe(w.path);
  const names = await store.disk.list(store.instanceDir("Order", "o-1"));
  expect(names.filter((n) => n.endsWith(".tmp"))).toEqual([]);
}

const isTemp = (p: string): boolean => p.endsWith(".tmp");
const isInstanceDir = (p: string): boolean => p === `${DATA}/snapshots/Order/o-1`;

describe("crash windows", () => {
  it("mid-write of the temp file: the previous snapshots are intact; the temp is ignored and swept", async () => {
    let writes = 0;
    for (const mode of ["lose-unsynced", "keep-all"] as const) {
      writes = 0;
      const { store, crashed } = await crashDuringThirdWrite((op, p) => op === "write" && isTemp(p) && ++writes === 2, mode);
      expect(crashed).toBe(true);
      expect(await newestCycle(store)).toBe(2);
      expect((await store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([2, 1]);
      if (mode === "keep-all") expect((await store.sweepTemps()).length).toBe(1);
      await continuesAfterRecovery(store);
    }
  });

  it("after the temp fsync, before the rename: the previous snapshots are intact", async () => {
    for (const mode of ["lose-unsynced", "keep-all"] as const) {
      const { store, crashed } = await crashDuringThirdWrite((op) => op === "rename", mode);
      expect(crashed).toBe(true);
      expect(await newestCycle(store)).toBe(2);
      await continuesAfterRecovery(store);
    }
  });

  it("after the rename, before the directory fsync: the rename may be lost; the previous snapshot is still valid", async () => {
    // Power loss: the rename is not durable, so cycle 3 is gone and recovery replays the
    // WAL from cycle 2's lsn (a longer tail). The same snapshot may be written again.
    const lost = await crashDuringThirdWrite((op, p) => op === "syncDir" && isInstanceDir(p), "lose-unsynced");
    expect(lost.crashed).toBe(true);
    expect(await newestCycle(lost.store)).toBe(2);
    expect((await lost.store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([2, 1]);
    const again = await lost.store.write(header({ cycle: 3, lsn: 30 }), stateChunks({ n: 3 }));
    expect((await lost.store.readNewestValid("Order", "o-1")).snapshot!.path).toBe(again.path);

    // Process crash only: the rename survived; the new snapshot is complete and used.
    const kept = await crashDuringThirdWrite((op, p) => op === "syncDir" && isInstanceDir(p), "keep-all");
    expect(await newestCycle(kept.store)).toBe(3);
    expect((await kept.store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([3, 2, 1]);
    await continuesAfterRecovery(kept.store);
  });

  it("after the directory fsync, before pruning: the new snapshot is durable; K+1 files until the next prune", async () => {
    for (const mode of ["lose-unsynced", "keep-all"] as const) {
      const { store, crashed } = await crashDuringThirdWrite((op) => op === "unlink", mode);
      expect(crashed).toBe(true);
      expect(await newestCycle(store)).toBe(3);
      expect((await store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([3, 2, 1]);
      // The runtime's WAL bound uses the K-th newest, exactly as if pruning had run.
      expect((await store.oldestRetained("Order", "o-1"))!.cycle).toBe(2);
      await continuesAfterRecovery(store);
    }
  });

  it("after unlinking, before the final directory fsync: a deletion may be undone, nothing else", async () => {
    const afterUnlink: Pred = (op, p, ops) => op === "syncDir" && isInstanceDir(p) && ops[ops.length - 2]?.op === "unlink";
    const { store, crashed } = await crashDuringThirdWrite(afterUnlink, "lose-unsynced");
    expect(crashed).toBe(true);
    expect(await newestCycle(store)).toBe(3);
    expect((await store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([3, 2, 1]);
    await continuesAfterRecovery(store);
  });

  it("the first snapshot of a new instance: a crash before its directories are durable loses only it", async () => {
    for (const skip of [0, 1, 2, 3]) {
      const disk = await diskWithDir(DATA);
      const store = new SnapshotStore({ disk, dataDir: DATA });
      let n = 0;
      disk.crashBefore((op) => op === "syncDir" && n++ === skip, "lose-unsynced");
      await expect(store.write(header(), stateChunks({ n: 1 }))).rejects.toThrow(SimulatedCrash);
      const after = new SnapshotStore({ disk: disk.rebooted!, dataDir: DATA });
      const r = await after.readNewestValid("Order", "o-1");
      expect(r.skipped).toEqual([]);
      // Only once every level and the rename are durable does the snapshot survive.
      expect(r.snapshot).toBeNull();
      await after.write(header(), stateChunks({ n: 1 }));
      expect((await after.readNewestValid("Order", "o-1")).snapshot!.state).toEqual({ n: 1 });
    }
  });
});

describe("random crashes (property)", () => {
  it("after a crash at any operation, in any mode, only whole snapshots are visible and none acknowledged is lost", async () => {
    const instances = ["a", "b/c", "é".repeat(128)];
    const plan = (seed: number): { instance: string; cycle: number }[] => {
      const out: { instance: string; cycle: number }[] = [];
      const next = new Map<string, number>();
      let x = seed;
      for (let i = 0; i < 12; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        const instance = instances[x % instances.length];
        const cycle = (next.get(instance) ?? 0) + 1;
        next.set(instance, cycle);
        out.push({ instance, cycle });
      }
      return out;
    };
    const stateOf = (instance: string, cycle: number): object => ({ instance, cycle, pad: "p".repeat((cycle * 97) % 300) });
    const run = async (disk: MemDisk, steps: { instance: string; cycle: number }[], acked: Map<string, number>): Promise<void> => {
      const store = new SnapshotStore({ disk, dataDir: DATA, maxConcurrentWrites: 1 });
      for (const s of steps) {
        await store.write(header({ instance: s.instance, cycle: s.cycle, lsn: s.cycle * 7 }), stateChunks(stateOf(s.instance, s.cycle), 13));
        acked.set(s.instance, s.cycle);
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.constantFrom<CrashMode>("lose-unsynced", "keep-all", "random"), fc.nat(), async (planSeed, at, mode, crashSeed) => {
        const steps = plan(planSeed);
        const dry = await diskWithDir(DATA);
        await run(dry, steps, new Map());
        const crashAt = at % dry.ops.length;

        const disk = await diskWithDir(DATA);
        let i = 0;
        let rebooted: MemDisk | null = null;
        disk.beforeOp = () => {
          if (i++ !== crashAt) return;
          rebooted = disk.crash(mode, crashSeed);
          return "crash";
        };
        const acked = new Map<string, number>();
        await expect(run(disk, steps, acked)).rejects.toThrow(SimulatedCrash);
        const store = new SnapshotStore({ disk: rebooted!, dataDir: DATA });
        for (const instance of instances) {
          const refs = await store.list("Order", instance);
          for (const ref of refs) {
            const s = await store.read(ref.path);
            if (s instanceof SnapshotDamage) throw new Error(`damaged after crash: ${s.path}: ${s.reason}`);
            expect(s.state).toEqual(stateOf(instance, s.cycle));
          }
          expect(refs.length).toBeLessThanOrEqual(3); // K, plus one whose pruning the crash cut short
          const newest = (await store.readNewestValid("Order", instance)).snapshot;
          const ack = acked.get(instance) ?? 0;
          expect(newest?.cycle ?? 0).toBeGreaterThanOrEqual(ack);
          // K = 2 snapshots survive once two were acknowledged: nothing is pruned early.
          expect(refs.length).toBeGreaterThanOrEqual(Math.min(ack, 2));
          // The store keeps working afterwards.
          const c = (newest?.cycle ?? 0) + 1;
          await store.sweepTemps();
          await store.write(header({ instance, cycle: c, lsn: c * 7 }), stateChunks(stateOf(instance, c)));
          expect((await store.list("Order", instance)).length).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 150 },
    );
  });
});
