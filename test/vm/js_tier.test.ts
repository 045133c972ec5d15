/**
 * The compiled tier (src/vm/js_tier.ts) must be unobservable: every program gives the same
 * replies, traps (code, message, position), state hashes, outputs, frames and fuel with it
 * as with the interpreter alone. Differential tests over every test/lang program (at the
 * module's fuel and at a sweep of small budgets, so fuel runs out at every early point),
 * over seeded random programs, and targeted tests of the bail-out paths.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compile, compileProgram } from "../../src/compiler/compile.ts";
import type { Module } from "../../src/bytecode/index.ts";
import { parseCall } from "../../src/runtime/eval.ts";
import { Machine, Rec, type SegmentEnv } from "../../src/vm/index.ts";
import { TIER_CALL_DEPTH_MAX, TIER_MODULE_CODE_WORDS_MAX } from "../../src/vm/js_tier.ts";
import { runTranscript, type DriverCall, type DriverOptions } from "./tier_driver.ts";
import { randomProgram } from "./random_programs.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function findPrograms(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findPrograms(p));
    else if (e.name.endsWith(".lex")) out.push(p);
  }
  return out;
}

type LangCase = { rel: string; module: Module; calls: DriverCall[]; effects: Record<string, unknown[]> };

/** Programs of test/lang that compile and make calls, with their calls and effect stubs. */
function langCases(): LangCase[] {
  const cases: LangCase[] = [];
  for (const file of findPrograms(path.join(ROOT, "test/lang"))) {
    const rel = path.relative(ROOT, file);
    const text = fs.readFileSync(file, "utf8");
    const r = compileProgram({ [rel]: text });
    if (r.module === null) continue;
    const calls: DriverCall[] = [];
    const effects: Record<string, unknown[]> = {};
    let usable = true;
    for (const line of text.split("\n")) {
      const c = /^\s*\/\/\s*call:\s*(.*?)\s*$/.exec(line);
      const e = /^\s*\/\/\s*effect:\s*([A-Za-z_]\w*\.[A-Za-z_]\w*)\s*=\s*(.*?)\s*$/.exec(line);
      try {
        if (c) calls.push(parseCall(c[1]!));
        if (e) (effects[e[1]!] ??= []).push(JSON.parse(e[2]!));
      } catch {
        usable = false;
      }
    }
    if (usable && calls.length > 0) cases.push({ rel, module: r.module, calls, effects });
  }
  return cases;
}

/** Both transcripts, or the error each run threw (a call the driver cannot make, e.g. bad arguments). */
function both(m: Module, calls: readonly DriverCall[], opts: DriverOptions): { interp: string[] | string; tier: string[] | string; tierRuns: number } {
  const run = (compiledTier: boolean): { lines: string[] | string; runs: number } => {
    try {
      const r = runTranscript(m, calls, opts, { compiledTier });
      return { lines: r.lines, runs: r.vm.tierStats.runs };
    } catch (e) {
      return { lines: `threw: ${e instanceof Error ? e.message : String(e)}`, runs: 0 };
    }
  };
  const i = run(false);
  const t = run(true);
  return { interp: i.lines, tier: t.lines, tierRuns: t.runs };
}

/** Fuel budgets that make every early instruction the one that runs out, then spread wider. */
const FUEL_SWEEP = [...Array.from({ length: 60 }, (_, i) => i + 1), 75, 100, 150, 233, 377, 610, 987, 1597, 2584, 4181, 10_000];

describe("compiled tier vs interpreter on test/lang programs", () => {
  const cases = langCases();
  test("there are programs with calls", () => {
    expect(cases.length).toBeGreaterThan(3);
  });
  for (const c of cases) {
    test(c.rel, () => {
      const r = both(c.module, c.calls, { effects: c.effects });
      expect(r.tier).toEqual(r.interp);
      if (typeof r.interp !== "string") expect(r.tierRuns).toBeGreaterThan(0);
      for (const fuel of FUEL_SWEEP) {
        const s = both(c.module, c.calls, { effects: c.effects, fuel });
        expect(s.tier, `fuel ${fuel}`).toEqual(s.interp);
      }
    });
  }
});

