/**
 * The deterministic random stream (rules.md [28]): SHA-256 in counter mode over the seed
 * (the `run_hash` of the previous cycle). Block i is SHA-256(seed ‖ u64 i big-endian);
 * bytes are consumed in order. A 53-bit draw takes 7 bytes big-endian and keeps the low 53
 * bits (the first byte's top 3 bits are dropped before any arithmetic, so every step is exact
 * in a double). `random()` is one draw / 2^53; `random_int(lo, hi)` draws candidates and
 * rejects those in the biased tail (ranges wider than 2^53 use a draw and one more byte's
 * low bit); `uuid()` takes 16 bytes and sets the RFC 4122 version (4) and variant (10xx) bits.
 */
import * as crypto from "node:crypto";
import { assert } from "../base/assert.ts";

const TWO53 = 2 ** 53;

export class Prng {
  private block = new Uint8Array(0);
  private offset = 0;
  private counter = 0;

  constructor(private readonly seed: Uint8Array) {
    assert(seed.length === 32, "the random stream is seeded by a 32-byte run hash");
  }

  private nextBlock(): void {
    const input = new Uint8Array(40);
    input.set(this.seed, 0);
    new DataView(input.buffer).setBigUint64(32, BigInt(this.counter++), false);
    this.block = new Uint8Array(crypto.createHash("sha256").update(input).digest());
    this.offset = 0;
  }

  byte(): number {
    if (this.offset >= this.block.length) this.nextBlock();
    return this.block[this.offset++]!;
  }

  /** A uniformly distributed integer in [0, 2^53). */
  bits53(): number {
    // Masking first keeps every intermediate below 2^53: accumulating all 56 bits would round
    // away the low bits in a double (and did: random_int(1, 6) drew only odd offsets).
    let v = this.byte() & 0x1f;
    for (let i = 1; i < 7; i++) v = v * 256 + this.byte();
    return v;
  }

  random(): number {
    return this.bits53() / TWO53;
  }

  /** Uniform in [lo, hi] (inclusive) by rejection sampling; the caller checks lo ≤ hi. */
  randomInt(lo: number, hi: number): number {
    const span = hi - lo + 1; // ≤ 2^54 − 1, may be inexact only above 2^53
    if (span <= 1) return lo;
    if (span > TWO53) {
      // Range wider than 2^53: v = 2a + b is uniform over [0, 2^54), but 2a + b itself may not
      // be exact in a double. lo + 2a is exact whenever it is ≤ hi (a safe integer, and the sum
      // of two exact doubles is exact when representable), and a rounded sum above 2^53 is
      // still > hi, so the rejection tests are exact; adding b last keeps r exact too.
      while (true) {
        const a = this.bits53();
        const b = this.byte() & 1;
        const s = lo + a * 2;
        if (s > hi) continue;
        const r = s + b;
        if (r <= hi) return r;
      }
    }
    const limit = TWO53 - (TWO53 % span);
    while (true) {
      const v = this.bits53();
      if (v < limit) return lo + (v % span);
    }
  }

  uuid(): string {
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = this.byte();
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = Buffer.from(b).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
