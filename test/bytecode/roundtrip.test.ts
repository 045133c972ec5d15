import { describe, expect, it } from "vitest";
import { AssertionFailure } from "../../src/base/assert.ts";
import { INT_MAX, INT_MIN } from "../../src/base/limits.ts";
import {
  OPS,
  computeProgramHash,
  decodeModule,
  encodeModule,
  verifyModule,
  withProgramHash,
  type Module,
} from "../../src/bytecode/index.ts";
import { HEADER_HASH_OFFSET } from "../../src/bytecode/format.ts";
import { edit, mod, tinyModule, withFn } from "./builder.ts";
import { F, sampleDebug, sampleModule } from "./sample.ts";

function roundTrip(m: Module): Module {
  const bytes = encodeModule(m);
  const back = decodeModule(bytes);
  expect(back).toEqual(m);
  expect(encodeModule(back)).toEqual(bytes);
  return back;
}

describe("encode → decode round trip", () => {
  it("the sample module (with debug info) round-trips exactly", () => {
    const m = sampleModule();
    verifyModule(m);
    roundTrip(m);
  });

  it("the sample module without debug info round-trips exactly", () => {
    roundTrip(sampleModule({ debug: null }));
  });

  it("the tiny module and an empty module round-trip", () => {
    roundTrip(tinyModule());
    roundTrip(mod({}));
  });

  it("the sample module uses every opcode (so round trips and the golden cover them all)", () => {
    const used = new Set<number>();
    for (const f of sampleModule().fns) {
      for (let pc = 0; pc < f.code.length; pc += 1 + OPS[f.code[pc]!]!.operands.length) used.add(f.code[pc]!);
    }
    const missing = OPS.filter((o) => !used.has(o.code)).map((o) => o.name);
    expect(missing).toEqual([]);
  });

  it("keeps constants exactly: int extremes, tiny and huge floats, BOM-led and astral strings", () => {
    const consts = [
      { k: "int", v: INT_MAX },
      { k: "int", v: INT_MIN },
      { k: "int", v: 0 },
      { k: "int", v: -1 },
      { k: "float", v: 5e-324 },
      { k: "float", v: 1.7976931348623157e308 },
      { k: "float", v: -0.1 },
      { k: "string", v: "\uFEFFstarts with a byte-order mark" },
      { k: "string", v: "emoji 😀 and NUL \u0000" },
      { k: "string", v: "" },
    ] as const;
    const m = mod({ consts });
    verifyModule(m);
    expect(roundTrip(m).consts).toEqual(consts);
  });

  it("encoding is deterministic", () => {
    expect(encodeModule(sampleModule())).toEqual(encodeModule(sampleModule()));
  });
});

describe("program hash", () => {
  const base = sampleModule();

  it("is 0x + 64 hex digits and is what the header carries", () => {
    expect(base.programHash).toMatch(/^0x[0-9a-f]{64}$/);
    const bytes = encodeModule(base);
    const header = Buffer.from(bytes.subarray(HEADER_HASH_OFFSET, HEADER_HASH_OFFSET + 32)).toString("hex");
    expect("0x" + header).toBe(base.programHash);
    expect(computeProgramHash(base)).toBe(base.programHash);
  });

  it("does not change with debug info: positions, file names, local names, or none at all", () => {
    const variants = [
      sampleModule({ debug: sampleDebug(100) }),
      sampleModule({ debug: sampleDebug(0, "elsewhere/order.lex") }),
      sampleModule({ debug: null }),
      edit(base, { debug: { ...sampleDebug(), fns: sampleDebug().fns.map((f) => ({ ...f, localNames: [] })) } }),
    ];
    for (const v of variants) {
      expect(v.programHash).toBe(base.programHash);
      expect(encodeModule(v)).not.toEqual(encodeModule(base));
    }
  });

  it("changes with the code, constants, types, metadata and fuel", () => {
    const code = Int32Array.from(base.fns[F.invTotal]!.code);
    code[3] = 1; // INT 0 → INT 1
    const variants: Module[] = [
      withFn(base, F.invTotal, { code }),
      withFn(base, F.invTotal, { maxStack: 3 }),
      edit(base, { consts: base.consts.map((c, i) => (i === 0 ? { k: "string", v: "order is shut" } : c)) }),
      edit(base, { consts: base.consts.map((c, i) => (i === 10 ? { k: "float", v: -42 } : c)) }),
      edit(base, { types: base.types.map((t, i) => (i === 6 && t.k === "record" ? { ...t, name: "Line" } : t)) }),
      edit(base, { effects: base.effects.map((e, i) => (i === 0 ? { ...e, retries: 4 } : e)) }),
      edit(base, { domains: base.domains.map((d, i) => (i === 1 ? { ...d, priority: 0 as const } : d)) }),
      edit(base, { fuelPerSlice: 500_001 }),
    ];
    const hashes = new Set([base.programHash, ...variants.map((v) => v.programHash)]);
    expect(hashes.size).toBe(variants.length + 1);
  });

  it("encodeModule refuses a module whose programHash is stale (a producer bug)", () => {
    const stale = { ...withFn(base, F.invTotal, { maxStack: 3 }), programHash: base.programHash };
    expect(() => encodeModule(stale)).toThrow(AssertionFailure);
    expect(() => encodeModule(stale)).toThrow(/stale/);
    expect(withProgramHash(stale).programHash).toBe(computeProgramHash(stale));
  });
});
