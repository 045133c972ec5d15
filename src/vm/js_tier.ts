/**
 * The compiled tier: translates a verified module's bytecode into JavaScript (one
 * `new Function` per module) so hot transitions run as JIT-compiled code instead of through
 * the interpreter's dispatch loop. The interpreter (machine.ts) stays the definition of what
 * a program does; this tier is only a faster way to get the same answer.
 *
 * SHAPE OF THE CODE. Each function becomes a JS function whose locals and operand-stack slots
 * are JS variables (`l0…`, `s0…`: the verifier proved the stack depth at every pc, so each
 * stack slot has a fixed name). Basic blocks are the cases of a `for (;;) switch (blk)` loop;
 * jumps set `blk` and `continue`, fall-through falls through. Plain functions (`fn`) call
 * each other as JS functions; entry functions (transitions, init, goals, invariants) take a
 * resume pc and initial locals and return the same `Exit` as the interpreter, with locals
 * spilled into the frame at SLICE/AWAIT (the stack is empty there, by the verifier).
 *
 * DETERMINISM: BAIL OUT AND RE-RUN. The compiled code handles only the path on which nothing
 * unusual happens. Whenever anything else would happen — a trap (overflow, index, division
 * by zero, limits, …), fuel running short, calls deeper than the tier's own (lower) depth
 * limit, a host exception — it throws `BAIL`; the machine then undoes what the run did to the segment
 * (fuel, state fields, sends, intents, random stream) and runs the same call in the
 * interpreter from the same starting point. Segments are pure functions of their inputs, so
 * the interpreter reproduces the exact trap, message, position and fuel. A trapping call thus
 * costs its compiled attempt plus an interpreted run: traps are the rare path.
 *
 * The exception is the program's own `fail` and failed `assert` (FAIL, ASSERT_FAIL), which a
 * domain uses to reject inputs and are not rare: they throw `TierTrap` with the message and
 * the fn/pc, and the machine reports them as the interpreter would. That is exact because
 * reaching one in compiled code means every instruction before it ran without a trap and its
 * block was paid for in full, so the interpreter reaches the same instruction with fuel left.
 *
 * FUEL. Each basic block charges its instruction count on entry (`fuel -= n`) and bails when
 * that goes negative; built-ins and other variable charges subtract their extra and bail on
 * a negative balance too. A run that does not bail therefore charged exactly what the
 * interpreter charges instruction by instruction (every block it entered ran to its end), and
 * since fuel only decreases and ended ≥ 0, the interpreter would not have run out either.
 * A run that does bail is redone by the interpreter, which traps at the exact instruction.
 */
import { COLLECTION_LEN_MAX, CALL_DEPTH_MAX, INT_MAX, STRING_LEN_MAX, VM_STACK_SLOTS_MAX } from "../base/limits.ts";
import { assert } from "../base/assert.ts";
import { compareStrings } from "../base/strings.ts";
import { BUILTINS } from "../bytecode/builtins.ts";
import type { FnDesc, Module } from "../bytecode/module.ts";
import { OPS } from "../bytecode/opcodes.ts";
import { callBuiltin, cost } from "./builtins.ts";
import { jsonIndex, jsonMember, prngOf, pushIntent, pushSend, randomInt, type Exit, type Seg } from "./ops.ts";
import { equals, PList, PMap, PSet, Rec, unitVariant, Variant, type EnumShape, type Json, type RecordShape, type Value } from "./values/index.ts";

/**
 * Modules with more code than this run in the interpreter only. Why: the generated source is
 * ~40 bytes per instruction and `new Function` parses it all at once; past ~200k words that
 * costs more time and memory at load than it saves. Behaviour is the same either way, so this
 * is a tuning knob, not a program limit (it is not in base/limits.ts for that reason).
 */
export const TIER_MODULE_CODE_WORDS_MAX = 200_000;

/**
 * Compiled functions call each other on the host stack; past this depth the call is left to
 * the interpreter (bail and rerun), which keeps its own stack up to CALL_DEPTH_MAX. Why: host
 * stack space is not ours to count on — a deep host overflow could land inside library code
 * (a built-in, the values library) — so the tier stays far below it. Natural recursion
 * (trees, fib) is much shallower than this.
 */
export const TIER_CALL_DEPTH_MAX = 256;
/** Likewise for the frames' total locals + stack slots (≈ host stack bytes / 8): a deep
 * chain of functions with many locals bails well before it could exhaust the host stack. */
