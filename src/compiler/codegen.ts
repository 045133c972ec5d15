/**
 * Code generator: checked program → bytecode `Module` (the last stage of the pipeline).
 *
 * Canonical output (rules.md [41]): domains, effects, records, enums and functions are laid
 * out sorted by name, goals and invariants in declaration order, constants and types in first-
 * use order of that walk — so the module (and its program hash) does not depend on file
 * order. Source positions go only to the debug section.
 *
 * Frames: the operand stack is empty at every `AWAIT` apart from its own operands, and loop
 * state lives in hidden locals, so a suspended frame is just locals + pc (runtime needs that).
 */
import { assert } from "../base/assert.ts";
import { FN_CODE_WORDS_MAX, FN_LOCALS_MAX, MODULE_TABLE_MAX } from "../base/limits.ts";
import { Builtin, BUILTINS } from "../bytecode/builtins.ts";
import {
  MODULE_FORMAT_VERSION,
  type ConstDesc,
  type DomainDesc,
  type EffectDesc,
  type FnDebug,
  type FnDesc,
  type FnKind,
  type Module,
  type TypeDesc,
} from "../bytecode/module.ts";
import { Op, OPS } from "../bytecode/opcodes.ts";
import type * as A from "./ast.ts";
import type { CheckedProgram, CPat, DomainInfo, EffectInfo, FnInfo, Local, TransitionInfo } from "./checker.ts";
import { placeRoot } from "./checker.ts";
import type { DiagnosticBag } from "./diagnostics.ts";
import type { SourceFile, Span } from "./source.ts";
import type { RecordInfo, Type } from "./types.ts";

type Label = { pos: number; patches: number[]; depth: number | null };

class FnEmitter {
  readonly code: number[] = [];
  depth = 0;
  maxDepth = 0;
  nLocals = 0;
  readonly localNames: string[] = [];
  private readonly slots = new Map<Local, number>();
  private readonly freeTemps: number[] = [];
  readonly pcs: number[] = [];
  readonly lines: number[] = [];
  readonly cols: number[] = [];
  readonly files: number[] = [];
  private curSpan: Span | null = null;
  private lastPosFile = NaN;
  private lastPosStart = NaN;
  /** pc of the last emitted instruction and whether a label was bound after it. */
  lastOp = -1;
  labelSinceLast = true;
  /** Code length just after the last `await` statement (its result stored or dropped); -1 when none. */
  awaitStmtEnd = -1;

  constructor(
    readonly name: string,
    readonly kind: FnKind,
    private readonly positions: Positions,
    /** Where the function is declared: LX0703 points here. */
    readonly declSpan: Span,
  ) {}

  setSpan(s: Span | null): void {
    this.curSpan = s;
  }

  get span(): Span | null {
    return this.curSpan;
  }

  local(l: Local): number {
    let s = this.slots.get(l);
    if (s === undefined) {
      s = this.nLocals++;
      this.slots.set(l, s);
      this.localNames.push(l.name);
    }
    return s;
  }

  temp(hint = "$t"): number {
    const t = this.freeTemps.pop();
    if (t !== undefined) return t;
    this.localNames.push(hint);
    return this.nLocals++;
  }

  release(t: number): void {
    this.freeTemps.push(t);
  }

  /** Adds a debug-table row when the source position changes (once per statement/expression, not per instruction). */
  private recordPos(): void {
    const s = this.curSpan;
    if (s === null) return;
    if (s.start === this.lastPosStart && s.file === this.lastPosFile) return;
    this.lastPosStart = s.start;
    this.lastPosFile = s.file;
    const p = this.positions.at(s.file, s.start);
    this.pcs.push(this.code.length);
    this.lines.push(p.line);
    this.cols.push(p.col);
    this.files.push(p.fileIndex);
  }

  /** Emits an instruction; `pop` is the number of stack items it consumes. */
  emit(op: number, operands: number[], pop: number, push: number): void {
    const info = OPS[op]!;
    assert(info.operands.length === operands.length, () => `${info.name} takes ${info.operands.length} operands`);
    this.recordPos();
    this.lastOp = op;
    this.labelSinceLast = false;
    this.code.push(op, ...operands);
    this.depth -= pop;
    assert(this.depth >= 0, () => `stack underflow emitting ${info.name} in ${this.name}`);
    this.depth += push;
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
  }

  /** Emits an op whose stack effect is fixed in the opcode table. */
  op(op: number, ...operands: number[]): void {
    const info = OPS[op]!;
    assert(typeof info.pop === "number", () => `${info.name} needs an explicit stack effect`);
    this.emit(op, operands, info.pop as number, info.push);
  }

  newLabel(): Label {
    return { pos: -1, patches: [], depth: null };
  }

  jump(op: number, l: Label): void {
    const info = OPS[op]!;
    this.recordPos();
    this.lastOp = op;
    this.labelSinceLast = false;
    this.code.push(op, l.pos);
    if (l.pos < 0) l.patches.push(this.code.length - 1);
    this.depth -= info.pop as number;
    if (l.depth === null) l.depth = this.depth;
    else assert(l.depth === this.depth, () => `inconsistent stack depth at a jump in ${this.name}`);
  }

  bind(l: Label): void {
    l.pos = this.code.length;
    for (const p of l.patches) this.code[p] = l.pos;
    if (l.depth !== null) this.depth = l.depth;
    else l.depth = this.depth;
    this.labelSinceLast = true;
  }

  /** After an unconditional transfer, the next instruction is reachable only through a label. */
  afterTerminator(): void {
    this.depth = 0;
  }

