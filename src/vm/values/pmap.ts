/**
 * PMap and PSet: persistent sorted maps and sets over the history-independent treap
 * (treap.ts). Keys are all ints or all strings within one collection; ints order
 * numerically, strings by code points (`compareStrings`), never by JS `<` on UTF-16.
 *
 *   map  H(0x13 ‖ uvarint(size) ‖ rootHash)     set  H(0x14 ‖ uvarint(size) ‖ rootHash)
 *
 * Rank access (`keyAt`, `valueAt`, `at`) is O(log n): the VM's `for k, v in m` loops by index
 * so a suspended loop serialises as plain values.
 */
import { assert } from "../../base/assert.ts";
import { Composite, ZERO_H, sBegin, sHash, sDigest, sUvar, weightOf, type Hashable, type Key, type Value } from "./core.ts";
import {
  Cursor,
  NOT_FOUND,
  TNode,
  compareKeys,
  findNode,
  fromSorted,
  insert,
  lastOld,
  nodeAt,
  rankOf,
  remove,
  sizeOf,
  walk,
} from "./treap.ts";

function checkKey(root: TNode | null, k: Key): void {
  if (typeof k === "number") {
    if (!Number.isSafeInteger(k)) assert(false, `map/set key ${k} is not an int`);
  } else assert(typeof k === "string", "map/set keys are ints or strings");
  assert(root === null || typeof root.k === typeof k, "mixed key kinds in one collection");
}

function keyWeight(k: Key): number {
  return typeof k === "string" ? 1 + (k.length >>> 6) : 1;
}

/** Sorts entries by key; a later duplicate replaces an earlier one. */
function sortEntries<T>(items: readonly T[], keyOf: (t: T) => Key): T[] {
  const idx = items.map((_, i) => i);
  // Stable sort by key, then keep the last of each run of equal keys.
  idx.sort((a, b) => compareKeys(keyOf(items[a]!), keyOf(items[b]!)) || a - b);
  const out: T[] = [];
  for (let i = 0; i < idx.length; i++) {
    const it = items[idx[i]!]!;
    if (i + 1 < idx.length && compareKeys(keyOf(it), keyOf(items[idx[i + 1]!]!)) === 0) continue;
    out.push(it);
  }
  return out;
}

export class PMap extends Composite {
  static readonly empty: PMap = new PMap(null, 1);

  private constructor(
    private readonly root: TNode | null,
    w: number,
  ) {
    super(w);
  }

  /** A map from entries in any order (a later duplicate key wins). */
  static from(entries: readonly (readonly [Key, Value])[]): PMap {
    const sorted = sortEntries(entries, (e) => e[0]);
    return PMap.fromSorted(
      sorted.map((e) => e[0]),
      sorted.map((e) => e[1]),
    );
  }

  /** A map from strictly ascending keys, O(n). */
  static fromSorted(keys: readonly Key[], values: readonly Value[]): PMap {
    assert(keys.length === values.length, "fromSorted: keys/values length mismatch");
    if (keys.length === 0) return PMap.empty;
    let w = 1;
    for (let i = 0; i < keys.length; i++) {
      checkKey(null, keys[i]!);
      assert(typeof keys[i] === typeof keys[0], "mixed key kinds in one collection");
      assert(values[i] !== undefined, "map value undefined");
      w += keyWeight(keys[i]!) + weightOf(values[i]!);
    }
    return new PMap(fromSorted(keys, values), w);
  }

  get size(): number {
    return sizeOf(this.root);
  }

  get(k: Key): Value | undefined {
    const n = findNode(this.root, k);
    return n === null ? undefined : n.v;
  }

  has(k: Key): boolean {
    return findNode(this.root, k) !== null;
  }

  /** A map with k → v (this map when k already maps to the identical value object). */
  set(k: Key, v: Value): PMap {
    checkKey(this.root, k);
    assert(v !== undefined, "map value undefined");
    const root = insert(this.root, k, v);
    if (root === this.root) return this;
    const old = lastOld.old;
    const w = this.w + weightOf(v) + (old === NOT_FOUND ? keyWeight(k) : -weightOf(old as Value));
    return new PMap(root, w);
  }

  /** A map without k (this map when k is absent). */
  delete(k: Key): PMap {
    const root = remove(this.root, k);
    if (root === this.root) return this;
    const old = lastOld.old;
    assert(old !== NOT_FOUND && old !== undefined, "removed map entry had no value");
    return root === null ? PMap.empty : new PMap(root, this.w - keyWeight(k) - weightOf(old));
  }

  /** The i-th smallest key (0 ≤ i < size). */
  keyAt(i: number): Key {
    return nodeAt(this.root, i).k;
  }

  /** The value of the i-th smallest key (0 ≤ i < size). */
  valueAt(i: number): Value {
    return nodeAt(this.root, i).v as Value;
  }

  /** Rank of k, or -1 when absent. */
  indexOf(k: Key): number {
    if (!this.has(k)) return -1;
    return rankOf(this.root, k);
  }

