/**
 * The fixed seeds CI runs (README.md "CI"): `CI_SEEDS` seeds in `CI_FILES` test files, so
 * vitest's worker processes run them on every core. One test per seed: a failure names its
 * seed and the command that reruns it.
 */
import { describe, expect, it } from "vitest";
import { describeFailure, runSeed } from "./run.ts";

export const CI_SEEDS = 900;
export const CI_FILES = 3;

export function seedSuite(file: number): void {
  const per = Math.ceil(CI_SEEDS / CI_FILES);
  const from = 1 + file * per;
  const to = Math.min(CI_SEEDS, from + per - 1);
  describe(`simulator seeds ${from}..${to}`, () => {
    for (let seed = from; seed <= to; seed++) {
      it(`seed ${seed}`, async () => {
        const r = await runSeed(seed);
        expect(r.failures, describeFailure(r)).toEqual([]);
      });
    }
  });
}
