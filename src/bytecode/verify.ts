/**
 * The bytecode verifier: every module passes it before it executes, whether it came from the
 * compiler or from a `.lxm` file. After it, the VM may index tables, locals, state fields and
 * the operand stack without bounds checks: every index is in range, every instruction decodes,
 * every jump lands on an instruction, the operand-stack depth is the same on every path into
 * an instruction and stays within `0..maxStack`, and execution cannot run off a function's end.
 *
 * It also enforces the language's separation of powers at the bytecode level (language.md §4,
 * rules.md [28]): only transitions write state, reply, commit, send, perform effects or read
 * time and randomness; only functions that belong to a domain read its state.
 *
 * Failure semantics: throws `ModuleVerifyError` for the first problem found, naming the
 * function and pc (or the table entry) and the rule. Runs in time linear in the module size
 * and never recurses on the host stack.
 */
import { MODULE_TABLE_MAX, FN_CODE_WORDS_MAX, FN_LOCALS_MAX, FUEL_PER_SLICE_MAX, INT_MAX, STRING_LEN_MAX, VM_STACK_SLOTS_MAX } from "../base/limits.ts";
import { assert } from "../base/assert.ts";
import { BUILTINS } from "./builtins.ts";
import { ModuleVerifyError } from "./errors.ts";
import { isWellFormedString } from "./format.ts";
import { MODULE_FORMAT_VERSION, type FieldDesc, type FnDesc, type FnKind, type Module, type TypeDesc, type TypeKind } from "./module.ts";
import { OPS, type OpInfo, type OpName } from "./opcodes.ts";

// ---------------------------------------------------------------------------------------------
// Where each opcode may appear. Exported so docs/bytecode.md can state the rules (docgen.ts).

/** Opcodes allowed only in `transition` functions: they change state, commit, or talk to the world. */
export const TRANSITION_ONLY: ReadonlySet<OpName> = new Set<OpName>([
  "SSTORE",
  "REPLY",
  "SLICE",
  "AWAIT",
  "EMIT",
  "SEND",
  "NOW",
  "RANDOM",
  "RANDOM_INT",
  "UUID",
]);
/** Opcodes never allowed in `transition` functions (a transition ends with `REPLY`). */
export const NOT_IN_TRANSITION: ReadonlySet<OpName> = new Set<OpName>(["RET"]);
/** Opcodes that need an instance: allowed only in functions that belong to a domain. */
export const DOMAIN_ONLY: ReadonlySet<OpName> = new Set<OpName>(["SLOAD", "SSTORE", "SELF_ID"]);
/** Opcodes not allowed in a domain's `init` function: the state does not exist yet. */
export const NOT_IN_INIT: ReadonlySet<OpName> = new Set<OpName>(["SLOAD"]);
/**
 * Commit points at which the operand stack must hold nothing but the instruction's own
 * operands: the runtime persists a frame there as locals + pc only.
 */
export const EMPTY_STACK_AT: ReadonlySet<OpName> = new Set<OpName>(["AWAIT", "SLICE"]);

/** The kinds of type a `type` operand may name, per opcode (absent: any type). */
export const TYPE_OPERAND_KINDS: Readonly<Partial<Record<OpName, readonly TypeKind[]>>> = {
  LIST: ["list"],
  SET: ["set"],
  MAP: ["map"],
  RECORD: ["record"],
  FIELD: ["record"],
  SETFIELD: ["record"],
  VARIANT: ["enum", "result"],
  TAG: ["enum", "result"],
  VFIELD: ["enum", "result"],
};

/** Variant names of `result<T>`, by tag. */
export const RESULT_VARIANTS = ["Ok", "Err"] as const;
/** The single field of each `result` variant. */
export const RESULT_FIELDS = ["value", "error"] as const;

// ---------------------------------------------------------------------------------------------

