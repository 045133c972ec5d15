import { describe, expect, it } from "vitest";
import { AssertionFailure } from "../../src/base/assert.ts";
import { SimClock } from "../../src/base/sim_clock.ts";

describe("SimClock", () => {
  it("reads virtual time and moves only when told", () => {
    const c = new SimClock(1_000);
    expect(c.now()).toBe(1_000);
    expect(c.monotonic()).toBe(1_000);
    c.advance(250);
    expect(c.now()).toBe(1_250);
    expect(() => c.advance(-1)).toThrow(AssertionFailure);
    expect(() => c.advanceTo(10)).toThrow(AssertionFailure);
  });

  it("fires timers in (due time, creation order), each at its due time", () => {
    const c = new SimClock(0);
    const log: string[] = [];
    const at = (name: string) => () => log.push(`${name}@${c.now()}`);
    c.setTimer(30, at("c"));
    c.setTimer(10, at("a1"));
    c.setTimer(10, at("a2"));
    c.setTimer(20, at("b"));
    c.setTimer(-5, at("now"));
    expect(c.nextDueAt()).toBe(0);
    expect(c.advance(25)).toBe(4);
    expect(log).toEqual(["now@0", "a1@10", "a2@10", "b@20"]);
    expect(c.now()).toBe(25);
    expect(c.nextDueAt()).toBe(30);
  });

  it("timers set by a firing timer fire within the same advance when due in the window", () => {
    const c = new SimClock(0);
    const log: number[] = [];
    c.setTimer(5, () => {
      log.push(c.now());
      c.setTimer(5, () => log.push(c.now()));
      c.setTimer(100, () => log.push(c.now()));
    });
    c.advance(20);
    expect(log).toEqual([5, 10]);
    expect(c.pendingTimers).toBe(1);
  });

  it("cancelled timers never fire; runDue fires what is due now; runNext jumps ahead", () => {
    const c = new SimClock(0);
    const log: string[] = [];
    const h = c.setTimer(10, () => log.push("cancelled"));
    c.setTimer(0, () => log.push("due"));
    c.setTimer(50, () => log.push("later"));
    h.cancel();
    h.cancel();
    expect(c.pendingTimers).toBe(2);
    expect(c.runDue()).toBe(1);
    expect(c.runNext()).toBe(true);
    expect(c.now()).toBe(50);
    expect(c.runNext()).toBe(false);
    expect(log).toEqual(["due", "later"]);
    expect(c.nextDueAt()).toBeNull();
  });

  it("is deterministic across many timers", () => {
    function run(): string {
      const c = new SimClock(0);
      const log: number[] = [];
      for (let i = 0; i < 500; i++) c.setTimer((i * 7919) % 97, () => log.push(i));
      c.advance(100);
      return log.join(",");
    }
    expect(run()).toBe(run());
  });
});
