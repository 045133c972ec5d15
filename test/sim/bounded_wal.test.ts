/**
 * The bounded journal over long runs (runtime.md §5): with four times the inputs, the WAL's
 * high-water mark barely moves, and most of what was written has been deleted.
 */
import { describe, expect, it } from "vitest";
import { runWorkload } from "./run.ts";
import { generateWorkload } from "./workload.ts";

describe("the WAL stays bounded as a run gets longer", () => {
  for (const seed of [5, 22, 271]) {
    it(`seed ${seed}: 100 vs 400 inputs, no faults`, async () => {
      const short = generateWorkload(seed, { inputsMax: 100 });
      const long = generateWorkload(seed, { inputsMax: 400 });
      const a = await runWorkload({ ...short, faults: [] });
      const b = await runWorkload({ ...long, faults: [] });
      expect(a.failures).toEqual([]);
      expect(b.failures).toEqual([]);
      const c = long.config;
      console.log(`seed ${seed}: max WAL ${a.run.stats.maxWalBytes} B (${short.inputs.length} inputs) → ${b.run.stats.maxWalBytes} B (${long.inputs.length} inputs, ${b.run.stats.walBytesWritten} B written; target ${c.walTargetBytes}, segments ${c.walSegmentBytes})`);
      expect(b.run.stats.maxWalBytes).toBeLessThanOrEqual(1.5 * a.run.stats.maxWalBytes + 2 * c.walSegmentBytes);
      expect(b.run.stats.walBytesWritten).toBeGreaterThan(3 * b.run.stats.maxWalBytes);
    });
  }
});
