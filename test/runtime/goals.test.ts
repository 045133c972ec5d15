/**
 * Goals (rules.md [2]) through the live runtime, on SimDisk + SimClock:
 * - worker_pool.lex converges (`workers == desired`), one reconcile per step, without waiting;
 * - an oscillating goal stops after two toggles with LX-E005 and the instance is DEGRADED
 *   until an external input changes its state;
 * - a goal whose `via` list changes nothing parks with backoff ticks (1 s doubling to 60 s),
 *   journaled as timers, surviving a restart;
 * - the bookkeeping is durable: the snapshot's `goals` field, and the run hash covers it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Engine, makeProgram } from "../../src/runtime/engine.ts";
import { compileSource, EXAMPLES, settle, simWorld, transcript } from "./helpers.ts";

const workerPool = compileSource(fs.readFileSync(path.join(EXAMPLES, "worker_pool.lex"), "utf8"));

describe("worker_pool.lex", () => {
  it("converges one reconcile per step, without waiting (transcript)", async () => {
    const w = simWorld(1);
    const rt = await w.open(workerPool);
    await rt.call("WorkerPool", "p", "Resize", { to: 3 });
    await rt.quiescent();
    const e = (await rt.state("WorkerPool", "p"))!;
    expect(e.state).toEqual({ desired: 3, workers: 3 });
    expect(e.status).toBe("ACTIVE");
    expect(rt.pendingTimers).toBe(0);
    await rt.close();
    expect(await transcript(w.disk, workerPool)).toEqual([
      "PROGRAM",
      "INPUT WorkerPool[p] #1 Resize(3) external",
      "COMMIT WorkerPool[p] cycle 1 #1 Resize done null",
      "INPUT WorkerPool[p] #2 ScaleUp() reconcile Sized",
      "COMMIT WorkerPool[p] cycle 2 #2 ScaleUp done null",
      "INPUT WorkerPool[p] #3 ScaleUp() reconcile Sized",
      "COMMIT WorkerPool[p] cycle 3 #3 ScaleUp done null",
      "INPUT WorkerPool[p] #4 ScaleUp() reconcile Sized",
      "COMMIT WorkerPool[p] cycle 4 #4 ScaleUp done null",
    ]);
  });

  it("scales down through the via list (ScaleUp changes nothing, ScaleDown takes a step) and follows new sizes", async () => {
    const w = simWorld(2);
    const rt = await w.open(workerPool);
    await rt.call("WorkerPool", "p", "Resize", { to: 4 });
    await rt.quiescent();
    await rt.call("WorkerPool", "p", "Resize", { to: 1 });
    await rt.quiescent();
    expect((await rt.state("WorkerPool", "p"))!.state).toEqual({ desired: 1, workers: 1 });
    await rt.call("WorkerPool", "p", "Resize", { to: 6 });
    await rt.quiescent();
    expect((await rt.state("WorkerPool", "p"))!.state).toEqual({ desired: 6, workers: 6 });
    await rt.close();
    const reconciles = (await transcript(w.disk, workerPool)).filter((l) => l.includes("reconcile Sized")).map((l) => l.split(" ")[3]);
    // Up 4, then down 3 (each step: ScaleUp leaves the state unchanged, ScaleDown moves), then up 5.
    expect(reconciles).toEqual([...Array(4).fill("ScaleUp()"), ...Array(3).fill(["ScaleUp()", "ScaleDown()"]).flat(), ...Array(5).fill("ScaleUp()")]);
  });
});

const LIGHT = `
domain Light {
  state { on: bool = false, want: bool = true, pokes: int = 0 }
  goal Lit { on == want } via Toggle
  transition Toggle() { on = !on; want = !want }
  transition Poke() { pokes += 1 }
  transition Fix() { want = on }
}`;

describe("an oscillating goal", () => {
  it("stops after two toggles with LX-E005; the instance is DEGRADED until an external input changes its state", async () => {
    const program = compileSource(LIGHT);
    const w = simWorld(3);
    const rt = await w.open(program);
    await rt.call("Light", "l", "Poke", {});
    await rt.quiescent();
    const e = (await rt.state("Light", "l"))!;
    expect(e.status).toBe("DEGRADED");
    expect(e.cycle).toBe(3); // Poke, Toggle, Toggle
    const g = (e.goals as { goals: { name: string; status: string; code: string | null }[] }).goals[0]!;
    expect(g).toMatchObject({ name: "Lit", status: "suspended", code: "LX-E005" });
    expect(rt.events.filter((x) => x.k === "goal-suspended").map((x) => (x.k === "goal-suspended" ? `${x.goal} ${x.code}` : ""))).toEqual(["Lit LX-E005"]);
    // A state-changing external input lifts the suspension; Fix makes the goal hold.
    await rt.call("Light", "l", "Fix", {});
    await rt.quiescent();
    const f = (await rt.state("Light", "l"))!;
    expect(f.status).toBe("ACTIVE");
    expect(f.cycle).toBe(4);
    await rt.close();
    const t = await transcript(w.disk, program);
    expect(t.filter((l) => l.includes("reconcile Lit"))).toEqual(["INPUT Light[l] #2 Toggle() reconcile Lit", "INPUT Light[l] #3 Toggle() reconcile Lit"]);
  });

  it("stays suspended across a restart (the bookkeeping is in the snapshot)", async () => {
    const program = compileSource(LIGHT);
    const w = simWorld(4);
    const rt = await w.open(program);
    await rt.call("Light", "l", "Poke", {});
    await rt.quiescent();
    await rt.close();
    const snap = (await rt.store.read((await rt.store.list("Light", "l"))[0]!.path)) as unknown as { goals: { goals: { status: string; code: string }[] } };
    expect(snap.goals.goals[0]).toMatchObject({ status: "suspended", code: "LX-E005" });
    const rt2 = await w.open(program);
    expect((await rt2.state("Light", "l"))!.status).toBe("DEGRADED");
    await rt2.call("Light", "l", "Poke", {}); // changes the state: an external change lifts it, and it oscillates again
    await rt2.quiescent();
    expect((await rt2.state("Light", "l"))!.status).toBe("DEGRADED");
    expect((await rt2.state("Light", "l"))!.cycle).toBe(6);
    await rt2.close();
  });
});

const STUCK = `
domain Stuck {
  state { ok: bool = false, tries: int = 0 }
  goal Ok { ok } via Try
  transition Try() { if tries > 1000000 { ok = true } }
  transition Fix() { ok = true }
  transition Poke() { tries += 1 }
}`;

describe("parking with backoff ticks", () => {
  it("parks when the via list changes nothing; ticks at 1 s, 2 s, 4 s … 60 s, journaled as timers", async () => {
    const program = compileSource(STUCK);
    const w = simWorld(5);
    const rt = await w.open(program);
    const t0 = w.clock.now();
    await rt.call("Stuck", "s", "Poke", {});
    await rt.quiescent();
    const ticks: number[] = [];
    for (let i = 0; i < 9; i++) {
      expect(rt.pendingTimers).toBe(1);
      w.clock.runNext();
      ticks.push(w.clock.now() - t0);
      await settle();
      await rt.quiescent();
    }
    expect(ticks).toEqual([1000, 3000, 7000, 15000, 31000, 63000, 123000, 183000, 243000]);
    const e = (await rt.state("Stuck", "s"))!;
    expect((e.goals as { goals: { status: string; backoff_ms: number }[] }).goals[0]).toMatchObject({ status: "parked", backoff_ms: 60000 });
    // An external input that changes the state resets the backoff; Fix satisfies the goal.
    await rt.call("Stuck", "s", "Fix", {});
    await rt.quiescent();
    expect((await rt.state("Stuck", "s"))!.goals).toMatchObject({ goals: [{ status: "idle", backoff_ms: 1000, tick: null }] });
    // The pending tick went stale: it fires once as a no-op and arms nothing.
    const cycle = (await rt.state("Stuck", "s"))!.cycle;
    w.clock.advance(60_000);
    await settle();
    await rt.quiescent();
    expect(rt.pendingTimers).toBe(0);
    expect((await rt.state("Stuck", "s"))!.cycle).toBe(cycle + 1);
    expect((await rt.state("Stuck", "s"))!.state).toEqual({ ok: true, tries: 1 });
    await rt.close();
    const t = await transcript(w.disk, program, undefined, t0);
    expect(t.filter((l) => l.startsWith("TIMER")).slice(0, 3)).toEqual(["TIMER Stuck[s] 1 due +1000 tick Ok", "TIMER Stuck[s] 2 due +3000 tick Ok", "TIMER Stuck[s] 3 due +7000 tick Ok"]);
    expect(t).toContain("INPUT Stuck[s] #3 () tick Ok timer 1");
  });

  it("a parked goal's tick survives a restart and fires once; the run hashes equal those of a run without the restart", async () => {
    const program = compileSource(STUCK);
    const run = async (restart: boolean) => {
      const w = simWorld(6);
      let rt = await w.open(program);
      await rt.call("Stuck", "s", "Poke", {});
      await rt.quiescent();
      w.clock.runNext(); // first tick: try again, park for 2 s
      await settle();
      await rt.quiescent();
      if (restart) {
        await rt.close(); // a snapshot with the goal parked and its tick pending
        rt = await w.open(program);
        expect(rt.pendingTimers).toBe(1);
      }
      w.clock.runNext();
      await settle();
      await rt.quiescent();
      const e = (await rt.state("Stuck", "s"))!;
      await rt.close();
      return e;
    };
    const a = await run(false);
    const b = await run(true);
    expect(b).toEqual(a);
    expect(a.cycle).toBe(6); // Poke, Try (park 1 s), tick, Try (park 2 s), tick, Try (park 4 s)
  });
});

describe("the run hash covers the goal bookkeeping", () => {
  it("the same input on the same state with different bookkeeping gives different run hashes", () => {
    // Try leaves the state unchanged, so nothing resets the backoff the two engines differ in.
    const p = makeProgram(compileSource(STUCK));
    const hashes = [1000, 2000].map((backoffMs) => {
      const e = new Engine(p);
      const x = e.getOrCreate("Stuck", "s");
      x.goals.books[0]!.backoffMs = backoffMs;
      e.applyRecord({ t: 2, r: { domain: "Stuck", instance: "s", offset: 1, priority: 2, time: 0, transition: "Try", args: [], source: { k: "external", key: "" } } } as never, 1, 0, 10);
      const r = e.step(x, e.nextWork(x)!, false);
      return Buffer.from(r.commit.runHash).toString("hex");
    });
    expect(hashes[0]).not.toBe(hashes[1]);
  });
});
