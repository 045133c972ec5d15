/**
 * Property tests of the compiler (fast-check):
 *  (a) robustness: token soups and mutations (delete, duplicate, swap, insert — of characters
 *      and of tokens) of the example and test/lang programs never make `compileProgram` throw;
 *      every problem is a diagnostic;
 *  (b) stable program hash: compiling twice, spreading declarations over files in any order,
 *      and changing only whitespace or comments give the same hash;
 *  (c) a differential test: random int-arithmetic programs run by the VM (interpreter and
 *      compiled tier) agree with a direct BigInt evaluation — values, LX-OVERFLOW and LX-DIV0.
 * Each property prints its seed on failure (fast-check), so a failure replays.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { INT_MAX } from "../../src/base/limits.ts";
import { compileProgram } from "../../src/compiler/compile.ts";
import { DiagnosticBag } from "../../src/compiler/diagnostics.ts";
import { lex, type Token } from "../../src/compiler/lexer.ts";
import { parseFile } from "../../src/compiler/parser.ts";
import { SourceFile } from "../../src/compiler/source.ts";
import { Machine, Rec } from "../../src/vm/index.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function lexFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? lexFiles(p) : e.name.endsWith(".lex") ? [p] : [];
  });
}

const CORPUS: string[] = [
  ...lexFiles(path.join(ROOT, "examples")),
  ...lexFiles(path.join(ROOT, "test/lang")),
  ...lexFiles(path.join(ROOT, "test/compiler/golden")),
]
  .sort()
  .map((p) => fs.readFileSync(p, "utf8"));

/** Compiles and fails the property if the compiler throws (diagnostics are fine). */
function compiles(src: string | Record<string, string>): void {
  try {
    compileProgram(src);
  } catch (e) {
    throw new Error(`compileProgram threw on:\n${typeof src === "string" ? src : JSON.stringify(src)}\n${e instanceof Error ? e.stack : String(e)}`);
  }
}

// ---------------------------------------------------------------- (a) robustness

const VOCAB = [
  "domain", "state", "transition", "slice", "goal", "invariant", "via", "priority", "effect", "capability", "type", "enum", "fn",
  "let", "var", "if", "else", "match", "for", "in", "return", "fail", "assert", "emit", "await", "send", "after", "self", "none",
  "true", "false", "as", "x", "Foo", "Ok", "Err", "_", "0", "42", "1.5", "0x1f", "250ms", "9007199254740993", "\"s\"", "\"a{b}c\"",
  "\"{\"", "\"\\u{D800}\"", "{", "}", "(", ")", "[", "]", ",", ";", ":", ".", "..", "..=", "->", "=>", "=", "==", "!=", "<", "<=",
  ">", ">=", "+", "-", "*", "/", "%", "!", "&&", "||", "??", "?", "@", "+=", "-=", "*=", "\n", "//c\n", "/*", "*/", "#", "\\",
  "int", "float", "string", "bool", "list<int>", "map<string, int>", "set<", "json", "result<int>", "😀", "\u0000",
];

/** Rough tokens of a source text (enough to cut and splice programs at token boundaries). */
function roughTokens(src: string): string[] {
  return src.match(/"(?:[^"\\\n]|\\.)*"?|\/\/[^\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9_.a-zA-Z]*|\s+|[^\sA-Za-z0-9_"]/g) ?? [];
}

type Mutation =
  | { k: "delete"; at: number; len: number }
  | { k: "duplicate"; at: number; len: number }
  | { k: "swap"; a: number; b: number; len: number }
  | { k: "insert"; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant("swap" as const), a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...VOCAB), fc.string({ maxLength: 3 })) }),
);

