/**
 * Delivery (runtime.md §7; rules.md [3], [16], [17], [46]) as transcripts: these inputs →
 * exactly these journal records and outputs. SimDisk + SimClock, so every run is the same.
 *
 * - `send` is journaled in the sender's commit and delivered exactly once, across crashes.
 * - `send … after d` is a durable timer: due at now() + d, fires once as a journaled input,
 *   survives a restart before it is due, and never fires again after a restart.
 * - Priority picks the next instance (a `critical` input overtakes queued `normal` ones);
 *   within one instance inputs run strictly in mailbox order (FIFO).
 */
import { describe, expect, it } from "vitest";
import { compileSource, settle, simWorld, transcript } from "./helpers.ts";

const PING = `
domain Sender {
  state { sent: int = 0 }
  transition Go(n: int) {
    sent += 1
    send Receiver[self.id].Got(n: n)
    return sent
  }
  transition Later(n: int) { send Receiver[self.id].Got(n: n) after 30s }
}
domain Receiver {
  state { got: list<int> = [] }
  transition Got(n: int) { got.push(n) }
}`;

describe("send", () => {
  it("is journaled with the sending cycle and delivered once (transcript)", async () => {
    const program = compileSource(PING);
    const w = simWorld(1);
    const rt = await w.open(program);
    expect(await rt.call("Sender", "s", "Go", { n: 7 })).toBe(1);
    await rt.quiescent();
    await rt.close();
    expect(await transcript(w.disk, program)).toEqual([
      "PROGRAM",
      "INPUT Sender[s] #1 Go(7) external",
      "COMMIT Sender[s] cycle 1 #1 Go done 1",
      "INPUT Receiver[s] #1 Got(7) send from Sender[s] cycle 1",
      "COMMIT Receiver[s] cycle 1 #1 Got done null",
    ]);
  });

  it("is delivered exactly once whatever a crash keeps (every crash mode, 40 seeds)", async () => {
    const program = compileSource(PING);
    for (let seed = 1; seed <= 40; seed++) {
      const w = simWorld(seed);
      const rt = await w.open(program);
      const acked: number[] = [];
      for (let n = 1; n <= 6; n++) {
        await rt.send("Sender", "s", "Go", { n });
        acked.push(n);
      }
      // Crash at a random moment of the execution that follows.
      await settle(seed % 7);
      w.crash("random");
      const rt2 = await w.open(program);
      await rt2.quiescent();
      const sender = (await rt2.state("Sender", "s"))!;
      const got = ((await rt2.state("Receiver", "s"))?.state as { got: number[] } | undefined)?.got ?? [];
      // Every acknowledged input ran once; each committed Go was delivered once, in order.
      expect((sender.state as { sent: number }).sent, `seed ${seed}`).toBe(acked.length);
      expect(got, `seed ${seed}`).toEqual(acked);
      await rt2.close();
    }
  });
});

