/**
 * A simulator that can fail (README.md "Mutation tests"): each deliberately broken variant of
 * the runtime, switched on only here, must make the simulator fail within MUTATION_SEEDS_MAX
 * seeds. The variants: the disk's fsync does nothing while crashes still lose unsynced data
 * (skipFsync); `send` resolves before its input is durable (ackBeforeJournal); the WAL reader
 * accepts bad checksums (replayWithoutChecksum); effects leave before their cycle is durable
 * (dispatchBeforeCommit); intents re-dispatched after a crash get a fresh key (freshKeys).
 */
import { describe, expect, it } from "vitest";
import { runSeed } from "./run.ts";
import { MUTATIONS } from "./sim.ts";

export const MUTATION_SEEDS_MAX = 200;

describe("every broken variant of the runtime makes the simulator fail", () => {
  for (const m of MUTATIONS) {
    it(`${m} is caught within ${MUTATION_SEEDS_MAX} seeds`, async () => {
      let caught: { seed: number; failure: string } | null = null;
      for (let seed = 1; seed <= MUTATION_SEEDS_MAX && caught === null; seed++) {
        const r = await runSeed(seed, { mutation: m });
        if (!r.ok) caught = { seed, failure: r.failures[0]! };
      }
      console.log(`mutation ${m}: ${caught ? `caught by seed ${caught.seed}: ${caught.failure.slice(0, 160)}` : "NOT caught"}`);
      expect(caught, `mutation ${m} survived ${MUTATION_SEEDS_MAX} seeds`).not.toBeNull();
    });
  }
});
