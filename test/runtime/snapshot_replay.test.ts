/**
 * Recovery from a snapshot taken while the instance still had queued inputs (rules.md [4]).
 * Such a snapshot's `lsn` stays below its first unconsumed input, so the WAL after it also
 * holds the COMMITs (and intents) of cycles the snapshot already reflects; recovery must
 * recognise them by cycle and not re-execute them.
 */
import { describe, expect, it } from "vitest";
import { compileSource, simWorld } from "./helpers.ts";

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

