/**
 * THE opcode table: the single source of truth for Lexum bytecode (STYLE.md §2).
 *
 * The encoder, decoder, verifier, disassembler and `docs/bytecode.md` are all driven by it.
 * An instruction is one int32 word holding the opcode, followed by one int32 word per
 * operand. Jump targets are absolute word indices inside the same function.
 *
 * Stack effects are `pop`/`push` counts; where they depend on operands (a record's field
 * count, a callee's parameters) `pop` is a function of the operands and the module.
 */
import type { Module } from "./module.ts";
import { BUILTINS } from "./builtins.ts";

export type OperandKind =
  /** index into `consts` */
  | "const"
  /** signed 32-bit immediate */
  | "imm"
  /** local slot of the current function */
  | "local"
  /** state field of the current domain (index into the state record's fields) */
  | "sfield"
  /** absolute jump target (word index) */
  | "target"
  /** index into `fns` */
  | "fn"
  /** index into `types` */
  | "type"
  /** index into `effects` */
  | "effect"
  /** index into `domains` */
  | "domain"
  /** index into a domain's `transitions` (the domain is the preceding operand) */
  | "transition"
  /** index into BUILTINS */
  | "builtin"
  /** a record field index (the record type is the preceding operand) */
  | "field"
  /** an enum variant index (the enum/result type is the preceding operand) */
  | "tag"
  /** a variant field index (type and tag precede it) */
  | "vfield"
  /** a count of stack items */
  | "count"
  /** 0 or 1 */
  | "flag";

export type StackPop = number | ((ops: readonly number[], m: Module) => number);

export type OpInfo = {
  readonly code: number;
  readonly name: string;
  readonly operands: readonly OperandKind[];
  readonly pop: StackPop;
  /** How a computed `pop` is derived, for docs/bytecode.md (set exactly when `pop` is a function). */
  readonly popDoc?: string;
  readonly push: number;
  /** Ends the function's execution path (no fall-through to the next instruction). */
  readonly terminator?: boolean;
  /** A commit point: control returns to the runtime (rules.md [9]). */
  readonly commit?: boolean;
  readonly doc: string;
};

function recordFields(m: Module, ty: number): number {
  const t = m.types[ty];
  return t !== undefined && t.k === "record" ? t.fields.length : 0;
}
function variantFields(m: Module, ty: number, tag: number): number {
  const t = m.types[ty];
  if (t === undefined) return 0;
  if (t.k === "result") return 1;
  if (t.k === "enum") return t.variants[tag]?.fields.length ?? 0;
  return 0;
}
function transitionParams(m: Module, dom: number, tr: number): number {
  return m.domains[dom]?.transitions[tr]?.params.length ?? 0;
}
function effectParams(m: Module, eff: number): number {
  return m.effects[eff]?.params.length ?? 0;
}

