import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TypeDesc } from "../../../src/bytecode/module.ts";
import {
  Json,
  JsonShapeError,
  PList,
  PMap,
  PSet,
  Rec,
  TypeTable,
  Variant,
  castJson,
  effectError,
  equals,
  err,
  fromJson,
  ok,
  toJson,
  toJsonChunks,
  toJsonText,
  tryCastJson,
  unitVariant,
  type Value,
} from "../../../src/vm/values/index.ts";
import { typedValue } from "./arbitraries.ts";

// A small module type table in the spirit of language.md §3.
const T: TypeDesc[] = [
  /* 0 */ { k: "string" },
  /* 1 */ { k: "int" },
  /* 2 */ { k: "record", name: "Item", fields: [{ name: "sku", type: 0 }, { name: "qty", type: 1 }] },
  /* 3 */ { k: "enum", name: "Status", variants: [{ name: "Open", fields: [] }, { name: "Failed", fields: [{ name: "reason", type: 0 }] }] },
  /* 4 */ { k: "list", elem: 2 },
  /* 5 */ { k: "opt", inner: 2 },
  /* 6 */ { k: "set", elem: 0 },
  /* 7 */ { k: "map", key: 0, val: 1 },
  /* 8 */ { k: "map", key: 1, val: 0 },
  /* 9 */ { k: "float" },
  /* 10 */ { k: "json" },
  /* 11 */ { k: "result", ok: 2 },
  /* 12 */ { k: "bool" },
  /* 13 */ {
    k: "record",
    name: "Order.state",
    fields: [
      { name: "status", type: 3 },
      { name: "items", type: 4 },
      { name: "receipt", type: 5 },
      { name: "tags", type: 6 },
      { name: "held", type: 7 },
      { name: "byId", type: 8 },
      { name: "price", type: 9 },
      { name: "meta", type: 10 },
      { name: "last", type: 11 },
      { name: "done", type: 12 },
    ],
  },
  /* 14 */ { k: "none" },
  /* 15 */ { k: "map", key: 1, val: 4 },
];
const tt = new TypeTable(T);
const itemShape = tt.recordShape(2);
const statusShape = tt.enumShape(3);
const item = (sku: string, qty: number) => new Rec(itemShape, [sku, qty]);

function sampleState(): Rec {
  return new Rec(tt.recordShape(13), [
    new Variant(statusShape, 1, ["expired"]),
    PList.from([item("a", 1), item("b", 2)]),
    null,
    PSet.from(["z", "\u{10000}", "\uffff", "a"]),
    PMap.from([
      ["b", 2],
      ["10", 1],
      ["9", 3],
      ["a/b", 4],
    ]),
    PMap.from([
      [10, "ten"],
      [-2, "minus two"],
    ]),
    -0,
    Json.from({ y: [1, 2], x: null }),
    err(effectError("LX-EFFECT-TIMEOUT", "timed out", 3, tt.effectErrorShape)),
    true,
  ]);
}

const SAMPLE_TEXT =
  '{"status":{"$tag":"Failed","reason":"expired"},' +
  '"items":[{"sku":"a","qty":1},{"sku":"b","qty":2}],' +
  '"receipt":null,' +
  '"tags":["a","z","\uffff","\u{10000}"],' +
  '"held":{"10":1,"9":3,"a/b":4,"b":2},' +
  '"byId":[[-2,"minus two"],[10,"ten"]],' +
  '"price":0,' +
  '"meta":{"x":null,"y":[1,2]},' +
  '"last":{"$tag":"Err","error":{"code":"LX-EFFECT-TIMEOUT","message":"timed out","attempts":3}},' +
  '"done":true}';

function shapeError(f: () => unknown): JsonShapeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(JsonShapeError);
    return e as JsonShapeError;
  }
  throw new Error("expected a JsonShapeError");
}