function isIndex(v: number, n: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < n;
}
function isCount(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

function fail(where: string, reason: string): never {
  throw new ModuleVerifyError(reason, where);
}

/** A problem inside a function's code. (A plain function, not a per-instruction closure: hot path.) */
function failAt(f: FnDesc, pc: number, reason: string): never {
  throw new ModuleVerifyError(reason, `fn ${JSON.stringify(f.name)}`, f.name, pc);
}

function describeType(m: Module, i: number): string {
  const t = m.types[i];
  if (t === undefined) return `#${i}`;
  return t.k === "record" || t.k === "enum" ? `#${i} (${t.k} ${t.name})` : `#${i} (${t.k})`;
}

function checkUnique(names: Iterable<string>, where: string, what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) fail(where, `duplicate ${what} name ${JSON.stringify(n)}`);
    seen.add(n);
  }
}

function checkFields(m: Module, fs: readonly FieldDesc[], where: string, what: string): void {
  for (const f of fs) {
    if (typeof f.name !== "string") fail(where, `${what} name is not a string`);
    if (!isIndex(f.type, m.types.length)) fail(where, `${what} ${JSON.stringify(f.name)} has type index ${f.type}, out of range (${m.types.length} types)`);
  }
  checkUnique(
    fs.map((f) => f.name),
    where,
    what,
  );
}

/**
 * Finds a node on a cycle of the graph given by `succ`, or -1. Iterative DFS (a module may
 * hold a million types; host recursion would overflow), linear in nodes + edges.
 */
function findCycle(n: number, succ: (i: number) => readonly number[]): number {
  const color = new Uint8Array(n); // 0 unvisited, 1 on the DFS path, 2 done
  const stackNode: number[] = [];
  const stackEdges: (readonly number[])[] = [];
  const stackPos: number[] = [];
  for (let root = 0; root < n; root++) {
    if (color[root] !== 0) continue;
    color[root] = 1;
    stackNode.push(root);
    stackEdges.push(succ(root));
    stackPos.push(0);
    while (stackNode.length > 0) {
      const top = stackNode.length - 1;
      const edges = stackEdges[top]!;
      const p = stackPos[top]!;
      if (p === edges.length) {
        color[stackNode[top]!] = 2;
        stackNode.pop();
        stackEdges.pop();
        stackPos.pop();
        continue;
      }
      stackPos[top] = p + 1;
      const next = edges[p]!;
      if (color[next] === 1) return next;
      if (color[next] === 0) {
        color[next] = 1;
        stackNode.push(next);
        stackEdges.push(succ(next));
        stackPos.push(0);
      }
    }
  }
  return -1;
}

const NO_EDGES: readonly number[] = [];

/** Type-graph edges that hold a value inline (no collection or optional in between). */
function inlineEdges(t: TypeDesc): readonly number[] {
  switch (t.k) {
    case "record":
      return t.fields.map((f) => f.type);
    case "enum":
      return t.variants.flatMap((v) => v.fields.map((f) => f.type));
    case "result":
      return [t.ok];
    default:
      return NO_EDGES;
  }
}
/** Edges from a structural (unnamed) type to its components. */
function structuralEdges(t: TypeDesc): readonly number[] {
  switch (t.k) {
    case "list":
    case "set":
      return [t.elem];
    case "opt":
      return [t.inner];
    case "map":
      return [t.key, t.val];
    case "result":
      return [t.ok];
    default:
      return NO_EDGES;
  }
}