export const TIER_FRAME_SLOTS_MAX = 16_384;

/** Thrown by compiled code when the interpreter must take over (see the file comment). */
export const BAIL: unique symbol = Symbol("bail to the interpreter");

/** Thrown by compiled code at FAIL / ASSERT_FAIL (see the file comment). */
export class TierTrap {
  constructor(
    readonly code: "LX-FAIL" | "LX-ASSERT",
    /** The message on the stack (a string in any module the compiler wrote). */
    readonly message: Value,
    readonly fn: number,
    readonly pc: number,
  ) {}
}

/** A compiled entry function: runs from `pc` with these locals (and a value pushed on resume after AWAIT). */
export type EntryFn = (seg: Seg, pc: number, init: readonly Value[], rv: Value, hasRv: boolean) => Exit;

/** What the compiled code needs from the machine that owns it. */
export type TierHost = {
  readonly consts: readonly Value[];
  readonly recordShapes: readonly (RecordShape | null)[];
  readonly enumShapes: readonly (EnumShape | null)[];
  /** CAST: the machine's implementation (one definition of the cast rules and messages). */
  readonly cast: (ty: number, j: Json) => Value;
};

// Opcode numbers, looked up by name once so the generator reads like the opcode table.
const OP = Object.fromEntries(OPS.map((o) => [o.name, o.code])) as Record<string, number>;

type FnPlan = {
  /** Operand-stack depth before each instruction; -1 where unreachable or not an instruction start. */
  readonly depth: Int32Array;
  /** 1 where a basic block starts. */
  readonly leader: Uint8Array;
  /** Instruction starts in order. */
  readonly starts: number[];
};

/** Stack depths (as the verifier computes them) and basic-block leaders of one function. */
function plan(m: Module, f: FnDesc): FnPlan {
  const code = f.code;
  const n = code.length;
  const depth = new Int32Array(n).fill(-1);
  const leader = new Uint8Array(n);
  const starts: number[] = [];
  for (let pc = 0; pc < n; pc += 1 + OPS[code[pc]!]!.operands.length) starts.push(pc);
  const work = [0];
  depth[0] = 0;
  leader[0] = 1;
  const flow = (to: number, d: number): void => {
    assert(to < n && (depth[to] === -1 || depth[to] === d), () => `js tier: unverified flow in ${f.name}`);
    if (depth[to] === -1) {
      depth[to] = d;
      work.push(to);
    }
  };
  while (work.length > 0) {
    const pc = work.pop()!;
    const info = OPS[code[pc]!]!;
    const size = 1 + info.operands.length;
    const pop = typeof info.pop === "number" ? info.pop : info.pop(Array.from(code.subarray(pc + 1, pc + size)), m);
    const after = depth[pc]! - pop + info.push;
    const op = code[pc]!;
    if (op === OP.JMP) {
      flow(code[pc + 1]!, after);
      leader[code[pc + 1]!] = 1;
    } else if (op === OP.JF || op === OP.JT) {
      flow(code[pc + 1]!, after);
      flow(pc + size, after);
      leader[code[pc + 1]!] = 1;
      leader[pc + size] = 1;
    } else if (info.terminator !== true) {
      flow(pc + size, after);
      // Resume points start blocks: a suspended frame continues there.
      if (op === OP.SLICE || op === OP.AWAIT) leader[pc + size] = 1;
    }
  }
  return { depth, leader, starts };
}

/** A number as a JS literal that reads back as exactly the same value (null when it cannot be one). */
function numLiteral(v: number): string | null {
  if (!Number.isFinite(v) || Object.is(v, -0)) return null;
  const s = String(v);
  return Number(s) === v ? (v < 0 ? `(${s})` : s) : null;
}

function fnName(fi: number, m: Module): string {
  return `${m.fns[fi]!.kind === "fn" ? "f" : "e"}${fi}`;
}