/** Applies mutations to a sequence of units (characters or tokens). */
function mutate(units: string[], ms: readonly Mutation[]): string {
  let u = units.slice();
  for (const m of ms) {
    const n = Math.max(1, u.length);
    switch (m.k) {
      case "delete": {
        const at = m.at % n;
        u.splice(at, m.len);
        break;
      }
      case "duplicate": {
        const at = m.at % n;
        u.splice(at, 0, ...u.slice(at, at + m.len));
        break;
      }
      case "swap": {
        const a = m.a % n;
        const b = m.b % n;
        const x = u.slice(a, a + m.len);
        const y = u.slice(b, b + m.len);
        if (a + m.len <= b) u = [...u.slice(0, a), ...y, ...u.slice(a + m.len, b), ...x, ...u.slice(b + m.len)];
        else if (b + m.len <= a) u = [...u.slice(0, b), ...x, ...u.slice(b + m.len, a), ...y, ...u.slice(a + m.len)];
        break;
      }
      case "insert":
        u.splice(m.at % (u.length + 1), 0, m.text);
        break;
    }
  }
  return u.join("");
}

const corpusIndex = fc.nat({ max: CORPUS.length - 1 });

describe("(a) the compiler never throws", () => {
  test("on token soups", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCAB), { maxLength: 80 }), fc.array(fc.constantFrom(" ", "\n", ""), { maxLength: 80 }), (toks, seps) => {
        compiles(toks.map((t, i) => t + (seps[i] ?? " ")).join(""));
      }),
      { numRuns: 5000 },
    );
  }, 30_000);

  test("on character mutations of example and test programs", () => {
    fc.assert(
      fc.property(corpusIndex, fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
        compiles(mutate([...CORPUS[i]!], ms));
      }),
      { numRuns: 10000 },
    );
  }, 30_000);

  test("on token mutations of example and test programs", () => {
    fc.assert(
      fc.property(corpusIndex, fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
        compiles(mutate(roughTokens(CORPUS[i]!), ms));
      }),
      { numRuns: 10000 },
    );
  }, 30_000);

  test("on mutated programs spread over several files", () => {
    fc.assert(
      fc.property(corpusIndex, corpusIndex, fc.array(mutation, { maxLength: 3 }), (i, j, ms) => {
        compiles({ "a.lex": mutate(roughTokens(CORPUS[i]!), ms), "b.lex": CORPUS[j]! });
      }),
      { numRuns: 2000 },
    );
  }, 30_000);
});

// ---------------------------------------------------------------- (b) stable program hash

/** Programs of the corpus that compile without errors (warnings allowed). */
const VALID = CORPUS.filter((src) => compileProgram(src).module !== null);

/** The top-level declarations of a program, as source slices. */
function declarations(src: string): string[] {
  const file = new SourceFile(0, "x.lex", src);
  const diags = new DiagnosticBag();
  const ast = parseFile(lex(src, 0, diags), file, diags);
  return ast.decls.map((d) => src.slice(d.span.start, d.span.end));
}

function hashOf(src: string | Record<string, string>): string {
  const r = compileProgram(src);
  if (r.module === null) throw new Error(`expected a clean compile:\n${r.diagnostics.map((d) => d.message).join("\n")}`);
  return r.module.programHash;
}

/**
 * Inserts whitespace and comments only in the gaps between tokens, where they cannot change a
 * token or end a statement: spaces, tabs and block comments within a line; blank lines and line
 * comments where a line break already is.
 */
function respace(src: string, picks: readonly number[]): string {
  const toks: Token[] = lex(src, 0, new DiagnosticBag());
  let out = "";
  let prev = 0;
  toks.forEach((t, i) => {
    const gap = src.slice(prev, t.span.start);
    const p = picks[i % Math.max(1, picks.length)] ?? 0;
    let extra = "";
    if (t.kind === "newline") extra = ["", "  // note\n", "\n\n", " /* c */ "][p % 4]!;
    else extra = ["", " ", "\t", " /* c */ "][p % 4]!;
    out += gap + extra + src.slice(t.span.start, t.span.end);
    prev = t.span.end;
  });
  return out + src.slice(prev);
}