describe("send … after (durable timers)", () => {
  it("fires exactly once when due (transcript)", async () => {
    const program = compileSource(PING);
    const w = simWorld(2);
    const rt = await w.open(program);
    await rt.call("Sender", "s", "Later", { n: 3 });
    w.clock.advance(29_999);
    await settle();
    expect(await rt.state("Receiver", "s")).toBeNull();
    w.clock.advance(1);
    await settle();
    await rt.quiescent();
    expect((await rt.state("Receiver", "s"))!.state).toEqual({ got: [3] });
    w.clock.advance(120_000);
    await settle();
    await rt.quiescent();
    expect((await rt.state("Receiver", "s"))!.state).toEqual({ got: [3] });
    await rt.close();
    expect(await transcript(w.disk, program)).toEqual([
      "PROGRAM",
      "INPUT Sender[s] #1 Later(3) external",
      "COMMIT Sender[s] cycle 1 #1 Later done null",
      "TIMER Sender[s] 1 due +30000 Receiver[s].Got(3)",
      "INPUT Receiver[s] #1 Got(3) timer 1 of Sender[s]",
      "COMMIT Receiver[s] cycle 1 #1 Got done null",
    ]);
  });

  it("survives a restart before it is due and fires once after it", async () => {
    const program = compileSource(PING);
    for (const mode of ["drop-all", "keep-all"] as const) {
      const w = simWorld(3);
      const rt = await w.open(program);
      await rt.call("Sender", "s", "Later", { n: 4 });
      await rt.quiescent();
      w.crash(mode); // before the timer is due
      w.clock.advance(10_000);
      const rt2 = await w.open(program);
      expect(rt2.pendingTimers).toBe(1);
      w.clock.advance(20_000);
      await settle();
      await rt2.quiescent();
      expect((await rt2.state("Receiver", "s"))!.state).toEqual({ got: [4] });
      // After it fired: a crash and a restart do not fire it again.
      w.crash(mode === "drop-all" ? "keep-all" : "drop-all");
      const rt3 = await w.open(program);
      expect(rt3.pendingTimers).toBe(0);
      w.clock.advance(100_000);
      await settle();
      await rt3.quiescent();
      expect((await rt3.state("Receiver", "s"))!.state).toEqual({ got: [4] });
      await rt3.close();
    }
  });

  it("a timer that came due while the node was down fires once on restart (logical time = its due time)", async () => {
    const program = compileSource(`
domain T {
  state { at: list<int> = [] }
  transition Start() { send self.Ping() after 5s }
  transition Ping() { at.push(now()) }
}`);
    const w = simWorld(4);
    const rt = await w.open(program);
    await rt.call("T", "t", "Start", {});
    await rt.close();
    w.clock.advance(60_000);
    const rt2 = await w.open(program);
    w.clock.runDue(); // the re-armed timer is due at once (SimClock fires nothing by itself)
    await settle();
    await rt2.quiescent();
    expect((await rt2.state("T", "t"))!.state).toEqual({ at: [w.clock.now() - 60_000 + 5_000] });
    w.clock.advance(60_000);
    await settle();
    expect((await rt2.state("T", "t"))!.cycle).toBe(2); // Start, then Ping once
    await rt2.close();
  });
});

const PRIO = `
domain Worker {
  state { seen: list<string> = [] }
  transition Work(id: string) { seen.push(id) }
  @priority(critical)
  transition Urgent(id: string) { seen.push(id) }
}`;

describe("priority and FIFO (rules.md [3], [17])", () => {
  it("a critical input overtakes normal ones queued at other instances", async () => {
    const program = compileSource(PRIO);
    const w = simWorld(5);
    const rt = await w.open(program, { hold: true });
    for (let i = 1; i <= 3; i++) await rt.send("Worker", `w${i}`, "Work", { id: `n${i}` });
    await rt.send("Worker", "z", "Urgent", { id: "u" });
    rt.release();
    await rt.quiescent();
    await rt.close();
    const commits = (await transcript(w.disk, program)).filter((l) => l.startsWith("COMMIT"));
    expect(commits).toEqual([
      "COMMIT Worker[z] cycle 1 #1 Urgent done null",
      "COMMIT Worker[w1] cycle 1 #1 Work done null",
      "COMMIT Worker[w2] cycle 1 #1 Work done null",
      "COMMIT Worker[w3] cycle 1 #1 Work done null",
    ]);
  });

  it("within one instance inputs run in mailbox order, whatever their priority", async () => {
    const program = compileSource(PRIO);
    const w = simWorld(6);
    const rt = await w.open(program, { hold: true });
    await rt.send("Worker", "a", "Work", { id: "1" });
    await rt.send("Worker", "a", "Work", { id: "2" });
    await rt.send("Worker", "a", "Urgent", { id: "3" });
    await rt.send("Worker", "a", "Work", { id: "4" });
    rt.release();
    await rt.quiescent();
    expect((await rt.state("Worker", "a"))!.state).toEqual({ seen: ["1", "2", "3", "4"] });
    await rt.close();
  });

  it("FIFO holds for sends too: one sender's messages arrive in the order sent", async () => {
    const program = compileSource(`
domain A {
  state { n: int = 0 }
  transition Burst(k: int) { for i in 0..k { send B[self.id].Take(i: i) } }
}
domain B {
  state { order: list<int> = [] }
  transition Take(i: int) { order.push(i) }
}`);
    const w = simWorld(7);
    const rt = await w.open(program);
    await rt.call("A", "x", "Burst", { k: 5 });
    await rt.call("A", "x", "Burst", { k: 3 });
    await rt.quiescent();
    expect((await rt.state("B", "x"))!.state).toEqual({ order: [0, 1, 2, 3, 4, 0, 1, 2] });
    await rt.close();
  });
});
