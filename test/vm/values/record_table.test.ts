import { describe, expect, it } from "vitest";
import { AssertionFailure } from "../../../src/base/assert.ts";
import type { TypeDesc } from "../../../src/bytecode/module.ts";
import {
  EFFECT_ERROR_SHAPE,
  Json,
  PList,
  PMap,
  PSet,
  RESULT_SHAPE,
  Rec,
  TypeTable,
  Variant,
  compareKeys,
  effectError,
  equals,
  err,
  makeVariant,
  ok,
  unitVariant,
  weightOf,
} from "../../../src/vm/values/index.ts";

const T: TypeDesc[] = [
  { k: "string" },
  { k: "int" },
  { k: "record", name: "Item", fields: [{ name: "sku", type: 0 }, { name: "qty", type: 1 }] },
  { k: "enum", name: "Status", variants: [{ name: "Open", fields: [] }, { name: "Failed", fields: [{ name: "reason", type: 0 }] }] },
  { k: "result", ok: 2 },
  { k: "record", name: "Item", fields: [{ name: "sku", type: 0 }, { name: "qty", type: 1 }] },
];

describe("TypeTable", () => {
  const tt = new TypeTable(T);
  it("creates one shape per record/enum and finds them by name", () => {
    const item = tt.recordShape(2);
    expect(item).toEqual({ kind: "record", name: "Item", fields: ["sku", "qty"], fieldTypes: [0, 1] });
    expect(tt.shapeOf(5)).toBe(item);
    expect(tt.recordShapeByName("Item")).toBe(item);
    expect(tt.enumShapeByName("Status")).toBe(tt.enumShape(3));
    expect(tt.shapeOf(4)).toBe(RESULT_SHAPE);
    expect(tt.enumShapeByName("result")).toBe(RESULT_SHAPE);
    expect(tt.recordShapeByName("Nope")).toBe(undefined);
    expect(tt.fieldIndex(2, "qty")).toBe(1);
    expect(tt.fieldIndex(2, "nope")).toBe(-1);
    expect(Object.isFrozen(item)).toBe(true);
  });

  it("provides EffectError when the module does not declare it", () => {
    expect(tt.effectErrorShape).toBe(EFFECT_ERROR_SHAPE);
    expect(tt.recordShapeByName("EffectError")).toBe(EFFECT_ERROR_SHAPE);
    expect(tt.desc(tt.effectErrorType).k).toBe("record");
    expect(tt.moduleTypeCount).toBe(T.length);
    const own = new TypeTable([
      { k: "string" },
      { k: "int" },
      { k: "record", name: "EffectError", fields: [{ name: "code", type: 0 }, { name: "message", type: 0 }, { name: "attempts", type: 1 }] },
    ]);
    expect(own.effectErrorType).toBe(2);
    expect(own.effectErrorShape.fieldTypes).toEqual([0, 0, 1]);
  });

  it("asserts on malformed tables (the verifier's job, checked again here)", () => {
    const bad: TypeDesc[][] = [
      [{ k: "list", elem: 5 }],
      [{ k: "float" }, { k: "set", elem: 0 }],
      [{ k: "int" }, { k: "opt", inner: 0 }, { k: "opt", inner: 1 }],
      [{ k: "enum", name: "E", variants: [] }],
      [{ k: "enum", name: "result", variants: [{ name: "A", fields: [] }] }],
      [{ k: "int" }, { k: "record", name: "R", fields: [{ name: "a", type: 0 }, { name: "a", type: 0 }] }],
      [{ k: "int" }, { k: "record", name: "R", fields: [{ name: "a", type: 0 }] }, { k: "record", name: "R", fields: [{ name: "b", type: 0 }] }],
      [{ k: "int" }, { k: "record", name: "EffectError", fields: [{ name: "code", type: 0 }] }],
    ];
    for (const types of bad) expect(() => new TypeTable(types)).toThrow(AssertionFailure);
  });
});

