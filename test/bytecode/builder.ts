/**
 * Test helpers for hand-building modules: a tiny assembler with labels and a module builder
 * that fills in defaults and the program hash.
 */
import { AssertionFailure } from "../../src/base/assert.ts";
import { withProgramHash } from "../../src/bytecode/encode.ts";
import {
  MODULE_FORMAT_VERSION,
  type ConstDesc,
  type DebugInfo,
  type DomainDesc,
  type EffectDesc,
  type FnDesc,
  type FnKind,
  type Module,
  type TypeDesc,
} from "../../src/bytecode/module.ts";
import { OPS, Op, type OpName } from "../../src/bytecode/opcodes.ts";
import { FUEL_PER_SLICE_DEFAULT } from "../../src/base/limits.ts";

/** An instruction `[OPNAME, ...operands]` (an operand `"@label"` is a jump target), or a label `"name:"`. */
export type AsmItem = string | readonly [OpName, ...(number | string)[]];

/** Assembles instructions into code words, resolving `@label` operands to word indices. */
export function asm(...items: AsmItem[]): Int32Array {
  const labels = new Map<string, number>();
  let pc = 0;
  for (const it of items) {
    if (typeof it === "string") {
      if (!it.endsWith(":")) throw new Error(`asm: bad label ${it}`);
      labels.set(it.slice(0, -1), pc);
    } else {
      pc += it.length;
    }
  }
  const words: number[] = [];
  for (const it of items) {
    if (typeof it === "string") continue;
    const [name, ...ops] = it;
    const info = OPS[Op[name]];
    if (info === undefined) throw new Error(`asm: unknown op ${name}`);
    if (ops.length !== info.operands.length) throw new Error(`asm: ${name} takes ${info.operands.length} operands, got ${ops.length}`);
    words.push(info.code);
    for (const o of ops) {
      if (typeof o === "number") words.push(o);
      else {
        const t = labels.get(o.replace(/^@/, ""));
        if (t === undefined) throw new Error(`asm: unknown label ${o}`);
        words.push(t);
      }
    }
  }
  return Int32Array.from(words);
}

export function fn(
  name: string,
  kind: FnKind,
  code: Int32Array,
  opts: { params?: number; locals?: number; maxStack?: number } = {},
): FnDesc {
  const params = opts.params ?? 0;
  return { name, kind, params, locals: opts.locals ?? params, maxStack: opts.maxStack ?? 8, code };
}

export type ModuleParts = {
  consts?: readonly ConstDesc[];
  types?: readonly TypeDesc[];
  effects?: readonly EffectDesc[];
  fns?: readonly FnDesc[];
  domains?: readonly DomainDesc[];
  fuelPerSlice?: number;
  debug?: DebugInfo | null;
};

/**
 * A module with defaults for missing parts and a correct program hash. Modules the encoder
 * cannot represent (negative counts, unknown kinds — verifier test subjects) get a zero hash.
 */
export function mod(p: ModuleParts): Module {
  const m: Module = {
    formatVersion: MODULE_FORMAT_VERSION,
    programHash: "",
    fuelPerSlice: p.fuelPerSlice ?? FUEL_PER_SLICE_DEFAULT,
    consts: p.consts ?? [],
    types: p.types ?? [],
    effects: p.effects ?? [],
    fns: p.fns ?? [],
    domains: p.domains ?? [],
    debug: p.debug ?? null,
  };
  try {
    return withProgramHash(m);
  } catch (e) {
    if (!(e instanceof AssertionFailure)) throw e;
    return { ...m, programHash: ZERO_HASH };
  }
}

export const ZERO_HASH = "0x" + "0".repeat(64);

/** A copy of `m` with some parts replaced and the hash recomputed. */
export function edit(m: Module, p: ModuleParts): Module {
  return mod({ ...m, ...p });
}

/** Replaces function `i` (by index) in a copy of `m`. */
export function withFn(m: Module, i: number, f: Partial<FnDesc>): Module {
  return edit(m, { fns: m.fns.map((g, j) => (j === i ? { ...g, ...f } : g)) });
}

/** The smallest valid module: one domain with one transition. */
export function tinyModule(): Module {
  return mod({
    types: [{ k: "int" }, { k: "record", name: "T.state", fields: [{ name: "n", type: 0 }] }, { k: "none" }],
    fns: [
      fn("T.$init", "init", asm(["INT", 0], ["RECORD", 1], ["RET"])),
      fn("T.Go", "transition", asm(["SLOAD", 0], ["INT", 1], ["ADD_I"], ["SSTORE", 0], ["NONE"], ["REPLY"])),
    ],
    domains: [
      {
        name: "T",
        priority: 2,
        capabilities: [],
        state: 1,
        init: 0,
        transitions: [{ name: "Go", params: [], priority: 2, fn: 1, reply: 2 }],
        goals: [],
        invariants: [],
      },
    ],
  });
}
