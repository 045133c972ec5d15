/** The simulator's generators: every program compiles, every workload is well-formed. */
import { describe, expect, it } from "vitest";
import { EXAMPLE_NAMES, exampleProgram, generateProgram } from "./programs.ts";
import { Rng } from "./rng.ts";
import { generateWorkload } from "./workload.ts";

describe("program generator", () => {
  it("produces 300 programs that compile (generateProgram throws with the diagnostics otherwise)", () => {
    for (let s = 1; s <= 300; s++) expect(generateProgram(new Rng(s).fork("program")).module).not.toBeNull();
  });

  it("loads every example", () => {
    for (const n of EXAMPLE_NAMES) expect(exampleProgram(n).roots.length).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    for (const s of [1, 2, 99]) expect(generateProgram(new Rng(s)).source).toBe(generateProgram(new Rng(s)).source);
  });
});

describe("workload generator", () => {
  it("gives each instance strictly increasing logical times, unique ids and keys, sorted faults", () => {
    for (let s = 1; s <= 200; s++) {
      const w = generateWorkload(s);
      const last = new Map<string, number>();
      for (const i of w.inputs) {
        const k = `${i.domain}/${i.instance}`;
        expect(i.time, `seed ${s} ${k}`).toBeGreaterThan(last.get(k) ?? -1);
        last.set(k, i.time);
      }
      expect(new Set(w.inputs.map((i) => i.key)).size).toBe(w.inputs.length);
      for (let j = 1; j < w.faults.length; j++) expect(w.faults[j]!.at).toBeGreaterThanOrEqual(w.faults[j - 1]!.at);
      if (w.program.stallSensitive) expect(w.faults.some((f) => f.k === "full")).toBe(false);
    }
  });
});
