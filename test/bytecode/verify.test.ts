/**
 * One test per verifier rule: each starts from a valid module, breaks one thing, and checks
 * the verifier names the rule (and the function and pc where there is one).
 */
import { describe, expect, it } from "vitest";
import { FN_CODE_WORDS_MAX, FN_LOCALS_MAX, FUEL_PER_SLICE_MAX, MODULE_TABLE_MAX, STRING_LEN_MAX, VM_STACK_SLOTS_MAX } from "../../src/base/limits.ts";
import {
  BUILTINS,
  ModuleVerifyError,
  verifyModule,
  type DomainDesc,
  type FnDesc,
  type Module,
  type TypeDesc,
} from "../../src/bytecode/index.ts";
import { asm, edit, fn, mod, tinyModule, withFn, type AsmItem } from "./builder.ts";
import { C, F, T, sampleDebug, sampleModule } from "./sample.ts";

function verifyError(m: Module, pattern: RegExp, at?: { fn: string; pc: number }): ModuleVerifyError {
  try {
    verifyModule(m);
  } catch (e) {
    expect(e).toBeInstanceOf(ModuleVerifyError);
    const err = e as ModuleVerifyError;
    expect(err.code).toBe("LXM-VERIFY");
    expect(err.message).toMatch(pattern);
    if (at !== undefined) {
      expect(err.fn).toBe(at.fn);
      expect(err.pc).toBe(at.pc);
      expect(err.message).toContain(`fn ${JSON.stringify(at.fn)} pc ${at.pc}`);
    }
    return err;
  }
  throw new Error(`expected verifyModule to reject (${pattern})`);
}

const tiny = tinyModule();
const sample = sampleModule({ debug: null });

/** The tiny module with transition T.Go's code (and optionally its header) replaced. */
function go(items: AsmItem[], opts: Partial<FnDesc> = {}): Module {
  return withFn(tiny, 1, { code: asm(...items), ...opts });
}
/** The tiny module plus a top-level function `helper`. */
function withHelper(items: AsmItem[], opts: Partial<FnDesc> = {}): Module {
  return edit(tiny, { fns: [...tiny.fns, { ...fn("helper", "fn", asm(...items)), ...opts }] });
}
function types(m: Module, ts: TypeDesc[]): Module {
  return edit(m, { types: ts });
}
function domain0(m: Module, d: Partial<DomainDesc>): Module {
  return edit(m, { domains: m.domains.map((x, i) => (i === 0 ? { ...x, ...d } : x)) });
}

describe("valid modules pass", () => {
  it("the sample and tiny modules verify", () => {
    verifyModule(sample);
    verifyModule(tiny);
    verifyModule(mod({}));
  });

  it("unreachable code after a terminator is allowed (but still range-checked)", () => {
    verifyModule(go([["NONE"], ["REPLY"], ["NOP"], ["POP"]]));
    verifyError(go([["NONE"], ["REPLY"], ["LOAD", 3]]), /LOAD: local 3 is out of range/, { fn: "T.Go", pc: 2 });
  });

  it("a declared maxStack larger than needed is fine", () => {
    verifyModule(go([["NONE"], ["REPLY"]], { maxStack: 100 }));
  });
});

describe("module-level rules", () => {
  it("format version must be the current one", () => {
    verifyError({ ...tiny, formatVersion: 2 }, /module: format version 2 is not 1/);
  });

  it("fuelPerSlice is within 1..FUEL_PER_SLICE_MAX (at and past the limits)", () => {
    verifyModule(edit(tiny, { fuelPerSlice: 1 }));
    verifyModule(edit(tiny, { fuelPerSlice: FUEL_PER_SLICE_MAX }));
    verifyError(edit(tiny, { fuelPerSlice: 0 }), /fuelPerSlice 0 is not in 1\.\.1000000000/);
    verifyError(edit(tiny, { fuelPerSlice: FUEL_PER_SLICE_MAX + 1 }), /fuelPerSlice 1000000001/);
  });

  it("tables hold at most MODULE_TABLE_MAX entries", () => {
    const consts = Array.from({ length: MODULE_TABLE_MAX + 1 }, () => ({ k: "int" as const, v: 1 }));
    verifyError({ ...tiny, consts }, /1048577 constants, over MODULE_TABLE_MAX/);
  });
});

