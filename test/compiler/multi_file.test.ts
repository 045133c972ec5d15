/**
 * Programs of several files (rules.md [41]): all files form one program, declarations are
 * visible across files in any order, a duplicate across files is an error pointing at the
 * later file with a note at the first, and diagnostics come out in file, then position order.
 */
import { describe, expect, test } from "vitest";
import { compile, compileProgram, CompileError } from "../../src/compiler/compile.ts";
import { diagnosticToJson } from "../../src/compiler/render.ts";

function report(input: Record<string, string>): string[] {
  const r = compileProgram(input);
  return r.diagnostics.map((d) => {
    const j = diagnosticToJson(d, r.files);
    const notes = j.notes.map((n) => ` [note ${n.file ?? ""}:${n.line ?? ""}:${n.col ?? ""} ${n.message}]`).join("");
    return `${j.file}:${j.line}:${j.col} ${d.code}${notes}`;
  });
}

describe("multi-file programs", () => {
  test("declarations in one file are visible in another", () => {
    const m = compile({
      "b_domain.lex": "domain Shop {\n  state { items: list<Item> = [] }\n  transition Add(item: Item) { items.push(item); emit Audit.log(n: total(items)) }\n}\n",
      "a_types.lex": "type Item { price: int }\nfn total(xs: list<Item>) -> int { var t = 0; for x in xs { t += x.price }; return t }\neffect Audit.log(n: int) -> bool\n",
    });
    expect(m.domains.map((d) => d.name)).toEqual(["Shop"]);
  });

  test("a duplicate across files is reported in the later file with a note at the first", () => {
    expect(
      report({
        "one.lex": "type Item { a: int }\ndomain T { state { x: int = 0 } }\n",
        "two.lex": "\ntype Item { b: int }\n",
      }),
    ).toEqual(["two.lex:2:6 LX0202 [note one.lex:1:6 first declared here]"]);
  });

  test("a domain declared in two files is one error", () => {
    expect(report({ "x.lex": "domain D { state { a: int = 0 } }\n", "y.lex": "domain D { state { b: int = 0 } }\n" })).toEqual(["y.lex:1:8 LX0202 [note x.lex:1:8 first declared here]"]);
  });

  test("diagnostics are sorted by file path, then position, whatever the input order", () => {
    const input = { "z.lex": "domain Z { state { a: int = \"s\" } }\n", "m.lex": "domain M { state { a: int = true } }\nfn f() -> int { return q }\n" };
    const reversed = Object.fromEntries(Object.entries(input).reverse());
    expect(report(input)).toEqual(["m.lex:1:29 LX0301", "m.lex:2:24 LX0201", "z.lex:1:29 LX0301"]);
    expect(report(reversed)).toEqual(report(input));
  });

  test("compile throws a CompileError carrying every diagnostic", () => {
    let err: unknown;
    try {
      compile({ "a.lex": "domain A { state { x: int = none } }\n", "b.lex": "oops\n" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).diagnostics.map((d) => d.code)).toEqual(["LX0301", "LX0105"]);
  });
});