function verifyTypes(m: Module): void {
  const n = m.types.length;
  const kindOf = (i: number): TypeKind => m.types[i]!.k;
  for (let i = 0; i < n; i++) {
    const t = m.types[i]!;
    const where = `type ${describeType(m, i)}`;
    const ref = (j: number, what: string): void => {
      if (!isIndex(j, n)) fail(where, `${what} type index ${j} is out of range (${n} types)`);
    };
    switch (t.k) {
      case "int":
      case "float":
      case "bool":
      case "string":
      case "json":
      case "none":
        break;
      case "list":
        ref(t.elem, "element");
        break;
      case "set":
        ref(t.elem, "element");
        if (kindOf(t.elem) !== "int" && kindOf(t.elem) !== "string") fail(where, `set element type must be int or string, not ${kindOf(t.elem)}`);
        break;
      case "map":
        ref(t.key, "key");
        ref(t.val, "value");
        if (kindOf(t.key) !== "int" && kindOf(t.key) !== "string") fail(where, `map key type must be int or string, not ${kindOf(t.key)}`);
        break;
      case "opt":
        ref(t.inner, "inner");
        break;
      case "result":
        ref(t.ok, "ok");
        break;
      case "record":
        checkFields(m, t.fields, where, "field");
        break;
      case "enum":
        if (t.variants.length === 0) fail(where, "enum has no variants");
        checkUnique(
          t.variants.map((v) => v.name),
          where,
          "variant",
        );
        for (const v of t.variants) checkFields(m, v.fields, `${where} variant ${JSON.stringify(v.name)}`, "field");
        break;
      default:
        fail(where, `unknown type kind ${JSON.stringify((t as { k: unknown }).k)}`);
    }
  }
  const inline = findCycle(n, (i) => inlineEdges(m.types[i]!));
  if (inline >= 0) fail(`type ${describeType(m, inline)}`, "type contains itself without a list, map, set or optional in between");
  const structural = findCycle(n, (i) => structuralEdges(m.types[i]!));
  if (structural >= 0) fail(`type ${describeType(m, structural)}`, "unnamed type contains itself (an infinite type)");
}

function verifyConsts(m: Module): void {
  for (let i = 0; i < m.consts.length; i++) {
    const c = m.consts[i]!;
    const where = `constant #${i}`;
    switch (c.k) {
      case "int":
        if (!Number.isInteger(c.v) || Math.abs(c.v) > INT_MAX) fail(where, `int constant ${c.v} is not an integer within ±(2^53−1)`);
        break;
      case "float":
        if (!Number.isFinite(c.v)) fail(where, `float constant ${c.v} is not finite`);
        if (Object.is(c.v, -0)) fail(where, "float constant is −0 (floats are normalised to 0)");
        break;
      case "string":
        if (typeof c.v !== "string" || !isWellFormedString(c.v)) fail(where, "string constant has a lone surrogate");
        if (c.v.length > STRING_LEN_MAX) fail(where, `string constant is longer than STRING_LEN_MAX (${STRING_LEN_MAX})`);
        break;
      default:
        fail(where, `unknown constant kind ${JSON.stringify((c as { k: unknown }).k)}`);
    }
  }
}

const EFFECT_NAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

function verifyEffects(m: Module): void {
  checkUnique(
    m.effects.map((e) => e.name),
    "effects",
    "effect",
  );
  for (const e of m.effects) {
    const where = `effect ${JSON.stringify(e.name)}`;
    if (!EFFECT_NAME.test(e.name)) fail(where, "effect name must be exactly Ident.ident");
    checkFields(m, e.params, where, "parameter");
    if (!isIndex(e.result, m.types.length)) fail(where, `result type index ${e.result} is out of range`);
    if (!isCount(e.retries)) fail(where, `retries ${e.retries} must be an integer ≥ 0`);
    if (!isCount(e.backoffMinMs) || !isCount(e.backoffMaxMs)) fail(where, "backoff bounds must be integers ≥ 0");
    if (e.backoffMinMs > e.backoffMaxMs) fail(where, `backoff minimum ${e.backoffMinMs}ms is above the maximum ${e.backoffMaxMs}ms`);
    if (!isCount(e.timeoutMs) || e.timeoutMs === 0) fail(where, `timeout ${e.timeoutMs}ms must be an integer > 0`);
  }
}

