/**
 * A counting semaphore with a FIFO queue. Bounds concurrent snapshot writes so that many
 * instances checkpointing at once do not flood the disk (and the WAL's fsyncs behind it).
 */
import { assert } from "../base/assert.ts";

export class Semaphore {
  private active_ = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    assert(Number.isSafeInteger(capacity) && capacity >= 1, () => `semaphore capacity must be >= 1, got ${capacity}`);
  }

  /** Holders right now. */
  get active(): number {
    return this.active_;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free (FIFO). Release exactly once. */
  async acquire(): Promise<() => void> {
    if (this.active_ < this.capacity) {
      this.active_++;
    } else {
      // The releaser hands its slot over directly, so `active_` is unchanged.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    assert(this.active_ >= 1 && this.active_ <= this.capacity, "semaphore holders within capacity");
    let released = false;
    return () => {
      assert(!released, "semaphore slot released twice");
      released = true;
      const next = this.waiters.shift();
      if (next !== undefined) next();
      else this.active_--;
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
