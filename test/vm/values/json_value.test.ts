import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Json, JsonShapeError, equals, hashValue } from "../../../src/vm/values/index.ts";

describe("Json", () => {
  it("canonicalises: sorted keys by code point, −0 → 0, frozen copy", () => {
    const src = { z: [1, -0, { y: 2, x: 1 }], "\u{10000}": 1, "\uffff": 2, a: null };
    const j = Json.from(src);
    expect(j.text()).toBe('{"a":null,"z":[1,0,{"x":1,"y":2}],"\uffff":2,"\u{10000}":1}');
    expect(Object.isFrozen(j.v)).toBe(true);
    src.z.push(5);
    expect(j.text()).not.toContain("5");
    expect(Json.from(j)).toBe(j);
  });

  it("keeps __proto__ as an ordinary key", () => {
    const j = Json.from(JSON.parse('{"__proto__":{"x":1},"a":2}'));
    expect(j.text()).toBe('{"__proto__":{"x":1},"a":2}');
    expect(Object.getPrototypeOf(j.v)).toBe(Object.prototype);
  });

  it("rejects what JSON cannot hold, with a pointer", () => {
    const bad = (x: unknown, pointer: string, msg: RegExp) => {
      try {
        Json.from(x);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(JsonShapeError);
        expect((e as JsonShapeError).pointer).toBe(pointer);
        expect((e as JsonShapeError).message).toMatch(msg);
      }
    };
    bad({ a: [1, NaN] }, "/a/1", /finite/);
    bad({ a: Infinity }, "/a", /finite/);
    bad([undefined], "/0", /not a JSON value/);
    bad({ "a/b": { "c~": () => 1 } }, "/a~1b/c~0", /not a JSON value/);
    bad(new Date(0), "", /plain/);
    bad(new Map(), "", /plain/);
    bad({ s: "\ud800" }, "/s", /surrogate/);
    bad(10n, "", /bigint/);
    const cyc: unknown[] = [];
    cyc.push(cyc);
    bad(cyc, "/0".repeat(512), /deeper/);
  });

  it("equal JSON values are equal and hash equally whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const a = Json.from(x);
        const b = Json.from(JSON.parse(JSON.stringify(x)));
        expect(equals(a, b)).toBe(true);
        expect(Buffer.from(hashValue(a)).equals(Buffer.from(hashValue(b)))).toBe(true);
        expect(JSON.parse(a.text())).toEqual(JSON.parse(JSON.stringify(x), (_k, v) => (Object.is(v, -0) ? 0 : v)));
      }),
    );
  });

  it("weighs 1 per JSON value plus long strings and keys", () => {
    expect(Json.from(null).w).toBe(1);
    expect(Json.from({ a: [1, "x".repeat(64)] }).w).toBe(/* object */ 1 + /* key */ 1 + /* array */ 1 + 1 + /* 64 chars */ 2);
  });
});
