/**
 * The in-memory form of a compiled Lexum module (`.lxm`). The compiler produces it, the
 * encoder turns it into bytes, the decoder and verifier turn bytes back into it, and the VM
 * runs it. Everything is index-addressed; names are kept for diagnostics, JSON and hashing.
 *
 * Canonical form: tables are ordered canonically by the compiler (declarations sorted by
 * name, constants by first use in that order) so the program hash depends neither on file
 * order nor on source positions (rules.md [41]). Debug info is outside the hash.
 */

/** Index into `Module.types`. */
export type TypeIdx = number;

export type FieldDesc = { readonly name: string; readonly type: TypeIdx };

export type TypeDesc =
  | { readonly k: "int" }
  | { readonly k: "float" }
  | { readonly k: "bool" }
  | { readonly k: "string" }
  | { readonly k: "json" }
  /** The type of a bare `none` (only as the reply type of a transition that never returns a value). */
  | { readonly k: "none" }
  | { readonly k: "list"; readonly elem: TypeIdx }
  | { readonly k: "set"; readonly elem: TypeIdx }
  | { readonly k: "map"; readonly key: TypeIdx; readonly val: TypeIdx }
  | { readonly k: "opt"; readonly inner: TypeIdx }
  | { readonly k: "result"; readonly ok: TypeIdx }
  | { readonly k: "record"; readonly name: string; readonly fields: readonly FieldDesc[] }
  | {
      readonly k: "enum";
      readonly name: string;
      readonly variants: readonly { readonly name: string; readonly fields: readonly FieldDesc[] }[];
    };

export type TypeKind = TypeDesc["k"];

/** Constant pool entry. Ints and floats are kept apart for the disassembler and the hash. */
export type ConstDesc =
  | { readonly k: "int"; readonly v: number }
  | { readonly k: "float"; readonly v: number }
  | { readonly k: "string"; readonly v: string };

export type FnKind = "fn" | "transition" | "init" | "goal" | "invariant";

export type FnDesc = {
  /** Qualified name: `subtotal`, `Order.total`, `Order.Checkout`, `Order.$init`, `Order.goal.Sized`. */
  readonly name: string;
  readonly kind: FnKind;
  /** Number of parameters; they occupy locals 0..params-1. */
  readonly params: number;
  /** Total local slots, parameters included. */
  readonly locals: number;
  /** Largest operand-stack depth the code reaches (checked by the verifier). */
  readonly maxStack: number;
  /** Instruction words: opcode followed by its operands (see opcodes.ts). */
  readonly code: Int32Array;
};

export type EffectDesc = {
  /** Exactly `Ident.ident` (rules.md [25]). */
  readonly name: string;
  readonly params: readonly FieldDesc[];
  readonly result: TypeIdx;
  readonly capabilities: readonly string[];
  /** Up to `retries + 1` attempts. */
  readonly retries: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  /** Per attempt. */
  readonly timeoutMs: number;
};

/** Priority levels, most urgent first: the numeric value is the scheduler's sort key. */
export const PRIORITIES = ["critical", "high", "normal", "low", "background"] as const;
export type PriorityName = (typeof PRIORITIES)[number];
export type Priority = 0 | 1 | 2 | 3 | 4;
export const PRIORITY_NORMAL: Priority = 2;

export type TransitionDesc = {
  readonly name: string;
  readonly params: readonly FieldDesc[];
  readonly priority: Priority;
  readonly fn: number;
  /** Type of the reply (`none` when the transition never returns a value). */
  readonly reply: TypeIdx;
};

export type GoalDesc = {
  readonly name: string;
  readonly priority: Priority;
  /** Predicate function: no parameters, returns bool. */
  readonly fn: number;
  /** Indices into the domain's `transitions`; all parameterless ones when `via` is omitted. */
  readonly via: readonly number[];
};

export type InvariantDesc = { readonly name: string; readonly fn: number };

export type DomainDesc = {
  readonly name: string;
  readonly priority: Priority;
  readonly capabilities: readonly string[];
  /** A record type (named `<Domain>.state`) describing the state fields in declaration order. */
  readonly state: TypeIdx;
  /** Function with no parameters that returns the default state record. */
  readonly init: number;
  readonly transitions: readonly TransitionDesc[];
  readonly goals: readonly GoalDesc[];
  readonly invariants: readonly InvariantDesc[];
};

/** Source position of an instruction, for trap messages. Lines and columns are 1-based. */
export type SourcePos = { readonly file: number; readonly line: number; readonly col: number };

export type FnDebug = {
  /** Sorted by pc: the instruction at `pcs[i]` and later (until `pcs[i+1]`) came from `pos[i]`. */
  readonly pcs: Int32Array;
  readonly lines: Int32Array;
  readonly cols: Int32Array;
  readonly files: Int32Array;
  /** Names of locals, for the disassembler and frame dumps. */
  readonly localNames: readonly string[];
};

export type DebugInfo = {
  readonly files: readonly string[];
  /** Parallel to `Module.fns`. */
  readonly fns: readonly FnDebug[];
  /** Source text of `assert` conditions etc. is in constants; nothing else is needed. */
};

export type Module = {
  readonly formatVersion: number;
  /** `0x` + 64 hex digits: SHA-256 of the canonical encoding without the debug section. */
  readonly programHash: string;
  readonly fuelPerSlice: number;
  readonly consts: readonly ConstDesc[];
  readonly types: readonly TypeDesc[];
  readonly effects: readonly EffectDesc[];
  readonly fns: readonly FnDesc[];
  readonly domains: readonly DomainDesc[];
  readonly debug: DebugInfo | null;
};

export const MODULE_FORMAT_VERSION = 1;
/** "LXM" followed by a zero byte. */
export const MODULE_MAGIC = Uint8Array.of(0x4c, 0x58, 0x4d, 0x00);
