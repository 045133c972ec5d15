/**
 * Reproducibility (README.md): a seed replays its run exactly — the same ordered events, so
 * the same trace hash — with or without a mutation; different seeds give different traces.
 */
import { describe, expect, it } from "vitest";
import { runSeed } from "./run.ts";

describe("the simulator is deterministic", () => {
  for (const seed of [1, 4, 10, 55, 199, 274]) {
    it(`seed ${seed} twice gives the same trace hash (and the same events)`, async () => {
      const a = await runSeed(seed, { keepTrace: true });
      const b = await runSeed(seed, { keepTrace: true });
      expect(b.run.trace).toEqual(a.run.trace);
      expect(b.ref.trace).toEqual(a.ref.trace);
      expect(b.traceHash).toBe(a.traceHash);
      expect(a.run.trace.length).toBeGreaterThan(5);
    });
  }

  it("with a mutation switched on, too", async () => {
    const a = await runSeed(8, { mutation: "freshKeys" });
    const b = await runSeed(8, { mutation: "freshKeys" });
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.failures).toEqual(a.failures);
  });

  it("different seeds give different traces", async () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) hashes.add((await runSeed(seed)).traceHash);
    expect(hashes.size).toBe(8);
  });
});
