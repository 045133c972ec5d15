/**
 * The Lexum VM: runs verified bytecode deterministically, one segment at a time.
 *
 * Deterministic by construction (STYLE.md §8): no clock, randomness, environment or host
 * iteration order; `now()`, `random()` and `uuid()` read values the caller injects
 * (`SegmentEnv`). State is a persistent record; a segment works on a copy of its field array
 * (O(fields)), so the caller's version is never touched and a snapshot can hold it.
 *
 * The slice boundary API (for the runtime): `start` runs a transition until it completes,
 * fails, or reaches a commit point (`slice` end or `await`), returning the new state, the
 * outputs (effect intents, sends, reply) and, when not finished, a `Frame` (function, pc,
 * locals; the operand stack is provably empty there) that `resume` continues exactly.
 * Invariants are checked at every commit point; a violation fails the segment (`LX-INV`).
 *
 * The interpreter keeps its own call stack (never host recursion) and charges fuel per
 * instruction plus built-in work; running out traps `LX-FUEL`. (The compiled tier does
 * recurse on the host, but only to a shallow depth; deeper calls, and any host overflow,
 * go to the interpreter, so rules.md [31]'s guarantee holds.)
 *
 * Two ways to run a function, one meaning: this interpreter defines what a program does;
 * the compiled tier (js_tier.ts) runs the same bytecode as generated JavaScript and, whenever
 * anything but the plain path happens (a trap, fuel running short, a limit), bails out and
 * the call is redone here from the same starting point. `exec` chooses; `interpret` is the
 * reference loop.
 */
import { assert } from "../base/assert.ts";
import { CALL_DEPTH_MAX, COLLECTION_LEN_MAX, GOAL_FUEL, INT_MAX, STATE_WEIGHT_MAX, STRING_LEN_MAX, VM_STACK_SLOTS_MAX } from "../base/limits.ts";
import { compareStrings } from "../base/strings.ts";
import { BUILTINS } from "../bytecode/builtins.ts";
import type { FnDesc, Module } from "../bytecode/module.ts";
import { verifyModule } from "../bytecode/verify.ts";
import { callBuiltin, cost } from "./builtins.ts";
import { compileModule, tierSource, TierTrap, type EntryFn, type TierHost } from "./js_tier.ts";
import { jsonIndex, jsonMember, prngOf, pushIntent, pushSend, randomInt, type Exit, type IntentOut, type Seg, type SendOut } from "./ops.ts";
import { TrapSignal, type Trap, type TrapCode, type TrapPos } from "./trap.ts";
import {
  tryCastJson,
  equals,
  Json,
  PList,
  PMap,
  PSet,
  Rec,
  RESULT_SHAPE,
  TypeTable,
  Variant,
  weightOf,
  unitVariant,
  type EnumShape,
  type Key,
  type RecordShape,
  type Value,
} from "./values/index.ts";

/** A suspended transition: resumes at `pc` of `fn` with these locals and an empty stack. */
export type Frame = { readonly fn: number; readonly pc: number; readonly locals: readonly Value[] };

export type { SendOut, IntentOut };

export type SegmentOutputs = { readonly sends: readonly SendOut[]; readonly intents: readonly IntentOut[] };

export type SegmentEnv = {
  readonly instance: string;
  /** Logical time of the input that started or resumed this segment (epoch ms). */
  readonly now: number;
  /** The run hash of the previous cycle: seeds random()/uuid(). */
  readonly seed: Uint8Array;
  /** The cycle number this segment will commit as (for default idempotency keys). */
  readonly cycle: number;
  /** Overrides the module's fuel per slice. */
  readonly fuel?: number;
};

export type SegmentResult =
  | { readonly kind: "slice"; readonly state: Rec; readonly frame: Frame; readonly out: SegmentOutputs; readonly fuelUsed: number }
  | { readonly kind: "await"; readonly state: Rec; readonly frame: Frame; readonly out: SegmentOutputs; readonly fuelUsed: number }
  | { readonly kind: "done"; readonly state: Rec; readonly reply: Value; readonly out: SegmentOutputs; readonly fuelUsed: number }
  /** The segment's changes and outputs are discarded; `state` is the state it started from. */
  | { readonly kind: "failed"; readonly state: Rec; readonly trap: Trap; readonly out: SegmentOutputs; readonly fuelUsed: number };

export type GoalEval = { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly trap: Trap };

/** Initial size of a machine's stack; it doubles as deep calls need (up to VM_STACK_SLOTS_MAX). */
const STACK_SLOTS_INITIAL = 1024;

