/**
 * Time behind an interface (runtime.md §4). The runtime reads wall time only through a
 * Clock: to stamp WAL records (rules.md [16]), fire durable timers, pace retries and
 * timeouts. Deterministic layers (compiler, VM, replay, snapshots) never read it.
 * `SimClock` (sim_clock.ts) runs virtual time for tests and the simulator.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Unix epoch milliseconds (integer). */
  now(): number;
  /** Monotonic milliseconds for measuring durations (may be fractional). */
  monotonic(): number;
  /** Calls `fn` after `ms` milliseconds of this clock's time. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** A clock whose `now()` never advances (reproducible batch runs): durable timers never come due. */
  readonly frozen?: boolean;
}

/**
 * Stamps every record with one fixed logical time (`lexum exec --logical-time`), so two runs
 * of the same batch give the same run hashes. Durations (effect timeouts, retries) still pass
 * in real time; durable timers never come due and stay journaled.
 */
export function fixedTimeClock(ms: number): Clock {
  return {
    now: () => ms,
    monotonic: () => performance.now(),
    setTimer: systemClock.setTimer,
    frozen: true,
  };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(ms, fn) {
    // Not unref'd: a pending timer (a retry backoff, a due message) must keep the process
    // alive while a caller awaits it. Runtime.close() cancels every timer it set.
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};