describe("compiled tier vs interpreter on random programs", () => {
  const SEEDS = Number(process.env.LEXUM_TIER_SEEDS ?? 150);
  for (let seed = 1; seed <= SEEDS; seed++) {
    test(`seed ${seed}`, () => {
      const p = randomProgram(seed);
      const r = compileProgram({ "random.lex": p.source });
      if (r.module === null) {
        // The generator should only write valid programs; show the first diagnostic if not.
        throw new Error(`seed ${seed}: the random program does not compile: ${r.diagnostics[0]?.message}\n${p.source}`);
      }
      // Awaited results alternate Ok and Err, so both arms of the match run after a resume.
      const effects = { "Audit.ask": Array.from({ length: 20 }, (_, i) => (i % 3 === 2 ? { $tag: "Err", error: { code: "E", message: "no", attempts: 1 } } : { $tag: "Ok", value: i })) };
      const runs = both(r.module, p.calls, { effects });
      expect(runs.tier, `seed ${seed}\n${p.source}`).toEqual(runs.interp);
      // A few budgets below what the calls need, so fuel runs out inside loops and calls.
      for (const fuel of [3, 17, 64, 250, 1000, 4000]) {
        const s = both(r.module, p.calls, { fuel, effects });
        expect(s.tier, `seed ${seed}, fuel ${fuel}\n${p.source}`).toEqual(s.interp);
      }
    });
  }
});

// ------------------------------------------------------------------------------------------
// Targeted tests.

const ENV: SegmentEnv = { instance: "t-1", now: 1_700_000_000_000, seed: new Uint8Array(32), cycle: 1 };

function machines(source: string): { m: Module; interp: Machine; tier: Machine } {
  const m = compile({ "t.lex": source });
  return { m, interp: new Machine(m, { compiledTier: false }), tier: new Machine(m) };
}

const LOOP = `
@fuel(1000000)
domain T {
  state { acc: int = 0 }
  transition Run(n: int) {
    var a = 0
    for i in 0..n { a = (a + i * 3) % 1000003 }
    acc = a
    return a
  }
  transition Div(n: int) {
    var a = 0
    for i in 0..n { a = a + 100 / (n - 1 - i) }
    return a
  }
}
`;

test("fuel runs out at exactly the same instruction with and without the compiled tier", () => {
  const { interp, tier } = machines(LOOP);
  const d = interp.domainIndex("T");
  const t = interp.transitionIndex(d, "Run");
  const full = interp.start(d, t, [40], interp.initState(d, "t-1"), ENV);
  expect(full.kind).toBe("done");
  const need = full.fuelUsed;
  const trapPcs = new Set<number>();
  for (let fuel = 1; fuel <= need + 2; fuel++) {
    const env = { ...ENV, fuel };
    const a = interp.start(d, t, [40], interp.initState(d, "t-1"), env);
    const b = tier.start(d, t, [40], tier.initState(d, "t-1"), env);
    expect(b, `fuel ${fuel}`).toEqual(a);
    if (fuel < need) {
      expect(a.kind).toBe("failed");
      if (a.kind === "failed") {
        expect(a.trap.code).toBe("LX-FUEL");
        trapPcs.add(a.trap.pc);
      }
    } else expect(a.kind).toBe("done");
  }
  // Running out was tried at every instruction of the loop, not just at block boundaries.
  expect(trapPcs.size).toBeGreaterThan(15);
  // The tier did the successful runs itself and handed every short one to the interpreter.
  expect(tier.tierStats.bails).toBe(need - 1);
  expect(tier.tierStats.runs).toBe(2 * (need + 2)); // initState and start, per budget
});

test("a trap inside compiled code is reported exactly as the interpreter reports it", () => {
  const { interp, tier } = machines(LOOP);
  const d = interp.domainIndex("T");
  const t = interp.transitionIndex(d, "Div");
  const a = interp.start(d, t, [7], interp.initState(d, "t-1"), ENV);
  const b = tier.start(d, t, [7], tier.initState(d, "t-1"), ENV);
  expect(a.kind).toBe("failed");
  expect(b).toEqual(a);
  if (a.kind === "failed") {
    expect(a.trap.code).toBe("LX-DIV0");
    expect(a.trap.pos).not.toBeNull();
  }
  expect(tier.tierStats.bails).toBe(1);
});

const EFFECTS = `
effect Audit.log(line: string) -> bool { timeout 1s }
domain D {
  capability { }
  state { n: int = 0, xs: list<int> = [] }
  transition Work(k: int) {
    n += k
    xs.push(random_int(1, 6))
    send D["other"].Note(k: k)
    emit Audit.log(line: "worked {k}")
    assert k < 5, "k too large"
    return n
  }
  transition Note(k: int) { n -= k }
}
`;

test("the program's own fail and failed assert are reported by the tier itself, exactly as the interpreter reports them", () => {
  const { interp, tier } = machines(`
fn check(k: int) -> int {
  if k == 3 { fail "three is not allowed ({k})" }
  return k
}
domain F {
  state { n: int = 0 }
  transition Put(k: int) {
    n += check(k)
    assert n < 10, "n would be {n}"
    return n
  }
}
`);
  const d = interp.domainIndex("F");
  const t = interp.transitionIndex(d, "Put");
  let codes = "";
  for (const k of [1, 3, 20]) {
    const a = interp.start(d, t, [k], interp.initState(d, "f"), ENV);
    const b = tier.start(d, t, [k], tier.initState(d, "f"), ENV);
    expect(b).toEqual(a);
    codes += a.kind === "failed" ? `${a.trap.code}@${a.trap.fn} ` : "ok ";
  }
  expect(codes).toBe("ok LX-FAIL@check LX-ASSERT@F.Put ");
  expect(tier.tierStats.bails).toBe(0);
});