  finish(params: number): { desc: FnDesc; debug: FnDebug } {
    if (this.code.length > FN_CODE_WORDS_MAX) throw new CodegenLimit(`function ${this.name} is too large (${this.code.length} code words; the limit is ${FN_CODE_WORDS_MAX})`, this.declSpan);
    if (this.nLocals > FN_LOCALS_MAX) throw new CodegenLimit(`function ${this.name} has too many locals and temporaries (${this.nLocals}; the limit is ${FN_LOCALS_MAX})`, this.declSpan);
    return {
      desc: { name: this.name, kind: this.kind, params, locals: Math.max(this.nLocals, params), maxStack: this.maxDepth, code: Int32Array.from(this.code) },
      debug: { pcs: Int32Array.from(this.pcs), lines: Int32Array.from(this.lines), cols: Int32Array.from(this.cols), files: Int32Array.from(this.files), localNames: [...this.localNames] },
    };
  }
}

/** A program past a size limit of the bytecode (LX0703), reported at the declaration that is too big when there is one. */
/**
 * Line/column of span starts, computed once per distinct offset, and each file's index in
 * `DebugInfo.files` (the prelude is entry 0). Keyed by numbers, not strings: codegen asks for a
 * position for every expression of the program.
 */
class Positions {
  private readonly byFile = new Map<number, { file: SourceFile; index: number; cache: Map<number, { line: number; col: number; fileIndex: number }> }>();

  constructor(files: readonly SourceFile[]) {
    files.forEach((file, index) => this.byFile.set(file.id, { file, index, cache: new Map() }));
  }

  at(fileId: number, offset: number): { line: number; col: number; fileIndex: number } {
    const f = this.byFile.get(fileId);
    if (f === undefined) return { line: 0, col: 0, fileIndex: -1 };
    let p = f.cache.get(offset);
    if (p === undefined) {
      const lc = f.file.position(offset);
      p = { line: lc.line, col: lc.col, fileIndex: f.index };
      f.cache.set(offset, p);
    }
    return p;
  }
}

export class CodegenLimit extends Error {
  constructor(
    message: string,
    readonly span: Span | null = null,
  ) {
    super(message);
  }
}

/** A step on the path from a place's root to the assigned location. */
type PathSeg = { kind: "field"; type: number; index: number } | { kind: "list"; index: A.Expr } | { kind: "map"; index: A.Expr };

export function generate(p: CheckedProgram, files: readonly SourceFile[], diags: DiagnosticBag): Omit<Module, "programHash"> | null {
  try {
    return new Codegen(p, files).run();
  } catch (e) {
    if (e instanceof CodegenLimit) {
      diags.add("LX0703", e.span ?? { file: files[files.length - 1]?.id ?? 0, start: 0, end: 0 }, e.message);
      return null;
    }
    throw e;
  }
}

class Codegen {
  private readonly consts: ConstDesc[] = [];
  private readonly constIdx = new Map<string, number>();
  private readonly types: TypeDesc[] = [];
  private readonly typeIdx = new Map<string, number>();
  private readonly fns: FnDesc[] = [];
  private readonly debugFns: FnDebug[] = [];
  private readonly fnIdx = new Map<FnInfo | string, number>();
  private readonly effectIdx = new Map<string, number>();
  private readonly domainIdx = new Map<string, number>();
  private readonly transitionIdx = new Map<TransitionInfo, number>();
  private readonly positions: Positions;
  private e!: FnEmitter;
  private domain: DomainInfo | null = null;

  constructor(
    private readonly p: CheckedProgram,
    private readonly files: readonly SourceFile[],
  ) {
    this.positions = new Positions(files);
  }

  run(): Omit<Module, "programHash"> {
    const p = this.p;
    const domains = [...p.domains.values()].sort((a, b) => cmp(a.name, b.name));
    const effects = [...p.effects.values()].sort((a, b) => cmp(a.name, b.name));
    const topFns = [...p.fns.values()].sort((a, b) => cmp(a.name, b.name));
    domains.forEach((d, i) => this.domainIdx.set(d.name, i));
    effects.forEach((e, i) => this.effectIdx.set(e.name, i));
    for (const d of domains) {
      [...d.transitions.values()].sort((a, b) => cmp(a.name, b.name)).forEach((t, i) => this.transitionIdx.set(t, i));
    }
    // Function table layout (indices fixed before any body is generated, so calls can refer forward).
    const order: { key: FnInfo | string; name: string }[] = [];
    for (const f of topFns) order.push({ key: f, name: f.name });
    for (const d of domains) {
      order.push({ key: `${d.name}.$init`, name: `${d.name}.$init` });
      for (const f of [...d.fns.values()].sort((a, b) => cmp(a.name, b.name))) order.push({ key: f, name: f.qualified });
      for (const t of [...d.transitions.values()].sort((a, b) => cmp(a.name, b.name))) order.push({ key: `${d.name}.${t.name}`, name: `${d.name}.${t.name}` });
      for (const g of d.goals) order.push({ key: `${d.name}.goal.${g.name}`, name: `${d.name}.goal.${g.name}` });
      for (const inv of d.invariants) order.push({ key: `${d.name}.invariant.${inv.name}`, name: `${d.name}.invariant.${inv.name}` });
    }
    order.forEach((o, i) => this.fnIdx.set(o.key, i));
    if (order.length > MODULE_TABLE_MAX) throw new CodegenLimit("too many functions");

    // Effects first: their types get low indices in a stable order.
    const effectDescs: EffectDesc[] = effects.map((e) => this.effectDesc(e));
    for (const f of topFns) this.genFn(f);
    const domainDescs: DomainDesc[] = [];
    for (const d of domains) domainDescs.push(this.genDomain(d));
    assert(this.fns.length === order.length, "every function slot is filled");
    for (let i = 0; i < order.length; i++) assert(this.fns[i]!.name === order[i]!.name, () => `function ${i} is ${order[i]!.name}`);
    if (this.consts.length > MODULE_TABLE_MAX || this.types.length > MODULE_TABLE_MAX) throw new CodegenLimit("too many constants or types");
    return {
      formatVersion: MODULE_FORMAT_VERSION,
      fuelPerSlice: p.fuelPerSlice,
      consts: this.consts,
      types: this.types,
      effects: effectDescs,
      fns: this.fns,
      domains: domainDescs,
      debug: { files: this.files.map((f) => f.path), fns: this.debugFns },
    };
  }

