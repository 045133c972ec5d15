import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual } from "../../../src/base/hash.ts";
import { compareStrings } from "../../../src/base/strings.ts";
import { PMap, PSet, compareKeys, equals, hashValue, priorityOf, type Key, type Value } from "../../../src/vm/values/index.ts";
import { checkTreap } from "../../../src/vm/values/treap.ts";
import { stringArb } from "./arbitraries.ts";

type MOp = { op: "set"; k: Key; v: number } | { op: "del"; k: Key };

function modelCheck(m: PMap, model: Map<Key, Value>): void {
  const keys = [...model.keys()].sort(compareKeys);
  expect(m.size).toBe(keys.length);
  expect(m.keys()).toEqual(keys);
  expect(m.values()).toEqual(keys.map((k) => model.get(k)));
  expect([...m.entries()]).toEqual(keys.map((k) => [k, model.get(k)]));
  keys.forEach((k, i) => {
    expect(m.get(k)).toBe(model.get(k));
    expect(m.keyAt(i)).toBe(k);
    expect(m.valueAt(i)).toBe(model.get(k));
    expect(m.indexOf(k)).toBe(i);
  });
  checkTreap(m.rootNode);
  const fresh = PMap.from(keys.map((k) => [k, model.get(k)!] as const));
  expect(bytesEqual(hashValue(m), hashValue(fresh))).toBe(true);
  expect(equals(m, fresh)).toBe(true);
  expect(m.w).toBe(fresh.w);
}

function runOps(kind: "int" | "string", keyArb: fc.Arbitrary<Key>) {
  const op: fc.Arbitrary<MOp> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("set" as const), k: keyArb, v: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("del" as const), k: keyArb }) },
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      let m = PMap.empty;
      const model = new Map<Key, Value>();
      for (const o of ops) {
        if (o.op === "set") {
          m = m.set(o.k, o.v);
          model.set(o.k, o.v);
        } else {
          m = m.delete(o.k);
          model.delete(o.k);
        }
        expect(m.has(o.k)).toBe(model.has(o.k));
      }
      modelCheck(m, model);
    }),
    { numRuns: 200 },
  );
  void kind;
}

describe("PMap", () => {
  it("matches a sorted-map model with int keys", () => runOps("int", fc.integer({ min: -20, max: 20 })));
  it("matches a sorted-map model with string keys (code-point order)", () => runOps("string", stringArb));

  it("orders strings by code points, not UTF-16 units", () => {
    const m = PMap.empty.set("\u{10000}", 1).set("\uffff", 2).set("a", 3);
    expect(m.keys()).toEqual(["a", "\uffff", "\u{10000}"]);
    expect(compareStrings("\uffff", "\u{10000}")).toBeLessThan(0);
  });

  it("has the same shape whatever the insertion order (history independence)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 200 }), fc.integer(), (keys, seed) => {
        const a = keys.reduce((m, k) => m.set(k, k * 2), PMap.empty);
        const shuffled = keys.slice().sort((x, y) => ((x * 2654435761 + seed) % 1000) - ((y * 2654435761 + seed) % 1000));
        const b = shuffled.reduce((m, k) => m.set(k, k * 2), PMap.empty);
        // Also through extra keys added then deleted, and values overwritten.
        let c = PMap.empty;
        for (const k of shuffled) c = c.set(k, -1).set(3e6 + k, 0);
        for (const k of keys) c = c.delete(3e6 + k);
        const c2 = keys.reduce((m, k) => m.set(k, k * 2), c);
        for (const x of [b, c2]) {
          expect(bytesEqual(hashValue(a), hashValue(x))).toBe(true);
          expect(equals(a, x)).toBe(true);
          expect(sameShape(a.rootNode, x.rootNode)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("builds in O(n) from sorted keys to the same tree as inserts", () => {
    const keys = Array.from({ length: 5000 }, (_, i) => i * 3 - 7000);
    const a = PMap.fromSorted(keys, keys);
    const b = keys.reduceRight((m, k) => m.set(k, k), PMap.empty);
    expect(sameShape(a.rootNode, b.rootNode)).toBe(true);
    expect(checkTreap(a.rootNode)).toBeLessThan(60);
  });

  it("returns itself when nothing changes", () => {
    const m = PMap.empty.set(1, "a");
    expect(m.set(1, "a")).toBe(m);
    expect(m.delete(2)).toBe(m);
    expect(m.delete(1)).toBe(PMap.empty);
  });

  it("rejects mixed key kinds and non-int numbers", () => {
    expect(() => PMap.empty.set(1, 1).set("a", 1)).toThrow(/mixed/);
    expect(() => PMap.empty.set(1.5, 1)).toThrow(/not an int/);
  });

  it("derives priorities from the documented MurmurHash3 of the key bytes", () => {
    // Reference values: MurmurHash3_x86_32 (seed 0) of the bytes, computed independently.
    expect(priorityOf(0)).toBe(murmur(new Uint8Array(8)));
    const le = (n: bigint) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, n, true);
      return b;
    };
    for (const k of [1, -1, 2 ** 40 + 3, -(2 ** 53 - 1), 123456789]) expect(priorityOf(k)).toBe(murmur(le(BigInt(k))));
    const u16 = (s: string) => {
      const b = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) new DataView(b.buffer).setUint16(i * 2, s.charCodeAt(i), true);
      return b;
    };
    for (const s of ["", "a", "ab", "abc", "\u{1F600}x", "hello world"]) expect(priorityOf(s)).toBe(murmur(u16(s)));
  });
});

