import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual, sha256 } from "../../../src/base/hash.ts";
import {
  Json,
  PList,
  PMap,
  PSet,
  Rec,
  Variant,
  depthOf,
  encodeCanonical,
  equals,
  hashStats,
  hashKeyOf,
  hashValue,
  makeEnumShape,
  makeRecordShape,
  priorityOf,
  stateHash,
  unitVariant,
  type Value,
} from "../../../src/vm/values/index.ts";
import { TypeTable } from "../../../src/vm/values/index.ts";
import { checkTreap } from "../../../src/vm/values/treap.ts";
import { flatten, typeTree, valueOf } from "./arbitraries.ts";

const Z = new Uint8Array(32);
const cat = (...parts: (Uint8Array | number[])[]) => {
  const out: number[] = [];
  for (const p of parts) out.push(...p);
  return Uint8Array.from(out);
};
const H = (...parts: (Uint8Array | number[])[]) => sha256(cat(...parts));
const f64be = (x: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, false);
  return b;
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const str = (s: string) => cat([utf8(s).length], utf8(s)); // lengths < 128 here
const encNum = (x: number) => cat([0x03], f64be(x));
const encStr = (s: string) => cat([0x04], str(s));
const encComp = (h: Uint8Array) => cat([0x05], h);
const same = (a: Uint8Array, b: Uint8Array) => expect(Buffer.from(a).toString("hex")).toBe(Buffer.from(b).toString("hex"));

const item = makeRecordShape("Item", ["sku", "qty"], [0, 1]);
const status = makeEnumShape("Status", [
  { name: "Open", fields: [], fieldTypes: [] },
  { name: "Failed", fields: ["reason"], fieldTypes: [0] },
]);

describe("canonical encoding and hash layout (golden, byte by byte)", () => {
  it("encodes scalars", () => {
    same(encodeCanonical(null), Uint8Array.of(0x00));
    same(encodeCanonical(false), Uint8Array.of(0x01));
    same(encodeCanonical(true), Uint8Array.of(0x02));
    same(encodeCanonical(1.5), encNum(1.5));
    same(encodeCanonical(-0), encNum(0));
    same(encodeCanonical(2 ** 53 - 1), encNum(2 ** 53 - 1));
    same(encodeCanonical("é€\u{1F600}"), encStr("é€\u{1F600}"));
    const long = "x".repeat(300);
    same(encodeCanonical(long), cat([0x04, 0xac, 0x02], utf8(long))); // uvarint(300) = ac 02
  });

  it("offers the hash as a 32-char string key too", () => {
    const r = new Rec(item, ["a", 2]);
    expect(hashKeyOf(r)).toBe(Buffer.from(hashValue(r)).toString("latin1"));
    expect(hashKeyOf(3).length).toBe(32);
  });

  it("hashes scalars as H(0x30 ‖ enc)", () => {
    same(hashValue(null), H([0x30, 0x00]));
    same(hashValue(7), H([0x30], encNum(7)));
    same(hashValue("ab"), H([0x30], encStr("ab")));
  });

  it("hashes records and variants", () => {
    const r = new Rec(item, ["a", 2]);
    const hr = H([0x10], str("Item"), [2], encStr("a"), encNum(2));
    same(hashValue(r), hr);
    same(stateHash(r), hr);
    same(encodeCanonical(r), encComp(hr));
    same(hashValue(unitVariant(status, 0)), H([0x11], str("Status"), str("Open"), [0]));
    same(hashValue(new Variant(status, 1, ["x"])), H([0x11], str("Status"), str("Failed"), [1], encStr("x")));
    // Nested composites contribute 0x05 ‖ hash.
    const outer = new Rec(makeRecordShape("Box", ["inner"], [0]), [r]);
    same(hashValue(outer), H([0x10], str("Box"), [1], encComp(hr)));
  });

  it("hashes lists as trie + tail", () => {
    same(hashValue(PList.empty), H([0x12, 0x00], Z, H([0x20])));
    same(hashValue(PList.from([1, "a"])), H([0x12, 0x02], Z, H([0x20], encNum(1), encStr("a"))));
    const xs = Array.from({ length: 33 }, (_, i) => i);
    const leaf = H([0x20], ...xs.slice(0, 32).map(encNum));
    const root = H([0x20], leaf);
    same(hashValue(PList.from(xs)), H([0x12, 33], root, H([0x20], encNum(32))));
    // 32 elements still fit the tail; the trie is empty.
    same(hashValue(PList.from(xs.slice(0, 32))), H([0x12, 32], Z, leaf));
  });

  it("hashes maps and sets as treaps", () => {
    const n1 = H([0x21], Z, encNum(1), encStr("a"), Z);
    same(hashValue(PMap.empty.set(1, "a")), H([0x13, 0x01], n1));
    same(hashValue(PMap.empty), H([0x13, 0x00], Z));
    same(hashValue(PSet.from([5])), H([0x14, 0x01], H([0x22], Z, encNum(5), Z)));
    // Two keys: the one with the higher priority is the root.
    const [lo, hi] = [3, 9];
    const nlo = (l: Uint8Array, r: Uint8Array) => H([0x22], l, encNum(lo), r);
    const nhi = (l: Uint8Array, r: Uint8Array) => H([0x22], l, encNum(hi), r);
    const root = priorityOf(lo) > priorityOf(hi) ? nlo(Z, nhi(Z, Z)) : nhi(nlo(Z, Z), Z);
    same(hashValue(PSet.from([hi, lo])), H([0x14, 0x02], root));
  });

  it("hashes json as its canonical text", () => {
    const j = Json.from({ b: [true, null, -0], a: 1, "10": "x", "9": 2 });
    expect(j.text()).toBe('{"10":"x","9":2,"a":1,"b":[true,null,0]}');
    same(hashValue(j), H([0x15], utf8(j.text())));
  });
});

