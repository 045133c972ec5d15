import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../../../src/base/bytes.ts";
import type { TypeDesc } from "../../../src/bytecode/module.ts";
import {
  Json,
  PList,
  PMap,
  PSet,
  Rec,
  TypeTable,
  ValueCodecError,
  Variant,
  decodeValue,
  effectError,
  encodeValue,
  equals,
  err,
  fromTagged,
  hashValue,
  ok,
  readValue,
  toTagged,
  unitVariant,
  writeValue,
} from "../../../src/vm/values/index.ts";
import { typedValue } from "./arbitraries.ts";

const T: TypeDesc[] = [
  { k: "string" },
  { k: "int" },
  { k: "record", name: "Item", fields: [{ name: "sku", type: 0 }, { name: "qty", type: 1 }] },
  { k: "enum", name: "Status", variants: [{ name: "Open", fields: [] }, { name: "Failed", fields: [{ name: "reason", type: 0 }] }] },
  { k: "result", ok: 2 },
];
const tt = new TypeTable(T);
const item = (sku: string, qty: number) => new Rec(tt.recordShape(2), [sku, qty]);
const failed = (r: string) => new Variant(tt.enumShape(3), 1, [r]);

const sample = PList.from([
  null,
  true,
  false,
  0,
  -7,
  1.5,
  2 ** 53 - 1,
  -(2 ** 52),
  "héllo \u{1F600}",
  item("a", 1),
  unitVariant(tt.enumShape(3), 0),
  failed("x"),
  PMap.from([
    ["b", PSet.from([3, 1, 2])],
    ["a", PList.empty],
  ]),
  PMap.from([[2 ** 53 - 1, 1], [-(2 ** 53 - 1), 2]]),
  Json.from({ a: [1, null, "x"] }),
  ok(item("b", 2)),
  err(effectError("E", "m", 2, tt.effectErrorShape)),
]);

function codecError(f: () => unknown): ValueCodecError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ValueCodecError)) throw e;
    return e;
  }
  throw new Error("expected a ValueCodecError");
}