describe("constants", () => {
  it("ints are within ±(2^53−1)", () => {
    verifyError({ ...tiny, consts: [{ k: "int", v: 2 ** 53 }] }, /constant #0: int constant 9007199254740992 is not an integer/);
    verifyError({ ...tiny, consts: [{ k: "int", v: 1.5 }] }, /int constant 1.5/);
  });

  it("floats are finite and never −0", () => {
    verifyError({ ...tiny, consts: [{ k: "float", v: NaN }] }, /float constant NaN is not finite/);
    verifyError({ ...tiny, consts: [{ k: "float", v: -Infinity }] }, /not finite/);
    verifyError({ ...tiny, consts: [{ k: "float", v: -0 }] }, /−0/);
  });

  it("strings are at most STRING_LEN_MAX long (at and past the limit)", () => {
    verifyModule({ ...tiny, consts: [{ k: "string", v: "x".repeat(STRING_LEN_MAX) }] });
    verifyError({ ...tiny, consts: [{ k: "string", v: "x".repeat(STRING_LEN_MAX + 1) }] }, /longer than STRING_LEN_MAX/);
  });

  it("strings are well-formed (no lone surrogates)", () => {
    verifyError({ ...tiny, consts: [{ k: "string", v: "a\uD800b" }] }, /lone surrogate/);
  });
});

describe("types", () => {
  it("type references are in range", () => {
    verifyError(types(tiny, [...tiny.types, { k: "list", elem: 99 }]), /type #3 \(list\): element type index 99 is out of range/);
    verifyError(
      types(tiny, [...tiny.types, { k: "record", name: "R", fields: [{ name: "x", type: -1 }] }]),
      /field "x" has type index -1, out of range/,
    );
  });

  it("map keys and set elements are int or string", () => {
    verifyError(types(tiny, [...tiny.types, { k: "map", key: 2, val: 0 }]), /map key type must be int or string, not none/);
    verifyError(types(tiny, [...tiny.types, { k: "set", elem: 1 }]), /set element type must be int or string, not record/);
  });

  it("field and variant names are unique and enums have variants", () => {
    verifyError(
      types(tiny, [...tiny.types, { k: "record", name: "R", fields: [{ name: "x", type: 0 }, { name: "x", type: 0 }] }]),
      /type #3 \(record R\): duplicate field name "x"/,
    );
    verifyError(
      types(tiny, [...tiny.types, { k: "enum", name: "E", variants: [{ name: "A", fields: [] }, { name: "A", fields: [] }] }]),
      /duplicate variant name "A"/,
    );
    verifyError(types(tiny, [...tiny.types, { k: "enum", name: "E", variants: [] }]), /enum has no variants/);
  });

  it("a record or enum cannot contain itself inline", () => {
    verifyError(
      types(tiny, [...tiny.types, { k: "record", name: "R", fields: [{ name: "self", type: 3 }] }]),
      /type #3 \(record R\): type contains itself without a list, map, set or optional/,
    );
    verifyError(
      types(tiny, [
        ...tiny.types,
        { k: "enum", name: "E", variants: [{ name: "A", fields: [{ name: "r", type: 4 }] }] },
        { k: "result", ok: 3 },
      ]),
      /contains itself without/,
    );
  });

  it("recursion through list, map, set or optional is allowed", () => {
    verifyModule(
      types(tiny, [
        ...tiny.types,
        { k: "record", name: "Node", fields: [{ name: "kids", type: 4 }, { name: "next", type: 5 }, { name: "byName", type: 6 }] },
        { k: "list", elem: 3 },
        { k: "opt", inner: 3 },
        { k: "map", key: 0, val: 3 },
      ]),
    );
  });

  it("an unnamed type cannot contain itself (an infinite type)", () => {
    verifyError(types(tiny, [...tiny.types, { k: "opt", inner: 3 }]), /type #3 \(opt\): unnamed type contains itself/);
    verifyError(types(tiny, [...tiny.types, { k: "list", elem: 4 }, { k: "opt", inner: 3 }]), /unnamed type contains itself/);
  });

  it("unknown type kinds are refused", () => {
    verifyError(types(tiny, [...tiny.types, { k: "tuple" } as unknown as TypeDesc]), /unknown type kind "tuple"/);
  });
});

describe("effects", () => {
  const eff = sample.effects[0]!;
  const withEffect = (e: Partial<typeof eff>): Module => edit(sample, { effects: sample.effects.map((x, i) => (i === 0 ? { ...x, ...e } : x)) });

  it("names are exactly Ident.ident and unique", () => {
    verifyError(withEffect({ name: "charge" }), /effect "charge": effect name must be exactly Ident.ident/);
    verifyError(withEffect({ name: "A.b.c" }), /Ident.ident/);
    verifyError(withEffect({ name: "Log.write" }), /effects: duplicate effect name "Log.write"/);
  });

  it("retries ≥ 0, backoff min ≤ max, timeout > 0", () => {
    verifyError(withEffect({ retries: -1 }), /retries -1 must be an integer ≥ 0/);
    verifyError(withEffect({ backoffMinMs: 20_000 }), /backoff minimum 20000ms is above the maximum 10000ms/);
    verifyError(withEffect({ timeoutMs: 0 }), /timeout 0ms must be an integer > 0/);
  });

  it("parameter and result types are in range", () => {
    verifyError(withEffect({ result: 999 }), /result type index 999 is out of range/);
    verifyError(withEffect({ params: [{ name: "x", type: 999 }] }), /parameter "x" has type index 999/);
  });
});

describe("function headers", () => {
  it("locals ≥ params", () => {
    verifyError(withHelper([["INT", 0], ["RET"]], { params: 2, locals: 1 }), /fn "helper": locals \(1\) must be at least params \(2\)/);
  });

  it("locals ≤ FN_LOCALS_MAX (at and past the limit)", () => {
    verifyModule(withHelper([["INT", 0], ["RET"]], { locals: FN_LOCALS_MAX }));
    verifyError(withHelper([["INT", 0], ["RET"]], { locals: FN_LOCALS_MAX + 1 }), /locals 65536 is over FN_LOCALS_MAX/);
  });

  it("maxStack ≤ VM_STACK_SLOTS_MAX (at and past the limit)", () => {
    verifyModule(withHelper([["INT", 0], ["RET"]], { maxStack: VM_STACK_SLOTS_MAX }));
    verifyError(withHelper([["INT", 0], ["RET"]], { maxStack: VM_STACK_SLOTS_MAX + 1 }), /over VM_STACK_SLOTS_MAX/);
  });

  it("code is at most FN_CODE_WORDS_MAX words", () => {
    const code = new Int32Array(FN_CODE_WORDS_MAX + 1);
    verifyError(withHelper([], { code }), /code has 16777217 words, over FN_CODE_WORDS_MAX/);
  });

  it("function names are unique and kinds known", () => {
    verifyError(edit(tiny, { fns: [...tiny.fns, fn("T.Go", "fn", asm(["INT", 0], ["RET"]))] }), /duplicate function name "T.Go"/);
    verifyError(withHelper([["INT", 0], ["RET"]], { kind: "macro" as FnDesc["kind"] }), /unknown function kind "macro"/);
  });
});

describe("domain metadata", () => {
  it("priorities are 0..4", () => {
    verifyError(domain0(tiny, { priority: 5 as 0 }), /domain "T": priority 5 is not in 0\.\.4/);
    verifyError(
      domain0(tiny, { transitions: [{ ...tiny.domains[0]!.transitions[0]!, priority: -1 as 0 }] }),
      /transition "Go": priority -1/,
    );
  });

  it("the state is a record type", () => {
    verifyError(domain0(tiny, { state: 0 }), /domain "T": state type #0 \(int\) is not a record/);
    verifyError(domain0(tiny, { state: 9 }), /state type index 9 is out of range/);
  });

  it("init is an init function with no parameters", () => {
    verifyError(domain0(tiny, { init: 1 }), /init function "T.Go" has kind transition, expected init/);
    verifyError(withFn(tiny, 0, { params: 1, locals: 1 }), /init function "T.\$init" has 1 params, expected 0/);
    verifyError(domain0(tiny, { init: 7 }), /init function index 7 is out of range/);
  });

  it("a transition's function is a transition with the same parameter count", () => {
    verifyError(withFn(tiny, 1, { kind: "fn" }), /transition "Go": transition function "T.Go" has kind fn, expected transition/);
    verifyError(withFn(tiny, 1, { params: 1, locals: 1 }), /has 1 params, expected 0/);
  });

  it("reply and parameter types are in range; names are unique", () => {
    const tr = tiny.domains[0]!.transitions[0]!;
    verifyError(domain0(tiny, { transitions: [{ ...tr, reply: 50 }] }), /reply type index 50 is out of range/);
    verifyError(domain0(tiny, { transitions: [tr, tr] }), /domain "T": duplicate transition name "Go"/);
    verifyError(edit(tiny, { domains: [tiny.domains[0]!, tiny.domains[0]!] }), /duplicate domain name "T"/);
  });

  it("goals and invariants point to goal/invariant functions without parameters", () => {
    const d = sample.domains[0]!;
    verifyError(domain0(sample, { goals: [{ ...d.goals[0]!, fn: F.invTotal }], invariants: [] }), /goal function "Order.inv.TotalNeverNegative" has kind invariant, expected goal/);
    verifyError(withFn(sample, F.invTotal, { params: 1, locals: 1 }), /invariant "TotalNeverNegative": invariant function .* has 1 params, expected 0/);
  });

  it("via indices are in range and name parameterless transitions", () => {
    const g = sample.domains[0]!.goals[0]!;
    verifyError(domain0(sample, { goals: [{ ...g, via: [9] }] }), /goal "Settled": via index 9 is out of range \(4 transitions\)/);
    verifyError(domain0(sample, { goals: [{ ...g, via: [0] }] }), /via transition "AddItem" has parameters/);
  });

  it("a function is used by at most one metadata entry", () => {
    const d = sample.domains[0]!;
    verifyError(domain0(sample, { transitions: [...d.transitions, { ...d.transitions[2]!, name: "Expire2" }] }), /function "Order.Expire" is already used by domain "Order" transition "Expire"/);
  });

  it("transitions, inits, goals and invariants must be referenced by their domain", () => {
    verifyError(edit(tiny, { fns: [...tiny.fns, fn("T.Stray", "transition", asm(["NONE"], ["REPLY"]))] }), /fn "T.Stray": a transition must be referenced by its domain's metadata/);
  });

  it("a function's Domain. prefix agrees with the domain that uses it", () => {
    const m = edit(sample, { fns: sample.fns.map((f, i) => (i === F.reserve ? { ...f, name: "Order.Reserve" } : f)) });
    verifyError(m, /fn "Order.Reserve": name says domain Order but it is used by domain "Inventory" transition "Reserve"/);
  });
});

describe("code: decoding and operands", () => {
  it("a function has code", () => {
    verifyError(go([]), /empty function/, { fn: "T.Go", pc: 0 });
  });

  it("every opcode is known", () => {
    const code = Int32Array.of(999);
    verifyError(withFn(tiny, 1, { code }), /unknown opcode 999/, { fn: "T.Go", pc: 0 });
    verifyError(withFn(tiny, 1, { code: Int32Array.of(-1) }), /unknown opcode -1/);
  });

  it("every instruction has all its operands", () => {
    const code = Int32Array.from([...asm(["NONE"]), asm(["SEND", 0, 0, 0])[0]!, 0]);
    verifyError(withFn(tiny, 1, { code }), /SEND needs 3 operand words, only 1 left/, { fn: "T.Go", pc: 1 });
  });

  const operandCases: [kind: string, op: string, items: AsmItem[], pattern: RegExp][] = [
    ["const", "CONST", [["CONST", 0], ["REPLY"]], /CONST: constant index 0 is out of range \(0 constants\)/],
    ["local", "LOAD", [["LOAD", 0], ["REPLY"]], /LOAD: local 0 is out of range \(0 locals\)/],
    ["sfield", "SLOAD", [["SLOAD", 1], ["REPLY"]], /SLOAD: state field 1 is out of range \(T has 1 state fields\)/],
    ["fn", "CALL", [["CALL", 5], ["REPLY"]], /CALL: function index 5 is out of range/],
    ["type", "CAST", [["CAST", 3], ["REPLY"]], /CAST: type index 3 is out of range \(3 types\)/],
    ["effect", "EMIT", [["INT", 0], ["EMIT", 0, 0], ["NONE"], ["REPLY"]], /EMIT: effect index 0 is out of range/],
    ["domain", "SEND", [["NONE"], ["SEND", 1, 0, 0], ["NONE"], ["REPLY"]], /SEND: domain index 1 is out of range/],
    ["transition", "SEND", [["NONE"], ["SEND", 0, 1, 0], ["NONE"], ["REPLY"]], /SEND: transition index 1 is out of range \(T has 1\)/],
    ["builtin", "BUILTIN", [["BUILTIN", BUILTINS.length], ["REPLY"]], /BUILTIN: built-in index \d+ is out of range/],
    ["field", "FIELD", [["NONE"], ["FIELD", 1, 1], ["REPLY"]], /FIELD: field 1 is out of range \(#1 \(record T.state\) has 1 fields\)/],
    ["count", "CONCAT", [["CONCAT", -1], ["REPLY"]], /CONCAT: count -1 is negative/],
    ["flag", "SEND", [["NONE"], ["SEND", 0, 0, 2], ["NONE"], ["REPLY"]], /SEND: flag 2 is not 0 or 1/],
    ["target", "JMP", [["JMP", 50]], /JMP: jump target 50 is outside the function/],
  ];
  for (const [kind, op, items, pattern] of operandCases) {
    it(`${kind} operands are in range`, () => {
      verifyError(go(items), pattern, { fn: "T.Go", pc: pcOf(items, op) });
    });
  }

  it("tag and variant-field operands are in range for their enum or result type", () => {
    const m = (items: AsmItem[]): Module => withFn(sample, F.goalSettled, { code: asm(...items) });
    verifyError(m([["VARIANT", T.Status, 4], ["RET"]]), /VARIANT: variant 4 is out of range \(#8 \(enum Status\) has 4 variants\)/);
    verifyError(m([["NONE"], ["TAG", T.resultReceipt], ["POP"], ["NONE"], ["VFIELD", T.resultReceipt, 2, 0], ["RET"]]), /VFIELD: variant 2 is out of range .* has 2 variants/);
    verifyError(m([["NONE"], ["VFIELD", T.Status, 3, 1], ["RET"]]), /VFIELD: variant field 1 is out of range \(the variant has 1 fields\)/);
    verifyError(m([["NONE"], ["VFIELD", T.resultReceipt, 0, 1], ["RET"]]), /variant field 1 is out of range/);
  });

  it("type operands have the kind the opcode needs", () => {
    const m = (items: AsmItem[]): Module => withFn(sample, F.goalSettled, { code: asm(...items) });
    verifyError(m([["LIST", T.mapStrInt, 0], ["RET"]]), /LIST: type #14 \(map\) is not list/);
    verifyError(m([["SET", T.listInt, 0], ["RET"]]), /SET: type #18 \(list\) is not set/);
    verifyError(m([["MAP", T.setStr, 0], ["RET"]]), /MAP: type #17 \(set\) is not map/);
    verifyError(m([["RECORD", T.Status], ["RET"]]), /RECORD: type #8 \(enum Status\) is not record/);
    verifyError(m([["NONE"], ["FIELD", T.Status, 0], ["RET"]]), /FIELD: type #8 \(enum Status\) is not record/);
    verifyError(m([["NONE"], ["TAG", T.Item], ["RET"]]), /TAG: type #6 \(record Item\) is not enum or result/);
    verifyModule(m([["NONE"], ["CAST", T.Status], ["RET"]]));
  });

  it("JGET names a string constant", () => {
    const code = asm(["LOAD", 0], ["JGET", C.neg42], ["RET"]);
    verifyError(withFn(sample, F.readJson, { code }), /JGET: constant #10 is not a string/, { fn: "readJson", pc: 2 });
  });

  it("jump targets land on the start of an instruction", () => {
    verifyError(go([["JMP", 1], ["NONE"], ["REPLY"]]), /JMP: jump target 1 is not the start of an instruction/, { fn: "T.Go", pc: 0 });
  });
});

describe("code: stack and control flow", () => {
  it("the stack never underflows", () => {
    verifyError(go([["POP"], ["NONE"], ["REPLY"]]), /POP pops 1 values but the stack holds 0/, { fn: "T.Go", pc: 0 });
    verifyError(go([["INT", 1], ["ADD_I"], ["REPLY"]]), /ADD_I pops 2 values but the stack holds 1/, { fn: "T.Go", pc: 2 });
  });

  it("the depth is the same on every path into an instruction", () => {
    const items: AsmItem[] = [["TRUE"], ["JF", "@join"], ["INT", 1], "join:", ["NONE"], ["REPLY"]];
    verifyError(go(items), /inconsistent stack depth at a join: \d on one path, \d on another/, { fn: "T.Go", pc: 5 });
  });

  it("the depth never exceeds the declared maxStack", () => {
    verifyError(go([["INT", 1], ["INT", 2], ["ADD_I"], ["REPLY"]], { maxStack: 1 }), /stack depth 2 after INT exceeds the declared maxStack 1/, {
      fn: "T.Go",
      pc: 2,
    });
  });

  it("execution cannot fall off the end", () => {
    verifyError(go([["NONE"], ["POP"]]), /falls off the end/, { fn: "T.Go", pc: 1 });
    // A conditional jump as the last instruction falls through past the end.
    verifyError(go(["top:", ["NONE"], ["POP"], ["TRUE"], ["JT", "@top"]]), /falls off the end/, { fn: "T.Go", pc: 3 });
    verifyError(withHelper([["INT", 0], ["INT", 1], ["ADD_I"]]), /falls off the end/, { fn: "helper", pc: 4 });
  });

  it("loops are fine when the depth is balanced", () => {
    verifyModule(go([["NONE"], "top:", ["POP"], ["TRUE"], ["DUP"], ["JT", "@top"], ["REPLY"]]));
  });
});

describe("code: where instructions may appear", () => {
  const transitionOnly: [string, AsmItem[]][] = [
    ["SSTORE", [["INT", 0], ["SSTORE", 0], ["INT", 0], ["RET"]]],
    ["REPLY", [["INT", 0], ["REPLY"]]],
    ["SLICE", [["SLICE"], ["INT", 0], ["RET"]]],
    ["AWAIT", [["LOAD", 0], ["AWAIT", 1, 0], ["RET"]]],
    ["EMIT", [["LOAD", 0], ["EMIT", 1, 0], ["INT", 0], ["RET"]]],
    ["SEND", [["SELF_ID"], ["SEND", 0, 2, 0], ["INT", 0], ["RET"]]],
    ["NOW", [["NOW"], ["RET"]]],
    ["RANDOM", [["RANDOM"], ["RET"]]],
    ["RANDOM_INT", [["INT", 0], ["INT", 1], ["RANDOM_INT"], ["RET"]]],
    ["UUID", [["UUID"], ["RET"]]],
  ];
  for (const [op, items] of transitionOnly) {
    it(`${op} is allowed only in transitions`, () => {
      // Order.inv.TotalNeverNegative is an invariant of Order: state readable, no effects.
      const m = withFn(sample, F.invTotal, { code: asm(...items), params: 0, locals: 1 });
      verifyError(m, new RegExp(`${op} is allowed only in transitions, not in an invariant predicate`), { fn: "Order.inv.TotalNeverNegative", pc: pcOf(items, op) });
    });
  }

  it("RET is not allowed in a transition", () => {
    verifyError(go([["NONE"], ["RET"]]), /RET is not allowed in a transition/, { fn: "T.Go", pc: 1 });
  });

  it("state access and self.id need a function that belongs to a domain", () => {
    verifyError(withHelper([["SLOAD", 0], ["RET"]]), /SLOAD: state access in a function that belongs to no domain/, { fn: "helper", pc: 0 });
    verifyError(withHelper([["SELF_ID"], ["RET"]]), /SELF_ID needs an instance/, { fn: "helper", pc: 0 });
    // A domain fn (named Domain.x) may read state and self.id.
    verifyModule(edit(tiny, { fns: [...tiny.fns, fn("T.peek", "fn", asm(["SLOAD", 0], ["SELF_ID"], ["POP"], ["RET"]))] }));
  });

  it("an init function cannot read the state", () => {
    verifyError(withFn(tiny, 0, { code: asm(["SLOAD", 0], ["RECORD", 1], ["RET"]) }), /SLOAD is not allowed in an init function/, {
      fn: "T.$init",
      pc: 0,
    });
  });

  it("AWAIT and SLICE find the stack otherwise empty", () => {
    const checkout = sample.fns[F.checkout]!;
    const bad = asm(["INT", 7], ["SELF_ID"], ["INT", 1], ["AWAIT", 0, 0], ["POP"], ["POP"], ["SLICE"], ["NONE"], ["REPLY"]);
    verifyError(withFn(sample, F.checkout, { code: bad }), /AWAIT needs an otherwise empty stack .* 1 values are below its operands/, {
      fn: checkout.name,
      pc: 5,
    });
    const badSlice = asm(["INT", 7], ["SLICE"], ["REPLY"]);
    verifyError(withFn(sample, F.checkout, { code: badSlice }), /SLICE needs an otherwise empty stack/, { fn: checkout.name, pc: 2 });
  });

  it("CALL targets plain functions", () => {
    verifyError(go([["CALL", 0], ["REPLY"]]), /CALL: "T.\$init" is an init function; only plain functions can be called/, { fn: "T.Go", pc: 0 });
  });

  it("a domain's functions are callable only from that domain", () => {
    const m = edit(sample, {
      fns: [...sample.fns, fn("Order.count", "fn", asm(["SLOAD", 2], ["RET"]))],
    });
    verifyModule(withFn(m, F.invTotal, { code: asm(["CALL", m.fns.length - 1], ["RET"]) }));
    const fromInventory = withFn(m, F.reserve, { code: asm(["CALL", m.fns.length - 1], ["REPLY"]) });
    verifyError(fromInventory, /CALL: "Order.count" belongs to domain Order and reads its state; callable only from that domain/);
    const fromTop = withFn(m, F.mix, { code: asm(["CALL", m.fns.length - 1], ["RET"]) });
    verifyError(fromTop, /callable only from that domain/, { fn: "mix", pc: 0 });
  });

  it("a transition may use only effects whose capabilities its domain declares", () => {
    const code = asm(["SELF_ID"], ["INT", 1], ["EMIT", 0, 0], ["NONE"], ["REPLY"]);
    verifyError(withFn(sample, F.reserve, { code }), /EMIT: effect Payments.charge needs capabilities \[network.egress\] that domain Inventory does not declare/, {
      fn: "Inventory.Reserve",
      pc: 3,
    });
  });
});

describe("debug info", () => {
  const dbg = sampleDebug();
  const withDebugFn = (i: number, patch: Record<string, unknown>): Module =>
    sampleModule({ debug: { ...dbg, fns: dbg.fns.map((f, j) => (j === i ? { ...f, ...patch } : f)) } });

  it("covers every function", () => {
    verifyError(sampleModule({ debug: { ...dbg, fns: dbg.fns.slice(1) } }), /debug: debug info covers 11 functions, the module has 12/);
  });

  it("positions are sorted and on instruction starts", () => {
    verifyError(withDebugFn(F.subtotal, { pcs: Int32Array.of(0, 8, 8) }), /pcs are not strictly increasing at entry 2/);
    verifyError(withDebugFn(F.subtotal, { pcs: Int32Array.of(0, 1, 49) }), /debug info of fn "subtotal": pc 1 is not the start of an instruction/);
  });

  it("lines and columns are 1-based; file indices in range; arrays parallel", () => {
    verifyError(withDebugFn(F.subtotal, { lines: Int32Array.of(0, 1, 2) }), /line and column are 1-based/);
    verifyError(withDebugFn(F.subtotal, { files: Int32Array.of(0, 0, 5) }), /file index 5 is out of range/);
    verifyError(withDebugFn(F.subtotal, { cols: Int32Array.of(1) }), /differ in length/);
  });

  it("names at most as many locals as the function has", () => {
    verifyError(withDebugFn(F.expire, { localNames: ["x"] }), /1 local names for 0 locals/);
  });
});

function pcOf(items: AsmItem[], op: string): number {
  let pc = 0;
  for (const it of items) {
    if (typeof it === "string") continue;
    if (it[0] === op) return pc;
    pc += it.length;
  }
  throw new Error(`no ${op}`);
}
