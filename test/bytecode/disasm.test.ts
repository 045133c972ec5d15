import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Op, decodeModule, disassemble, encodeModule, type Module } from "../../src/bytecode/index.ts";
import { asm, edit, fn, tinyModule, withFn } from "./builder.ts";
import { expectGolden } from "./golden.ts";
import { F, sampleDebug, sampleModule } from "./sample.ts";

const GOLDEN = path.join(import.meta.dirname, "golden");

describe("disassembler", () => {
  it("matches the golden listing of the sample module (with debug info)", () => {
    expectGolden(path.join(GOLDEN, "sample.disasm.txt"), disassemble(sampleModule()));
  });

  it("matches the golden listing of the sample module without debug info", () => {
    expectGolden(path.join(GOLDEN, "sample_nodebug.disasm.txt"), disassemble(sampleModule({ debug: null })));
  });

  it("is deterministic and the same after an encode/decode round trip", () => {
    const m = sampleModule();
    expect(disassemble(decodeModule(encodeModule(m)))).toBe(disassemble(m));
  });

  it("renders operands by kind", () => {
    const text = disassemble(sampleModule());
    expect(text).toContain("; program hash 0x");
    expect(text).toContain("; fuel per slice 500000");
    expect(text).toMatch(/0028 {2}FIELD {8}Item\.qty/);
    expect(text).toContain('CONST        "order is closed"');
    expect(text).toContain("CONST        2.0");
    expect(text).toContain("CONST        -42");
    expect(text).toContain("STORE        %1:total");
    expect(text).toContain("JMP          -> 0008");
    expect(text).toContain("BUILTIN      len_list");
    expect(text).toContain("SEND         Inventory.Reserve");
    expect(text).toContain("SEND         Order.Expire after");
    expect(text).toContain("EMIT         Log.write key");
    expect(text).toContain("VFIELD       result<Receipt>.Err.error");
    expect(text).toContain("VARIANT      Status.Failed");
    expect(text).toContain("SSTORE       Order.state.status");
    expect(text).toContain("LIST         list<int> 2");
    expect(text).toMatch(/0000 {2}INT {10}0 +; order\.lex:12:3/);
    expect(text).toContain("transition #1   Checkout() -> Status  priority high  fn Order.Checkout");
    expect(text).toContain("goal Settled  priority low  fn Order.goal.Settled  via Expire");
  });

  it("shows locals by number without debug info and source positions only with it", () => {
    const text = disassemble(sampleModule({ debug: null }));
    expect(text).toContain("STORE        %1\n");
    expect(text).not.toContain("order.lex");
    expect(disassemble(sampleModule({ debug: sampleDebug(0, "moved.lex") }))).toContain("; moved.lex:12:3");
  });

  it("never throws on a module that fails verification", () => {
    const broken: Module[] = [
      withFn(tinyModule(), 1, { code: Int32Array.of(999, 1, 2) }),
      withFn(tinyModule(), 1, { code: Int32Array.of(Op.SEND) }), // operands missing
      withFn(tinyModule(), 1, { code: Int32Array.of(...asm(["FIELD", 7, 9], ["VFIELD", 0, 5, 5], ["SEND", 4, 4, 3], ["CALL", 99], ["LOAD", 8])) }),
      edit(tinyModule(), { types: [{ k: "list", elem: 0 }, { k: "map", key: 1, val: 1 }, { k: "opt", inner: 50 }] }),
      edit(sampleModule(), { fns: [...sampleModule().fns, fn("x", "fn", asm(["SLOAD", 3], ["RET"]))] }),
    ];
    for (const m of broken) expect(typeof disassemble(m)).toBe("string");
    expect(disassemble(broken[0]!)).toContain("???");
    expect(disassemble(broken[1]!)).toContain("SEND         <truncated>");
    expect(disassemble(broken[3]!)).toMatch(/list<list<list<.*…/);
  });

  it("lists every function of the sample", () => {
    const text = disassemble(sampleModule());
    for (const f of sampleModule().fns) expect(text).toContain(`\nfn ${f.name}  (${f.kind}`);
    expect(text.split("\nfn ").length - 1).toBe(Object.keys(F).length);
  });
});