const FN_KIND_SET: ReadonlySet<string> = new Set<FnKind>(["fn", "transition", "init", "goal", "invariant"]);
const KIND_TEXT: Readonly<Record<FnKind, string>> = {
  fn: "a plain fn",
  transition: "a transition",
  init: "an init function",
  goal: "a goal predicate",
  invariant: "an invariant predicate",
};

function verifyFnHeaders(m: Module): void {
  checkUnique(
    m.fns.map((f) => f.name),
    "fns",
    "function",
  );
  for (const f of m.fns) {
    const where = `fn ${JSON.stringify(f.name)}`;
    if (!FN_KIND_SET.has(f.kind)) fail(where, `unknown function kind ${JSON.stringify(f.kind)}`);
    if (!isCount(f.params)) fail(where, `params ${f.params} must be an integer ≥ 0`);
    if (!isCount(f.locals)) fail(where, `locals ${f.locals} must be an integer ≥ 0`);
    if (f.locals < f.params) fail(where, `locals (${f.locals}) must be at least params (${f.params})`);
    if (f.locals > FN_LOCALS_MAX) fail(where, `locals ${f.locals} is over FN_LOCALS_MAX (${FN_LOCALS_MAX})`);
    if (!isCount(f.maxStack)) fail(where, `maxStack ${f.maxStack} must be an integer ≥ 0`);
    if (f.maxStack > VM_STACK_SLOTS_MAX) fail(where, `maxStack ${f.maxStack} is over VM_STACK_SLOTS_MAX (${VM_STACK_SLOTS_MAX})`);
    if (!(f.code instanceof Int32Array)) fail(where, "code is not an Int32Array");
    if (f.code.length > FN_CODE_WORDS_MAX) fail(where, `code has ${f.code.length} words, over FN_CODE_WORDS_MAX (${FN_CODE_WORDS_MAX})`);
  }
}

/**
 * Checks domain metadata and returns, per function, the domain it belongs to (-1: top level).
 * A function belongs to a domain when the domain's metadata references it (init, transition,
 * goal, invariant) or when its name is `Domain.something` (domain `fn`s).
 */
