/** Each value-model limit at and just past its value (STYLE.md §7). */
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../../src/base/bytes.ts";
import { COLLECTION_LEN_MAX, STRING_LEN_MAX } from "../../../src/base/limits.ts";
import type { TypeDesc } from "../../../src/bytecode/module.ts";
import {
  Json,
  JsonShapeError,
  PList,
  TypeTable,
  VALUE_DEPTH_MAX,
  ValueCodecError,
  decodeValue,
  depthOf,
  encodeValue,
  equals,
  fromJson,
  fromTagged,
  toJson,
  toJsonChunks,
  toJsonText,
  toTagged,
  type Value,
} from "../../../src/vm/values/index.ts";

// A recursive type: list<list<list<…>>>.
const T: TypeDesc[] = [{ k: "list", elem: 0 }, { k: "string" }, { k: "list", elem: 1 }];
const tt = new TypeTable(T);

function nested(depth: number): Value {
  let v: Value = PList.empty;
  for (let i = 1; i < depth; i++) v = PList.from([v]);
  return v;
}
function nestedJson(depth: number): unknown {
  let j: unknown = [];
  for (let i = 1; i < depth; i++) j = [j];
  return j;
}

describe("VALUE_DEPTH_MAX", () => {
  it("every codec handles a value exactly at the limit", () => {
    const v = nested(VALUE_DEPTH_MAX);
    expect(depthOf(v)).toBe(VALUE_DEPTH_MAX);
    expect(equals(decodeValue(encodeValue(v), tt), v)).toBe(true);
    expect(equals(fromTagged(tt, toTagged(v)), v)).toBe(true);
    expect(equals(fromJson(tt, 0, toJson(tt, 0, v)), v)).toBe(true);
    expect(equals(fromJson(tt, 0, JSON.parse(toJsonText(tt, 0, v))), v)).toBe(true);
    expect([...toJsonChunks(tt, 0, v, 100)].join("")).toBe(toJsonText(tt, 0, v));
    expect(Json.from(nestedJson(VALUE_DEPTH_MAX)).text().length).toBe(2 * VALUE_DEPTH_MAX);
  });

  it("every codec refuses one level more with a clear error", () => {
    const v = nested(VALUE_DEPTH_MAX + 1);
    expect(depthOf(v)).toBe(VALUE_DEPTH_MAX + 1);
    expect(() => encodeValue(v)).toThrow(ValueCodecError);
    expect(() => toTagged(v)).toThrow(ValueCodecError);
    expect(() => toJson(tt, 0, v)).toThrow(ValueCodecError);
    expect(() => toJsonText(tt, 0, v)).toThrow(/nested deeper than 512/);
    expect(() => [...toJsonChunks(tt, 0, v)]).toThrow(ValueCodecError);
    // Decoders, given hand-made input one level too deep.
    const w = new ByteWriter();
    for (let i = 1; i < VALUE_DEPTH_MAX + 1; i++) w.u8(0x07).uvar(1);
    w.u8(0x07).uvar(0);
    expect(() => decodeValue(w.finish(), tt)).toThrow(/nested deeper/);
    const tagged = { $l: [] as unknown[] };
    let cur = tagged;
    for (let i = 1; i < VALUE_DEPTH_MAX + 1; i++) {
      const next = { $l: [] as unknown[] };
      cur.$l.push(next);
      cur = next;
    }
    expect(() => fromTagged(tt, tagged)).toThrow(/nested deeper/);
    expect(() => fromJson(tt, 0, nestedJson(VALUE_DEPTH_MAX + 1))).toThrow(JsonShapeError);
    expect(() => Json.from(nestedJson(VALUE_DEPTH_MAX + 1))).toThrow(/deeper/);
  });

  it("a hostile deeply nested request body is refused, not a stack overflow", () => {
    const body = "[".repeat(200_000) + "]".repeat(200_000);
    expect(() => fromJson(tt, 0, JSON.parse(body))).toThrow(JsonShapeError);
    expect(() => Json.from(JSON.parse(body))).toThrow(JsonShapeError);
    const w = new ByteWriter();
    for (let i = 0; i < 200_000; i++) w.u8(0x07).uvar(1);
    expect(() => decodeValue(w.finish(), tt)).toThrow(ValueCodecError);
  });
});

describe("collection and string limits", () => {
  it("refuses a list longer than COLLECTION_LEN_MAX before reading its elements", () => {
    const sparse = new Array(COLLECTION_LEN_MAX + 1); // cheap: length only
    expect(() => fromJson(tt, 2, sparse)).toThrow(/longer than 16777216/);
    expect(() => Json.from(sparse)).toThrow(/longer than 16777216/);
    const w = new ByteWriter().u8(0x07).uvar(COLLECTION_LEN_MAX + 1);
    expect(() => decodeValue(w.finish(), tt)).toThrow(/exceeds 16777216/);
  });

  it("accepts a string of STRING_LEN_MAX units and refuses one more", () => {
    const s = "x".repeat(STRING_LEN_MAX);
    expect(fromJson(tt, 1, s)).toBe(s);
    expect(() => fromJson(tt, 1, s + "x")).toThrow(/longer than/);
    expect(() => Json.from(s + "x")).toThrow(/longer than/);
  });
});
