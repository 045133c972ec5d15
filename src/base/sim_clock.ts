/**
 * Virtual time for tests and the whole-system simulator (STYLE.md §13).
 *
 * Model:
 * - Time is an integer count of epoch milliseconds that moves only when the test says so
 *   (`advance`, `advanceTo`); `now()` and `monotonic()` both read it.
 * - A timer is due at `now() + max(0, ms)` at the moment it is set. Timers fire in
 *   (due time, creation sequence) order, so two timers due at the same instant fire in the
 *   order they were set — never in host order. While a timer fires, `now()` equals its due
 *   time; timers it sets that fall inside the window being advanced fire in the same call.
 * - Nothing fires by itself: no host timers, no microtask tricks. The simulator decides when
 *   time passes, which is what makes a run replayable from its seed.
 */
import { assert } from "./assert.ts";
import type { Clock, TimerHandle } from "./clock.ts";

/** Timers fired by one `advance`/`runDue` call before we call it a runaway: a callback that
 * re-arms itself with a zero delay would otherwise spin forever inside one call. */
export const SIM_CLOCK_FIRES_PER_CALL_MAX = 10_000_000;

type SimTimer = { dueAt: number; seq: number; fn: () => void; cancelled: boolean };

export class SimClock implements Clock {
  private nowMs: number;
  private seq = 0;
  /** Binary min-heap ordered by (dueAt, seq). Cancelled timers are dropped lazily. */
  private heap: SimTimer[] = [];
  private live = 0;

  constructor(startMs = 0) {
    assert(Number.isSafeInteger(startMs) && startMs >= 0, `SimClock start must be a non-negative integer, got ${startMs}`);
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  monotonic(): number {
    return this.nowMs;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    assert(Number.isFinite(ms), `timer delay must be finite, got ${ms}`);
    const t: SimTimer = { dueAt: this.nowMs + Math.max(0, Math.ceil(ms)), seq: this.seq++, fn, cancelled: false };
    this.push(t);
    this.live++;
    return {
      cancel: () => {
        if (t.cancelled) return;
        t.cancelled = true;
        this.live--;
      },
    };
  }

  /** Number of timers set and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.live;
  }

  /** Due time of the next live timer, or null when none is set. */
  nextDueAt(): number | null {
    this.dropCancelled();
    return this.heap.length > 0 ? this.heap[0].dueAt : null;
  }

  /** Fires every timer due at or before the current time; returns how many fired. */
  runDue(): number {
    return this.fireUntil(this.nowMs);
  }

  /** Moves time forward by `ms`, firing due timers in order; returns how many fired. */
  advance(ms: number): number {
    assert(Number.isSafeInteger(ms) && ms >= 0, `advance needs a non-negative integer, got ${ms}`);
    return this.advanceTo(this.nowMs + ms);
  }

  /** Moves time forward to `t` (never backwards), firing due timers in order. */
  advanceTo(t: number): number {
    assert(Number.isSafeInteger(t) && t >= this.nowMs, `advanceTo(${t}) would move time backwards from ${this.nowMs}`);
    const fired = this.fireUntil(t);
    this.nowMs = t;
    return fired;
  }

  /** Jumps to the next due timer and fires everything due then; false when no timer is set. */
  runNext(): boolean {
    const due = this.nextDueAt();
    if (due === null) return false;
    this.advanceTo(Math.max(due, this.nowMs));
    return true;
  }

  private fireUntil(limit: number): number {
    let fired = 0;
    for (;;) {
      this.dropCancelled();
      if (this.heap.length === 0 || this.heap[0].dueAt > limit) break;
      const t = this.pop();
      assert(t.dueAt >= this.nowMs, "a timer is due in the past of the virtual clock");
      this.nowMs = t.dueAt;
      t.cancelled = true;
      this.live--;
      fired++;
      assert(fired <= SIM_CLOCK_FIRES_PER_CALL_MAX, "SimClock: runaway timers (a callback keeps re-arming with no delay)");
      t.fn();
    }
    return fired;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
  }

  private less(a: SimTimer, b: SimTimer): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  }

  private push(t: SimTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): SimTimer {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
