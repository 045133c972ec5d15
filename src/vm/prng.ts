/**
 * The deterministic random stream (rules.md [28]): SHA-256 in counter mode over the seed
 * (the `run_hash` of the previous cycle). Block i is SHA-256(seed ‖ u64 i big-endian);
 * bytes are consumed in order. `random()` takes 7 bytes → 53 bits; `random_int(lo, hi)`
 * draws 7-byte candidates and rejects those in the biased tail; `uuid()` takes 16 bytes
 * and sets the RFC 4122 version (4) and variant (10xx) bits.
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
    let v = 0;
    for (let i = 0; i < 7; i++) v = v * 256 + this.byte();
    return v % TWO53; // 56 bits → keep the low 53 (each residue equally likely: 2^56 is a multiple of 2^53)
  }

  random(): number {
    return this.bits53() / TWO53;
  }

  /** Uniform in [lo, hi] (inclusive) by rejection sampling; the caller checks lo ≤ hi. */
  randomInt(lo: number, hi: number): number {
    const span = hi - lo + 1; // ≤ 2^54 − 1, may be inexact only above 2^53
    if (span <= 1) return lo;
    if (span > TWO53) {
      // Range wider than 2^53: draw twice (hi and lo parts) with rejection on the combined value.
      // v is uniform over [0, 2^54); lo + v is exact whenever it is ≤ hi (a safe integer), and
      // at least 2^53 > hi otherwise, so the comparison is exact too.
      while (true) {
        const v = this.bits53() * 2 + (this.byte() & 1);
        const r = lo + v;
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
