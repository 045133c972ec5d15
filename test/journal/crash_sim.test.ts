/**
 * Crash simulation (STYLE.md §13): random group commits on a SimDisk, power cuts at random
 * instants with a random crash mode (drop-all, keep-all, prefix, subset, torn sectors), now
 * and then an fsync error or a crash in the middle of recovery itself. After every reboot:
 * - every record whose flush() resolved is present, byte for byte;
 * - no partial flush group (hence no partial WAL batch) survives;
 * - the WAL reads back clean and LSNs continue from the last record.
 * A failure prints the seed; rerun one with LEXUM_SEED=<n>; LEXUM_SIM_SEEDS=<n> runs more seeds
 * and LEXUM_SIM_STATS=1 prints how often each path was taken.
 */
import { describe, expect, it } from "vitest";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";
import { inspectWal, openWal, type Wal } from "../../src/journal/index.ts";
import { WAL_DIR, readAll } from "./helpers.ts";

// LEXUM_SIM_SEEDS=n widens the run (a soak); LEXUM_SEED=n replays one seed.
const SEED_COUNT = Number(process.env.LEXUM_SIM_SEEDS ?? 400);
const SEEDS = process.env.LEXUM_SEED ? [Number(process.env.LEXUM_SEED)] : Array.from({ length: SEED_COUNT }, (_, i) => i + 1);
const CYCLES = 4;

type Rec = { type: number; time: number; payload: Uint8Array };

async function yieldTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}
const macrotask = () => new Promise<void>((r) => setImmediate(r));

const outcomes = new Map<string, number>();
const bump = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);

async function runSeed(seed: number): Promise<{ crashes: number; acked: number; recovered: number }> {
  const rng = seededRng(seed);
  const int = (n: number) => Math.floor(rng() * n);
  // fsync takes a few turns, as a real one takes time: crashes often land between write and sync.
  let disk = new SimDisk({ rng: seededRng(seed ^ 0x5eed), delay: (op) => (op === "sync" ? yieldTurns(6) : undefined) });
  const segmentBytes = [256, 512, 2048][int(3)];
  /** Model: records by LSN (index lsn − 1), and the flush groups as [first, last] LSN pairs. */
  let model: Rec[] = [];
  let groups: [number, number][] = [];
  let ackedMax = 0;
  let crashes = 0;
  let time = 1_700_000_000_000;

  for (let cycle = 0; cycle <= CYCLES; cycle++) {
    // Reboot: open, sometimes crashing in the middle of recovery first.
    if (cycle > 0 && rng() < 0.15) {
      const p = openWal(disk, WAL_DIR, { segmentBytes }).catch(() => null);
      await yieldTurns(int(40));
      disk = disk.crash("random");
      crashes++;
      await p;
    }
    const { wal, report } = await openWal(disk, WAL_DIR, { segmentBytes });
    bump(report.outcome);
    if (disk.lastCrash) bump(`crash:${disk.lastCrash.mode}`);
    if ((disk.lastCrash?.tornWrites ?? 0) > 0) bump("torn-writes");
    const m = wal.lastLsn;
    const ctx = `seed ${seed} cycle ${cycle} (crash: ${JSON.stringify(disk.lastCrash)})`;
    expect(m, `${ctx}: acknowledged LSN ${ackedMax} lost`).toBeGreaterThanOrEqual(ackedMax);
    expect(m === 0 || groups.some(([, last]) => last === m), `${ctx}: LSN ${m} is inside a flush group`).toBe(true);
    const got = await readAll(wal, wal.firstLsn);
    expect(got.length, ctx).toBe(m - wal.firstLsn + 1);
    for (const r of got) {
      const want = model[r.lsn - 1];
      expect(want, ctx).toBeDefined();
      expect([r.type, r.time], `${ctx} lsn ${r.lsn}`).toEqual([want.type, want.time]);
      expect(Buffer.from(r.payload).equals(Buffer.from(want.payload)), `${ctx} lsn ${r.lsn} payload`).toBe(true);
    }
    // Recovery leaves no uncommitted record behind.
    for await (const e of inspectWal(disk, WAL_DIR)) {
      if (e.kind === "record") expect(e.committed, `${ctx}: uncommitted record at ${e.segment}@${e.offset}`).toBe(true);
      if (e.kind === "stop") expect(e.clean, `${ctx}: ${e.segment}@${e.offset} ${e.reason}`).toBe(true);
    }
    model = model.slice(0, m);
    groups = groups.filter(([, last]) => last <= m);
    time = Math.max(time, wal.lastTime);
    if (cycle === CYCLES) break;

    await workload(wal, disk);
    disk = disk.crash("random");
    crashes++;
    await macrotask(); // let flushes whose fsync finished before the cut report back
  }
  return { crashes, acked: ackedMax, recovered: model.length };

  async function workload(wal: Wal, d: SimDisk): Promise<void> {
    const steps = 5 + int(25);
    const crashAt = int(steps);
    for (let s = 0; s < steps; s++) {
      if (rng() < 0.03) {
        d.failNextSync("EIO");
        bump("fsync-error");
      }
      const n = 1 + int(6);
      const first = wal.lastLsn + 1;
      try {
        for (let i = 0; i < n; i++) {
          time += int(3);
          const payload = new Uint8Array(int(rng() < 0.1 ? 700 : 120)).map(() => int(256));
          const rec = { type: int(255), time, payload };
          const lsn = wal.append(rec.type, rec.time, rec.payload);
          expect(lsn).toBe(first + i);
          model[lsn - 1] = rec;
        }
      } catch {
        return; // the WAL failed after an fsync error: stop using it, as the runtime would
      }
      const last = wal.lastLsn;
      groups.push([first, last]);
      const p = wal.flush().then(
        () => {
          ackedMax = Math.max(ackedMax, last);
        },
        () => {},
      );
      if (s === crashAt) {
        await yieldTurns(int(rng() < 0.8 ? 16 : 40)); // cut somewhere inside this group commit (or just after it)
        return;
      }
      if (rng() < 0.4) await p;
      else await yieldTurns(int(12));
      if (rng() < 0.05 && wal.failed === null) {
        await wal.deleteSegmentsBefore(wal.durableLsn - int(20)).catch(() => {});
      }
    }
  }
}

describe("crash simulation", () => {
  it(`keeps every acknowledged batch and no partial one across ${SEEDS.length} seeds × ${CYCLES} crashes`, async () => {
    let crashes = 0;
    let acked = 0;
    for (const seed of SEEDS) {
      try {
        const r = await runSeed(seed);
        crashes += r.crashes;
        acked += r.acked;
      } catch (e) {
        throw new Error(`crash simulation failed for seed ${seed} (rerun: LEXUM_SEED=${seed} npx vitest run test/journal/crash_sim.test.ts): ${(e as Error).message}`, { cause: e });
      }
    }
    expect(crashes).toBeGreaterThanOrEqual(SEEDS.length * CYCLES);
    expect(acked).toBeGreaterThan(0);
    if (process.env.LEXUM_SIM_STATS) console.log(JSON.stringify([...outcomes]));
    if (SEEDS.length > 1) {
      // The run really went through the interesting paths.
      for (const k of ["clean", "torn-tail", "torn-segment-creation", "torn-writes", "fsync-error", "crash:torn", "crash:subset"]) {
        expect(outcomes.get(k) ?? 0, `${k} in ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
      }
    }
  }, Math.max(60_000, SEED_COUNT * 100));
});