const EMPTY_OUT: SegmentOutputs = Object.freeze({ sends: Object.freeze([]), intents: Object.freeze([]) });
const NO_VALUE = Symbol("no value");

export type MachineOptions = {
  /** Verify the module first (default true). Unverified modules never use the compiled tier. */
  readonly verify?: boolean;
  /** Run functions through the compiled tier (default true); false: the interpreter only. */
  readonly compiledTier?: boolean;
};

/** How often the compiled tier ran an entry and how often it handed the call to the interpreter. */
export type TierStats = { runs: number; bails: number };

/** How a run of a function ended: an `Exit`, or a trap. */
type ExecResult = Exit | { kind: "trap"; trap: Trap };

export class Machine {
  readonly types: TypeTable;
  private readonly consts: Value[];
  private readonly code: Int32Array[];
  private readonly fns: readonly FnDesc[];
  private readonly recordShapes: (RecordShape | null)[];
  private readonly enumShapes: (EnumShape | null)[];
  private readonly stateShapes: RecordShape[];
  /** Domain of each function (-1 for top-level functions). */
  private readonly fnDomain: Int32Array;
  /** The interpreter's operand/locals stack, reused by every run; all `null` between runs. */
  private stack: Value[] = new Array<Value>(STACK_SLOTS_INITIAL).fill(null);
  /** The interpreter's call stack: caller fn, pc, bp per frame. */
  private readonly calls = new Int32Array(CALL_DEPTH_MAX * 3);
  private running = false;
  /** Compiled entry points by function index: undefined until first needed, null when off. */
  private tier: (EntryFn | null)[] | null | undefined;
  readonly tierStats: TierStats = { runs: 0, bails: 0 };

  constructor(
    readonly module: Module,
    opts: MachineOptions = {},
  ) {
    if (opts.verify !== false) verifyModule(module);
    this.tier = opts.verify !== false && opts.compiledTier !== false ? undefined : null;
    this.types = new TypeTable(module.types);
    this.consts = module.consts.map((c) => c.v);
    this.fns = module.fns;
    this.code = module.fns.map((f) => f.code);
    this.recordShapes = module.types.map((t, i) => (t.k === "record" ? this.types.shapeOf(i) as RecordShape : null));
    this.enumShapes = module.types.map((t, i) => (t.k === "enum" ? this.types.shapeOf(i) as EnumShape : t.k === "result" ? RESULT_SHAPE : null));
    this.stateShapes = module.domains.map((d) => this.recordShapes[d.state]!);
    this.fnDomain = new Int32Array(module.fns.length).fill(-1);
    module.domains.forEach((d, di) => {
      const mark = (fi: number): void => {
        this.fnDomain[fi] = di;
      };
      mark(d.init);
      d.transitions.forEach((t) => mark(t.fn));
      d.goals.forEach((g) => mark(g.fn));
      d.invariants.forEach((inv) => mark(inv.fn));
    });
    module.fns.forEach((f, fi) => {
      const dot = f.name.indexOf(".");
      if (dot > 0 && this.fnDomain[fi] === -1) {
        const di = module.domains.findIndex((d) => d.name === f.name.slice(0, dot));
        if (di >= 0) this.fnDomain[fi] = di;
      }
    });
  }

  domainIndex(name: string): number {
    return this.module.domains.findIndex((d) => d.name === name);
  }

  transitionIndex(domainIdx: number, name: string): number {
    return this.module.domains[domainIdx]?.transitions.findIndex((t) => t.name === name) ?? -1;
  }

  stateShape(domainIdx: number): RecordShape {
    return this.stateShapes[domainIdx]!;
  }

  // ------------------------------------------------------------ public API

  /** The default state of a new instance (runs the domain's `$init`). */
  initState(domainIdx: number, instance: string): Rec {
    const d = this.module.domains[domainIdx]!;
    const seg = this.newSeg(domainIdx, null, { instance, now: 0, seed: new Uint8Array(32), cycle: 0 });
    const r = this.exec(d.init, [], seg);
    if (r.kind === "trap") throw new Error(`the default state of ${d.name} cannot be built: ${r.trap.code} ${r.trap.message}`);
    assert(r.kind === "ret" && r.value instanceof Rec, "$init returns the state record");
    return r.value as Rec;
  }

  /** Starts transition `trIdx` with positional arguments. */
  start(domainIdx: number, trIdx: number, args: readonly Value[], state: Rec, env: SegmentEnv): SegmentResult {
    const d = this.module.domains[domainIdx]!;
    const tr = d.transitions[trIdx]!;
    assert(args.length === tr.params.length, () => `${d.name}.${tr.name} takes ${tr.params.length} arguments`);
    const seg = this.newSeg(domainIdx, state, env);
    const r = this.exec(tr.fn, args, seg);
    return this.finishSegment(seg, state, tr.fn, r);
  }