  // ------------------------------------------------------------ tables

  private konst(c: ConstDesc): number {
    const key = `${c.k}:${c.k === "string" ? c.v : Object.is(c.v, -0) ? 0 : c.v}`;
    let i = this.constIdx.get(key);
    if (i === undefined) {
      i = this.consts.length;
      this.consts.push(c);
      this.constIdx.set(key, i);
    }
    return i;
  }

  private ty(t: Type): number {
    const key = typeKey(t);
    const known = this.typeIdx.get(key);
    if (known !== undefined) return known;
    const i = this.types.length;
    // Reserve the slot first: records may refer to themselves through collections.
    this.types.push({ k: "none" });
    this.typeIdx.set(key, i);
    let d: TypeDesc;
    switch (t.k) {
      case "int":
      case "float":
      case "bool":
      case "string":
      case "json":
      case "none":
        d = { k: t.k };
        break;
      case "error":
        assert(false, "codegen never sees error types");
      // falls through (unreachable)
      case "list":
        d = { k: "list", elem: this.ty(t.elem) };
        break;
      case "set":
        d = { k: "set", elem: this.ty(t.elem) };
        break;
      case "map":
        d = { k: "map", key: this.ty(t.key), val: this.ty(t.val) };
        break;
      case "opt":
        d = { k: "opt", inner: this.ty(t.inner) };
        break;
      case "result":
        d = { k: "result", ok: this.ty(t.ok) };
        break;
      case "record":
        d = { k: "record", name: t.info.name, fields: t.info.fields.map((f) => ({ name: f.name, type: this.ty(f.type) })) };
        break;
      case "enum":
        d = { k: "enum", name: t.info.name, variants: t.info.variants.map((v) => ({ name: v.name, fields: v.fields.map((f) => ({ name: f.name, type: this.ty(f.type) })) })) };
        break;
    }
    this.types[i] = d;
    return i;
  }

  private recTy(r: RecordInfo): number {
    return this.ty({ k: "record", info: r });
  }

  private effectDesc(e: EffectInfo): EffectDesc {
    return {
      name: e.name,
      params: e.params.map((x) => ({ name: x.name, type: this.ty(x.type) })),
      result: this.ty(e.result),
      capabilities: [...e.capabilities].sort(cmp),
      retries: e.retries,
      backoffMinMs: e.backoffMinMs,
      backoffMaxMs: e.backoffMaxMs,
      timeoutMs: e.timeoutMs,
    };
  }

  private type(e: A.Expr): Type {
    const t = this.p.exprTypes.get(e);
    assert(t !== undefined, () => `no type recorded for ${e.kind} expression`);
    return t;
  }

  private begin(name: string, kind: FnKind, declSpan: Span): FnEmitter {
    this.e = new FnEmitter(name, kind, this.positions, declSpan);
    return this.e;
  }

  private end(params: number): void {
    const { desc, debug } = this.e.finish(params);
    this.fns.push(desc);
    this.debugFns.push(debug);
  }

  // ------------------------------------------------------------ functions

  private genFn(f: FnInfo): void {
    const e = this.begin(f.qualified, "fn", f.decl.name.span);
    for (const l of f.paramLocals) e.local(l);
    e.setSpan(f.decl.body.span);
    this.block(f.decl.body);
    e.setSpan(f.decl.body.closeSpan);
    // Falling off the end: only reachable for functions without a result type.
    e.op(Op.NONE);
    e.op(Op.RET);
    this.end(f.params.length);
  }

  private genDomain(d: DomainInfo): DomainDesc {
    this.domain = d;
    const stateTy = this.recTy(d.stateRecord);
    // $init: build the default state record.
    const e = this.begin(`${d.name}.$init`, "init", d.decl.name.span);
    for (const f of d.state) {
      e.setSpan(f.decl.value.span);
      this.expr(f.decl.value);
    }
    e.setSpan(d.decl.name.span);
    e.emit(Op.RECORD, [stateTy], d.state.length, 1);
    e.op(Op.RET);
    this.end(0);
    for (const f of [...d.fns.values()].sort((a, b) => cmp(a.name, b.name))) this.genFn(f);
    const transitions = [...d.transitions.values()].sort((a, b) => cmp(a.name, b.name));
    for (const t of transitions) this.genTransition(t);
    for (const g of d.goals) this.genPredicate(`${d.name}.goal.${g.name}`, "goal", g.decl.predicate);
    for (const inv of d.invariants) this.genPredicate(`${d.name}.invariant.${inv.name}`, "invariant", inv.decl.predicate);
    const desc: DomainDesc = {
      name: d.name,
      priority: d.priority,
      capabilities: [...d.capabilities].sort(cmp),
      state: stateTy,
      init: this.fnIdx.get(`${d.name}.$init`)!,
      transitions: transitions.map((t) => ({
        name: t.name,
        params: t.params.map((x) => ({ name: x.name, type: this.ty(x.type) })),
        priority: t.priority,
        fn: this.fnIdx.get(`${d.name}.${t.name}`)!,
        reply: this.ty(t.reply),
      })),
      goals: d.goals.map((g) => ({
        name: g.name,
        priority: g.priority,
        fn: this.fnIdx.get(`${d.name}.goal.${g.name}`)!,
        via: g.via.map((t) => this.transitionIdx.get(t)!),
      })),
      invariants: d.invariants.map((inv) => ({ name: inv.name, fn: this.fnIdx.get(`${d.name}.invariant.${inv.name}`)! })),
    };
    this.domain = null;
    return desc;
  }