function verifyDomains(m: Module): Int32Array {
  const owner = new Int32Array(m.fns.length).fill(-1);
  const ownerWhat: string[] = [];
  checkUnique(
    m.domains.map((d) => d.name),
    "domains",
    "domain",
  );
  const checkPriority = (p: number, where: string): void => {
    if (!(Number.isInteger(p) && p >= 0 && p <= 4)) fail(where, `priority ${p} is not in 0..4`);
  };
  const claim = (di: number, fi: number, kind: FnKind, params: number, where: string, what: string): void => {
    if (!isIndex(fi, m.fns.length)) fail(where, `${what} function index ${fi} is out of range (${m.fns.length} functions)`);
    const f = m.fns[fi]!;
    if (f.kind !== kind) fail(where, `${what} function ${JSON.stringify(f.name)} has kind ${f.kind}, expected ${kind}`);
    if (f.params !== params) fail(where, `${what} function ${JSON.stringify(f.name)} has ${f.params} params, expected ${params}`);
    if (owner[fi] !== -1) fail(where, `function ${JSON.stringify(f.name)} is already used by ${ownerWhat[fi]}`);
    owner[fi] = di;
    ownerWhat[fi] = where;
  };

  for (let di = 0; di < m.domains.length; di++) {
    const d = m.domains[di]!;
    const where = `domain ${JSON.stringify(d.name)}`;
    if (d.name.includes(".") || d.name.length === 0) fail(where, "domain name must be a non-empty identifier");
    checkPriority(d.priority, where);
    if (!isIndex(d.state, m.types.length)) fail(where, `state type index ${d.state} is out of range`);
    if (m.types[d.state]!.k !== "record") fail(where, `state type ${describeType(m, d.state)} is not a record`);
    claim(di, d.init, "init", 0, where, "init");

    checkUnique(
      d.transitions.map((t) => t.name),
      where,
      "transition",
    );
    for (const t of d.transitions) {
      const tw = `${where} transition ${JSON.stringify(t.name)}`;
      checkPriority(t.priority, tw);
      checkFields(m, t.params, tw, "parameter");
      if (!isIndex(t.reply, m.types.length)) fail(tw, `reply type index ${t.reply} is out of range`);
      claim(di, t.fn, "transition", t.params.length, tw, "transition");
    }
    checkUnique(
      d.goals.map((g) => g.name),
      where,
      "goal",
    );
    for (const g of d.goals) {
      const gw = `${where} goal ${JSON.stringify(g.name)}`;
      checkPriority(g.priority, gw);
      claim(di, g.fn, "goal", 0, gw, "goal");
      for (const v of g.via) {
        if (!isIndex(v, d.transitions.length)) fail(gw, `via index ${v} is out of range (${d.transitions.length} transitions)`);
        const t = d.transitions[v]!;
        if (t.params.length !== 0) fail(gw, `via transition ${JSON.stringify(t.name)} has parameters (reconcile inputs carry none)`);
      }
    }
    checkUnique(
      d.invariants.map((i) => i.name),
      where,
      "invariant",
    );
    for (const inv of d.invariants) claim(di, inv.fn, "invariant", 0, `${where} invariant ${JSON.stringify(inv.name)}`, "invariant");
  }

  const domainByName = new Map<string, number>();
  m.domains.forEach((d, i) => domainByName.set(d.name, i));
  for (let fi = 0; fi < m.fns.length; fi++) {
    const f = m.fns[fi]!;
    const where = `fn ${JSON.stringify(f.name)}`;
    const dot = f.name.indexOf(".");
    const named = dot > 0 ? domainByName.get(f.name.slice(0, dot)) : undefined;
    if (owner[fi] === -1) {
      if (f.kind !== "fn") fail(where, `${KIND_TEXT[f.kind]} must be referenced by its domain's metadata`);
      if (named !== undefined) owner[fi] = named;
    } else if (named !== undefined && named !== owner[fi]) {
      fail(where, `name says domain ${m.domains[named]!.name} but it is used by ${ownerWhat[fi]}`);
    }
  }
  return owner;
}

type FnCtx = {
  readonly m: Module;
  readonly f: FnDesc;
  readonly domain: number;
  readonly owner: Int32Array;
  /** Effect capability check results for this function's domain, by effect index. */
  readonly capsOk: Map<number, boolean>;
};