/** JS source of one function. */
function genFn(m: Module, fi: number, host: TierHost): string {
  const f = m.fns[fi]!;
  const code = f.code;
  const { depth, leader, starts } = plan(m, f);
  const isEntry = f.kind !== "fn";
  const s = (i: number): string => `s${i}`;
  const l = (i: number): string => `l${i}`;
  const localsArray = `[${Array.from({ length: f.locals }, (_, i) => l(i)).join(", ")}]`;

  // Blocks: reachable leaders in pc order, numbered densely for the switch's jump table.
  const blockOf = new Map<number, number>();
  for (const pc of starts) if (leader[pc] === 1 && depth[pc]! >= 0) blockOf.set(pc, blockOf.size);
  const blk = (pc: number): number => {
    const b = blockOf.get(pc);
    assert(b !== undefined, () => `js tier: ${f.name}: no block at ${pc}`);
    return b;
  };

  const out: string[] = [];
  const params = Array.from({ length: f.params }, (_, i) => `a${i}`);
  if (isEntry) out.push(`function ${fnName(fi, m)}(seg, pc, init, rv, hasRv) {`, `const depth = 0, bp = 0;`);
  else out.push(`function ${fnName(fi, m)}(seg, depth, bp${params.map((p) => `, ${p}`).join("")}) {`);
  out.push(`let fuel = seg.fuel;`, `const fields = seg.fields;`);
  for (let i = 0; i < f.locals; i++) {
    if (isEntry) out.push(`let ${l(i)} = ${i} < init.length ? init[${i}] : null;`);
    else out.push(`let ${l(i)} = ${i < f.params ? `a${i}` : "null"};`);
  }
  for (let i = 0; i < f.maxStack; i++) out.push(`let ${s(i)} = null;`);
  out.push(`let blk = 0;`);
  if (isEntry) {
    // Where a frame may (re)start: pc 0, and right after each SLICE / AWAIT.
    out.push(`switch (pc) {`, `case 0: if (hasRv) throw BAIL; break;`);
    for (const pc of starts) {
      if (depth[pc]! < 0) continue;
      const op = code[pc]!;
      if (op !== OP.SLICE && op !== OP.AWAIT) continue;
      const next = pc + 1 + OPS[op]!.operands.length;
      if (next >= code.length || depth[next]! < 0) continue;
      if (op === OP.SLICE) out.push(`case ${next}: if (hasRv) throw BAIL; blk = ${blk(next)}; break;`);
      else out.push(`case ${next}: if (!hasRv) throw BAIL; ${s(depth[next]! - 1)} = rv; blk = ${blk(next)}; break;`);
    }
    out.push(`default: throw BAIL;`, `}`);
  }
  out.push(`for (;;) switch (blk) {`);

  let open = false; // inside a block whose end falls through
  for (let k = 0; k < starts.length; k++) {
    const pc = starts[k]!;
    const d = depth[pc]!;
    if (d < 0) continue; // unreachable
    if (leader[pc] === 1) {
      // Instructions of this block: up to the next leader, or the one that leaves the block.
      let n = 0;
      for (let j = k; j < starts.length; j++) {
        const q = starts[j]!;
        if (j > k && leader[q] === 1) break;
        if (depth[q]! < 0) break;
        n++;
        const info = OPS[code[q]!]!;
        if (info.terminator === true || code[q] === OP.JF || code[q] === OP.JT || code[q] === OP.SLICE || code[q] === OP.AWAIT) break;
      }
      out.push(`case ${blk(pc)}: if ((fuel -= ${n}) < 0) throw BAIL;`);
    }
    open = true;
    const op = code[pc]!;
    const info = OPS[op]!;
    const a = (i: number): number => code[pc + 1 + i]!;
    const next = pc + 1 + info.operands.length;
    const top = s(d - 1);
    const below = s(d - 2);
    const bin = (expr: string): void => void out.push(`${below} = ${expr};`);
    const intOp = (sym: string, neg0: boolean): void => {
      out.push(`${below} = ${below} ${sym} ${top}${neg0 ? " + 0" : ""};`, `if (${below} > ${INT_MAX} || ${below} < -${INT_MAX}) throw BAIL;`);
    };
    const floatOp = (sym: string): void => {
      out.push(`{ const r = ${below} ${sym} ${top}; if (!Number.isFinite(r)) throw BAIL; ${below} = r + 0; }`);
    };
    const fuelCheck = `if (fuel < 0) throw BAIL;`;
    out.push(`// ${pc} ${info.name}`);
    switch (info.name) {
      case "NOP":
      case "POP":
        break;
      case "CONST": {
        const v = host.consts[a(0)]!;
        const lit = typeof v === "number" ? numLiteral(v) : null;
        out.push(`${s(d)} = ${lit ?? `K[${a(0)}]`};`);
        break;
      }
      case "INT":
        out.push(`${s(d)} = ${numLiteral(a(0))};`);
        break;
      case "TRUE":
        out.push(`${s(d)} = true;`);
        break;
      case "FALSE":
        out.push(`${s(d)} = false;`);
        break;
      case "NONE":
        out.push(`${s(d)} = null;`);
        break;
      case "DUP":
        out.push(`${s(d)} = ${top};`);
        break;
      case "LOAD":
        out.push(`${s(d)} = ${l(a(0))};`);
        break;
      case "STORE":
        out.push(`${l(a(0))} = ${top};`);
        break;
      case "SLOAD":
        out.push(`${s(d)} = fields[${a(0)}];`);
        break;
      case "SSTORE":
        out.push(`fields[${a(0)}] = ${top}; seg.dirty = true;`);
        break;
      case "SELF_ID":
        out.push(`${s(d)} = seg.instance;`);
        break;
      case "ADD_I":
        intOp("+", false);
        break;
      case "SUB_I":
        intOp("-", false);
        break;
      case "MUL_I":
        intOp("*", true);
        break;
      case "DIV_I":
        out.push(`if (${top} === 0) throw BAIL;`, `${below} = Math.trunc(${below} / ${top}) + 0;`);
        break;
      case "MOD_I":
        out.push(`if (${top} === 0) throw BAIL;`, `${below} = (${below} % ${top}) + 0;`);
        break;
      case "NEG_I":
      case "NEG_F":
        out.push(`${top} = -${top} + 0;`);
        break;
      case "ADD_F":
        floatOp("+");
        break;
      case "SUB_F":
        floatOp("-");
        break;
      case "MUL_F":
        floatOp("*");
        break;
      case "DIV_F":
        floatOp("/");
        break;
      case "MOD_F":
        floatOp("%");
        break;
      case "EQ":
      case "NE":
        out.push(
          `{ const x = ${below}, y = ${top}; ${below} = ${info.name === "NE" ? "!" : ""}(x === y || (typeof x === "object" && x !== null && y !== null && equals(x, y))); }`,
        );
        break;
      case "LT_N":
        bin(`${below} < ${top}`);
        break;
      case "LE_N":
        bin(`${below} <= ${top}`);
        break;
      case "GT_N":
        bin(`${below} > ${top}`);
        break;
      case "GE_N":
        bin(`${below} >= ${top}`);
        break;
      case "LT_S":
        bin(`compareStrings(${below}, ${top}) < 0`);
        break;
      case "LE_S":
        bin(`compareStrings(${below}, ${top}) <= 0`);
        break;
      case "GT_S":
        bin(`compareStrings(${below}, ${top}) > 0`);
        break;
      case "GE_S":
        bin(`compareStrings(${below}, ${top}) >= 0`);
        break;
      case "NOT":
        out.push(`${top} = !${top};`);
        break;
      case "IS_NONE":
        out.push(`${top} = ${top} === null;`);
        break;
      case "JMP":
        // A jump to the very next instruction (a block of its own) is a fall-through.
        if (a(0) !== next) {
          out.push(`blk = ${blk(a(0))}; continue;`);
          open = false;
        }
        break;
      case "JF":
        out.push(`if (${top} === false) { blk = ${blk(a(0))}; continue; }`);
        break;
      case "JT":
        out.push(`if (${top} === true) { blk = ${blk(a(0))}; continue; }`);
        break;
      case "CONCAT": {
        const n = a(0);
        const parts = Array.from({ length: n }, (_, i) => s(d - n + i));
        out.push(
          `{ const str = ""${parts.map((p) => ` + ${p}`).join("")};`,
          `if (str.length > ${STRING_LEN_MAX}) throw BAIL;`,
          `fuel -= str.length >> 6; ${fuelCheck}`,
          `${s(d - n)} = str; }`,
        );
        break;
      }
      case "TOSTR_I":
      case "TOSTR_F":
        out.push(`${top} = String(${top});`);
        break;
      case "TOSTR_B":
        out.push(`${top} = ${top} ? "true" : "false";`);
        break;
      case "CALL": {
        const callee = a(0);
        const cf = m.fns[callee]!;
        const p = cf.params;
        const off = f.locals + d - p; // the callee's frame base, relative to ours (as the interpreter lays it out)
        // The interpreter traps LX-STACK past VM_STACK_SLOTS_MAX; the tier bails earlier still.
        const slotsLimit = Math.min(VM_STACK_SLOTS_MAX, TIER_FRAME_SLOTS_MAX) - off - cf.locals - cf.maxStack;
        const args = Array.from({ length: p }, (_, i) => `, ${s(d - p + i)}`).join("");
        out.push(
          `if (depth >= ${Math.min(CALL_DEPTH_MAX, TIER_CALL_DEPTH_MAX)} || bp > ${slotsLimit}) throw BAIL;`,
          `seg.fuel = fuel;`,
          `${s(d - p)} = ${fnName(callee, m)}(seg, depth + 1, bp + ${off}${args});`,
          `fuel = seg.fuel;`,
        );
        break;
      }
      case "RET":
        out.push(`seg.fuel = fuel;`, isEntry ? `return { kind: "ret", value: ${top} };` : `return ${top};`);
        open = false;
        break;
      case "BUILTIN": {
        const id = a(0);
        const argc = BUILTINS[id]!.argc;
        const arg = (i: number): string => (i < argc ? s(d - argc + i) : "null");
        out.push(`cost.extra = 0;`, `${s(d - argc)} = callBuiltin(${id}, ${arg(0)}, ${arg(1)}, ${arg(2)});`, `fuel -= cost.extra; ${fuelCheck}`);
        break;
      }
      case "LIST": {
        const n = a(1);
        if (n === 0) out.push(`${s(d)} = PList.empty;`);
        else out.push(`${s(d - n)} = PList.from([${Array.from({ length: n }, (_, i) => s(d - n + i)).join(", ")}]);`, `fuel -= ${n}; ${fuelCheck}`);
        break;
      }
      case "MAP": {
        const n = a(1);
        let expr = "PMap.empty";
        for (let i = 0; i < n; i++) expr += `.set(${s(d - 2 * n + 2 * i)}, ${s(d - 2 * n + 2 * i + 1)})`;
        out.push(`${s(d - 2 * n)} = ${expr};`);
        if (n > 0) out.push(`fuel -= ${n}; ${fuelCheck}`);
        break;
      }
      case "SET": {
        const n = a(1);
        let expr = "PSet.empty";
        for (let i = 0; i < n; i++) expr += `.add(${s(d - n + i)})`;
        out.push(`${s(d - n)} = ${expr};`);
        if (n > 0) out.push(`fuel -= ${n}; ${fuelCheck}`);
        break;
      }
      case "RECORD": {
        const n = host.recordShapes[a(0)]!.fields.length;
        out.push(`${s(d - n)} = new Rec(RS[${a(0)}], [${Array.from({ length: n }, (_, i) => s(d - n + i)).join(", ")}]);`);
        break;
      }
      case "VARIANT": {
        const shape = host.enumShapes[a(0)]!;
        const n = shape.variants[a(1)]!.fields.length;
        if (n === 0) out.push(`${s(d)} = unitVariant(ES[${a(0)}], ${a(1)});`);
        else out.push(`${s(d - n)} = new Variant(ES[${a(0)}], ${a(1)}, [${Array.from({ length: n }, (_, i) => s(d - n + i)).join(", ")}]);`);
        break;
      }
      case "FIELD":
        out.push(`${top} = ${top}.f[${a(1)}];`);
        break;
      case "SETFIELD":
        bin(`${below}.withField(${a(1)}, ${top})`);
        break;
      case "TAG":
        out.push(`${top} = ${top}.tag;`);
        break;
      case "VFIELD":
        out.push(`${top} = ${top}.f[${a(2)}];`);
        break;
      case "LGET":
        out.push(`{ const xs = ${below}, i = ${top}; if (!(i >= 0 && i < xs.size)) throw BAIL; ${below} = xs.get(i); }`);
        break;
      case "LSET":
        out.push(`{ const xs = ${s(d - 3)}, i = ${below}; if (!(i >= 0 && i < xs.size)) throw BAIL; ${s(d - 3)} = xs.set(i, ${top}); }`);
        break;
      case "MGET":
        out.push(`{ const v = ${below}.get(${top}); if (v === undefined) throw BAIL; ${below} = v; }`);
        break;
      case "MSET":
        out.push(`{ const mm = ${s(d - 3)}.set(${below}, ${top}); if (mm.size > ${COLLECTION_LEN_MAX}) throw BAIL; ${s(d - 3)} = mm; }`);
        break;
      case "JGET":
        out.push(`${top} = jsonMember(${top}, K[${a(0)}]);`);
        break;
      case "JINDEX":
        bin(`jsonIndex(${below}, ${top})`);
        break;
      case "CAST":
        out.push(`${top} = CAST(${a(0)}, ${top});`);
        break;
      case "NOW":
        out.push(`${s(d)} = seg.now;`);
        break;
      case "RANDOM":
        out.push(`${s(d)} = prngOf(seg).random();`);
        break;
      case "RANDOM_INT":
        bin(`randomInt(seg, ${below}, ${top})`);
        break;
      case "UUID":
        out.push(`${s(d)} = prngOf(seg).uuid();`);
        break;
      case "SEND": {
        const [dom, tr, hasDelay] = [a(0), a(1), a(2)];
        const n = m.domains[dom]!.transitions[tr]!.params.length;
        const argBase = d - hasDelay - n;
        const args = Array.from({ length: n }, (_, i) => s(argBase + i)).join(", ");
        out.push(`pushSend(seg, ${dom}, ${tr}, ${s(argBase - 1)}, [${args}], ${hasDelay ? top : "null"});`);
        break;
      }
      case "EMIT":
      case "AWAIT": {
        const [eff, hasKey] = [a(0), a(1)];
        const n = m.effects[eff]!.params.length;
        const argBase = d - hasKey - n;
        const args = Array.from({ length: n }, (_, i) => s(argBase + i)).join(", ");
        out.push(`pushIntent(seg, ${eff}, [${args}], ${hasKey ? top : "null"}, ${info.name === "AWAIT"});`);
        if (info.name === "AWAIT") {
          out.push(`seg.fuel = fuel;`, `return { kind: "await", pc: ${next}, locals: ${localsArray} };`);
          open = false;
        }
        break;
      }
      case "SLICE":
        out.push(`seg.fuel = fuel;`, `return { kind: "slice", pc: ${next}, locals: ${localsArray} };`);
        open = false;
        break;
      case "REPLY":
        out.push(`seg.fuel = fuel;`, `return { kind: "reply", value: ${top} };`);
        open = false;
        break;
      case "FAIL":
      case "ASSERT_FAIL":
        out.push(`throw new TierTrap("${info.name === "FAIL" ? "LX-FAIL" : "LX-ASSERT"}", ${top}, ${fi}, ${pc});`);
        open = false;
        break;
      default:
        throw new Error(`js tier: no translation for ${info.name}`);
    }
  }
  assert(!open, () => `js tier: ${f.name} falls off its end`);
  out.push(`default: throw BAIL;`, `}`, `}`);
  return out.join("\n");
}