  private genPredicate(name: string, kind: FnKind, pred: A.Expr): void {
    const e = this.begin(name, kind, pred.span);
    e.setSpan(pred.span);
    this.expr(pred);
    e.op(Op.RET);
    this.end(0);
  }

  private genTransition(t: TransitionInfo): void {
    const e = this.begin(`${t.domain.name}.${t.name}`, "transition", t.decl.name.span);
    for (const l of t.paramLocals) e.local(l);
    const stmts = t.decl.body.stmts;
    stmts.forEach((s, i) => {
      if (s.kind === "Slice") {
        e.setSpan(s.span);
        this.block(s.body);
        const isLast = i === stmts.length - 1;
        // Adjacent commit points with no code between them count once (rules.md [9]): a slice
        // end right after another slice end, or right after an `await` statement — "every
        // await also ends a slice" (language.md §3), so the next slice starts with its result.
        // A label bound since then means the end is also reached some other way.
        const adjacent = !e.labelSinceLast && (e.lastOp === Op.SLICE || e.awaitStmtEnd === e.code.length);
        if (!isLast && !adjacent) {
          e.setSpan(s.body.closeSpan);
          e.op(Op.SLICE);
        }
      } else this.stmt(s);
    });
    e.setSpan(t.decl.body.closeSpan);
    e.op(Op.NONE);
    e.op(Op.REPLY);
    this.end(t.params.length);
  }

  // ------------------------------------------------------------ statements

  private block(b: A.Block): void {
    for (const s of b.stmts) this.stmt(s);
  }

  private stmt(s: A.Stmt): void {
    const e = this.e;
    e.setSpan(s.span);
    switch (s.kind) {
      case "Let": {
        this.expr(s.value);
        e.op(Op.STORE, e.local(this.p.declLocals.get(s)!));
        if (s.value.kind === "Await") e.awaitStmtEnd = e.code.length;
        return;
      }
      case "Assign":
        this.assign(s);
        return;
      case "ExprStmt":
        this.exprStmt(s.expr);
        return;
      case "If": {
        const elseL = e.newLabel();
        const endL = e.newLabel();
        this.cond(s.cond, elseL);
        this.block(s.then);
        if (s.else_ !== null) {
          e.jump(Op.JMP, endL);
          e.bind(elseL);
          if ("stmts" in s.else_) this.block(s.else_);
          else this.stmt(s.else_ as A.Stmt);
          e.bind(endL);
        } else e.bind(elseL);
        return;
      }
      case "IfLet": {
        const elseL = e.newLabel();
        const endL = e.newLabel();
        const tmp = e.temp();
        this.expr(s.value);
        e.op(Op.STORE, tmp);
        e.op(Op.LOAD, tmp);
        e.op(Op.IS_NONE);
        e.jump(Op.JT, elseL);
        e.op(Op.LOAD, tmp);
        e.op(Op.STORE, e.local(this.p.declLocals.get(s)!));
        e.release(tmp);
        this.block(s.then);
        if (s.else_ !== null) {
          e.jump(Op.JMP, endL);
          e.bind(elseL);
          if ("stmts" in s.else_) this.block(s.else_);
          else this.stmt(s.else_ as A.Stmt);
          e.bind(endL);
        } else e.bind(elseL);
        return;
      }
      case "Match":
        this.match(s);
        return;
      case "For":
        this.forStmt(s);
        return;
      case "Return": {
        if (s.value === null) e.op(Op.NONE);
        else this.expr(s.value);
        e.op(e.kind === "transition" ? Op.REPLY : Op.RET);
        e.afterTerminator();
        return;
      }
      case "Fail":
        this.expr(s.message);
        e.op(Op.FAIL);
        e.afterTerminator();
        return;
      case "Assert": {
        const ok = e.newLabel();
        this.condTrue(s.cond, ok);
        if (s.message !== null) this.expr(s.message);
        else e.op(Op.CONST, this.konst({ k: "string", v: `assertion failed: ${s.condText}` }));
        e.op(Op.ASSERT_FAIL);
        e.afterTerminator();
        e.bind(ok);
        return;
      }
      case "Emit":
      case "Send":
        if (s.kind === "Emit") this.effectCall(s.effect, Op.EMIT);
        else this.send(s);
        return;
      case "Slice":
        // Only at the top level of a transition (handled in genTransition); nested ones were rejected.
        this.block(s.body);
        return;
    }
  }