test("a failed segment after state writes, sends, intents and random draws matches the interpreter", () => {
  const { interp, tier } = machines(EFFECTS);
  const d = interp.domainIndex("D");
  const t = interp.transitionIndex(d, "Work");
  for (const k of [1, 9, 2]) {
    const a = interp.start(d, t, [k], interp.initState(d, "x"), ENV);
    const b = tier.start(d, t, [k], tier.initState(d, "x"), ENV);
    expect(b).toEqual(a);
    expect(a.kind).toBe(k < 5 ? "done" : "failed");
    if (a.kind === "done") {
      expect(a.out.sends.length).toBe(1);
      expect(a.out.intents.length).toBe(1);
    }
  }
  // The failed assert is reported by the tier without a rerun (the segment is discarded anyway).
  expect(tier.tierStats.bails).toBe(0);
});

const RECURSION = `
fn down(n: int) -> int {
  if n == 0 { return 0 }
  return 1 + down(n - 1)
}
domain R {
  state { x: int = 0 }
  transition Go(n: int) { return down(n) }
}
`;

test("call depth: the last depth that works and the first that traps LX-STACK agree", () => {
  const { interp, tier } = machines(RECURSION);
  const d = interp.domainIndex("R");
  const t = interp.transitionIndex(d, "Go");
  let firstTrap = -1;
  for (const n of [10, 1000, 1997, 1998, 1999, 2000, 2001, 5000]) {
    const a = interp.start(d, t, [n], interp.initState(d, "r"), ENV);
    const b = tier.start(d, t, [n], tier.initState(d, "r"), ENV);
    expect(b, `n = ${n}`).toEqual(a);
    if (a.kind === "failed" && firstTrap < 0) {
      expect(a.trap.code).toBe("LX-STACK");
      firstTrap = n;
    }
  }
  expect(firstTrap).toBeGreaterThan(1000);
});

test("resuming at a pc that is no resume point is left to the interpreter", () => {
  const m = compile({ "order.lex": fs.readFileSync(path.join(ROOT, "test/fixtures/order.lex"), "utf8") });
  const interp = new Machine(m, { compiledTier: false });
  const tier = new Machine(m);
  const d = interp.domainIndex("Order");
  const co = interp.transitionIndex(d, "Checkout");
  const st = interp.initState(d, "o");
  const first = interp.start(d, co, [], st, ENV);
  expect(first.kind).toBe("slice");
  if (first.kind !== "slice") return;
  for (const pc of [first.frame.pc, 0, first.frame.pc + 1, 3]) {
    const frame = { ...first.frame, pc };
    const a = interp.resume(d, frame, first.state, Machine.NO_VALUE, ENV);
    const b = tier.resume(d, frame, first.state, Machine.NO_VALUE, ENV);
    expect(b, `pc ${pc}`).toEqual(a);
  }
});

test("the Order checkout runs entirely in the compiled tier (no bails on the plain path)", () => {
  const m = compile({ "order.lex": fs.readFileSync(path.join(ROOT, "test/fixtures/order.lex"), "utf8") });
  const tier = new Machine(m);
  const interp = new Machine(m, { compiledTier: false });
  const d = tier.domainIndex("Order");
  const add = tier.transitionIndex(d, "AddItem");
  const item = new Rec(tier.types.shapeOf(m.types.findIndex((t) => t.k === "record" && t.name === "Item")) as never, ["a", 2, 150]);
  for (const vm of [tier, interp]) {
    let st = vm.initState(d, "o");
    for (let i = 0; i < 3; i++) {
      const r = vm.start(d, add, [item], st, ENV);
      expect(r.kind).toBe("done");
      st = r.state;
    }
  }
  expect(tier.tierStats.runs).toBeGreaterThan(3);
  expect(tier.tierStats.bails).toBe(0);
});

const DEEP = `
fn down(n: int) -> int {
  if n == 0 { return 0 }
  return 1 + down(n - 1)
}
effect Audit.note(n: int) -> bool { timeout 1s }
domain R {
  state { x: int = 0 }
  transition Go(n: int) {
    x += 41
    send R["peer"].Go(n: 0)
    emit Audit.note(n: n)
    x += random_int(0, 1000)
    x += down(n)
    return x
  }
}
`;