  /** Continues a frame after a committed `slice` (no value) or an `await` (its result). */
  resume(domainIdx: number, frame: Frame, state: Rec, result: Value | typeof NO_VALUE, env: SegmentEnv): SegmentResult {
    const seg = this.newSeg(domainIdx, state, env);
    const r = this.exec(frame.fn, frame.locals, seg, frame.pc, result);
    return this.finishSegment(seg, state, frame.fn, r);
  }

  static readonly NO_VALUE: typeof NO_VALUE = NO_VALUE;

  /** Evaluates a goal predicate with its own fuel budget (rules.md [31]). */
  evalGoal(domainIdx: number, goalIdx: number, state: Rec, instance: string): GoalEval {
    const d = this.module.domains[domainIdx]!;
    const g = d.goals[goalIdx]!;
    const seg = this.newSeg(domainIdx, state, { instance, now: 0, seed: new Uint8Array(32), cycle: 0, fuel: GOAL_FUEL });
    const r = this.exec(g.fn, [], seg);
    if (r.kind === "trap") return { ok: false, trap: r.trap };
    return { ok: true, value: (r as { value: Value }).value === true };
  }

  // ------------------------------------------------------------ segments

  private newSeg(domainIdx: number, state: Rec | null, env: SegmentEnv): Seg {
    return {
      domain: this.module.domains[domainIdx]!,
      domainIdx,
      instance: env.instance,
      fields: state ? state.f.slice() : [],
      base: state ? state.f : [],
      dirty: false,
      now: env.now,
      seed: env.seed,
      prng: null,
      cycle: env.cycle,
      sends: [],
      intents: [],
      fuel: env.fuel ?? this.module.fuelPerSlice,
      budget: env.fuel ?? this.module.fuelPerSlice,
    };
  }

  private finishSegment(seg: Seg, before: Rec, fn: number, exit: ExecResult): SegmentResult {
    const budget = seg.budget;
    if (exit.kind === "trap") return { kind: "failed", state: before, trap: exit.trap, out: EMPTY_OUT, fuelUsed: budget };
    const state = seg.dirty ? new Rec(this.stateShapes[seg.domainIdx]!, seg.fields) : before;
    if (state !== before && weightOf(state) > STATE_WEIGHT_MAX) {
      return { kind: "failed", state: before, trap: this.mkTrap("LX-LIMIT", `the instance state would exceed ${STATE_WEIGHT_MAX} values`, fn, 0), out: EMPTY_OUT, fuelUsed: budget };
    }
    // Invariants after every segment that changed the state (rules.md [32]: never on defaults).
    if (state !== before || seg.domain.invariants.length > 0) {
      for (const inv of seg.domain.invariants) {
        const ir = this.exec(inv.fn, [], seg);
        if (ir.kind === "trap") return { kind: "failed", state: before, trap: ir.trap, out: EMPTY_OUT, fuelUsed: budget };
        if ((ir as { value: Value }).value !== true) {
          return { kind: "failed", state: before, trap: this.mkTrap("LX-INV", `invariant ${inv.name} is violated`, inv.fn, 0), out: EMPTY_OUT, fuelUsed: budget };
        }
      }
    }
    const out: SegmentOutputs = seg.sends.length === 0 && seg.intents.length === 0 ? EMPTY_OUT : { sends: seg.sends, intents: seg.intents };
    const fuelUsed = seg.budget - seg.fuel;
    switch (exit.kind) {
      case "reply":
        return { kind: "done", state, reply: exit.value, out, fuelUsed };
      case "slice":
        return { kind: "slice", state, frame: { fn, pc: exit.pc, locals: exit.locals }, out, fuelUsed };
      case "await":
        return { kind: "await", state, frame: { fn, pc: exit.pc, locals: exit.locals }, out, fuelUsed };
      case "ret":
        assert(false, "a transition ends with REPLY, never RET");
    }
  }

  // ------------------------------------------------------------ traps

