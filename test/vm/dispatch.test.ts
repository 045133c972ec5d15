/**
 * The interpreter's switch uses literal opcode numbers (for a jump table, see machine.ts);
 * this keeps every literal equal to the opcode table and every opcode handled exactly once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, test } from "vitest";
import { OPS } from "../../src/bytecode/opcodes.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

test("every case label of the interpreter loop matches the opcode table", () => {
  const src = fs.readFileSync(path.join(ROOT, "src/vm/machine.ts"), "utf8");
  const labels = [...src.matchAll(/^\s*case (\d+):(?: \{)? \/\/ ([A-Z_0-9]+)\s*$/gm)].map((m) => ({ code: Number(m[1]), name: m[2]! }));
  expect(labels.length).toBeGreaterThan(0);
  for (const l of labels) expect(OPS[l.code]?.name, `case ${l.code} // ${l.name}`).toBe(l.name);
  const seen = labels.map((l) => l.name).sort();
  expect(seen).toEqual(OPS.map((o) => o.name).sort());
});