  private exprStmt(x: A.Expr): void {
    const e = this.e;
    if (x.kind === "Await") {
      this.expr(x);
      e.op(Op.POP);
      e.awaitStmtEnd = e.code.length;
      return;
    }
    if (x.kind === "Call") {
      const c = this.p.calls.get(x);
      if (c && c.res.k === "builtin" && c.res.mutates) {
        const id = c.res.id;
        this.modifyPlace(c.args[0]!, () => {
          for (let i = 1; i < c.args.length; i++) this.expr(c.args[i]!);
          e.emit(Op.BUILTIN, [id], BUILTINS[id]!.argc, 1);
        });
        return;
      }
      if (c && c.res.k === "pop") {
        this.modifyPlace(c.args[0]!, () => e.emit(Op.BUILTIN, [Builtin.list_pop], 1, 1));
        return;
      }
    }
    this.expr(x);
    e.op(Op.POP);
  }

  /** Decomposes a place into its root and the path of field/index steps. */
  private path(place: A.Expr): { root: A.Expr; segs: PathSeg[] } {
    const segs: PathSeg[] = [];
    let cur = place;
    while (cur.kind === "Member" || cur.kind === "Index") {
      if (cur.kind === "Member") {
        const m = this.p.members.get(cur);
        assert(m !== undefined && m.k === "field", "assignable member is a record field");
        segs.unshift({ kind: "field", type: this.recTy(m.record), index: m.index });
      } else {
        const k = this.p.indexes.get(cur);
        assert(k === "list" || k === "map", "assignable index is a list or map");
        segs.unshift({ kind: k, index: cur.index });
      }
      cur = cur.object;
    }
    assert(cur === placeRoot(place), "path root");
    return { root: cur, segs };
  }

  private loadRoot(root: A.Expr): void {
    const r = this.p.names.get(root);
    assert(r !== undefined && (r.k === "local" || r.k === "state"), "place root is a local or state field");
    if (r.k === "local") this.e.op(Op.LOAD, this.e.local(r.local));
    else this.e.op(Op.SLOAD, r.field.index);
  }

  private storeRoot(root: A.Expr): void {
    const r = this.p.names.get(root);
    assert(r !== undefined && (r.k === "local" || r.k === "state"), "place root is a local or state field");
    if (r.k === "local") this.e.op(Op.STORE, this.e.local(r.local));
    else this.e.op(Op.SSTORE, r.field.index);
  }