describe("(b) the program hash is stable", () => {
  test("compiling the same program twice gives the same hash", () => {
    fc.assert(
      fc.property(fc.nat({ max: VALID.length - 1 }), (i) => {
        expect(hashOf(VALID[i]!)).toBe(hashOf(VALID[i]!));
      }),
      { numRuns: 300 },
    );
  });

  test("spreading the declarations over files, in any order and under any names, keeps the hash", () => {
    const multi = VALID.filter((s) => declarations(s).length >= 2);
    expect(multi.length).toBeGreaterThan(20);
    fc.assert(
      fc.property(fc.nat({ max: multi.length - 1 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (i, perm) => {
        const src = multi[i]!;
        const decls = declarations(src);
        // Each declaration goes to one of up to 3 files; file names decide the (sorted) order.
        const files: Record<string, string[]> = {};
        decls.forEach((d, k) => {
          const name = `f${(perm[k % perm.length]! + k) % 3}_${perm[(k + 1) % perm.length]! % 5}.lex`;
          (files[name] ??= []).push(d);
        });
        const entries = Object.entries(files).map(([n, ds]) => [n, ds.join("\n\n") + "\n"] as const);
        const forward = Object.fromEntries(entries);
        const backward = Object.fromEntries([...entries].reverse());
        const h = hashOf(src);
        expect(hashOf(forward)).toBe(h);
        expect(hashOf(backward)).toBe(h);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  test("changing only whitespace and comments keeps the hash", () => {
    fc.assert(
      fc.property(fc.nat({ max: VALID.length - 1 }), fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 20 }), (i, picks) => {
        expect(hashOf(respace(VALID[i]!, picks))).toBe(hashOf(VALID[i]!));
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  test("a change of meaning changes the hash (the property above is not vacuous)", () => {
    const a = hashOf("domain T { state { x: int = 0 } transition R() { x = 1 } }");
    const b = hashOf("domain T { state { x: int = 0 } transition R() { x = 2 } }");
    expect(a).not.toBe(b);
  });
});

// ---------------------------------------------------------------- (c) differential: VM vs TypeScript

type IntExpr =
  | { k: "lit"; v: number }
  | { k: "var"; name: "a" | "b" | "c" }
  | { k: "neg"; e: IntExpr }
  | { k: "bin"; op: "+" | "-" | "*" | "/" | "%"; l: IntExpr; r: IntExpr }
  | { k: "call"; f: "abs" | "min" | "max"; args: IntExpr[] };

const intExpr: fc.Arbitrary<IntExpr> = fc.letrec<{ e: IntExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.record({ k: fc.constant("lit" as const), v: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: INT_MAX }), fc.constantFrom(0, 1, 2, 3, 94906265, 2 ** 26, 2 ** 52, INT_MAX)) }),
      fc.record({ k: fc.constant("var" as const), name: fc.constantFrom("a" as const, "b" as const, "c" as const) }),
    ),
    fc.record({ k: fc.constant("neg" as const), e: tie("e") }),
    fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "%" as const), l: tie("e"), r: tie("e") }),
    fc.record({ k: fc.constant("call" as const), f: fc.constant("abs" as const), args: fc.tuple(tie("e")).map((t) => [...t]) }),
    fc.record({ k: fc.constantFrom("call" as const), f: fc.constantFrom("min" as const, "max" as const), args: fc.tuple(tie("e"), tie("e")).map((t) => [...t]) }),
  ),
})).e;

function show(e: IntExpr): string {
  switch (e.k) {
    case "lit":
      return String(e.v);
    case "var":
      return e.name;
    case "neg":
      return `-(${show(e.e)})`;
    case "bin":
      return `(${show(e.l)} ${e.op} ${show(e.r)})`;
    case "call":
      return `${e.f}(${e.args.map(show).join(", ")})`;
  }
}

class Trap {
  constructor(readonly code: string) {}
}

const MAX = BigInt(INT_MAX);

/** The reference semantics (language.md §2, rules.md [19]) in BigInt, left to right. */
function evalRef(e: IntExpr, env: Record<string, bigint>): bigint {
  const check = (v: bigint): bigint => {
    if (v > MAX || v < -MAX) throw new Trap("LX-OVERFLOW");
    return v;
  };
  switch (e.k) {
    case "lit":
      return BigInt(e.v);
    case "var":
      return env[e.name]!;
    case "neg":
      return check(-evalRef(e.e, env));
    case "bin": {
      const l = evalRef(e.l, env);
      const r = evalRef(e.r, env);
      switch (e.op) {
        case "+":
          return check(l + r);
        case "-":
          return check(l - r);
        case "*":
          return check(l * r);
        case "/":
          if (r === 0n) throw new Trap("LX-DIV0");
          return l / r; // BigInt division truncates toward zero, like Lexum's
        case "%":
          if (r === 0n) throw new Trap("LX-DIV0");
          return l % r; // the sign of the dividend, like Lexum's
      }
    }
    // falls through (unreachable)
    case "call": {
      const vs = e.args.map((a) => evalRef(a, env));
      if (e.f === "abs") return vs[0]! < 0n ? -vs[0]! : vs[0]!;
      if (e.f === "min") return vs[0]! <= vs[1]! ? vs[0]! : vs[1]!;
      return vs[0]! >= vs[1]! ? vs[0]! : vs[1]!;
    }
  }
}