describe("hash properties", () => {
  const twoValues = typeTree.chain((tree) => {
    const { types, root } = flatten(tree);
    const tt = new TypeTable(types);
    return fc.tuple(valueOf(tt, root), valueOf(tt, root));
  });

  it("equal content ⇔ equal hash, for random values of random types", () => {
    fc.assert(
      fc.property(twoValues, ([a, b]) => {
        const eq = equals(a, b);
        expect(bytesEqual(hashValue(a), hashValue(b))).toBe(eq);
        expect(equals(b, a)).toBe(eq);
        expect(equals(a, a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("equal content built through different histories hashes identically", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 4 }), { maxLength: 60 }), fc.nat(), (keys, rot) => {
        const r = keys.length === 0 ? 0 : rot % keys.length;
        const order2 = [...keys.slice(r), ...keys.slice(0, r)].reverse();
        const lst = (xs: string[]) => xs.reduce((l, x) => l.push(x), PList.empty);
        const a = new Rec(item, [keys.reduce((m, k) => m.set(k, lst([k])), PMap.empty), keys.length]);
        let m2 = PMap.empty;
        const extra = (k: string) => (keys.includes(k + "!") ? k : k + "!");
        for (const k of order2) m2 = m2.set(k, PList.from([k, k])).set(extra(k), null);
        for (const k of order2) m2 = m2.delete(extra(k)).set(k, PList.from([k, k, k]).pop().pop());
        const b = new Rec(item, [m2, keys.length]);
        expect(equals(a, b)).toBe(true);
        same(hashValue(a), hashValue(b));
      }),
      { numRuns: 100 },
    );
  });

  it("does not confuse kinds (int 0 vs false vs none vs empty string vs empty collections)", () => {
    const vals: Value[] = [0, false, null, "", PList.empty, PMap.empty, PSet.empty, Json.from(null), Json.from([]), 1, true, "0"];
    const hs = vals.map((v) => Buffer.from(hashValue(v)).toString("hex"));
    expect(new Set(hs).size).toBe(vals.length);
  });

  it("rehashes only the O(log n) path after one update", () => {
    let m = PMap.empty;
    for (let i = 0; i < 100_000; i++) m = m.set(i * 7, i);
    const height = checkTreap(m.rootNode);
    hashValue(m);
    const state = new Rec(item, [m, 0]);
    stateHash(state);
    for (const k of [0, 7 * 50_000, 7 * 99_999, 3]) {
      const before = hashStats.sha256Calls;
      const s2 = state.withField(0, m.set(k, -1));
      stateHash(s2);
      const calls = hashStats.sha256Calls - before;
      // path nodes (≤ height) + the map + the record
      expect(calls).toBeLessThanOrEqual(height + 2);
      expect(calls).toBeGreaterThanOrEqual(3);
    }
    let l = PList.empty;
    for (let i = 0; i < 100_000; i++) l = l.push(i);
    hashValue(l);
    const before = hashStats.sha256Calls;
    hashValue(l.set(12_345, -1));
    expect(hashStats.sha256Calls - before).toBe(1 /* leaf */ + 3 /* inner levels: 100k needs shift 10 */ + 1 /* list */);
    const l2 = l.push(1);
    hashValue(l2);
    const b2 = hashStats.sha256Calls;
    hashValue(l2.push(2));
    expect(hashStats.sha256Calls - b2).toBe(2); // new tail + list
  });

  it("computes depth with the hash", () => {
    expect(depthOf(1)).toBe(0);
    expect(depthOf(PList.empty)).toBe(1);
    expect(depthOf(PList.from([PList.from([1])]))).toBe(2);
    expect(depthOf(PMap.from([[1, new Rec(item, ["a", 1])]]))).toBe(2);
    expect(depthOf(Json.from([[[1]]]))).toBe(1);
    let v: Value = 0;
    for (let i = 0; i < 10_000; i++) v = PList.from([v]);
    // Hashing and equality of very deep values run on an explicit stack, not the host's.
    expect(depthOf(v)).toBe(10_000);
    let w: Value = 0;
    for (let i = 0; i < 10_000; i++) w = PList.from([w]);
    expect(equals(v, w)).toBe(true);
  });
});