function verifyOperands(ctx: FnCtx, pc: number, info: OpInfo): void {
  const { m, f } = ctx;
  const code = f.code;
  const name = info.name as OpName;
  for (let k = 0; k < info.operands.length; k++) {
    const kind = info.operands[k]!;
    const v = code[pc + 1 + k]!;
    const prev = code[pc + k]!;
    switch (kind) {
      case "const":
        if (!isIndex(v, m.consts.length)) failAt(f, pc, `${name}: constant index ${v} is out of range (${m.consts.length} constants)`);
        if (name === "JGET" && m.consts[v]!.k !== "string") failAt(f, pc, `JGET: constant #${v} is not a string`);
        break;
      case "imm":
        break;
      case "local":
        if (!isIndex(v, f.locals)) failAt(f, pc, `${name}: local ${v} is out of range (${f.locals} locals)`);
        break;
      case "sfield": {
        if (ctx.domain < 0) failAt(f, pc, `${name}: state access in a function that belongs to no domain`);
        const st = m.types[m.domains[ctx.domain]!.state]!;
        const n = st.k === "record" ? st.fields.length : 0;
        if (!isIndex(v, n)) failAt(f, pc, `${name}: state field ${v} is out of range (${m.domains[ctx.domain]!.name} has ${n} state fields)`);
        break;
      }
      case "target":
        if (!isIndex(v, code.length)) failAt(f, pc, `${name}: jump target ${v} is outside the function (${code.length} words)`);
        break;
      case "fn": {
        if (!isIndex(v, m.fns.length)) failAt(f, pc, `${name}: function index ${v} is out of range (${m.fns.length} functions)`);
        const callee = m.fns[v]!;
        if (callee.kind !== "fn") failAt(f, pc, `${name}: ${JSON.stringify(callee.name)} is ${KIND_TEXT[callee.kind]}; only plain functions can be called`);
        const cd = ctx.owner[v]!;
        if (cd >= 0 && cd !== ctx.domain) failAt(f, pc, `${name}: ${JSON.stringify(callee.name)} belongs to domain ${m.domains[cd]!.name} and reads its state; callable only from that domain`);
        break;
      }
      case "type": {
        if (!isIndex(v, m.types.length)) failAt(f, pc, `${name}: type index ${v} is out of range (${m.types.length} types)`);
        const allowed = TYPE_OPERAND_KINDS[name];
        if (allowed !== undefined && !allowed.includes(m.types[v]!.k)) {
          failAt(f, pc, `${name}: type ${describeType(m, v)} is not ${allowed.join(" or ")}`);
        }
        break;
      }
      case "effect": {
        if (!isIndex(v, m.effects.length)) failAt(f, pc, `${name}: effect index ${v} is out of range (${m.effects.length} effects)`);
        if (ctx.domain >= 0) {
          let ok = ctx.capsOk.get(v);
          if (ok === undefined) {
            const have = m.domains[ctx.domain]!.capabilities;
            ok = m.effects[v]!.capabilities.every((c) => have.includes(c));
            ctx.capsOk.set(v, ok);
          }
          if (!ok) failAt(f, pc, `${name}: effect ${m.effects[v]!.name} needs capabilities [${m.effects[v]!.capabilities.join(", ")}] that domain ${m.domains[ctx.domain]!.name} does not declare`);
        }
        break;
      }
      case "domain":
        if (!isIndex(v, m.domains.length)) failAt(f, pc, `${name}: domain index ${v} is out of range (${m.domains.length} domains)`);
        break;
      case "transition": {
        // The domain operand precedes it and was checked on the previous iteration.
        const d = m.domains[prev]!;
        if (!isIndex(v, d.transitions.length)) failAt(f, pc, `${name}: transition index ${v} is out of range (${d.name} has ${d.transitions.length})`);
        break;
      }
      case "builtin":
        if (!isIndex(v, BUILTINS.length)) failAt(f, pc, `${name}: built-in index ${v} is out of range (${BUILTINS.length} built-ins)`);
        break;
      case "field": {
        const t = m.types[prev]!;
        const n = t.k === "record" ? t.fields.length : 0;
        if (!isIndex(v, n)) failAt(f, pc, `${name}: field ${v} is out of range (${describeType(m, prev)} has ${n} fields)`);
        break;
      }
      case "tag": {
        const t = m.types[prev]!;
        const n = t.k === "enum" ? t.variants.length : t.k === "result" ? RESULT_VARIANTS.length : 0;
        if (!isIndex(v, n)) failAt(f, pc, `${name}: variant ${v} is out of range (${describeType(m, prev)} has ${n} variants)`);
        break;
      }
      case "vfield": {
        const ty = code[pc + k - 1]!;
        const t = m.types[ty]!;
        const n = t.k === "enum" ? t.variants[prev]!.fields.length : t.k === "result" ? 1 : 0;
        if (!isIndex(v, n)) failAt(f, pc, `${name}: variant field ${v} is out of range (the variant has ${n} fields)`);
        break;
      }
      case "count":
        if (v < 0) failAt(f, pc, `${name}: count ${v} is negative`);
        break;
      case "flag":
        if (v !== 0 && v !== 1) failAt(f, pc, `${name}: flag ${v} is not 0 or 1`);
        break;
      default:
        failAt(f, pc, `${name}: unknown operand kind ${JSON.stringify(kind)}`);
    }
  }
}

