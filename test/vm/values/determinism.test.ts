/** STYLE.md §8: the value model never touches clocks, randomness, the environment or
 * unordered host iteration. A grep keeps it that way. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = join(import.meta.dirname, "../../../src/vm/values");
const FORBIDDEN = [
  /Date\.now|new Date\(/,
  /Math\.random/,
  /process\.env/,
  /performance\.now/,
  /setTimeout|setInterval|setImmediate/,
  /for\s*\(\s*(const|let)\s+\w+\s+in\s/, // for…in over object keys
  /\.entries\(\)\s*\)|\bfor\s*\(.*\bof\s+\w+\.(keys|values)\(\)/, // iterating a host Map/Set
];

describe("determinism", () => {
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".ts"))) {
    it(`${f} uses no nondeterministic host facility`, () => {
      const text = readFileSync(join(DIR, f), "utf8");
      for (const re of FORBIDDEN) expect(text, `${f} matches ${re}`).not.toMatch(re);
    });
  }
});
