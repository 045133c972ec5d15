/**
 * Determinism by construction (STYLE.md §8): the compiler, bytecode, VM, snapshot code and
 * the runtime's deterministic core never read the clock, randomness or the environment, and
 * never iterate host collections in an order that could reach a hash. This test greps for
 * violations so one cannot slip in unnoticed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, test } from "vitest";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const DETERMINISTIC = ["src/compiler", "src/bytecode", "src/vm", "src/snapshot"];
const CORE_FILES = ["src/runtime/engine.ts", "src/runtime/digest.ts", "src/runtime/goals.ts", "src/runtime/records.ts", "src/runtime/snapshots.ts", "src/runtime/recovery.ts", "src/runtime/eval.ts"];
const FORBIDDEN = [/Date\.now\(/, /new Date\(/, /Math\.random\(/, /performance\.now\(/, /process\.env/, /process\.hrtime/, /crypto\.randomUUID/, /crypto\.randomBytes/, /getRandomValues/];

function files(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

test("no clock, randomness or environment in deterministic layers", () => {
  const targets = [...DETERMINISTIC.flatMap(files), ...CORE_FILES];
  expect(targets.length).toBeGreaterThan(20);
  const hits: string[] = [];
  for (const f of targets) {
    const lines = fs.readFileSync(path.join(ROOT, f), "utf8").split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      if (/^\s*\*/.test(code)) return; // comment lines
      for (const re of FORBIDDEN) if (re.test(code)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(hits).toEqual([]);
});
