/**
 * Compile-time limits too large for a test/lang program (STYLE.md §7: a test at and just past
 * each limit): the source size (LX0701) and the locals of one function (LX0703). Both must be
 * diagnostics with a position, never a crash.
 */
import { describe, expect, test } from "vitest";
import { FN_LOCALS_MAX, SOURCE_BYTES_MAX } from "../../src/base/limits.ts";
import { compileProgram } from "../../src/compiler/compile.ts";
import { diagnosticToJson } from "../../src/compiler/render.ts";

function codes(input: Record<string, string>): string[] {
  const r = compileProgram(input);
  return r.diagnostics.map((d) => {
    const j = diagnosticToJson(d, r.files);
    return `${d.code} ${j.file}:${j.line}:${j.col}`;
  });
}

/** A domain fn with `n` named locals (each `let` takes one slot). */
function manyLocals(n: number): string {
  const lets: string[] = [];
  for (let i = 0; i < n; i++) lets.push(`  let _v${i} = ${i}`);
  return `fn wide() -> int {\n${lets.join("\n")}\n  return 0\n}\ndomain T {\n  state { x: int = 0 }\n  transition Run() { x = wide() }\n}\n`;
}

describe("compile-time limits", () => {
  test("LX0701: a source file larger than SOURCE_BYTES_MAX is reported at 1:1 of that file", () => {
    const big = `// ${"x".repeat(SOURCE_BYTES_MAX)}\n`;
    expect(codes({ "big.lex": big, "ok.lex": "domain T { state { x: int = 0 } }\n" })).toEqual(["LX0701 big.lex:1:1"]);
  });

  test("a source file of exactly SOURCE_BYTES_MAX is accepted", () => {
    const text = "domain T { state { x: int = 0 } }\n";
    const exact = text + "/" + "/".repeat(SOURCE_BYTES_MAX - text.length - 1);
    expect(exact.length).toBe(SOURCE_BYTES_MAX);
    expect(codes({ "exact.lex": exact })).toEqual([]);
  });

  test("LX0703: a function with more than FN_LOCALS_MAX locals is reported at its name", () => {
    expect(codes({ "wide.lex": manyLocals(FN_LOCALS_MAX + 1) })).toEqual(["LX0703 wide.lex:1:4"]);
  }, 30_000);

  test("a function with exactly FN_LOCALS_MAX locals compiles", () => {
    expect(codes({ "wide.lex": manyLocals(FN_LOCALS_MAX) })).toEqual([]);
  }, 30_000);
});