  /**
   * Replaces the value at `place` with what `update` computes from it: `update` runs with the
   * old value on the stack and must leave the new value. Containers along the path are
   * rebuilt with value semantics (SETFIELD / LSET / MSET). Everything is kept in temps so the
   * operand stack is unchanged around the update.
   */
  private modifyPlace(place: A.Expr, update: (() => void) | null, value?: () => void): void {
    const e = this.e;
    const { root, segs } = this.path(place);
    if (segs.length === 0) {
      if (update) {
        this.loadRoot(root);
        update();
      } else value!();
      this.storeRoot(root);
      return;
    }
    // Load the chain of containers: c[0] = root, c[i+1] = step(c[i]).
    const containers: number[] = [];
    const keys: (number | null)[] = [];
    const c0 = e.temp();
    this.loadRoot(root);
    e.op(Op.STORE, c0);
    containers.push(c0);
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      let key: number | null = null;
      if (seg.kind !== "field") {
        key = e.temp();
        this.expr(seg.index);
        e.op(Op.STORE, key);
      }
      keys.push(key);
      if (i < segs.length - 1 || update) {
        e.op(Op.LOAD, containers[i]!);
        if (seg.kind === "field") e.op(Op.FIELD, seg.type, seg.index);
        else {
          e.op(Op.LOAD, key!);
          e.op(seg.kind === "list" ? Op.LGET : Op.MGET);
        }
        if (i < segs.length - 1) {
          const c = e.temp();
          e.op(Op.STORE, c);
          containers.push(c);
        }
      }
    }
    // New innermost value on the stack.
    if (update) update();
    else value!();
    // Rebuild outwards.
    for (let i = segs.length - 1; i >= 0; i--) {
      const seg = segs[i]!;
      const nv = e.temp();
      e.op(Op.STORE, nv);
      e.op(Op.LOAD, containers[i]!);
      if (seg.kind === "field") {
        e.op(Op.LOAD, nv);
        e.op(Op.SETFIELD, seg.type, seg.index);
      } else {
        e.op(Op.LOAD, keys[i]!);
        e.op(Op.LOAD, nv);
        e.op(seg.kind === "list" ? Op.LSET : Op.MSET);
      }
      e.release(nv);
    }
    this.storeRoot(root);
    for (const c of containers) e.release(c);
    for (const k of keys) if (k !== null) e.release(k);
  }

  private assign(s: Extract<A.Stmt, { kind: "Assign" }>): void {
    const e = this.e;
    if (s.op === "=") {
      // Evaluate an awaited value first so the stack is empty at the AWAIT.
      if (s.value.kind === "Await") {
        const tmp = e.temp();
        this.expr(s.value);
        e.op(Op.STORE, tmp);
        this.modifyPlace(s.target, null, () => e.op(Op.LOAD, tmp));
        e.release(tmp);
        // Storing into a variable or field is part of the await; a path (`m[k].f = await …`)
        // evaluates keys that may trap, which is code of its own.
        if (s.target.kind === "Name" || s.target.kind === "StateField") e.awaitStmtEnd = e.code.length;
        return;
      }
      this.modifyPlace(s.target, null, () => this.expr(s.value));
      return;
    }
    const t = this.type(s.target);
    const isInt = t.k === "int";
    const op = s.op === "+=" ? (isInt ? Op.ADD_I : Op.ADD_F) : s.op === "-=" ? (isInt ? Op.SUB_I : Op.SUB_F) : isInt ? Op.MUL_I : Op.MUL_F;
    this.modifyPlace(s.target, () => {
      this.expr(s.value);
      e.op(op);
    });
  }

  private forStmt(s: Extract<A.Stmt, { kind: "For" }>): void {
    const e = this.e;
    const info = this.p.forInfo.get(s)!;
    const top = e.newLabel();
    const done = e.newLabel();
    const idx = e.temp("$i");
    const end = e.temp("$end");
    let coll = -1;
    if (info.k === "range") {
      this.expr(s.iterable);
      e.op(Op.STORE, idx);
      this.expr(s.rangeEnd!);
      e.op(Op.STORE, end);
    } else {
      coll = e.temp("$coll");
      this.expr(s.iterable);
      e.op(Op.STORE, coll);
      e.op(Op.LOAD, coll);
      e.emit(Op.BUILTIN, [info.k === "list" ? Builtin.len_list : info.k === "set" ? Builtin.len_set : Builtin.len_map], 1, 1);
      e.op(Op.STORE, end);
      e.op(Op.INT, 0);
      e.op(Op.STORE, idx);
    }
    e.bind(top);
    e.op(Op.LOAD, idx);
    e.op(Op.LOAD, end);
    e.op(Op.LT_N);
    e.jump(Op.JF, done);
    switch (info.k) {
      case "range":
        e.op(Op.LOAD, idx);
        e.op(Op.STORE, e.local(info.item));
        break;
      case "list":
        e.op(Op.LOAD, coll);
        e.op(Op.LOAD, idx);
        e.op(Op.LGET);
        e.op(Op.STORE, e.local(info.item));
        break;
      case "set":
        e.op(Op.LOAD, coll);
        e.op(Op.LOAD, idx);
        e.emit(Op.BUILTIN, [Builtin.set_at], 2, 1);
        e.op(Op.STORE, e.local(info.item));
        break;
      case "map":
        e.op(Op.LOAD, coll);
        e.op(Op.LOAD, idx);
        e.emit(Op.BUILTIN, [Builtin.map_key_at], 2, 1);
        e.op(Op.STORE, e.local(info.key));
        if (info.value !== null) {
          e.op(Op.LOAD, coll);
          e.op(Op.LOAD, idx);
          e.emit(Op.BUILTIN, [Builtin.map_val_at], 2, 1);
          e.op(Op.STORE, e.local(info.value));
        }
        break;
    }
    this.block(s.body);
    e.op(Op.LOAD, idx);
    e.op(Op.INT, 1);
    e.op(Op.ADD_I);
    e.op(Op.STORE, idx);
    e.jump(Op.JMP, top);
    e.bind(done);
    // Loop temps stay reserved for the whole body (an await inside may suspend the frame).
    e.release(idx);
    e.release(end);
    if (coll >= 0) e.release(coll);
  }

  private match(s: Extract<A.Stmt, { kind: "Match" }>): void {
    const e = this.e;
    // A local subject is tested in place; anything else is evaluated once into a temp.
    const direct = s.subject.kind === "Name" ? this.p.names.get(s.subject) : undefined;
    const subj = direct?.k === "local" ? e.local(direct.local) : e.temp("$match");
    if (direct?.k !== "local") {
      this.expr(s.subject);
      e.op(Op.STORE, subj);
    }
    const endL = e.newLabel();
    for (const arm of s.arms) {
      const next = e.newLabel();
      const cp = this.p.patterns.get(arm.pattern);
      e.setSpan(arm.pattern.span);
      if (cp) this.patternTest(cp, () => e.op(Op.LOAD, subj), next);
      this.block(arm.body);
      e.jump(Op.JMP, endL);
      e.bind(next);
    }
    // Exhaustiveness was proven by the checker; reaching here is a compiler bug.
    e.setSpan(s.keywordSpan);
    e.op(Op.CONST, this.konst({ k: "string", v: "internal error: no match arm applied" }));
    e.op(Op.FAIL);
    e.afterTerminator();
    e.bind(endL);
    if (direct?.k !== "local") e.release(subj);
  }

  /** Emits tests of a value against a pattern, jumping to `fail` on mismatch; stores bindings. */
  private patternTest(p: CPat, load: () => void, fail: Label): void {
    const e = this.e;
    switch (p.k) {
      case "wild":
        return;
      case "bind":
        load();
        e.op(Op.STORE, e.local(p.local));
        return;
      case "lit":
        load();
        this.expr(p.value);
        e.op(Op.EQ);
        e.jump(Op.JF, fail);
        return;
      case "none":
        load();
        e.op(Op.IS_NONE);
        e.jump(Op.JF, fail);
        return;
      case "some":
        load();
        e.op(Op.IS_NONE);
        e.jump(Op.JT, fail);
        this.patternTest(p.inner, load, fail);
        return;
      case "variant": {
        const ty = this.ty(p.type);
        const nVariants = p.type.k === "enum" ? p.type.info.variants.length : 2;
        if (nVariants > 1) {
          load();
          e.op(Op.TAG, ty);
          e.op(Op.INT, p.tag);
          e.op(Op.EQ);
          e.jump(Op.JF, fail);
        }
        p.args.forEach((a, i) => {
          if (a.k === "wild") return;
          if (a.k === "bind") {
            load();
            e.op(Op.VFIELD, ty, p.tag, i);
            e.op(Op.STORE, e.local(a.local));
            return;
          }
          const t = e.temp("$field");
          load();
          e.op(Op.VFIELD, ty, p.tag, i);
          e.op(Op.STORE, t);
          this.patternTest(a, () => e.op(Op.LOAD, t), fail);
          // The temp is not released: a binding may still read it later in this arm's tests.
        });
        return;
      }
    }
  }

  private send(s: Extract<A.Stmt, { kind: "Send" }>): void {
    const e = this.e;
    const info = this.p.sends.get(s);
    if (!info) return;
    if (s.target === null) e.op(Op.SELF_ID);
    else this.expr(s.target);
    for (const a of info.args) this.expr(a);
    if (s.after !== null) this.expr(s.after);
    const dom = this.domainIdx.get(info.domain.name)!;
    const tr = this.transitionIdx.get(info.transition)!;
    e.emit(Op.SEND, [dom, tr, s.after !== null ? 1 : 0], 1 + info.args.length + (s.after !== null ? 1 : 0), 0);
  }

  private effectCall(r: A.EffectRef, op: number): void {
    const e = this.e;
    const info = this.p.effectRefs.get(r)!;
    for (const a of info.args) this.expr(a);
    if (r.key !== null) this.expr(r.key);
    const idx = this.effectIdx.get(info.effect.name)!;
    const flag = r.key !== null ? 1 : 0;
    e.emit(op, [idx, flag], info.args.length + flag, op === Op.AWAIT ? 1 : 0);
  }

  // ------------------------------------------------------------ conditions

  /** Evaluates a bool and jumps to `onFalse` when it is false. */
  private cond(x: A.Expr, onFalse: Label): void {
    const e = this.e;
    const b = x.kind === "Binary" ? this.p.binops.get(x) : undefined;
    if (b === "AND" && x.kind === "Binary") {
      this.cond(x.left, onFalse);
      this.cond(x.right, onFalse);
      return;
    }
    if (b === "OR" && x.kind === "Binary") {
      const ok = e.newLabel();
      this.condTrue(x.left, ok);
      this.cond(x.right, onFalse);
      e.bind(ok);
      return;
    }
    if (x.kind === "Unary" && x.op === "!") {
      this.condTrue(x.operand, onFalse);
      return;
    }
    this.expr(x);
    e.jump(Op.JF, onFalse);
  }

  /** Evaluates a bool and jumps to `onTrue` when it is true. */
  private condTrue(x: A.Expr, onTrue: Label): void {
    const e = this.e;
    const b = x.kind === "Binary" ? this.p.binops.get(x) : undefined;
    if (b === "OR" && x.kind === "Binary") {
      this.condTrue(x.left, onTrue);
      this.condTrue(x.right, onTrue);
      return;
    }
    if (b === "AND" && x.kind === "Binary") {
      const no = e.newLabel();
      this.cond(x.left, no);
      this.condTrue(x.right, onTrue);
      e.bind(no);
      return;
    }
    if (x.kind === "Unary" && x.op === "!") {
      this.cond(x.operand, onTrue);
      return;
    }
    this.expr(x);
    e.jump(Op.JT, onTrue);
  }

  // ------------------------------------------------------------ expressions

  private pushInt(v: number, asFloat: boolean): void {
    if (!asFloat && v >= -0x80000000 && v <= 0x7fffffff) this.e.op(Op.INT, v);
    else this.e.op(Op.CONST, this.konst({ k: asFloat ? "float" : "int", v }));
  }

  /** Generates an expression; its instructions carry its own source position (for traps). */
  private expr(x: A.Expr): void {
    const e = this.e;
    const saved = e.span;
    e.setSpan(x.span);
    this.exprInner(x);
    e.setSpan(saved);
  }

  private exprInner(x: A.Expr): void {
    const e = this.e;
    switch (x.kind) {
      case "Int":
        this.pushInt(x.value, this.type(x).k === "float");
        return;
      case "Duration":
        this.pushInt(x.value, false);
        return;
      case "Float":
        e.op(Op.CONST, this.konst({ k: "float", v: x.value }));
        return;
      case "Bool":
        e.op(x.value ? Op.TRUE : Op.FALSE);
        return;
      case "None":
        e.op(Op.NONE);
        return;
      case "Str": {
        if (x.parts.length === 0) {
          e.op(Op.CONST, this.konst({ k: "string", v: "" }));
          return;
        }
        let n = 0;
        for (const part of x.parts) {
          if (part.kind === "text") e.op(Op.CONST, this.konst({ k: "string", v: part.text }));
          else {
            this.expr(part.expr);
            const t = this.type(part.expr);
            if (t.k === "int") e.op(Op.TOSTR_I);
            else if (t.k === "float") e.op(Op.TOSTR_F);
            else if (t.k === "bool") e.op(Op.TOSTR_B);
          }
          n++;
        }
        if (n > 1) e.emit(Op.CONCAT, [n], n, 1);
        return;
      }
      case "Name":
      case "StateField": {
        const uv = this.p.unitVariants.get(x);
        if (uv) {
          e.emit(Op.VARIANT, [this.ty(uv.type), uv.tag], 0, 1);
          return;
        }
        const r = this.p.names.get(x);
        assert(r !== undefined, () => `unresolved name at ${x.span.start}`);
        if (r.k === "local") e.op(Op.LOAD, e.local(r.local));
        else if (r.k === "state") e.op(Op.SLOAD, r.field.index);
        else e.emit(Op.VARIANT, [this.ty({ k: "enum", info: r.en }), r.tag], 0, 1);
        return;
      }
      case "SelfId":
        e.op(Op.SELF_ID);
        return;
      case "Unary":
        this.expr(x.operand);
        if (x.op === "!") e.op(Op.NOT);
        else e.op(this.type(x).k === "float" ? Op.NEG_F : Op.NEG_I);
        return;
      case "Binary":
        this.binary(x);
        return;
      case "As":
        this.expr(x.expr);
        e.op(Op.CAST, this.ty(this.type(x)));
        return;
      case "Member": {
        const uv = this.p.unitVariants.get(x);
        if (uv) {
          e.emit(Op.VARIANT, [this.ty(uv.type), uv.tag], 0, 1);
          return;
        }
        const m = this.p.members.get(x)!;
        this.expr(x.object);
        if (m.k === "field") e.op(Op.FIELD, this.recTy(m.record), m.index);
        else if (m.k === "json") e.op(Op.JGET, this.konst({ k: "string", v: x.name.name }));
        return;
      }
      case "Index": {
        const k = this.p.indexes.get(x)!;
        this.expr(x.object);
        this.expr(x.index);
        e.op(k === "list" ? Op.LGET : k === "map" ? Op.MGET : Op.JINDEX);
        return;
      }
      case "Call":
        this.call(x);
        return;
      case "List":
        for (const it of x.items) this.expr(it);
        e.emit(Op.LIST, [this.ty(this.type(x)), x.items.length], x.items.length, 1);
        return;
      case "SetLit":
        for (const it of x.items) this.expr(it);
        e.emit(Op.SET, [this.ty(this.type(x)), x.items.length], x.items.length, 1);
        return;
      case "MapLit":
        for (const en of x.entries) {
          this.expr(en.key);
          this.expr(en.value);
        }
        e.emit(Op.MAP, [this.ty(this.type(x)), x.entries.length], 2 * x.entries.length, 1);
        return;
      case "EmptyBraces": {
        const t = this.type(x);
        e.emit(t.k === "map" ? Op.MAP : Op.SET, [this.ty(t), 0], 0, 1);
        return;
      }
      case "Record": {
        const r = this.p.recordLits.get(x)!;
        for (const v of r.values) this.expr(v);
        e.emit(Op.RECORD, [this.recTy(r.record)], r.values.length, 1);
        return;
      }
      case "Await":
        assert(e.depth === 0, "the operand stack is empty at an await");
        this.effectCall(x.effect, Op.AWAIT);
        return;
    }
  }

  private binary(x: Extract<A.Expr, { kind: "Binary" }>): void {
    const e = this.e;
    const r = this.p.binops.get(x)!;
    switch (r) {
      case "AND":
      case "OR": {
        const short = e.newLabel();
        const end = e.newLabel();
        if (r === "AND") this.cond(x, short);
        else this.condTrue(x, short);
        e.op(r === "AND" ? Op.TRUE : Op.FALSE);
        e.jump(Op.JMP, end);
        e.bind(short);
        e.op(r === "AND" ? Op.FALSE : Op.TRUE);
        e.bind(end);
        return;
      }
      case "COALESCE": {
        const end = e.newLabel();
        this.expr(x.left);
        e.op(Op.DUP);
        e.op(Op.IS_NONE);
        e.jump(Op.JF, end);
        e.op(Op.POP);
        this.expr(x.right);
        e.bind(end);
        return;
      }
      case "IS_NONE_L":
      case "NOT_NONE_L":
        this.expr(x.left);
        e.op(Op.IS_NONE);
        if (r === "NOT_NONE_L") e.op(Op.NOT);
        return;
      case "IS_NONE_R":
      case "NOT_NONE_R":
        this.expr(x.right);
        e.op(Op.IS_NONE);
        if (r === "NOT_NONE_R") e.op(Op.NOT);
        return;
      default:
        this.expr(x.left);
        this.expr(x.right);
        e.op(Op[r]);
    }
  }

  private call(x: Extract<A.Expr, { kind: "Call" }>): void {
    const e = this.e;
    const c = this.p.calls.get(x);
    assert(c !== undefined, "call resolved by the checker");
    const res = c.res;
    switch (res.k) {
      case "fn":
        for (const a of c.args) this.expr(a);
        e.emit(Op.CALL, [this.fnIdx.get(res.fn)!], c.args.length, 1);
        return;
      case "builtin":
        assert(!res.mutates, "mutating built-ins are statements");
        for (const a of c.args) this.expr(a);
        e.emit(Op.BUILTIN, [res.id], BUILTINS[res.id]!.argc, 1);
        return;
      case "pop": {
        // value = last(xs); xs = pop(xs)
        const tmp = e.temp();
        this.modifyPlace(c.args[0]!, () => {
          e.op(Op.DUP);
          e.emit(Op.BUILTIN, [Builtin.list_last], 1, 1);
          e.op(Op.STORE, tmp);
          e.emit(Op.BUILTIN, [Builtin.list_pop], 1, 1);
        });
        e.op(Op.LOAD, tmp);
        e.release(tmp);
        return;
      }
      case "variant":
        for (const a of c.args) this.expr(a);
        e.emit(Op.VARIANT, [this.ty(res.type), res.tag], c.args.length, 1);
        return;
      case "det":
        for (const a of c.args) this.expr(a);
        e.op(Op[res.op]);
        return;
      case "tostr":
        this.expr(c.args[0]!);
        if (res.op !== "ID") e.op(Op[res.op]);
        return;
    }
  }
}

function typeKey(t: Type): string {
  switch (t.k) {
    case "list":
      return `list<${typeKey(t.elem)}>`;
    case "set":
      return `set<${typeKey(t.elem)}>`;
    case "map":
      return `map<${typeKey(t.key)},${typeKey(t.val)}>`;
    case "opt":
      return `${typeKey(t.inner)}?`;
    case "result":
      return `result<${typeKey(t.ok)}>`;
    case "record":
      return `record:${t.info.name}`;
    case "enum":
      return `enum:${t.info.name}`;
    default:
      return t.k;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