/** Runs `Run(a, b, c)` of a one-transition program in a fresh machine. */
function runVm(src: string, args: number[], compiledTier: boolean): { ok: number } | { trap: string } {
  const r = compileProgram(src);
  if (r.module === null) throw new Error(`does not compile:\n${src}\n${r.diagnostics.map((d) => d.message).join("\n")}`);
  const vm = new Machine(r.module, { compiledTier });
  const d = vm.domainIndex("T");
  const state: Rec = vm.initState(d, "t");
  const res = vm.start(d, vm.transitionIndex(d, "Run"), args, state, { instance: "t", now: 0, seed: new Uint8Array(32), cycle: 1 });
  if (res.kind === "failed") return { trap: res.trap.code };
  if (res.kind !== "done") throw new Error(`unexpected segment end ${res.kind}`);
  return { ok: res.reply as number };
}

const arg = fc.oneof(fc.integer({ min: -10, max: 10 }), fc.integer({ min: -INT_MAX, max: INT_MAX }), fc.constantFrom(0, 1, -1, INT_MAX, -INT_MAX, 2 ** 26));

describe("(c) the VM agrees with a direct evaluation of int arithmetic", () => {
  test("random expressions over random inputs", () => {
    fc.assert(
      fc.property(intExpr, fc.tuple(arg, arg, arg), (e, [a, b, c]) => {
        const src = `domain T {\n  state { x: int = 0 }\n  transition Run(a: int, b: int, c: int) {\n    return ${show(e)}\n  }\n}\n`;
        let want: { ok: number } | { trap: string };
        try {
          want = { ok: Number(evalRef(e, { a: BigInt(a), b: BigInt(b), c: BigInt(c) })) };
        } catch (err) {
          if (!(err instanceof Trap)) throw err;
          want = { trap: err.code };
        }
        expect(runVm(src, [a, b, c], false), src).toEqual(want);
        expect(runVm(src, [a, b, c], true), src).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  }, 30_000);

  test("statements: var, compound assignment, if/else and a loop agree too", () => {
    fc.assert(
      fc.property(intExpr, intExpr, intExpr, fc.integer({ min: 0, max: 5 }), fc.tuple(arg, arg, arg), (e1, e2, e3, n, [a, b, c]) => {
        const src = [
          "domain T {",
          "  state { x: int = 0 }",
          "  transition Run(a: int, b: int, c: int) {",
          `    var r = ${show(e1)}`,
          `    for i in 0..${n} { r += ${show(e2)} }`,
          `    if r > ${show(e3)} { r *= 2 } else { r -= 1 }`,
          "    return r",
          "  }",
          "}",
        ].join("\n");
        const env = { a: BigInt(a), b: BigInt(b), c: BigInt(c) };
        let want: { ok: number } | { trap: string };
        try {
          let r = evalRef(e1, env);
          for (let i = 0; i < n; i++) {
            r += evalRef(e2, env);
            if (r > MAX || r < -MAX) throw new Trap("LX-OVERFLOW");
          }
          if (r > evalRef(e3, env)) r *= 2n;
          else r -= 1n;
          if (r > MAX || r < -MAX) throw new Trap("LX-OVERFLOW");
          want = { ok: Number(r) };
        } catch (err) {
          if (!(err instanceof Trap)) throw err;
          want = { trap: err.code };
        }
        expect(runVm(src, [a, b, c], false), src).toEqual(want);
        expect(runVm(src, [a, b, c], true), src).toEqual(want);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);
});