const table = [
  { name: "NOP", operands: [], pop: 0, push: 0, doc: "Do nothing." },
  { name: "CONST", operands: ["const"], pop: 0, push: 1, doc: "Push a constant." },
  { name: "INT", operands: ["imm"], pop: 0, push: 1, doc: "Push a small integer immediate." },
  { name: "TRUE", operands: [], pop: 0, push: 1, doc: "Push `true`." },
  { name: "FALSE", operands: [], pop: 0, push: 1, doc: "Push `false`." },
  { name: "NONE", operands: [], pop: 0, push: 1, doc: "Push `none`." },
  { name: "POP", operands: [], pop: 1, push: 0, doc: "Discard the top of the stack." },
  { name: "DUP", operands: [], pop: 1, push: 2, doc: "Duplicate the top of the stack." },
  { name: "LOAD", operands: ["local"], pop: 0, push: 1, doc: "Push a local." },
  { name: "STORE", operands: ["local"], pop: 1, push: 0, doc: "Pop into a local." },
  { name: "SLOAD", operands: ["sfield"], pop: 0, push: 1, doc: "Push a field of the instance state (the in-progress version)." },
  { name: "SSTORE", operands: ["sfield"], pop: 1, push: 0, doc: "Pop into a field of the instance state." },
  { name: "SELF_ID", operands: [], pop: 0, push: 1, doc: "Push the instance id (`self.id`)." },

  { name: "ADD_I", operands: [], pop: 2, push: 1, doc: "int a + b; traps LX-OVERFLOW outside ±(2^53−1)." },
  { name: "SUB_I", operands: [], pop: 2, push: 1, doc: "int a − b; traps LX-OVERFLOW." },
  { name: "MUL_I", operands: [], pop: 2, push: 1, doc: "int a × b; traps LX-OVERFLOW." },
  { name: "DIV_I", operands: [], pop: 2, push: 1, doc: "int a / b truncated toward zero; traps LX-DIV0." },
  { name: "MOD_I", operands: [], pop: 2, push: 1, doc: "int a % b with the dividend's sign; traps LX-DIV0." },
  { name: "NEG_I", operands: [], pop: 1, push: 1, doc: "int −a." },
  { name: "ADD_F", operands: [], pop: 2, push: 1, doc: "float a + b; NaN/±Inf traps LX-FLOAT; −0 becomes 0." },
  { name: "SUB_F", operands: [], pop: 2, push: 1, doc: "float a − b." },
  { name: "MUL_F", operands: [], pop: 2, push: 1, doc: "float a × b." },
  { name: "DIV_F", operands: [], pop: 2, push: 1, doc: "float a ÷ b (÷0 gives ±Inf or NaN, which traps LX-FLOAT)." },
  { name: "MOD_F", operands: [], pop: 2, push: 1, doc: "float remainder with the dividend's sign (exact, like fmod)." },
  { name: "NEG_F", operands: [], pop: 1, push: 1, doc: "float −a." },

  { name: "EQ", operands: [], pop: 2, push: 1, doc: "Structural equality of any two values of the same type." },
  { name: "NE", operands: [], pop: 2, push: 1, doc: "Structural inequality." },
  { name: "LT_N", operands: [], pop: 2, push: 1, doc: "Numeric a < b (int or float)." },
  { name: "LE_N", operands: [], pop: 2, push: 1, doc: "Numeric a ≤ b." },
  { name: "GT_N", operands: [], pop: 2, push: 1, doc: "Numeric a > b." },
  { name: "GE_N", operands: [], pop: 2, push: 1, doc: "Numeric a ≥ b." },
  { name: "LT_S", operands: [], pop: 2, push: 1, doc: "String a < b by code points." },
  { name: "LE_S", operands: [], pop: 2, push: 1, doc: "String a ≤ b by code points." },
  { name: "GT_S", operands: [], pop: 2, push: 1, doc: "String a > b by code points." },
  { name: "GE_S", operands: [], pop: 2, push: 1, doc: "String a ≥ b by code points." },
  { name: "NOT", operands: [], pop: 1, push: 1, doc: "Boolean negation." },
  { name: "IS_NONE", operands: [], pop: 1, push: 1, doc: "Push whether the value is `none`." },

  { name: "JMP", operands: ["target"], pop: 0, push: 0, terminator: true, doc: "Jump." },
  { name: "JF", operands: ["target"], pop: 1, push: 0, doc: "Pop a bool; jump when false." },
  { name: "JT", operands: ["target"], pop: 1, push: 0, doc: "Pop a bool; jump when true." },

  { name: "CONCAT", operands: ["count"], pop: (o) => o[0]!, popDoc: "count", push: 1, doc: "Join `count` strings (string interpolation)." },
  { name: "TOSTR_I", operands: [], pop: 1, push: 1, doc: "int → decimal string." },
  { name: "TOSTR_F", operands: [], pop: 1, push: 1, doc: "float → ECMAScript shortest form." },
  { name: "TOSTR_B", operands: [], pop: 1, push: 1, doc: "bool → `true`/`false`." },

  { name: "CALL", operands: ["fn"], pop: (o, m) => m.fns[o[0]!]?.params ?? 0, popDoc: "callee params", push: 1, doc: "Call a function with its parameters on the stack; push its result." },
  { name: "RET", operands: [], pop: 1, push: 0, terminator: true, doc: "Return the top of the stack from a function." },
  { name: "BUILTIN", operands: ["builtin"], pop: (o) => BUILTINS[o[0]!]?.argc ?? 0, popDoc: "argc", push: 1, doc: "Call a built-in (see the built-in table); charges fuel by work done." },

  { name: "LIST", operands: ["type", "count"], pop: (o) => o[1]!, popDoc: "count", push: 1, doc: "Build a list of `count` elements." },
  { name: "MAP", operands: ["type", "count"], pop: (o) => 2 * o[1]!, popDoc: "2 × count", push: 1, doc: "Build a map from `count` key/value pairs (later keys win)." },
  { name: "SET", operands: ["type", "count"], pop: (o) => o[1]!, popDoc: "count", push: 1, doc: "Build a set of `count` elements." },
  { name: "RECORD", operands: ["type"], pop: (o, m) => recordFields(m, o[0]!), popDoc: "record fields", push: 1, doc: "Build a record from its fields in declaration order." },
  { name: "VARIANT", operands: ["type", "tag"], pop: (o, m) => variantFields(m, o[0]!, o[1]!), popDoc: "variant fields", push: 1, doc: "Build an enum (or result) variant from its fields." },
  { name: "FIELD", operands: ["type", "field"], pop: 1, push: 1, doc: "Read a record field." },
  { name: "SETFIELD", operands: ["type", "field"], pop: 2, push: 1, doc: "(record, value) → a copy of the record with one field replaced." },
  { name: "TAG", operands: ["type"], pop: 1, push: 1, doc: "Push the variant index of an enum or result value." },
  { name: "VFIELD", operands: ["type", "tag", "vfield"], pop: 1, push: 1, doc: "Read a field of a variant (the tag was tested before)." },
  { name: "LGET", operands: [], pop: 2, push: 1, doc: "(list, int) → element; traps LX-INDEX when out of range." },
  { name: "LSET", operands: [], pop: 3, push: 1, doc: "(list, int, value) → updated list; traps LX-INDEX." },
  { name: "MGET", operands: [], pop: 2, push: 1, doc: "(map, key) → value; traps LX-INDEX when the key is missing." },
  { name: "MSET", operands: [], pop: 3, push: 1, doc: "(map, key, value) → updated map." },
  { name: "JGET", operands: ["const"], pop: 1, push: 1, doc: "json object member; traps LX-CAST when absent or not an object." },
  { name: "JINDEX", operands: [], pop: 2, push: 1, doc: "json[int] (array element) or json[string] (member); traps LX-CAST." },
  { name: "CAST", operands: ["type"], pop: 1, push: 1, doc: "json → the given type, checked structurally; traps LX-CAST." },

  { name: "NOW", operands: [], pop: 0, push: 1, doc: "Logical time of the current input (epoch ms)." },
  { name: "RANDOM", operands: [], pop: 0, push: 1, doc: "Deterministic float in [0, 1) from the run-hash-seeded stream." },
  { name: "RANDOM_INT", operands: [], pop: 2, push: 1, doc: "Deterministic int in [lo, hi], unbiased." },
  { name: "UUID", operands: [], pop: 0, push: 1, doc: "Deterministic RFC 4122 v4 string from the same stream." },

  { name: "SEND", operands: ["domain", "transition", "flag"], pop: (o, m) => 1 + transitionParams(m, o[0]!, o[1]!) + o[2]!, popDoc: "1 + transition params + flag", push: 0, doc: "(id, args…, [delay]) → durable message; with the flag, delivered after `delay` ms." },
  { name: "EMIT", operands: ["effect", "flag"], pop: (o, m) => effectParams(m, o[0]!) + o[1]!, popDoc: "effect params + flag", push: 0, doc: "(args…, [key]) → fire-and-forget effect intent." },
  { name: "AWAIT", operands: ["effect", "flag"], pop: (o, m) => effectParams(m, o[0]!) + o[1]!, popDoc: "effect params + flag", push: 1, commit: true, doc: "(args…, [key]) → effect intent; commits, suspends, and resumes with the result." },
  { name: "SLICE", operands: [], pop: 0, push: 0, commit: true, doc: "End of a `slice` block: commit point." },
  { name: "REPLY", operands: [], pop: 1, push: 0, terminator: true, commit: true, doc: "End the transition with a reply value." },
  { name: "FAIL", operands: [], pop: 1, push: 0, terminator: true, doc: "Abort the segment with LX-FAIL and the message on the stack." },
  { name: "ASSERT_FAIL", operands: [], pop: 1, push: 0, terminator: true, doc: "Abort the segment with LX-ASSERT and the message on the stack." },
] as const satisfies readonly Omit<OpInfo, "code">[];

export type OpName = (typeof table)[number]["name"];

export const OPS: readonly OpInfo[] = table.map((o, code) => ({ ...o, code }) as OpInfo);

/** `Op.ADD_I` etc.: numeric opcodes by name. */
export const Op = Object.fromEntries(OPS.map((o) => [o.name, o.code])) as { readonly [K in OpName]: number };

export function opInfo(code: number): OpInfo | undefined {
  return OPS[code];
}

/** Size in words of the instruction starting with `code` (opcode word included). */
export function instrWords(code: number): number {
  const info = OPS[code];
  return info === undefined ? 1 : 1 + info.operands.length;
}
