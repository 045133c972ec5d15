/**
 * Seeds that found bugs in the runtime, kept in the suite. Each names the bug it found and
 * states what the seed's run must still exercise (`expect`), so a change to the generators
 * that makes a seed lose its meaning shows up here instead of passing silently.
 * Rerun one with `npm run sim -- --seed <seed> --generation <g> --trace` (g: its `opts.generation`, else the newest).
 */
import { describe, expect, it } from "vitest";
import { describeFailure, runSeed, type SeedOptions, type SeedReport } from "./run.ts";

type Regression = {
  readonly seed: number;
  readonly bug: string;
  readonly expect: (r: SeedReport) => boolean;
  readonly what: string;
  /** Generator options the seed was found with. */
  readonly opts?: SeedOptions;
};

/** Generator versions (workload.ts `generation`). */
const V1: SeedOptions = { generation: 1 };
const V2: SeedOptions = { generation: 2 };
const V3: SeedOptions = { generation: 3 };

export const REGRESSIONS: readonly Regression[] = [
  {
    seed: 77,
    opts: V1,
    bug: "recovery silently dropped an instance whose only snapshot was damaged after the WAL before it had been deleted (K = 1); it must refuse with SNAPSHOT_GAP",
    what: "recovery refuses with SNAPSHOT_GAP",
    expect: (r) => r.run.refusal?.startsWith("SNAPSHOT_GAP") === true,
  },
  {
    seed: 158,
    opts: V1,
    bug: "a damaged snapshot stayed in place after recovery fell back from it: its name blocked a fresh snapshot of the same (cycle, lsn) and it counted among the K retained, so the instance replayed its WAL after every clean restart and pinned the WAL; recovery now sets it aside (quarantine)",
    what: "a snapshot flip, and the run completes",
    expect: (r) => r.run.stats.flips > 0 && r.run.outcome === "completed",
  },
  {
    seed: 274,
    opts: V1,
    bug: "after a failed WAL fdatasync the page cache kept the batch the disk never got (fsyncgate); the restarted process read it back as committed, acknowledged its input as a duplicate and appended after it, and a later power cut left a hole before valid batches (exit 3, an acknowledged input lost); the WAL now overwrites the failed batch with zeros",
    what: "an injected I/O fault, and the run completes",
    expect: (r) => r.run.stats.ioFaults > 0 && r.run.outcome === "completed",
  },
  {
    seed: 199,
    opts: V1,
    bug: "a process killed between a WAL write and its fdatasync left the batch in the page cache; the next process read it as committed, rotated to a new segment without ever syncing the old one, and a power cut then lost the batch under a valid later segment (exit 3: a gap between segments); the WAL now syncs the newest segment and its directory when it opens",
    what: "a kill -9 (process crash), and the run completes",
    expect: (r) => r.run.stats.processCrashes > 0 && r.run.outcome === "completed",
  },
  {
    seed: 532,
    opts: V1,
    bug: "after WAL_NO_SPACE, a retried send's own wal.flushed() made the batch durable while the runtime had no flush in flight; its retry timer then found nothing to flush and returned without releasing, so the input waiting for durability (and the gated outputs) stalled until some unrelated flush",
    what: "a full disk, and the run completes",
    expect: (r) => r.workload.faults.some((f) => f.k === "full") && r.run.outcome === "completed",
  },
  {
    seed: 6734,
    opts: V1,
    bug: "the node checkpoint saved deduplication entries of inputs still in an unflushed batch; a crash lost the batch, recovery loaded the entry, and the retried input was acknowledged as a duplicate but never ran (an acknowledged input lost)",
    what: "a crash at a disk operation, and the run completes",
    expect: (r) => r.workload.faults.some((f) => f.k === "crashAtOp") && r.run.outcome === "completed",
  },
  {
    seed: 36593,
    opts: V2,
    bug: "an effect answer arriving after the WAL had failed (a write error) made deliverResult throw from wal.append into the dispatcher, an unhandled promise rejection that would crash the process instead of stopping the runtime",
    what: "effect calls and a crash at a disk operation",
    expect: (r) => r.run.stats.worldCalls > 0 && r.workload.faults.some((f) => f.k === "crashAtOp"),
  },
  {
    seed: 90,
    opts: V3,
    bug: "a kill -9 between a snapshot's rename and its directory fsync left a snapshot only the page cache held; the next process restored the instance from it, the checkpointer deleted the WAL segments with its records, and a power cut then dropped the rename: the instance vanished (or diverged). Restored snapshot directories are now fsynced before the first segment deletion (the only failure in seeds 1..6000 without the fix; faults_snapshot.test.ts S4 reproduces it directly)",
    what: "a kill -9 and a power cut, and the run completes",
    expect: (r) => r.run.stats.processCrashes > 0 && r.run.stats.crashes > r.run.stats.processCrashes && r.run.outcome === "completed",
  },
];

describe("regression seeds", () => {
  for (const g of REGRESSIONS) {
    it(`seed ${g.seed}: ${g.bug}`, async () => {
      const r = await runSeed(g.seed, g.opts);
      expect(r.failures, describeFailure(r)).toEqual([]);
      expect(g.expect(r), `seed ${g.seed} no longer exercises what it found (${g.what}); the generators changed: find a new seed`).toBe(true);
    });
  }
});