function verifyPlacement(ctx: FnCtx, pc: number, name: OpName): void {
  const { f } = ctx;
  if (TRANSITION_ONLY.has(name) && f.kind !== "transition") failAt(f, pc, `${name} is allowed only in transitions, not in ${KIND_TEXT[f.kind]}`);
  if (NOT_IN_TRANSITION.has(name) && f.kind === "transition") failAt(f, pc, `${name} is not allowed in a transition (it ends with REPLY)`);
  if (DOMAIN_ONLY.has(name) && ctx.domain < 0) failAt(f, pc, `${name} needs an instance: allowed only in functions that belong to a domain`);
  if (NOT_IN_INIT.has(name) && f.kind === "init") failAt(f, pc, `${name} is not allowed in an init function (the state does not exist yet)`);
}

/** Decodes, range-checks and stack-checks one function's code. */
function verifyCode(ctx: FnCtx): Uint8Array {
  const { m, f } = ctx;
  const code = f.code;
  const n = code.length;
  if (n === 0) failAt(f, 0, "empty function: execution falls off the end");

  // Pass 1: instruction boundaries, operands, placement — for all code, reachable or not.
  const isStart = new Uint8Array(n);
  for (let pc = 0; pc < n; ) {
    const info = OPS[code[pc]!];
    if (info === undefined) failAt(f, pc, `unknown opcode ${code[pc]}`);
    const size = 1 + info.operands.length;
    if (pc + size > n) failAt(f, pc, `${info.name} needs ${info.operands.length} operand words, only ${n - pc - 1} left`);
    isStart[pc] = 1;
    verifyOperands(ctx, pc, info);
    verifyPlacement(ctx, pc, info.name as OpName);
    pc += size;
  }
  assert(isStart[0] === 1, "verify: the first instruction starts at pc 0");
  // Pass 2: jump targets land on instructions.
  for (let pc = 0; pc < n; ) {
    const info = OPS[code[pc]!]!;
    for (let k = 0; k < info.operands.length; k++) {
      if (info.operands[k] !== "target") continue;
      const t = code[pc + 1 + k]!;
      if (isStart[t] !== 1) failAt(f, pc, `${info.name}: jump target ${t} is not the start of an instruction`);
    }
    pc += 1 + info.operands.length;
  }

  // Pass 3: operand-stack depth by abstract interpretation over the control-flow graph.
  // Each reachable instruction gets one depth; every edge into it must agree. Each pc enters
  // the worklist once, so this is linear.
  const depth = new Int32Array(n).fill(-1);
  const work: number[] = [0];
  depth[0] = 0;
  const flow = (from: number, to: number, d: number): void => {
    if (to >= n) failAt(f, from, "execution falls off the end of the function (the last reachable instruction must be RET, REPLY, FAIL, ASSERT_FAIL or JMP)");
    if (depth[to] === -1) {
      depth[to] = d;
      work.push(to);
    } else if (depth[to] !== d) {
      failAt(f, to, `inconsistent stack depth at a join: ${depth[to]} on one path, ${d} on another (from pc ${from})`);
    }
  };
  while (work.length > 0) {
    const pc = work.pop()!;
    const d = depth[pc]!;
    const info = OPS[code[pc]!]!;
    const size = 1 + info.operands.length;
    const pop = typeof info.pop === "number" ? info.pop : info.pop(Array.from(code.subarray(pc + 1, pc + size)), m);
    if (pop > d) failAt(f, pc, `${info.name} pops ${pop} values but the stack holds ${d}`);
    if (EMPTY_STACK_AT.has(info.name as OpName) && d !== pop) {
      failAt(f, pc, `${info.name} needs an otherwise empty stack (a suspended frame is locals + pc), but ${d - pop} values are below its operands`);
    }
    const after = d - pop + info.push;
    if (after > f.maxStack) failAt(f, pc, `stack depth ${after} after ${info.name} exceeds the declared maxStack ${f.maxStack}`);
    const name = info.name as OpName;
    if (name === "JMP") {
      flow(pc, code[pc + 1]!, after);
    } else if (name === "JF" || name === "JT") {
      flow(pc, code[pc + 1]!, after);
      flow(pc, pc + size, after);
    } else if (info.terminator !== true) {
      flow(pc, pc + size, after);
    }
  }
  assert(depth[0] === 0, "verify: entry depth is 0");
  return isStart;
}

