/**
 * A persistent, HISTORY-INDEPENDENT treap: the sorted tree behind PMap and PSet.
 *
 * Every key has a fixed priority `priorityOf(k)`; the tree is the unique binary search tree
 * by key that is a max-heap by (priority, then smaller key first). So the same set of keys
 * always has the same shape, whatever order they were inserted or deleted in, and therefore
 * the same Merkle hash. Updates copy the root-to-node path (O(depth)); the rest is shared.
 *
 *   priorityOf(k) = MurmurHash3_x86_32(bytes(k), seed 0) as an unsigned 32-bit integer, where
 *     bytes(int k)    = the 8-byte little-endian two's-complement form of k
 *     bytes(string k) = its UTF-16 code units, little-endian (2 bytes each)
 *   node A is above node B  ⇔  A.p > B.p, or A.p = B.p and A.key < B.key
 *
 * Hashes (core.ts): map node H(0x21 ‖ left ‖ enc(k) ‖ enc(v) ‖ right); set node
 * H(0x22 ‖ left ‖ enc(k) ‖ right); an absent child is 32 zero bytes. A set node is a node
 * whose `v` is `undefined` (never a Value).
 *
 * KNOWN LIMITATION: priorities are a public function of the key, so an adversary who picks
 * the keys can make priorities increase with key order and degrade the depth to O(n) (e.g.
 * ~n² hash evaluations to build a chain of n keys). Operations then cost O(n) instead of
 * O(log n), but never overflow the host stack: every operation here is iterative.
 */
import { assert } from "../../base/assert.ts";
import { compareStrings } from "../../base/strings.ts";
import {
  ZERO_H,
  childDepth,
  pushIfUnhashed,
  sBegin,
  sHash,
  sDigest,
  sEnc,
  type HashStr,
  type Hashable,
  type Key,
  type Value,
} from "./core.ts";

export class TNode implements Hashable {
  h: HashStr | null = null;
  d = 0;
  /** Number of keys in this subtree (rank access). */
  n: number;
  constructor(
    readonly k: Key,
    /** `undefined` in set nodes. */
    readonly v: Value | undefined,
    /** Mutable only while a tree under construction is unpublished (fromSorted). */
    public l: TNode | null,
    public r: TNode | null,
    readonly p: number,
  ) {
    this.n = 1 + (l === null ? 0 : l.n) + (r === null ? 0 : r.n);
  }

  pushUnhashed(stack: Hashable[]): void {
    if (this.l !== null && this.l.h === null) stack.push(this.l);
    if (this.r !== null && this.r.h === null) stack.push(this.r);
    if (this.v !== undefined) pushIfUnhashed(this.v, stack);
  }

  computeHash(): void {
    const l = this.l;
    const r = this.r;
    let d = 0;
    if (this.v === undefined) {
      sBegin(0x22);
      sHash(l === null ? ZERO_H : l.h!);
      sEnc(this.k);
    } else {
      sBegin(0x21);
      sHash(l === null ? ZERO_H : l.h!);
      sEnc(this.k);
      sEnc(this.v);
      d = childDepth(this.v);
    }
    sHash(r === null ? ZERO_H : r.h!);
    if (l !== null && l.d > d) d = l.d;
    if (r !== null && r.d > d) d = r.d;
    this.d = d;
    this.h = sDigest();
  }
}

// ---------------------------------------------------------------------------------------------
// Keys and priorities.