describe("tagged JSON", () => {
  it("has the documented form", () => {
    expect(toTagged(item("a", 1))).toEqual({ $r: "Item", f: ["a", 1] });
    expect(toTagged(failed("x"))).toEqual({ $v: "Status", t: "Failed", f: ["x"] });
    expect(toTagged(ok(1))).toEqual({ $v: "result", t: "Ok", f: [1] });
    expect(toTagged(PList.from([1]))).toEqual({ $l: [1] });
    expect(toTagged(PMap.from([[2, "b"], [1, "a"]]))).toEqual({ $m: [[1, "a"], [2, "b"]] });
    expect(toTagged(PSet.from(["b", "a"]))).toEqual({ $s: ["a", "b"] });
    expect(toTagged(Json.from({ b: 1 }))).toEqual({ $j: { b: 1 } });
    expect(toTagged(null)).toBe(null);
  });

  it("round-trips the sample exactly", () => {
    const back = fromTagged(tt, JSON.parse(JSON.stringify(toTagged(sample))));
    expect(equals(back, sample)).toBe(true);
    expect(Buffer.from(hashValue(back)).equals(Buffer.from(hashValue(sample)))).toBe(true);
    expect((back as PList).get(10)).toBe(unitVariant(tt.enumShape(3), 0));
  });

  it("round-trips random values of random types", () => {
    fc.assert(
      fc.property(typedValue, ({ tt: table, v }) => {
        const back = fromTagged(table, JSON.parse(JSON.stringify(toTagged(v))));
        expect(equals(back, v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const bad: [string, unknown, RegExp][] = [
    ["bare array", [1], /bare array/],
    ["unknown key", { $x: 1 }, /unrecognised/],
    ["extra key", { $l: [], f: 1 }, /unrecognised/],
    ["unknown record", { $r: "Nope", f: [] }, /unknown record/],
    ["field count", { $r: "Item", f: ["a"] }, /2 fields, got 1/],
    ["unknown enum", { $v: "Nope", t: "A", f: [] }, /unknown enum/],
    ["unknown variant", { $v: "Status", t: "Closed", f: [] }, /not a variant/],
    ["unordered map", { $m: [[2, 1], [1, 1]] }, /ascending/],
    ["duplicate set", { $s: [1, 1] }, /ascending/],
    ["mixed keys", { $s: [1, "a"] }, /mixed/],
    ["float key", { $s: [1.5] }, /not an int/],
    ["bad pair", { $m: [[1]] }, /pairs/],
    ["lone surrogate", "\ud800", /surrogate/],
    ["bad json", { $j: [Infinity] }, /finite/],
    ["undefined", undefined, /unexpected undefined/],
  ];
  for (const [name, j, msg] of bad) {
    it(`rejects ${name}`, () => expect(codecError(() => fromTagged(tt, j)).message).toMatch(msg));
  }

  it("never throws anything but ValueCodecError on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (j) => {
        try {
          fromTagged(tt, j);
        } catch (e) {
          expect(e).toBeInstanceOf(ValueCodecError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("binary codec", () => {
  it("round-trips the sample exactly", () => {
    const bytes = encodeValue(sample);
    const back = decodeValue(bytes, tt);
    expect(equals(back, sample)).toBe(true);
    // Several values in one buffer, read in sequence.
    const w = new ByteWriter();
    writeValue(w, 1);
    writeValue(w, sample);
    writeValue(w, "end");
    const r = new ByteReader(w.finish());
    expect(readValue(r, tt)).toBe(1);
    expect(equals(readValue(r, tt), sample)).toBe(true);
    expect(readValue(r, tt)).toBe("end");
    expect(r.remaining).toBe(0);
  });

  it("uses the documented bytes for small values", () => {
    expect([...encodeValue(null)]).toEqual([0x00]);
    expect([...encodeValue(true)]).toEqual([0x02]);
    expect([...encodeValue(-1)]).toEqual([0x06, 0x01]);
    expect([...encodeValue(2 ** 52)]).toEqual([0x03, 0, 0, 0, 0, 0, 0, 0x30, 0x43]);
    expect([...encodeValue("é")]).toEqual([0x04, 0x02, 0xc3, 0xa9]);
    expect([...encodeValue(PList.from([1]))]).toEqual([0x07, 0x01, 0x06, 0x02]);
    expect([...encodeValue(item("a", 1))]).toEqual([0x0a, 4, ..."Item"].map((x) => (typeof x === "string" ? x.charCodeAt(0) : x)).concat([2, 0x04, 1, 97, 0x06, 2]));
  });

  it("round-trips random values of random types", () => {
    fc.assert(
      fc.property(typedValue, ({ tt: table, v }) => {
        const back = decodeValue(encodeValue(v), table);
        expect(equals(back, v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects truncation, trailing bytes and corruption with ValueCodecError only", () => {
    const bytes = encodeValue(sample);
    for (let n = 0; n < bytes.length; n++) {
      expect(codecError(() => decodeValue(bytes.subarray(0, n), tt))).toBeInstanceOf(ValueCodecError);
    }
    expect(codecError(() => decodeValue(Uint8Array.of(0x00, 0x00), tt)).message).toMatch(/trailing/);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const copy = bytes.slice();
        copy[i] = b;
        try {
          decodeValue(copy, tt);
        } catch (e) {
          expect(e).toBeInstanceOf(ValueCodecError);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (junk) => {
        try {
          decodeValue(junk, tt);
        } catch (e) {
          expect(e).toBeInstanceOf(ValueCodecError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("checks counts against the bytes left before allocating", () => {
    const w = new ByteWriter().u8(0x07).uvar(16_000_000);
    expect(codecError(() => decodeValue(w.finish(), tt)).message).toMatch(/exceeds the 0 bytes left/);
    const w2 = new ByteWriter().u8(0x07).uvar(2 ** 40);
    expect(codecError(() => decodeValue(w2.finish(), tt)).message).toMatch(/exceeds 16777216/);
  });

  it("rejects non-canonical map keys", () => {
    const w = new ByteWriter().u8(0x09).uvar(2).u8(0x06).svar(2).u8(0x06).svar(1);
    expect(codecError(() => decodeValue(w.finish(), tt)).message).toMatch(/ascending/);
    const w2 = new ByteWriter().u8(0x09).uvar(1).u8(0x03).f64(3);
    expect(codecError(() => decodeValue(w2.finish(), tt)).message).toMatch(/canonically/);
    const w3 = new ByteWriter().u8(0x09).uvar(1).u8(0x02);
    expect(codecError(() => decodeValue(w3.finish(), tt)).message).toMatch(/not a key/);
  });

  it("rejects unknown shapes and wrong field counts", () => {
    const w = new ByteWriter().u8(0x0a).str("Nope").uvar(0);
    expect(codecError(() => decodeValue(w.finish(), tt)).message).toMatch(/unknown record/);
    const w2 = new ByteWriter().u8(0x0b).str("Status").uvar(5).uvar(0);
    expect(codecError(() => decodeValue(w2.finish(), tt)).message).toMatch(/no variant 5/);
    const w3 = new ByteWriter().u8(0x0a).str("Item").uvar(3);
    expect(codecError(() => decodeValue(w3.finish(), tt)).message).toMatch(/exceeds 2/);
    const w4 = new ByteWriter().u8(0x0c).str("{bad");
    expect(codecError(() => decodeValue(w4.finish(), tt)).message).toMatch(/malformed json/);
    const w5 = new ByteWriter().u8(0x04).blob(Uint8Array.of(0xff));
    expect(codecError(() => decodeValue(w5.finish(), tt)).message).toMatch(/UTF-8/);
  });
});

describe("hostile tagged input", () => {
  it("rejects sparse arrays with ValueCodecError, not an assertion", () => {
    const sparse = new Array(3);
    expect(() => fromTagged(tt, { $l: sparse })).toThrow(ValueCodecError);
    expect(() => fromTagged(tt, { $r: "Item", f: new Array(2) })).toThrow(ValueCodecError);
    expect(() => fromTagged(tt, { $s: new Array(1) })).toThrow(ValueCodecError);
    expect(() => fromTagged(tt, { $m: new Array(1) })).toThrow(ValueCodecError);
  });
});
