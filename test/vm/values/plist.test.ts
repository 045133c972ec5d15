import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual } from "../../../src/base/hash.ts";
import { PList, equals, hashValue, weightOf, type Value } from "../../../src/vm/values/index.ts";

type Op =
  | { op: "push"; v: number }
  | { op: "pop" }
  | { op: "set"; i: number; v: number }
  | { op: "insert"; i: number; v: number }
  | { op: "remove"; i: number }
  | { op: "slice"; a: number; b: number }
  | { op: "pushMany"; n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer().map((v): Op => ({ op: "push", v })) },
  { weight: 2, arbitrary: fc.constant<Op>({ op: "pop" }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("set" as const), i: fc.nat(), v: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("insert" as const), i: fc.nat(), v: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("slice" as const), a: fc.integer({ min: -3, max: 1200 }), b: fc.integer({ min: -3, max: 1200 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("pushMany" as const), n: fc.integer({ min: 1, max: 1100 }) }) },
);

function apply(l: PList, m: Value[], o: Op): PList {
  switch (o.op) {
    case "push":
      m.push(o.v);
      return l.push(o.v);
    case "pop":
      if (m.length === 0) return l;
      m.pop();
      return l.pop();
    case "set": {
      if (m.length === 0) return l;
      const i = o.i % m.length;
      m[i] = o.v;
      return l.set(i, o.v);
    }
    case "insert": {
      const i = o.i % (m.length + 1);
      m.splice(i, 0, o.v);
      return l.insert(i, o.v);
    }
    case "remove": {
      if (m.length === 0) return l;
      const i = o.i % m.length;
      m.splice(i, 1);
      return l.remove(i);
    }
    case "slice": {
      const lo = Math.max(0, Math.min(o.a, m.length));
      const hi = Math.max(lo, Math.min(o.b, m.length));
      m.splice(0, m.length, ...m.slice(lo, hi));
      return l.slice(o.a, o.b);
    }
    case "pushMany":
      for (let i = 0; i < o.n; i++) {
        m.push(i);
        l = l.push(i);
      }
      return l;
  }
}

describe("PList", () => {
  it("behaves like an array and keeps the canonical shape under any history", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        let l = PList.empty;
        const m: Value[] = [];
        const versions: [PList, Value[]][] = [];
        for (const o of ops) {
          l = apply(l, m, o);
          versions.push([l, m.slice()]);
          expect(l.size).toBe(m.length);
        }
        // Persistence: every earlier version still holds its own contents.
        for (const [v, arr] of versions) {
          expect(v.toArray()).toEqual(arr);
          expect([...v]).toEqual(arr);
          for (let i = 0; i < arr.length; i += 7) expect(v.get(i)).toBe(arr[i]);
          expect(v.last()).toBe(arr[arr.length - 1]);
          const fresh = PList.from(arr);
          expect(bytesEqual(hashValue(v), hashValue(fresh))).toBe(true);
          expect(equals(v, fresh)).toBe(true);
          expect(v.w).toBe(fresh.w);
          expect(weightOf(v)).toBe(1 + arr.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("gets and sets across trie levels (sizes around 32, 1024, 32768 boundaries)", () => {
    for (const n of [0, 1, 31, 32, 33, 64, 65, 1024, 1056, 1057, 33_000]) {
      let l = PList.empty;
      for (let i = 0; i < n; i++) l = l.push(i);
      const f = PList.from(Array.from({ length: n }, (_, i) => i));
      expect(equals(l, f)).toBe(true);
      expect(bytesEqual(hashValue(l), hashValue(f))).toBe(true);
      for (let i = 0; i < n; i += 97) {
        expect(l.get(i)).toBe(i);
        expect(l.set(i, -1).get(i)).toBe(-1);
        expect(l.get(i)).toBe(i);
      }
      // Pop all the way down, checking canonical shape at level boundaries.
      let p = l;
      while (p.size > 0) {
        p = p.pop();
        if (p.size % 997 === 0 || p.size < 70) expect(bytesEqual(hashValue(p), hashValue(PList.from(p.toArray())))).toBe(true);
      }
      expect(p).toBe(PList.empty);
    }
  });

  it("builds 100k elements by push quickly", () => {
    const t0 = performance.now();
    let l = PList.empty;
    for (let i = 0; i < 100_000; i++) l = l.push(i);
    const ms = performance.now() - t0;
    expect(l.size).toBe(100_000);
    expect(l.get(99_999)).toBe(99_999);
    expect(ms).toBeLessThan(250); // generous for slow CI; typically ~15 ms
  });

  it("set of the identical value returns the same list", () => {
    const l = PList.from([1, 2, 3]);
    expect(l.set(1, 2)).toBe(l);
  });

  it("tracks weight incrementally", () => {
    let l = PList.from(["x".repeat(130)]);
    expect(l.w).toBe(1 + 1 + 2);
    l = l.push("y").set(0, "z");
    expect(l.w).toBe(1 + 1 + 1);
    expect(l.pop().w).toBe(2);
  });

  it("slice clamps like the language", () => {
    const l = PList.from([1, 2, 3, 4]);
    expect(l.slice(1, 3).toArray()).toEqual([2, 3]);
    expect(l.slice(-5, 99).toArray()).toEqual([1, 2, 3, 4]);
    expect(l.slice(3, 1).toArray()).toEqual([]);
    expect(l.slice(0, 4)).toBe(l);
  });

  it("rejects out-of-range indices with an assertion (the VM checks first)", () => {
    const l = PList.from([1]);
    expect(() => l.get(1)).toThrow(/out of range/);
    expect(() => l.get(-1)).toThrow(/out of range/);
    expect(() => l.set(2, 0)).toThrow(/out of range/);
    expect(() => PList.empty.pop()).toThrow(/empty/);
    expect(() => l.insert(3, 0)).toThrow(/out of range/);
  });
});