function verifyDebug(m: Module, starts: readonly Uint8Array[]): void {
  const dbg = m.debug;
  if (dbg === null) return;
  if (dbg.fns.length !== m.fns.length) fail("debug", `debug info covers ${dbg.fns.length} functions, the module has ${m.fns.length}`);
  for (let fi = 0; fi < m.fns.length; fi++) {
    const f = m.fns[fi]!;
    const d = dbg.fns[fi]!;
    const where = `debug info of fn ${JSON.stringify(f.name)}`;
    const np = d.pcs.length;
    if (d.lines.length !== np || d.cols.length !== np || d.files.length !== np) fail(where, "pcs, lines, cols and files differ in length");
    for (let i = 0; i < np; i++) {
      const pc = d.pcs[i]!;
      if (i > 0 && pc <= d.pcs[i - 1]!) fail(where, `pcs are not strictly increasing at entry ${i}`);
      if (!isIndex(pc, f.code.length) || starts[fi]![pc] !== 1) fail(where, `pc ${pc} is not the start of an instruction`);
      if (d.lines[i]! < 1 || d.cols[i]! < 1) fail(where, `line and column are 1-based (entry ${i}: ${d.lines[i]}:${d.cols[i]})`);
      if (!isIndex(d.files[i]!, dbg.files.length)) fail(where, `file index ${d.files[i]} is out of range (${dbg.files.length} files)`);
    }
    if (d.localNames.length > f.locals) fail(where, `${d.localNames.length} local names for ${f.locals} locals`);
  }
}

/**
 * Checks everything the VM and runtime rely on (see the file comment and
 * `docs/bytecode.md`). Throws `ModuleVerifyError` on the first violation; returns normally
 * when the module is safe to run.
 */
export function verifyModule(m: Module): void {
  if (m.formatVersion !== MODULE_FORMAT_VERSION) fail("module", `format version ${m.formatVersion} is not ${MODULE_FORMAT_VERSION}`);
  if (!Number.isInteger(m.fuelPerSlice) || m.fuelPerSlice < 1 || m.fuelPerSlice > FUEL_PER_SLICE_MAX) {
    fail("module", `fuelPerSlice ${m.fuelPerSlice} is not in 1..${FUEL_PER_SLICE_MAX}`);
  }
  const tables: [string, number][] = [
    ["constants", m.consts.length],
    ["types", m.types.length],
    ["effects", m.effects.length],
    ["functions", m.fns.length],
    ["domains", m.domains.length],
  ];
  for (const [what, n] of tables) if (n > MODULE_TABLE_MAX) fail("module", `${n} ${what}, over MODULE_TABLE_MAX (${MODULE_TABLE_MAX})`);

  verifyConsts(m);
  verifyTypes(m);
  verifyEffects(m);
  verifyFnHeaders(m);
  const owner = verifyDomains(m);
  const starts: Uint8Array[] = [];
  const capsByDomain = new Map<number, Map<number, boolean>>();
  for (let fi = 0; fi < m.fns.length; fi++) {
    const domain = owner[fi]!;
    let capsOk = capsByDomain.get(domain);
    if (capsOk === undefined) capsByDomain.set(domain, (capsOk = new Map()));
    starts.push(verifyCode({ m, f: m.fns[fi]!, domain, owner, capsOk }));
  }
  verifyDebug(m, starts);
}