  private pos(fn: number, pc: number): TrapPos | null {
    const dbg = this.module.debug?.fns[fn];
    if (!dbg || dbg.pcs.length === 0) return null;
    let lo = 0;
    let hi = dbg.pcs.length - 1;
    if (dbg.pcs[0]! > pc) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (dbg.pcs[mid]! <= pc) lo = mid;
      else hi = mid - 1;
    }
    const file = this.module.debug!.files[dbg.files[lo]!] ?? "<unknown>";
    return { file, line: dbg.lines[lo]!, col: dbg.cols[lo]! };
  }

  private mkTrap(code: TrapCode, message: string, fn: number, pc: number): Trap {
    return { code, message, fn: this.fns[fn]?.name ?? "?", pc, pos: this.pos(fn, pc) };
  }

  // ------------------------------------------------------------ the interpreter

  /**
   * Runs `entry` until it returns/replies/suspends or traps. `resumePc` continues a suspended
   * frame; `resumeValue` is pushed first when resuming after an `await`. Tries the compiled
   * tier first; if it bails, undoes what it did to `seg` and interprets the call instead.
   */
  private exec(entry: number, args: readonly Value[], seg: Seg, resumePc = 0, resumeValue: Value | typeof NO_VALUE = NO_VALUE): ExecResult {
    const compiled = this.tier === null ? null : this.compiledEntry(entry);
    if (compiled !== null) {
      const fuel = seg.fuel;
      const dirty = seg.dirty;
      const prng = seg.prng;
      const nSends = seg.sends.length;
      const nIntents = seg.intents.length;
      const hasRv = resumeValue !== NO_VALUE;
      let trap: Trap | null = null;
      this.tierStats.runs++;
      try {
        return compiled(seg, resumePc, args, hasRv ? resumeValue : null, hasRv);
      } catch (e) {
        // The program's own `fail` / failed `assert`: reported here, exactly as the
        // interpreter would (js_tier.ts says why that is exact). Anything else (BAIL, a trap
        // signal, a host error): undo, and the interpreter decides.
        if (e instanceof TierTrap) trap = this.mkTrap(e.code, e.message as string, e.fn, e.pc);
        else this.tierStats.bails++;
        seg.fuel = fuel;
        seg.prng = prng;
        seg.sends.length = nSends;
        seg.intents.length = nIntents;
        if (seg.dirty !== dirty) {
          // Only transitions write state, and a transition's run is the first of its segment.
          assert(!dirty, "a compiled run that wrote state started from a clean segment");
          for (let i = 0; i < seg.base.length; i++) seg.fields[i] = seg.base[i]!;
          seg.dirty = false;
        }
        if (trap !== null) return { kind: "trap", trap };
      }
    }
    return this.interpret(entry, args, seg, resumePc, resumeValue);
  }

  /** The compiled entry for `fn`, or null (tier off, module too large, or `fn` is not an entry). */
  private compiledEntry(fn: number): EntryFn | null {
    if (this.tier === undefined) {
      try {
        this.tier = compileModule(this.module, this.tierHost());
      } catch (e) {
        // A host stack overflow (first use happened deep in the caller's stack) is transient:
        // try again next time. Anything else — e.g. code generation from strings is disabled
        // (--disallow-code-generation-from-strings) — is not: stay with the interpreter, which
        // gives the same results.
        if (!(e instanceof RangeError)) this.tier = null;
        return null;
      }
    }
    return this.tier === null ? null : (this.tier[fn] ?? null);
  }

  private tierHost(): TierHost {
    return { consts: this.consts, recordShapes: this.recordShapes, enumShapes: this.enumShapes, cast: (ty, j) => this.cast(ty, j) };
  }

  /** The JavaScript the compiled tier generates for this module (for reading and debugging). */
  compiledTierSource(): string {
    return tierSource(this.module, this.tierHost());
  }

  /** CAST, for the interpreter and the compiled tier. */
  private cast(ty: number, j: Json): Value {
    // tryCastJson, not castJson: a cast to `T?` may succeed with none (null).
    const r = tryCastJson(this.types, ty, j);
    if (!r.ok) throw new TrapSignal("LX-CAST", `json value does not have the shape of ${this.typeName(ty)}: ${r.error.message}`);
    return r.value;
  }

  /** The reference interpreter (see the file comment). */
  private interpret(entry: number, args: readonly Value[], seg: Seg, resumePc: number, resumeValue: Value | typeof NO_VALUE): ExecResult {
    const fns = this.fns;
    const consts = this.consts;
    const codes = this.code;
    const fields = seg.fields;
    assert(!this.running, "the interpreter is not re-entered");
    this.running = true;
    // One operand/locals array per machine, reused by every run and kept all-null between
    // runs: its elements kind never changes, so every load and store site stays monomorphic,
    // and a run allocates nothing for its stack. `high` bounds the slots this run may have
    // written (cleared on the way out so old values are not kept alive).
    let S = this.stack;
    // Call stack: the caller's fn, pc and bp, three words per frame.
    const calls = this.calls;
    let csp = 0;
    let fn = entry;
    let f = fns[fn]!;
    let code = codes[fn]!;
    let bp = 0;
    let pc = resumePc;
    let high = f.locals + f.maxStack + 1;
    if (high > S.length) S = this.growStack(high);
    for (let i = 0; i < f.locals; i++) S[i] = i < args.length ? args[i]! : null;
    let sp = f.locals;
    if (resumeValue !== NO_VALUE) S[sp++] = resumeValue;
    let fuel = seg.fuel;
    let opPc = pc;
    try {
      for (;;) {
        opPc = pc;
        // Case labels are opcode numbers written as literals (name in the comment): V8 compiles
        // a switch over small-integer literals into a jump table, but `case Op.X` (a property
        // load per label) into a chain of compares — 1.8× slower on loops. Checked against the
        // opcode table by test/vm/dispatch.test.ts.
        if (--fuel < 0) throw new TrapSignal("LX-FUEL", `the slice ran out of fuel (${seg.budget} instructions)`);
        switch (code[pc++]) {
          case 0: // NOP
            break;
          case 1: // CONST
            S[sp++] = consts[code[pc++]!]!;
            break;
          case 2: // INT
            S[sp++] = code[pc++]!;
            break;
          case 3: // TRUE
            S[sp++] = true;
            break;
          case 4: // FALSE
            S[sp++] = false;
            break;
          case 5: // NONE
            S[sp++] = null;
            break;
          case 6: // POP
            sp--;
            break;
          case 7: // DUP
            S[sp] = S[sp - 1]!;
            sp++;
            break;
          case 8: // LOAD
            S[sp++] = S[bp + code[pc++]!]!;
            break;
          case 9: // STORE
            S[bp + code[pc++]!] = S[--sp]!;
            break;
          case 10: // SLOAD
            S[sp++] = fields[code[pc++]!]!;
            break;
          case 11: // SSTORE
            fields[code[pc++]!] = S[--sp]!;
            seg.dirty = true;
            break;
          case 12: // SELF_ID
            S[sp++] = seg.instance;
            break;
          case 13: { // ADD_I
            const r = (S[sp - 2] as number) + (S[sp - 1] as number);
            if (r > INT_MAX || r < -INT_MAX) throw new TrapSignal("LX-OVERFLOW", "integer addition overflows ±(2^53−1)");
            S[--sp - 1] = r;
            break;
          }
          case 14: { // SUB_I
            const r = (S[sp - 2] as number) - (S[sp - 1] as number);
            if (r > INT_MAX || r < -INT_MAX) throw new TrapSignal("LX-OVERFLOW", "integer subtraction overflows ±(2^53−1)");
            S[--sp - 1] = r;
            break;
          }
          case 15: { // MUL_I
            const r = (S[sp - 2] as number) * (S[sp - 1] as number);
            if (r > INT_MAX || r < -INT_MAX) throw new TrapSignal("LX-OVERFLOW", "integer multiplication overflows ±(2^53−1)");
            S[--sp - 1] = r + 0;
            break;
          }
          case 16: { // DIV_I
            const b = S[sp - 1] as number;
            if (b === 0) throw new TrapSignal("LX-DIV0", "integer division by zero");
            // Exact for all safe integers: the float quotient never rounds across an integer.
            S[--sp - 1] = Math.trunc((S[sp - 1] as number) / b) + 0;
            break;
          }
          case 17: { // MOD_I
            const b = S[sp - 1] as number;
            if (b === 0) throw new TrapSignal("LX-DIV0", "integer remainder by zero");
            S[--sp - 1] = ((S[sp - 1] as number) % b) + 0;
            break;
          }
          case 18: // NEG_I
            S[sp - 1] = -(S[sp - 1] as number) + 0;
            break;
          case 19: { // ADD_F
            const r = (S[sp - 2] as number) + (S[sp - 1] as number);
            if (!Number.isFinite(r)) throw new TrapSignal("LX-FLOAT", "float result is not finite");
            S[--sp - 1] = r + 0;
            break;
          }
          case 20: { // SUB_F
            const r = (S[sp - 2] as number) - (S[sp - 1] as number);
            if (!Number.isFinite(r)) throw new TrapSignal("LX-FLOAT", "float result is not finite");
            S[--sp - 1] = r + 0;
            break;
          }
          case 21: { // MUL_F
            const r = (S[sp - 2] as number) * (S[sp - 1] as number);
            if (!Number.isFinite(r)) throw new TrapSignal("LX-FLOAT", "float result is not finite");
            S[--sp - 1] = r + 0;
            break;
          }
          case 22: { // DIV_F
            const b = S[sp - 1] as number;
            const r = (S[sp - 2] as number) / b;
            if (!Number.isFinite(r)) throw new TrapSignal("LX-FLOAT", b === 0 ? "float division by zero" : "float result is not finite");
            S[--sp - 1] = r + 0;
            break;
          }
          case 23: { // MOD_F
            const r = (S[sp - 2] as number) % (S[sp - 1] as number);
            if (!Number.isFinite(r)) throw new TrapSignal("LX-FLOAT", "float result is not finite");
            S[--sp - 1] = r + 0;
            break;
          }
          case 24: // NEG_F
            S[sp - 1] = -(S[sp - 1] as number) + 0;
            break;
          case 25: { // EQ
            const a = S[sp - 2]!;
            const b = S[sp - 1]!;
            S[--sp - 1] = a === b || (typeof a === "object" && a !== null && b !== null && equals(a, b));
            break;
          }
          case 26: { // NE
            const a = S[sp - 2]!;
            const b = S[sp - 1]!;
            S[--sp - 1] = !(a === b || (typeof a === "object" && a !== null && b !== null && equals(a, b)));
            break;
          }
          case 27: // LT_N
            S[sp - 2] = (S[sp - 2] as number) < (S[sp - 1] as number);
            sp--;
            break;
          case 28: // LE_N
            S[sp - 2] = (S[sp - 2] as number) <= (S[sp - 1] as number);
            sp--;
            break;
          case 29: // GT_N
            S[sp - 2] = (S[sp - 2] as number) > (S[sp - 1] as number);
            sp--;
            break;
          case 30: // GE_N
            S[sp - 2] = (S[sp - 2] as number) >= (S[sp - 1] as number);
            sp--;
            break;
          case 31: // LT_S
            S[sp - 2] = compareStrings(S[sp - 2] as string, S[sp - 1] as string) < 0;
            sp--;
            break;
          case 32: // LE_S
            S[sp - 2] = compareStrings(S[sp - 2] as string, S[sp - 1] as string) <= 0;
            sp--;
            break;
          case 33: // GT_S
            S[sp - 2] = compareStrings(S[sp - 2] as string, S[sp - 1] as string) > 0;
            sp--;
            break;
          case 34: // GE_S
            S[sp - 2] = compareStrings(S[sp - 2] as string, S[sp - 1] as string) >= 0;
            sp--;
            break;
          case 35: // NOT
            S[sp - 1] = !S[sp - 1];
            break;
          case 36: // IS_NONE
            S[sp - 1] = S[sp - 1] === null;
            break;
          case 37: // JMP
            pc = code[pc]!;
            break;
          case 38: // JF
            if (S[--sp] === false) pc = code[pc]!;
            else pc++;
            break;
          case 39: // JT
            if (S[--sp] === true) pc = code[pc]!;
            else pc++;
            break;
          case 40: { // CONCAT
            const n = code[pc++]!;
            let s = "";
            for (let i = sp - n; i < sp; i++) s += S[i] as string;
            if (s.length > STRING_LEN_MAX) throw new TrapSignal("LX-LIMIT", `a string cannot be longer than ${STRING_LEN_MAX} UTF-16 units`);
            fuel -= s.length >> 6;
            sp -= n;
            S[sp++] = s;
            break;
          }
          case 41: // TOSTR_I
          case 42: // TOSTR_F
            S[sp - 1] = String(S[sp - 1] as number);
            break;
          case 43: // TOSTR_B
            S[sp - 1] = S[sp - 1] ? "true" : "false";
            break;
          case 44: { // CALL
            const callee = code[pc++]!;
            const cf = fns[callee]!;
            if (csp >= CALL_DEPTH_MAX * 3) throw new TrapSignal("LX-STACK", `call depth exceeds ${CALL_DEPTH_MAX} (runaway recursion?)`);
            const nbp = sp - cf.params;
            const top = nbp + cf.locals + cf.maxStack;
            if (top > VM_STACK_SLOTS_MAX) throw new TrapSignal("LX-STACK", "the VM stack is full");
            if (top > high) {
              high = top;
              if (top > S.length) S = this.growStack(top);
            }
            calls[csp] = fn;
            calls[csp + 1] = pc;
            calls[csp + 2] = bp;
            csp += 3;
            for (let i = cf.params; i < cf.locals; i++) S[nbp + i] = null;
            fn = callee;
            f = cf;
            code = codes[callee]!;
            bp = nbp;
            sp = nbp + cf.locals;
            pc = 0;
            break;
          }
          case 45: { // RET
            const v = S[sp - 1]!;
            if (csp === 0) {
              seg.fuel = fuel;
              return { kind: "ret", value: v };
            }
            sp = bp;
            S[sp++] = v;
            csp -= 3;
            fn = calls[csp]!;
            pc = calls[csp + 1]!;
            bp = calls[csp + 2]!;
            f = fns[fn]!;
            code = codes[fn]!;
            break;
          }
          case 46: { // BUILTIN
            const id = code[pc++]!;
            const argc = BUILTINS[id]!.argc;
            cost.extra = 0;
            const r = callBuiltin(id, S[sp - argc]!, argc > 1 ? S[sp - argc + 1]! : null, argc > 2 ? S[sp - argc + 2]! : null);
            fuel -= cost.extra;
            sp -= argc;
            S[sp++] = r;
            break;
          }
          case 47: { // LIST
            pc++;
            const n = code[pc++]!;
            S[sp - n] = n === 0 ? PList.empty : PList.from(S.slice(sp - n, sp));
            sp = sp - n + 1;
            fuel -= n;
            break;
          }
          case 48: { // MAP
            pc++;
            const n = code[pc++]!;
            let m = PMap.empty;
            for (let i = sp - 2 * n; i < sp; i += 2) m = m.set(S[i] as Key, S[i + 1]!);
            sp -= 2 * n;
            S[sp++] = m;
            fuel -= n;
            break;
          }
          case 49: { // SET
            pc++;
            const n = code[pc++]!;
            let s = PSet.empty;
            for (let i = sp - n; i < sp; i++) s = s.add(S[i] as Key);
            sp -= n;
            S[sp++] = s;
            fuel -= n;
            break;
          }
          case 50: { // RECORD
            const shape = this.recordShapes[code[pc++]!]!;
            const n = shape.fields.length;
            const r = new Rec(shape, S.slice(sp - n, sp));
            sp -= n;
            S[sp++] = r;
            break;
          }
          case 51: { // VARIANT
            const shape = this.enumShapes[code[pc++]!]!;
            const tag = code[pc++]!;
            const n = shape.variants[tag]!.fields.length;
            if (n === 0) S[sp++] = unitVariant(shape, tag);
            else {
              const v = new Variant(shape, tag, S.slice(sp - n, sp));
              sp -= n;
              S[sp++] = v;
            }
            break;
          }
          case 52: { // FIELD
            pc++;
            S[sp - 1] = (S[sp - 1] as Rec).f[code[pc++]!]!;
            break;
          }
          case 53: { // SETFIELD
            pc++;
            const i = code[pc++]!;
            S[sp - 2] = (S[sp - 2] as Rec).withField(i, S[sp - 1]!);
            sp--;
            break;
          }
          case 54: // TAG
            pc++;
            S[sp - 1] = (S[sp - 1] as Variant).tag;
            break;
          case 55: { // VFIELD
            pc += 2;
            S[sp - 1] = (S[sp - 1] as Variant).f[code[pc++]!]!;
            break;
          }
          case 56: { // LGET
            const xs = S[sp - 2] as PList;
            const i = S[sp - 1] as number;
            if (!(i >= 0 && i < xs.size)) throw new TrapSignal("LX-INDEX", `index ${i} is out of range for a list of length ${xs.size}`);
            S[--sp - 1] = xs.get(i);
            break;
          }
          case 57: { // LSET
            const xs = S[sp - 3] as PList;
            const i = S[sp - 2] as number;
            if (!(i >= 0 && i < xs.size)) throw new TrapSignal("LX-INDEX", `index ${i} is out of range for a list of length ${xs.size}`);
            S[sp - 3] = xs.set(i, S[sp - 1]!);
            sp -= 2;
            break;
          }
          case 58: { // MGET
            const m = S[sp - 2] as PMap;
            const k = S[sp - 1] as Key;
            const v = m.get(k);
            if (v === undefined) throw new TrapSignal("LX-INDEX", `key ${typeof k === "string" ? JSON.stringify(k) : String(k)} is not in the map`);
            S[--sp - 1] = v;
            break;
          }
          case 59: { // MSET
            const m = (S[sp - 3] as PMap).set(S[sp - 2] as Key, S[sp - 1]!);
            if (m.size > COLLECTION_LEN_MAX) throw new TrapSignal("LX-LIMIT", `a map cannot hold more than ${COLLECTION_LEN_MAX} entries`);
            S[sp - 3] = m;
            sp -= 2;
            break;
          }
          case 60: // JGET
            S[sp - 1] = jsonMember(S[sp - 1] as Json, consts[code[pc++]!] as string);
            break;
          case 61: // JINDEX
            S[--sp - 1] = jsonIndex(S[sp - 1] as Json, S[sp]!);
            break;
          case 62: // CAST
            S[sp - 1] = this.cast(code[pc++]!, S[sp - 1] as Json);
            break;
          case 63: // NOW
            S[sp++] = seg.now;
            break;
          case 64: // RANDOM
            S[sp++] = prngOf(seg).random();
            break;
          case 65: // RANDOM_INT
            S[--sp - 1] = randomInt(seg, S[sp - 1] as number, S[sp] as number);
            break;
          case 66: // UUID
            S[sp++] = prngOf(seg).uuid();
            break;
          case 67: { // SEND
            const dom = code[pc++]!;
            const tr = code[pc++]!;
            const hasDelay = code[pc++]!;
            const n = this.module.domains[dom]!.transitions[tr]!.params.length;
            let delayMs: number | null = null;
            if (hasDelay) delayMs = S[--sp] as number;
            const args = S.slice(sp - n, sp);
            sp -= n;
            pushSend(seg, dom, tr, S[--sp] as string, args, delayMs);
            break;
          }
          case 68: // EMIT
          case 69: { // AWAIT
            const isAwait = code[pc - 1] === 69; // AWAIT
            const eff = code[pc++]!;
            const hasKey = code[pc++]!;
            const n = this.module.effects[eff]!.params.length;
            const key = hasKey ? (S[--sp] as string) : null;
            const args = S.slice(sp - n, sp);
            sp -= n;
            pushIntent(seg, eff, args, key, isAwait);
            if (isAwait) {
              seg.fuel = fuel;
              return { kind: "await", pc, locals: S.slice(bp, bp + f.locals) };
            }
            break;
          }
          case 70: // SLICE
            seg.fuel = fuel;
            return { kind: "slice", pc, locals: S.slice(bp, bp + f.locals) };
          case 71: // REPLY
            seg.fuel = fuel;
            return { kind: "reply", value: S[sp - 1]! };
          case 72: // FAIL
            throw new TrapSignal("LX-FAIL", S[sp - 1] as string);
          case 73: // ASSERT_FAIL
            throw new TrapSignal("LX-ASSERT", S[sp - 1] as string);
          default:
            throw new TrapSignal("LX-VM", `invalid opcode ${code[opPc]} at ${f.name}:${opPc}`);
        }
      }
    } catch (e) {
      seg.fuel = Math.max(0, fuel);
      if (e instanceof TrapSignal) return { kind: "trap", trap: this.mkTrap(e.code, e.message, fn, opPc) };
      // A host error here means a value the verified code should never see (a Lexum bug or a
      // hostile module): report it as a trap with the host's message, never crash the host.
      if (e instanceof RangeError) return { kind: "trap", trap: this.mkTrap("LX-STACK", `host limit reached: ${e.message}`, fn, opPc) };
      return { kind: "trap", trap: this.mkTrap("LX-VM", `internal VM error: ${e instanceof Error ? e.message : String(e)}`, fn, opPc) };
    } finally {
      for (let i = 0; i < high; i++) S[i] = null; // (a loop: `fill` costs more for the few slots of a typical run)
      this.running = false;
    }
  }

  /** A larger stack (all-null beyond the copied part); the run's `high` bounds what is copied. */
  private growStack(slots: number): Value[] {
    const old = this.stack;
    const next: Value[] = new Array<Value>(Math.max(slots, old.length * 2)).fill(null);
    for (let i = 0; i < old.length; i++) next[i] = old[i]!;
    this.stack = next;
    return next;
  }

  /** A type as the program writes it (`list<int>`, `Item?`), for trap messages. */
  private typeName(ty: number, depth = 0): string {
    const t = this.module.types[ty];
    if (!t || depth > 8) return "?";
    switch (t.k) {
      case "record":
      case "enum":
        return t.name;
      case "list":
      case "set":
        return `${t.k}<${this.typeName(t.elem, depth + 1)}>`;
      case "map":
        return `map<${this.typeName(t.key, depth + 1)}, ${this.typeName(t.val, depth + 1)}>`;
      case "opt":
        return `${this.typeName(t.inner, depth + 1)}?`;
      case "result":
        return `result<${this.typeName(t.ok, depth + 1)}>`;
      default:
        return t.k;
    }
  }
}
