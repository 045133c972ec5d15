/**
 * The simulator's one source of randomness: a seeded PRNG (sfc32, from `seededRng` in
 * src/base/sim_disk.ts) with named sub-streams. Every choice of a run — the program, the
 * workload, the world's answers, the fault schedule, what a crash keeps — is drawn from a
 * stream forked off the run's seed by a fixed label, so changing how much one part draws
 * (e.g. the shrinker removing inputs) does not shift the choices of another part.
 */
import { createHash } from "node:crypto";
import { seededRng } from "../../src/base/sim_disk.ts";

/** A 32-bit seed derived from a seed and a label (SHA-256, so labels never collide in practice). */
export function deriveSeed(seed: number, label: string): number {
  const h = createHash("sha256").update(`${seed}/${label}`).digest();
  return h.readUInt32LE(0);
}

export class Rng {
  readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = seededRng(seed);
  }

  /** An independent stream for `label`. */
  fork(label: string): Rng {
    return new Rng(deriveSeed(this.seed, label));
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.next() * n));
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("Rng.pick on an empty list");
    return xs[this.int(xs.length)]!;
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let x = this.next() * total;
    for (const [w, v] of choices) {
      if (x < w) return v;
      x -= w;
    }
    return choices[choices.length - 1]![1];
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

/** A deterministic hash of a string to [0, 1): the world's answers depend only on their key. */
export function unitHash(s: string): number {
  return createHash("sha256").update(s).digest().readUInt32LE(0) / 4294967296;
}