describe("records and variants", () => {
  const tt = new TypeTable(T);
  const item = tt.recordShape(2);
  const status = tt.enumShape(3);

  it("withField copies; the original is untouched", () => {
    const a = new Rec(item, ["a", 1]);
    const b = a.withField(1, 2);
    expect(a.f).toEqual(["a", 1]);
    expect(b.f).toEqual(["a", 2]);
    expect(a.withField(1, 1)).toBe(a);
    expect(equals(a, b)).toBe(false);
    expect(equals(b, new Rec(item, ["a", 2]))).toBe(true);
  });

  it("shares unit variants", () => {
    expect(unitVariant(status, 0)).toBe(unitVariant(status, 0));
    expect(makeVariant(status, 0, [])).toBe(unitVariant(status, 0));
    expect(unitVariant(status, 0).variantName).toBe("Open");
    expect(equals(new Variant(status, 1, ["x"]), new Variant(status, 1, ["y"]))).toBe(false);
    expect(equals(unitVariant(status, 0), new Variant(status, 1, ["x"]))).toBe(false);
  });

  it("asserts field counts and tags", () => {
    expect(() => new Rec(item, ["a"])).toThrow(AssertionFailure);
    expect(() => new Variant(status, 2)).toThrow(AssertionFailure);
    expect(() => new Variant(status, 1, [])).toThrow(AssertionFailure);
  });

  it("builds results", () => {
    const o = ok(3);
    expect(o.shape).toBe(RESULT_SHAPE);
    expect(o.tag).toBe(0);
    const e = err(effectError("LX-EFFECT-TIMEOUT", "slow", 2));
    expect(e.tag).toBe(1);
    expect((e.f[0] as Rec).f).toEqual(["LX-EFFECT-TIMEOUT", "slow", 2]);
  });

  it("weighs 1 per value plus 1 per 64 string units", () => {
    expect(weightOf(1)).toBe(1);
    expect(weightOf(null)).toBe(1);
    expect(weightOf("x".repeat(63))).toBe(1);
    expect(weightOf("x".repeat(64))).toBe(2);
    const r = new Rec(item, ["x".repeat(128), 1]);
    expect(weightOf(r)).toBe(1 + 3 + 1);
    const m = PMap.empty.set("k", PList.from([r, r])).set("j", 1);
    expect(m.w).toBe(1 + (1 + 1 + 5 + 5) + (1 + 1));
    expect(m.delete("k").w).toBe(3);
    expect(m.set("k", 0).w).toBe(1 + 2 + 2);
    expect(PSet.from(["a", "b"]).w).toBe(3);
    expect(weightOf(Json.from([1]))).toBe(2);
  });
});

describe("equals and compareKeys", () => {
  it("compares keys numerically and by code points", () => {
    expect(compareKeys(2, 10)).toBeLessThan(0);
    expect(compareKeys("10", "9")).toBeLessThan(0);
    expect(compareKeys("\uffff", "\u{10000}")).toBeLessThan(0);
    expect(compareKeys("a", "a")).toBe(0);
    expect(() => compareKeys(1, "a")).toThrow(AssertionFailure);
  });

  it("compares scalars and composites structurally", () => {
    expect(equals(1, 1)).toBe(true);
    expect(equals(1, 2)).toBe(false);
    expect(equals("a", "a")).toBe(true);
    expect(equals(null, null)).toBe(true);
    expect(equals(PList.from([1, 2]), PList.from([1, 2]))).toBe(true);
    expect(equals(PList.from([1, 2]), PList.from([1, 3]))).toBe(false);
    expect(equals(PList.from([1, 2]), PList.from([1]))).toBe(false);
    expect(equals(PMap.from([[1, "a"]]), PMap.from([[1, "b"]]))).toBe(false);
    expect(equals(PSet.from([1]), PSet.from([2]))).toBe(false);
    expect(equals(Json.from({ a: 1, b: 2 }), Json.from({ b: 2, a: 1 }))).toBe(true);
    expect(equals(Json.from({ a: 1 }), Json.from({ a: 2 }))).toBe(false);
    const big = PList.from(Array.from({ length: 5000 }, (_, i) => i));
    expect(equals(big, big.set(4000, 4000))).toBe(true);
    expect(equals(big, big.set(4000, -1))).toBe(false);
  });
});
