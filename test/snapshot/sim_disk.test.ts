/**
 * The random-crash property of crash.test.ts again, on the project's SimDisk
 * (src/base/sim_disk.ts: prefix/subset/torn data loss, journal-ordered metadata). Loaded
 * dynamically and skipped when that module is absent, so this file does not depend on it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Disk } from "../../src/base/disk.ts";
import { SnapshotDamage, SnapshotStore } from "../../src/snapshot/index.ts";
import { DATA, header, stateChunks } from "./helpers.ts";

interface SimDiskLike extends Disk {
  faultHook: ((op: string, path: string) => string | null) | undefined;
  crash(mode: string): SimDiskLike;
}
interface SimDiskModule {
  SimDisk: new (opts: { rng: () => number; faultHook?: (op: string, path: string) => string | null }) => SimDiskLike;
  seededRng(seed: number): () => number;
  CRASH_MODES: readonly string[];
}

const modulePath = "../../src/base/sim_disk.ts";
const sim = (await import(/* @vite-ignore */ modulePath).catch(() => null)) as SimDiskModule | null;

describe.skipIf(sim === null)("random crashes on SimDisk (property)", () => {
  it("only whole snapshots are visible after a crash at any operation, and none acknowledged is lost", async () => {
    const { SimDisk, seededRng, CRASH_MODES } = sim!;
    const instances = ["a", "b/c", "é".repeat(128)];
    const stateOf = (instance: string, cycle: number): object => ({ instance, cycle, pad: "q".repeat((cycle * 211) % 1500) });
    const steps = (seed: number): { instance: string; cycle: number }[] => {
      const rand = seededRng(seed);
      const next = new Map<string, number>();
      return [...Array(10).keys()].map(() => {
        const instance = instances[Math.floor(rand() * instances.length)];
        const cycle = (next.get(instance) ?? 0) + 1;
        next.set(instance, cycle);
        return { instance, cycle };
      });
    };
    const run = async (disk: Disk, plan: { instance: string; cycle: number }[], acked: Map<string, number>): Promise<void> => {
      const store = new SnapshotStore({ disk, dataDir: DATA, maxConcurrentWrites: 1 });
      for (const s of plan) {
        await store.write(header({ instance: s.instance, cycle: s.cycle, lsn: s.cycle * 3 }), stateChunks(stateOf(s.instance, s.cycle), 101));
        acked.set(s.instance, s.cycle);
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.constantFrom(...CRASH_MODES), fc.nat(), async (planSeed, at, mode, diskSeed) => {
        const plan = steps(planSeed);
        let ops = 0;
        const dry = new SimDisk({ rng: seededRng(diskSeed), faultHook: () => (ops++, null) });
        await dry.mkdirp(DATA);
        ops = 0;
        await run(dry, plan, new Map());
        const crashAt = at % ops;

        let i = 0;
        let after: SimDiskLike | null = null;
        const disk: SimDiskLike = new SimDisk({ rng: seededRng(diskSeed) });
        await disk.mkdirp(DATA);
        disk.faultHook = () => {
          if (after !== null || i++ !== crashAt) return null;
          after = disk.crash(mode);
          return "EIO";
        };
        const acked = new Map<string, number>();
        await expect(run(disk, plan, acked)).rejects.toThrow();
        expect(after).not.toBeNull();
        const rebooted = after! as SimDiskLike;
        rebooted.faultHook = undefined;
        const store = new SnapshotStore({ disk: rebooted, dataDir: DATA });
        await store.sweepTemps();
        for (const instance of instances) {
          const refs = await store.list("Order", instance);
          for (const ref of refs) {
            const s = await store.read(ref.path);
            if (s instanceof SnapshotDamage) throw new Error(`damaged after a ${mode} crash: ${s.path}: ${s.reason}`);
            expect(s.state).toEqual(stateOf(instance, s.cycle));
          }
          const ack = acked.get(instance) ?? 0;
          const newest = (await store.readNewestValid("Order", instance)).snapshot;
          expect(newest?.cycle ?? 0).toBeGreaterThanOrEqual(ack);
          expect(refs.length).toBeGreaterThanOrEqual(Math.min(ack, 2));
          expect(refs.length).toBeLessThanOrEqual(3);
          const c = (newest?.cycle ?? 0) + 1;
          await store.write(header({ instance, cycle: c, lsn: c * 3 }), stateChunks(stateOf(instance, c)));
          expect((await store.list("Order", instance)).length).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 200 },
    );
  });
});