describe("toJson / toJsonText (rules.md [10])", () => {
  it("writes the documented forms, keys in code-point order", () => {
    const s = sampleState();
    expect(toJsonText(tt, 13, s)).toBe(SAMPLE_TEXT);
    expect(toJson(tt, 13, s)).toEqual(JSON.parse(SAMPLE_TEXT));
    expect(toJsonText(tt, 3, unitVariant(statusShape, 0))).toBe('{"$tag":"Open"}');
    expect(toJsonText(tt, 11, ok(item("q", 9)))).toBe('{"$tag":"Ok","value":{"sku":"q","qty":9}}');
    expect(toJsonText(tt, 5, item("q", 9))).toBe('{"sku":"q","qty":9}');
    expect(toJsonText(tt, 14, null)).toBe("null");
    expect(toJsonText(tt, 15, PMap.from([[1, PList.from([item("x", 1)])]]))).toBe('[[1,[{"sku":"x","qty":1}]]]');
    expect(toJsonText(tt, 9, 1e21)).toBe("1e+21");
    expect(toJsonText(tt, 9, 0.1)).toBe("0.1");
  });

  it("asserts the value matches the type (a VM bug, not user input)", () => {
    expect(() => toJson(tt, 1, "x")).toThrow(/expected int/);
    expect(() => toJsonText(tt, 2, new Rec(tt.recordShape(13), sampleState().f))).toThrow(/expected record Item/);
  });

  it("streams the same text in pieces, never splitting a surrogate pair", () => {
    const s = sampleState();
    for (const size of [1, 2, 3, 7, 50, 64 * 1024]) {
      const parts = [...toJsonChunks(tt, 13, s, size)];
      expect(parts.join("")).toBe(SAMPLE_TEXT);
      for (const p of parts) {
        expect(p.length).toBeGreaterThan(0);
        expect(p.length).toBeLessThanOrEqual(size + 1);
        const last = p.charCodeAt(p.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }
    }
  });

  it("streams a large state in bounded pieces while newer versions are made", () => {
    let items = PList.empty;
    for (let i = 0; i < 100_000; i++) items = items.push(item("sku-" + i, i));
    const s = sampleState().withField(1, items);
    const gen = toJsonChunks(tt, 13, s, 4096);
    const parts: string[] = [];
    let next = gen.next();
    let mutated = s;
    while (!next.done) {
      parts.push(next.value);
      expect(next.value.length).toBeLessThanOrEqual(4096 + 1);
      // The VM keeps working on newer versions between pieces.
      mutated = mutated.withField(1, (mutated.f[1] as PList).set(parts.length % 1000, item("changed", -1)));
      next = gen.next();
    }
    expect(parts.length).toBeGreaterThan(100);
    const text = parts.join("");
    expect(text).toBe(toJsonText(tt, 13, s));
    expect(equals(fromJson(tt, 13, JSON.parse(text)), s)).toBe(true);
  });
});

describe("fromJson (strict)", () => {
  it("reads back the documented forms", () => {
    const v = fromJson(tt, 13, JSON.parse(SAMPLE_TEXT));
    expect(equals(v, sampleState())).toBe(true);
    expect(fromJson(tt, 3, { $tag: "Open" })).toBe(unitVariant(statusShape, 0));
    expect(fromJson(tt, 5, null)).toBe(null);
    expect(Object.is(fromJson(tt, 9, -0), 0)).toBe(true);
    expect(fromJson(tt, 9, 3)).toBe(3);
  });

  const cases: [string, number, unknown, string, RegExp][] = [
    ["unknown field", 2, { sku: "a", qty: 1, extra: 1 }, "/extra", /unknown field "extra"/],
    ["missing field", 2, { sku: "a" }, "/qty", /missing field "qty"/],
    ["int not integral", 2, { sku: "a", qty: 1.5 }, "/qty", /expected an int/],
    ["int beyond 2^53-1", 2, { sku: "a", qty: 2 ** 53 }, "/qty", /outside/],
    ["int as string", 2, { sku: "a", qty: "1" }, "/qty", /expected an int, got a string/],
    ["record as array", 2, [], "", /expected an object/],
    ["float non-finite", 9, Infinity, "", /finite/],
    ["bad tag", 3, { $tag: "Closed" }, "/$tag", /not a variant/],
    ["missing tag", 3, {}, "/$tag", /\$tag/],
    ["unit variant with a field", 3, { $tag: "Open", reason: "x" }, "/reason", /unknown field/],
    ["variant missing a field", 3, { $tag: "Failed" }, "/reason", /missing field/],
    ["list element", 4, [{ sku: "a", qty: 1 }, { sku: 1, qty: 1 }], "/1/sku", /expected a string/],
    ["set duplicate", 6, ["a", "b", "a"], "/2", /duplicate set element/],
    ["set of wrong kind", 6, [1], "/0", /expected a string/],
    ["map<string> value", 7, { "a/b~c": "x" }, "/a~1b~0c", /expected an int/],
    ["map<string> as array", 7, [], "", /expected an object/],
    ["map<int> not pairs", 8, [[1, "a", 3]], "/0", /pair/],
    ["map<int> bad key", 8, [["1", "a"]], "/0/0", /expected an int/],
    ["map<int> duplicate key", 8, [[1, "a"], [1, "b"]], "/1/0", /duplicate map key 1/],
    ["map<int> bad value", 8, [[1, 2]], "/0/1", /expected a string/],
    ["result bad tag", 11, { $tag: "Maybe" }, "/$tag", /not a variant of result/],
    ["result err shape", 11, { $tag: "Err", error: { code: "x", message: "y" } }, "/error/attempts", /missing/],
    ["none", 14, 0, "", /expected null/],
    ["lone surrogate", 0, "\udc00", "", /surrogate/],
    ["json non-finite", 10, { a: [NaN] }, "/a/0", /finite/],
    ["nested state path", 13, { ...JSON.parse(SAMPLE_TEXT), items: [{ sku: "a", qty: 1, x: 0 }] }, "/items/0/x", /unknown field/],
  ];
  for (const [name, t, j, pointer, msg] of cases) {
    it(`rejects: ${name} at ${JSON.stringify(pointer)}`, () => {
      const e = shapeError(() => fromJson(tt, t, j));
      expect(e.pointer).toBe(pointer);
      expect(e.message).toMatch(msg);
      // A path prefix (e.g. the argument name) is prepended.
      expect(shapeError(() => fromJson(tt, t, j, "/item")).pointer).toBe("/item" + pointer);
    });
  }

  it("can drop unknown fields (adapter results, rules.md [26])", () => {
    const v = fromJson(tt, 2, { sku: "a", qty: 1, extra: 1 }, "", { dropUnknownFields: true });
    expect(equals(v, item("a", 1))).toBe(true);
  });

  it("accepts a map<string> with keys JS objects reorder, and __proto__", () => {
    const v = fromJson(tt, 7, JSON.parse('{"__proto__":1,"b":2,"10":3}')) as PMap;
    expect(v.keys()).toEqual(["10", "__proto__", "b"]);
    expect(toJsonText(tt, 7, v)).toBe('{"10":3,"__proto__":1,"b":2}');
    expect(Object.keys(toJson(tt, 7, v) as object).sort()).toEqual(["10", "__proto__", "b"]);
  });
});

describe("castJson (json as T)", () => {
  it("casts or returns null", () => {
    const j = Json.from({ sku: "a", qty: 2 });
    expect(equals(castJson(tt, 2, j)!, item("a", 2))).toBe(true);
    expect(castJson(tt, 1, j)).toBe(null);
    expect(castJson(tt, 10, j)).toBe(j);
    const r = tryCastJson(tt, 5, Json.from(null));
    expect(r).toEqual({ ok: true, value: null });
    const bad = tryCastJson(tt, 4, Json.from([{ sku: "a", qty: "x" }]));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.pointer).toBe("/0/qty");
  });
});

describe("round trips over random types", () => {
  it("fromJson(toJson(v)) = v and the text parses to the same JSON", () => {
    fc.assert(
      fc.property(typedValue, ({ tt: table, t, v }) => {
        const plain = toJson(table, t, v);
        const back = fromJson(table, t, plain);
        expect(equals(back, v)).toBe(true);
        const text = toJsonText(table, t, v);
        expect(JSON.parse(text)).toEqual(plain);
        expect(equals(fromJson(table, t, JSON.parse(text)), v)).toBe(true);
        expect([...toJsonChunks(table, t, v, 5)].join("")).toBe(text);
        // Text is canonical: equal values give equal text.
        expect(toJsonText(table, t, back)).toBe(text);
        // castJson of the text is the same cast.
        const c = tryCastJson(table, t, Json.from(JSON.parse(text)));
        expect(c.ok && equals(c.value as Value, v)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
