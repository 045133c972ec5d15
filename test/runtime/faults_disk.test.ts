/**
 * Disk faults under a live runtime, on SimDisk + SimClock (docs/recovery.md, rows D1–D2).
 *
 * D1 full disk: `send` never acknowledges what is not durable. It rejects with WAL_NO_SPACE;
 *    the runtime stays up (no fatal error), keeps the rejected inputs queued in the WAL's
 *    pending batch, retries the write every second, and once space frees they are journaled
 *    and run — so the outcome of a rejected send is "unknown", and a retry must carry an
 *    idempotency key. Later sends are acknowledged; a crash keeps everything acknowledged.
 * D2 fsync error ("fsyncgate"): the WAL fails permanently, the runtime stops (every later
 *    send rejects with RUNTIME_FAILED) and never acknowledges the failed batch; a restart
 *    recovers every acknowledged input, whatever the failed fsync left on disk.
 */
import { describe, expect, it } from "vitest";
import { compileSource, simWorld } from "./helpers.ts";

const COUNTER = `
domain Counter {
  state { count: int = 0, seen: list<string> = [] }
  transition Add(id: string) { count += 1; seen.push(id) }
}`;
const program = compileSource(COUNTER);

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string } | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e as { code?: string; message: string };
  }
}

describe("D1 full disk", () => {
  it("never acknowledges what is not durable, stays up, and carries on once space frees", async () => {
    const w = simWorld(21);
    const errors: string[] = [];
    const rt = await w.open(program, { walSegmentBytes: 4096, log: { info() {}, warn() {}, error: (x, m) => errors.push(typeof x === "string" ? x : String(m)) } });
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      await rt.send("Counter", "c", "Add", { id: `a${i}` });
      acked.push(`a${i}`);
    }
    await rt.quiescent();
    // Fill the active segment, then leave no room for the next one.
    while (rt.wal.segments().at(-1)!.dataBytes < 3600) {
      await rt.send("Counter", "c", "Add", { id: `f${acked.length}` });
      acked.push(`f${acked.length}`);
    }
    await rt.quiescent();
    w.disk.setCapacity(w.disk.usedBytes());

    const rejected: string[] = [];
    for (let i = 0; i < 30; i++) {
      const e = await rejection(rt.send("Counter", "c", "Add", { id: `x${i}` }));
      if (e === null) acked.push(`x${i}`);
      else {
        expect(e.code).toBe("WAL_NO_SPACE");
        rejected.push(`x${i}`);
      }
    }
    expect(rejected.length).toBeGreaterThan(0);
    expect(rt.failure).toBeNull();
    expect(errors.join("\n")).toContain("disk is full");
    // Nothing rejected ran: its input is not durable.
    const during = (await rt.state("Counter", "c"))!.state as { seen: string[] };
    for (const id of rejected) expect(during.seen).not.toContain(id);

    // Space frees; the retry timer (1 s) journals the queued inputs and they run.
    w.disk.setCapacity(null);
    w.clock.advance(1000);
    await settle();
    await rt.quiescent();
    const after = (await rt.state("Counter", "c"))!.state as { seen: string[] };
    for (const id of [...acked, ...rejected]) expect(after.seen).toContain(id);
    const late = await rt.send("Counter", "c", "Add", { id: "late" });
    expect(late.lsn).toBeGreaterThan(0);
    acked.push("late");
    await rt.quiescent();

    w.crash("drop-all");
    const rt2 = await w.open(program);
    const recovered = (await rt2.state("Counter", "c"))!.state as { seen: string[]; count: number };
    for (const id of acked) expect(recovered.seen).toContain(id);
    expect(recovered.count).toBe(recovered.seen.length);
    expect(new Set(recovered.seen).size).toBe(recovered.seen.length);
    await rt2.close();
  });

  it("a retried send with its idempotency key is not applied twice when space frees", async () => {
    const w = simWorld(22);
    const rt = await w.open(program, { walSegmentBytes: 4096 });
    while (rt.wal.segments().at(-1)!.dataBytes < 3600) await rt.send("Counter", "c", "Add", { id: `f${rt.wal.lastLsn}` });
    await rt.quiescent();
    w.disk.setCapacity(w.disk.usedBytes());
    // Send keyed inputs until one is refused (the segment's last bytes may still take some).
    let key = "";
    let id = "";
    for (let i = 0; i < 100 && key === ""; i++) {
      const e = await rejection(rt.send("Counter", "c", "Add", { id: `k${i}` }, { idempotencyKey: `key-${i}` }));
      if (e !== null) {
        expect(e.code).toBe("WAL_NO_SPACE");
        [key, id] = [`key-${i}`, `k${i}`];
      }
    }
    expect(key).not.toBe("");
    // The client retries with the same key: still not acknowledged, and nothing new journaled.
    const last = rt.wal.lastLsn;
    const retry = await rejection(rt.send("Counter", "c", "Add", { id }, { idempotencyKey: key }));
    expect(retry?.code).toBe("WAL_NO_SPACE");
    expect(rt.wal.lastLsn).toBe(last);
    w.disk.setCapacity(null);
    w.clock.advance(1000);
    await settle();
    const third = await rt.send("Counter", "c", "Add", { id }, { idempotencyKey: key });
    expect(third.duplicate).toBe(true);
    await rt.quiescent();
    const s = (await rt.state("Counter", "c"))!.state as { seen: string[] };
    expect(s.seen.filter((x) => x === id)).toEqual([id]);
    await rt.close();
  });
});

describe("D2 fsync error", () => {
  for (const mode of ["drop-all", "keep-all", "prefix", "torn"] as const) {
    it(`stops accepting input and a restart recovers everything acknowledged (crash: ${mode})`, async () => {
      const w = simWorld(31);
      const errors: string[] = [];
      const rt = await w.open(program, { log: { info() {}, warn() {}, error: (x, m) => errors.push(typeof x === "string" ? x : `${m ?? ""} ${JSON.stringify(x)}`) } });
      const acked: string[] = [];
      for (let i = 0; i < 10; i++) {
        await rt.send("Counter", "c", "Add", { id: `a${i}` });
        acked.push(`a${i}`);
      }
      await rt.quiescent();
      w.disk.failNextSync("EIO");
      const failed = await rejection(rt.send("Counter", "c", "Add", { id: "lost?" }));
      expect(failed).not.toBeNull();
      await settle();
      expect(rt.failure).not.toBeNull();
      expect(errors.join("\n")).toContain("the runtime stopped");
      // Fsyncgate: a later fsync might "succeed" without writing; the runtime never tries.
      const after = await rejection(rt.send("Counter", "c", "Add", { id: "after" }));
      expect(after?.code).toBe("RUNTIME_FAILED");
      await rt.close();

      w.crash(mode);
      const rt2 = await w.open(program);
      const s = (await rt2.state("Counter", "c"))!.state as { seen: string[]; count: number };
      expect(s.seen.slice(0, acked.length)).toEqual(acked);
      expect(s.seen).not.toContain("after");
      expect(s.count).toBe(s.seen.length);
      // The runtime works again.
      await rt2.send("Counter", "c", "Add", { id: "again" });
      await rt2.quiescent();
      await rt2.close();
    });
  }
});
