import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { generateBytecodeDoc } from "../../src/bytecode/docgen.ts";
import { BUILTINS, OPS, TYPE_OPERAND_KINDS, type OpName } from "../../src/bytecode/index.ts";
import { expectGolden } from "./golden.ts";

const DOC = path.join(import.meta.dirname, "..", "..", "docs", "bytecode.md");

describe("docs/bytecode.md", () => {
  it("is up to date with the opcode and built-in tables", () => {
    expectGolden(DOC, generateBytecodeDoc());
  });

  it("documents every opcode and built-in", () => {
    const doc = generateBytecodeDoc();
    for (const op of OPS) expect(doc).toContain(`| ${op.code} | \`${op.name}\` |`);
    BUILTINS.forEach((b, i) => expect(doc).toContain(`| ${i} | \`${b.name}\` |`));
  });
});

describe("opcode table consistency", () => {
  it("opcodes are numbered by position and names are unique", () => {
    OPS.forEach((op, i) => expect(op.code).toBe(i));
    expect(new Set(OPS.map((o) => o.name)).size).toBe(OPS.length);
    expect(new Set(BUILTINS.map((b) => b.name)).size).toBe(BUILTINS.length);
  });

  it("every computed stack effect has a popDoc, and only those", () => {
    for (const op of OPS) expect(typeof op.pop === "function", op.name).toBe(op.popDoc !== undefined);
  });

  it("every opcode with a type operand except CAST constrains the type's kind", () => {
    const constrained = OPS.filter((o) => o.operands.includes("type")).map((o) => o.name as OpName);
    for (const name of constrained) {
      if (name === "CAST") expect(TYPE_OPERAND_KINDS[name]).toBeUndefined();
      else expect(TYPE_OPERAND_KINDS[name], name).toBeDefined();
    }
  });

  it("dependent operand kinds follow the operand they depend on", () => {
    for (const op of OPS) {
      op.operands.forEach((k, i) => {
        if (k === "transition") expect(op.operands[i - 1], op.name).toBe("domain");
        if (k === "field" || k === "tag") expect(op.operands[i - 1], op.name).toBe("type");
        if (k === "vfield") expect(op.operands.slice(i - 2, i), op.name).toEqual(["type", "tag"]);
      });
    }
  });

  it("the document is stable text (no timestamps)", () => {
    expect(generateBytecodeDoc()).toBe(generateBytecodeDoc());
    expect(fs.existsSync(path.dirname(DOC))).toBe(true);
  });
});