test("a bail that is no trap (calls deeper than the tier goes) undoes state, sends, intents and random draws", () => {
  const { interp, tier } = machines(DEEP);
  const d = interp.domainIndex("R");
  const t = interp.transitionIndex(d, "Go");
  for (const n of [TIER_CALL_DEPTH_MAX - 2, TIER_CALL_DEPTH_MAX + 5]) {
    const st = interp.initState(d, "r");
    const a = interp.start(d, t, [n], st, ENV);
    const b = tier.start(d, t, [n], st, ENV);
    expect(a.kind).toBe("done");
    expect(b, `n = ${n}`).toEqual(a);
  }
  // The shallow call ran compiled; the deep one bailed after writing state, sending, emitting
  // and drawing a random number, and the interpreter's rerun still matches.
  expect(tier.tierStats.bails).toBe(1);
});

/** DEEP with a recursive function whose frames are large (30 locals), so its compiled
 * recursion needs far more host stack than the interpreter's rerun does. */
const DEEP_BIG_FRAMES = DEEP.replace(
  "  return 1 + down(n - 1)",
  [...Array.from({ length: 30 }, (_, i) => `  let a${i} = n + ${i}`), `  return 1 + down(n - 1) + (${Array.from({ length: 30 }, (_, i) => `a${i}`).join(" + ")}) * 0`].join("\n"),
);

test("a bail that is no trap (host stack overflow) undoes state, sends, intents and random draws before the interpreter reruns", () => {
  // Run the transition with less and less host stack left: somewhere the compiled recursion
  // overflows the host stack after the state write, send, emit and random draw, while the
  // interpreter (which never recurses on the host) still has room to rerun the call.
  const { interp, tier } = machines(DEEP_BIG_FRAMES);
  const d = interp.domainIndex("R");
  const t = interp.transitionIndex(d, "Go");
  const st = interp.initState(d, "r");
  const n = TIER_CALL_DEPTH_MAX - 16; // below the tier's own depth limit: only the host can stop it
  const want = interp.start(d, t, [n], st, ENV);
  expect(want.kind).toBe("done");
  const results: unknown[] = [];
  let bailedAndAnswered = 0;
  const descend = (k: number): boolean => {
    // Returns true once deep enough that even starting a run overflows.
    let deeper: boolean;
    try {
      deeper = k > 200_000 ? true : descend(k + 1);
    } catch {
      return true;
    }
    if (!deeper || results.length >= 400) return false;
    const bails = tier.tierStats.bails;
    try {
      const r = tier.start(d, t, [n], st, ENV);
      // The interpreter itself may run out of host stack this deep; it reports that as a
      // trap (the same with or without the tier), which says nothing about the rollback.
      if (r.kind === "failed" && r.trap.code === "LX-STACK" && r.trap.message.startsWith("host limit")) return true;
      results.push(r);
      if (tier.tierStats.bails > bails) bailedAndAnswered++;
    } catch {
      return true; // overflowed outside the tier's guard (in the test or the interpreter): go up
    }
    return true;
  };
  descend(0);
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) expect(r).toEqual(want);
  // (This also shows the tier ran at all, although the machine was first used deep in the
  // stack, where compiling the tier itself overflowed: that must not switch it off for good.)
  expect(bailedAndAnswered).toBeGreaterThan(0);
});

test("the tier is on by default, off on request, and off for unverified or very large modules", () => {
  const src = `domain C { state { n: int = 0 } transition Inc() { n += 1; return n } }`;
  const m = compile({ "c.lex": src });
  const run = (vm: Machine): number => {
    const d = vm.domainIndex("C");
    const r = vm.start(d, vm.transitionIndex(d, "Inc"), [], vm.initState(d, "c"), ENV);
    expect(r.kind === "done" && r.reply).toBe(1);
    return vm.tierStats.runs;
  };
  expect(run(new Machine(m))).toBeGreaterThan(0);
  expect(run(new Machine(m, { compiledTier: false }))).toBe(0);
  expect(run(new Machine(m, { verify: false }))).toBe(0);
  // Unreachable NOPs after the last instruction push the module past the size cap.
  const big: Module = { ...m, fns: m.fns.map((f, i) => (i === 0 ? { ...f, code: Int32Array.from([...f.code, ...new Array<number>(TIER_MODULE_CODE_WORDS_MAX).fill(0)]) } : f)) };
  expect(run(new Machine(big))).toBe(0);
});

test("when the host refuses to compile generated code, the machine runs everything in the interpreter", () => {
  const m = compile({ "c.lex": `domain C { state { n: int = 0 } transition Inc() { n += 1; return n } }` });
  const saved = globalThis.Function;
  const vm = new Machine(m);
  let r;
  try {
    // What --disallow-code-generation-from-strings does to `new Function`.
    globalThis.Function = function () {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    const d = vm.domainIndex("C");
    r = vm.start(d, vm.transitionIndex(d, "Inc"), [], vm.initState(d, "c"), ENV);
  } finally {
    globalThis.Function = saved;
  }
  expect(r.kind === "done" && r.reply).toBe(1);
  expect(vm.tierStats.runs).toBe(0);
});