export function compareKeys(a: Key, b: Key): number {
  if (typeof a === "number") {
    assert(typeof b === "number", "mixed key kinds");
    return a < b ? -1 : a > b ? 1 : 0;
  }
  assert(typeof b === "string", "mixed key kinds");
  return compareStrings(a, b);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = rotl(k, 15);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = rotl(h, 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number, byteLen: number): number {
  h ^= byteLen;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The treap priority of a key (see header). */
export function priorityOf(k: Key): number {
  let h = 0;
  if (typeof k === "number") {
    assert(Number.isSafeInteger(k), "map keys of kind number must be ints");
    const lo = k >>> 0; // ToUint32 is k mod 2^32, exact for safe integers
    const hi = Math.floor(k / 4294967296) | 0; // two's-complement high word
    h = mixBlock(h, lo);
    h = mixBlock(h, hi);
    return fmix(h, 8);
  }
  const n = k.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixBlock(h, k.charCodeAt(i) | (k.charCodeAt(i + 1) << 16));
  if (i < n) {
    // MurmurHash3 tail: the remaining 2 bytes, mixed without the final rotate/multiply-add.
    let t = k.charCodeAt(i);
    t = Math.imul(t, 0xcc9e2d51);
    t = rotl(t, 15);
    t = Math.imul(t, 0x1b873593);
    h ^= t;
  }
  return fmix(h, n * 2);
}

/** True when a node with (pa, ka) is above one with (pb, kb). */
function above(pa: number, ka: Key, pb: number, kb: Key): boolean {
  return pa > pb || (pa === pb && compareKeys(ka, kb) < 0);
}

// ---------------------------------------------------------------------------------------------
// Queries.

export function sizeOf(t: TNode | null): number {
  return t === null ? 0 : t.n;
}

export function findNode(t: TNode | null, k: Key): TNode | null {
  if (typeof k === "number") {
    while (t !== null) {
      const tk = t.k as number;
      if (k === tk) return t;
      t = k < tk ? t.l : t.r;
    }
    return null;
  }
  while (t !== null) {
    const c = compareStrings(k, t.k as string);
    if (c === 0) return t;
    t = c < 0 ? t.l : t.r;
  }
  return null;
}

/** The node of rank i (0-based, ascending). */
export function nodeAt(t: TNode | null, i: number): TNode {
  if (t === null || i >>> 0 !== i || i >= t.n) assert(false, `rank ${i} out of range 0..${sizeOf(t)}`);
  for (;;) {
    const ln = t.l === null ? 0 : t.l.n;
    if (i < ln) t = t.l!;
    else if (i === ln) return t;
    else {
      i -= ln + 1;
      t = t.r!;
    }
  }
}

/** Rank of k (number of smaller keys), whether or not k is present. */
export function rankOf(t: TNode | null, k: Key): number {
  let r = 0;
  while (t !== null) {
    const c = compareKeys(k, t.k);
    if (c === 0) return r + (t.l === null ? 0 : t.l.n);
    if (c < 0) t = t.l;
    else {
      r += 1 + (t.l === null ? 0 : t.l.n);
      t = t.r;
    }
  }
  return r;
}

/** In-order walk without recursion; `fn` returning false stops it. */
export function walk(t: TNode | null, fn: (node: TNode) => boolean): void {
  const stack: TNode[] = [];
  for (;;) {
    while (t !== null) {
      stack.push(t);
      t = t.l;
    }
    const top = stack.pop();
    if (top === undefined) return;
    if (!fn(top)) return;
    t = top.r;
  }
}

/** An in-order cursor (explicit stack), for streaming serialisers. */
export class Cursor {
  private readonly stack: TNode[] = [];
  constructor(t: TNode | null) {
    this.descend(t);
  }
  private descend(t: TNode | null): void {
    while (t !== null) {
      this.stack.push(t);
      t = t.l;
    }
  }
  next(): TNode | null {
    const top = this.stack.pop();
    if (top === undefined) return null;
    this.descend(top.r);
    return top;
  }
}

// ---------------------------------------------------------------------------------------------
// Updates (all iterative; path arrays are module-level scratch since nothing here re-enters).

const pathNodes: TNode[] = [];
const pathDirs: number[] = []; // 0 = went left, 1 = went right

function withLeft(t: TNode, l: TNode | null): TNode {
  return new TNode(t.k, t.v, l, t.r, t.p);
}
function withRight(t: TNode, r: TNode | null): TNode {
  return new TNode(t.k, t.v, t.l, r, t.p);
}

/** Rebuilds the recorded path above `cur` (path copying) and clears the scratch arrays. */
function rebuild(cur: TNode | null, from: number): TNode | null {
  for (let i = pathNodes.length - 1; i >= from; i--) {
    const p = pathNodes[i]!;
    cur = pathDirs[i] === 0 ? withLeft(p, cur) : withRight(p, cur);
  }
  pathNodes.length = from;
  pathDirs.length = from;
  return cur;
}

// split() results (module-level to avoid allocating a pair per call).
let splitL: TNode | null = null;
let splitR: TNode | null = null;

/** Splits t (which does not contain k) into keys < k (splitL) and keys > k (splitR). */
function split(t: TNode | null, k: Key): void {
  const base = pathNodes.length;
  const num = typeof k === "number";
  while (t !== null) {
    const c = num ? (k as number) - (t.k as number) : compareStrings(k as string, t.k as string);
    pathNodes.push(t);
    if (c > 0) {
      pathDirs.push(1); // t and its left subtree are < k; split its right subtree
      t = t.r;
    } else {
      if (c === 0) assert(false, "split key present");
      pathDirs.push(0);
      t = t.l;
    }
  }
  let L: TNode | null = null;
  let R: TNode | null = null;
  for (let i = pathNodes.length - 1; i >= base; i--) {
    const p = pathNodes[i]!;
    if (pathDirs[i] === 1) L = withRight(p, L);
    else R = withLeft(p, R);
  }
  pathNodes.length = base;
  pathDirs.length = base;
  splitL = L;
  splitR = R;
}

/** Joins a and b where every key of a is below every key of b. */
function merge(a: TNode | null, b: TNode | null): TNode | null {
  const base = pathNodes.length;
  while (a !== null && b !== null) {
    if (above(a.p, a.k, b.p, b.k)) {
      pathNodes.push(a);
      pathDirs.push(1); // a stays on top; its right becomes merge(a.r, b)
      a = a.r;
    } else {
      pathNodes.push(b);
      pathDirs.push(0);
      b = b.l;
    }
  }
  return rebuild(a ?? b, base);
}

export const NOT_FOUND: unique symbol = Symbol("not found");
/** The value an `insert`/`remove` replaced or removed (NOT_FOUND when the key was absent), so
 * callers can adjust their weight without a second descent. Read it right after the call. */
export const lastOld: { old: Value | undefined | typeof NOT_FOUND } = { old: NOT_FOUND };

/**
 * Inserts or replaces k → v (`v` undefined for sets). Returns the new root, or the same root
 * when nothing changed (key present with the identical value object).
 */
export function insert(root: TNode | null, k: Key, v: Value | undefined): TNode | null {
  assert(pathNodes.length === 0, "treap scratch in use");
  const p = priorityOf(k);
  const num = typeof k === "number";
  let t = root;
  while (t !== null) {
    // Keys of one tree share a kind (checked by the callers), so ints compare by subtraction.
    const c = num ? (k as number) - (t.k as number) : compareStrings(k as string, t.k as string);
    if (c === 0) {
      lastOld.old = t.v;
      if (t.v === v) {
        pathNodes.length = 0;
        pathDirs.length = 0;
        return root;
      }
      return rebuild(new TNode(k, v, t.l, t.r, t.p), 0);
    }
    // The priority is a function of the key, so if k were in t's subtree it could not be
    // above t: once it is, k is absent and belongs exactly here.
    if (p > t.p || (p === t.p && c < 0)) break;
    pathNodes.push(t);
    pathDirs.push(c < 0 ? 0 : 1);
    t = c < 0 ? t.l : t.r;
  }
  lastOld.old = NOT_FOUND;
  split(t, k);
  return rebuild(new TNode(k, v, splitL, splitR, p), 0);
}

/** Removes k; returns the same root when k is absent. `lastOld.old` gets the removed value. */
export function remove(root: TNode | null, k: Key): TNode | null {
  assert(pathNodes.length === 0, "treap scratch in use");
  let t = root;
  while (t !== null) {
    const c = compareKeys(k, t.k);
    if (c === 0) {
      lastOld.old = t.v;
      const joined = merge(t.l, t.r);
      return rebuild(joined, 0);
    }
    pathNodes.push(t);
    pathDirs.push(c < 0 ? 0 : 1);
    t = c < 0 ? t.l : t.r;
  }
  pathNodes.length = 0;
  pathDirs.length = 0;
  lastOld.old = NOT_FOUND;
  return root;
}

/**
 * Builds the treap of strictly ascending keys in O(n) (Cartesian-tree construction with a
 * stack); the result is identical to inserting them one by one in any order.
 */
export function fromSorted(keys: readonly Key[], vals: readonly Value[] | null): TNode | null {
  const n = keys.length;
  assert(vals === null || vals.length === n, "keys/values length mismatch");
  const stack: TNode[] = [];
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (i > 0) assert(compareKeys(keys[i - 1]!, k) < 0, "fromSorted keys must be strictly ascending");
    const node = new TNode(k, vals === null ? undefined : vals[i]!, null, null, priorityOf(k));
    let last: TNode | null = null;
    while (stack.length > 0 && above(node.p, node.k, stack[stack.length - 1]!.p, stack[stack.length - 1]!.k)) {
      last = stack.pop()!;
    }
    node.l = last;
    if (stack.length > 0) stack[stack.length - 1]!.r = node;
    stack.push(node);
  }
  if (stack.length === 0) return null;
  const root = stack[0]!;
  fixSizes(root);
  return root;
}

/** Recomputes `n` bottom-up for a freshly linked (unpublished) tree, iteratively. */
function fixSizes(root: TNode): void {
  const order: TNode[] = [];
  const st: TNode[] = [root];
  while (st.length > 0) {
    const t = st.pop()!;
    order.push(t);
    if (t.l !== null) st.push(t.l);
    if (t.r !== null) st.push(t.r);
  }
  // Reverse pre-order visits children before parents.
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    t.n = 1 + (t.l === null ? 0 : t.l.n) + (t.r === null ? 0 : t.r.n);
  }
}

/** For tests: checks the BST, heap and size invariants; returns the height. */
export function checkTreap(root: TNode | null): number {
  let height = 0;
  const st: [TNode, number][] = root === null ? [] : [[root, 1]];
  while (st.length > 0) {
    const [t, depth] = st.pop()!;
    if (depth > height) height = depth;
    assert(t.n === 1 + sizeOf(t.l) + sizeOf(t.r), "size invariant");
    assert(t.p === priorityOf(t.k), "priority invariant");
    for (const c of [t.l, t.r]) {
      if (c === null) continue;
      assert(above(t.p, t.k, c.p, c.k), "heap invariant");
      st.push([c, depth + 1]);
    }
  }
  let prev: TNode | null = null;
  walk(root, (t) => {
    assert(prev === null || compareKeys(prev.k, t.k) < 0, "order invariant");
    prev = t;
    return true;
  });
  return height;
}
