/**
 * Every diagnostic code of the catalogue and every run-time trap code the VM can raise is
 * proven by at least one test with an exact position: a test/lang program (`// error:`,
 * `// warning:`, `//   trap:` directives) or, for limits too large for a program file, the
 * tests named here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { CATALOGUE } from "../../src/compiler/diagnostics.ts";
import { TRAP_CODES } from "../../src/vm/trap.ts";

const LANG = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../lang");

/** Codes proven outside test/lang, and where. */
const ELSEWHERE: Record<string, string> = {
  LX0701: "test/compiler/limits.test.ts (a 64 MiB source)",
  LX0703: "test/compiler/limits.test.ts (65,536 locals in one function)",
};

/** Trap codes that belong to the durable runtime (effects, goals), and the VM's own-bug code. */
const NOT_LANGUAGE_TRAPS = new Set(["LX-EFFECT-TIMEOUT", "LX-EFFECT-RETRIES", "LX-EFFECT-TERMINAL", "LX-EFFECT-NO-ADAPTER", "LX-EFFECT-SHAPE", "LX-E005", "LX-E006", "LX-VM"]);

function programs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? programs(p) : e.name.endsWith(".lex") ? [p] : [];
  });
}

const texts = programs(LANG).map((p) => fs.readFileSync(p, "latin1"));
const diagnosed = new Set(texts.flatMap((t) => [...t.matchAll(/\/\/ (?:error|warning): (LX\d{4}) @ \d+:\d+/g)].map((m) => m[1]!)));
const trapped = new Set(texts.flatMap((t) => [...t.matchAll(/\/\/\s+trap: (LX-[A-Z0-9-]+)/g)].map((m) => m[1]!)));

describe("coverage of codes", () => {
  test("every catalogue code is produced by a test with its position", () => {
    const missing = Object.keys(CATALOGUE).filter((c) => !diagnosed.has(c) && !(c in ELSEWHERE));
    expect(missing).toEqual([]);
  });

  test("codes proven elsewhere are not also claimed by test/lang (keep the list honest)", () => {
    for (const c of Object.keys(ELSEWHERE)) expect(c in CATALOGUE, c).toBe(true);
  });

  test("every language trap code is raised by a test/lang program", () => {
    const missing = TRAP_CODES.filter((c) => !NOT_LANGUAGE_TRAPS.has(c) && !trapped.has(c));
    expect(missing).toEqual([]);
  });

  test("warnings are warnings and errors are errors in the catalogue", () => {
    for (const [code, e] of Object.entries(CATALOGUE)) {
      expect(e.severity === "warning", code).toBe(code.startsWith("LX08"));
    }
  });
});