describe("PSet", () => {
  it("matches a model and supports set algebra", () => {
    const small = fc.uniqueArray(fc.integer({ min: -30, max: 30 }), { maxLength: 40 });
    fc.assert(
      fc.property(small, small, (xs, ys) => {
        const a = PSet.from(xs);
        const b = PSet.from(ys);
        const sx = [...new Set(xs)].sort((p, q) => p - q);
        expect(a.toArray()).toEqual(sx);
        expect([...a]).toEqual(sx);
        sx.forEach((k, i) => {
          expect(a.at(i)).toBe(k);
          expect(a.indexOf(k)).toBe(i);
        });
        const check = (s: PSet, want: number[]) => {
          expect(s.toArray()).toEqual(want.sort((p, q) => p - q));
          checkTreap(s.rootNode);
          expect(bytesEqual(hashValue(s), hashValue(PSet.from(want)))).toBe(true);
          expect(s.w).toBe(1 + want.length);
        };
        check(a.union(b), [...new Set([...xs, ...ys])]);
        check(a.intersection(b), xs.filter((x) => ys.includes(x)));
        check(a.difference(b), xs.filter((x) => !ys.includes(x)));
        check(b.difference(a), ys.filter((y) => !xs.includes(y)));
        let c = a;
        for (const y of ys) c = c.add(y);
        check(c, [...new Set([...xs, ...ys])]);
        for (const x of xs) c = c.delete(x);
        check(c, ys.filter((y) => !xs.includes(y)));
      }),
      { numRuns: 200 },
    );
  });

  it("a set and a map with the same keys hash differently", () => {
    const s = PSet.from([1, 2]);
    const m = PMap.from([
      [1, null],
      [2, null],
    ]);
    expect(bytesEqual(hashValue(s), hashValue(m))).toBe(false);
  });
});

function sameShape(a: import("../../../src/vm/values/treap.ts").TNode | null, b: typeof a): boolean {
  const st: [typeof a, typeof a][] = [[a, b]];
  while (st.length > 0) {
    const [x, y] = st.pop()!;
    if (x === null || y === null) {
      if (x !== y) return false;
      continue;
    }
    if (x.k !== y.k) return false;
    st.push([x.l, y.l], [x.r, y.r]);
  }
  return true;
}

/** Textbook MurmurHash3_x86_32, seed 0, over bytes (independent of the implementation). */
function murmur(data: Uint8Array): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const nblocks = data.length >>> 2;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < nblocks; i++) {
    let k = dv.getUint32(i * 4, true);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = nblocks * 4;
  const rem = data.length & 3;
  if (rem > 0) {
    let k = 0;
    if (rem === 3) k ^= data[tail + 2]! << 16;
    if (rem >= 2) k ^= data[tail + 1]! << 8;
    k ^= data[tail]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