  keys(): Key[] {
    const out: Key[] = [];
    walk(this.root, (t) => {
      out.push(t.k);
      return true;
    });
    return out;
  }

  values(): Value[] {
    const out: Value[] = [];
    walk(this.root, (t) => {
      out.push(t.v as Value);
      return true;
    });
    return out;
  }

  /** Entries in ascending key order. */
  *entries(): IterableIterator<[Key, Value]> {
    const c = new Cursor(this.root);
    for (let t = c.next(); t !== null; t = c.next()) yield [t.k, t.v as Value];
  }

  [Symbol.iterator](): IterableIterator<[Key, Value]> {
    return this.entries();
  }

  /** Calls `fn` in ascending key order; stops when it returns false. */
  forEachWhile(fn: (k: Key, v: Value) => boolean): void {
    walk(this.root, (t) => fn(t.k, t.v as Value));
  }

  /** @internal */
  get rootNode(): TNode | null {
    return this.root;
  }

  pushUnhashed(stack: Hashable[]): void {
    if (this.root !== null && this.root.h === null) stack.push(this.root);
  }

  computeHash(): void {
    sBegin(0x13);
    sUvar(this.size);
    sHash(this.root === null ? ZERO_H : this.root.h!);
    this.d = (this.root === null ? 0 : this.root.d) + 1;
    this.h = sDigest();
  }
}

export class PSet extends Composite {
  static readonly empty: PSet = new PSet(null, 1);

  private constructor(
    private readonly root: TNode | null,
    w: number,
  ) {
    super(w);
  }

  /** A set of the given elements in any order (duplicates collapse). */
  static from(items: readonly Key[]): PSet {
    return PSet.fromSorted(sortEntries(items, (k) => k));
  }

  /** A set from strictly ascending elements, O(n). */
  static fromSorted(keys: readonly Key[]): PSet {
    if (keys.length === 0) return PSet.empty;
    let w = 1;
    for (let i = 0; i < keys.length; i++) {
      checkKey(null, keys[i]!);
      assert(typeof keys[i] === typeof keys[0], "mixed key kinds in one collection");
      w += keyWeight(keys[i]!);
    }
    return new PSet(fromSorted(keys, null), w);
  }

  get size(): number {
    return sizeOf(this.root);
  }

  has(k: Key): boolean {
    return findNode(this.root, k) !== null;
  }

  add(k: Key): PSet {
    checkKey(this.root, k);
    const root = insert(this.root, k, undefined);
    if (root === this.root) return this;
    return new PSet(root, this.w + keyWeight(k));
  }

  delete(k: Key): PSet {
    const root = remove(this.root, k);
    if (root === this.root) return this;
    return root === null ? PSet.empty : new PSet(root, this.w - keyWeight(k));
  }

  /** The i-th smallest element (0 ≤ i < size). */
  at(i: number): Key {
    return nodeAt(this.root, i).k;
  }

  /** Rank of k, or -1 when absent. */
  indexOf(k: Key): number {
    if (!this.has(k)) return -1;
    return rankOf(this.root, k);
  }

  toArray(): Key[] {
    const out: Key[] = [];
    walk(this.root, (t) => {
      out.push(t.k);
      return true;
    });
    return out;
  }

  *[Symbol.iterator](): IterableIterator<Key> {
    const c = new Cursor(this.root);
    for (let t = c.next(); t !== null; t = c.next()) yield t.k;
  }

  forEachWhile(fn: (k: Key) => boolean): void {
    walk(this.root, (t) => fn(t.k));
  }

  /** Elements in either set: the smaller one's elements are added to the larger. */
  union(other: PSet): PSet {
    let [big, small] = this.size >= other.size ? [this as PSet, other] : [other, this as PSet];
    small.forEachWhile((k) => {
      big = big.add(k);
      return true;
    });
    return big;
  }

  /** Elements of this set not in `other`. */
  difference(other: PSet): PSet {
    if (other.size <= this.size) {
      let r: PSet = this;
      other.forEachWhile((k) => {
        r = r.delete(k);
        return true;
      });
      return r;
    }
    const keep: Key[] = [];
    this.forEachWhile((k) => {
      if (!other.has(k)) keep.push(k);
      return true;
    });
    return keep.length === this.size ? this : PSet.fromSorted(keep);
  }

  /** Elements in both sets. */
  intersection(other: PSet): PSet {
    const [big, small] = this.size >= other.size ? [this as PSet, other] : [other, this as PSet];
    const keep: Key[] = [];
    small.forEachWhile((k) => {
      if (big.has(k)) keep.push(k);
      return true;
    });
    return keep.length === small.size ? small : PSet.fromSorted(keep);
  }

  /** @internal */
  get rootNode(): TNode | null {
    return this.root;
  }

  pushUnhashed(stack: Hashable[]): void {
    if (this.root !== null && this.root.h === null) stack.push(this.root);
  }

  computeHash(): void {
    sBegin(0x14);
    sUvar(this.size);
    sHash(this.root === null ? ZERO_H : this.root.h!);
    this.d = (this.root === null ? 0 : this.root.d) + 1;
    this.h = sDigest();
  }
}
