/**
 * Recovery from a snapshot taken while the instance still had queued inputs (rules.md [4]).
 * Such a snapshot's `lsn` stays below its first unconsumed input, so the WAL after it also
 * holds the COMMITs (and intents) of cycles the snapshot already reflects; recovery must
 * recognise them by cycle and not re-execute them.
 */
import { describe, expect, it } from "vitest";
import { compileSource, seededRng, SimDisk, simWorld } from "./helpers.ts";

const COUNTER = `
domain Counter {
  state { count: int = 0, log: list<int> = [] }
  transition Add(by: int) { count += by; log.push(by) }
}`;

describe("snapshot taken with queued inputs", () => {
  it("recovers after a crash without re-executing the cycles the snapshot covers", async () => {
    const program = compileSource(COUNTER);
    const w = simWorld(7);
    const rt = await w.open(program, { hold: true, snapshotEveryCycles: 5 });
    // Journal 23 inputs first (like `lexum exec`), then run them: snapshots at cycles 5, 10, …
    // are taken while later inputs wait in the mailbox.
    await Promise.all(Array.from({ length: 23 }, (_, i) => rt.send("Counter", "c", "Add", { by: i + 1 })));
    rt.release();
    await rt.quiescent();
    await rt.store.idle();
    const before = await rt.state("Counter", "c");
    expect(before!.cycle).toBe(23);
    const snaps = await rt.store.list("Counter", "c");
    expect(snaps.length).toBeGreaterThan(0);
    // The newest snapshot describes a cycle whose COMMIT lies after its lsn.
    expect(snaps[0]!.cycle).toBeGreaterThan(0);

    w.crash("keep-all");
    const rt2 = await w.open(program);
    const after = await rt2.state("Counter", "c");
    expect(after).toEqual(before);
    await rt2.close();
  });
});

describe("clean shutdown", () => {
  it("writes a final snapshot of every instance even when an earlier snapshot was still being written", async () => {
    const program = compileSource(COUNTER);
    const w = simWorld(8);
    // Slow snapshot fsyncs: the periodic snapshots are still being written when close() starts.
    w.disk = new SimDisk({ rng: seededRng(8), delay: (op, p) => (op === "sync" && p.includes("/snapshots/") ? new Promise((r) => setTimeout(r, 3)) : undefined) });
    const rt = await w.open(program, { hold: true, snapshotEveryCycles: 3 });
    const ids = Array.from({ length: 6 }, (_, i) => `c${i}`);
    await Promise.all(ids.flatMap((id) => Array.from({ length: 10 }, (_, i) => rt.send("Counter", id, "Add", { by: i }))));
    rt.release();
    await rt.close();
    const w2 = simWorld(9);
    w2.disk = w.disk;
    const rt2 = await w2.open(program);
    for (const id of ids) {
      const list = await rt2.store.list("Counter", id);
      expect(list[0]?.cycle, `newest snapshot of Counter[${id}]`).toBe(10);
    }
    // Nothing to re-execute after a clean shutdown.
    expect(rt2.recovery.replayedCycles).toBe(0);
    await rt2.close();
  });
});