/**
 * Compiles every function of a verified module. Returns, per function index, the entry
 * point for transitions, init, goals and invariants (null for plain functions, which are
 * only called from compiled code), or null for the whole module when it is too large.
 */
export function compileModule(m: Module, host: TierHost): (EntryFn | null)[] | null {
  let words = 0;
  for (const f of m.fns) words += f.code.length;
  if (words > TIER_MODULE_CODE_WORDS_MAX) return null;
  const fns = m.fns.map((_, fi) => genFn(m, fi, host));
  const entries = m.fns.map((f, fi) => (f.kind === "fn" ? "null" : fnName(fi, m))).join(", ");
  const deps = {
    BAIL,
    TierTrap,
    K: host.consts,
    RS: host.recordShapes,
    ES: host.enumShapes,
    CAST: host.cast,
    PList,
    PMap,
    PSet,
    Rec,
    Variant,
    unitVariant,
    equals,
    compareStrings,
    callBuiltin,
    cost,
    jsonMember,
    jsonIndex,
    prngOf,
    randomInt,
    pushSend,
    pushIntent,
  };
  const names = Object.keys(deps);
  const source = `"use strict";\n${fns.join("\n\n")}\nreturn [${entries}];`;
  // The source is built only from numbers of a verified module and the fixed templates above:
  // no string from the program reaches it (constants are passed in `K`).
  const factory = new Function(...names, source) as (...deps: unknown[]) => (EntryFn | null)[];
  return factory(...names.map((k) => deps[k as keyof typeof deps]));
}

/** The generated source of one module, for reading and debugging (`compileModule` runs the same). */
export function tierSource(m: Module, host: TierHost): string {
  return m.fns.map((_, fi) => genFn(m, fi, host)).join("\n\n");
}
