/**
 * PList: a persistent vector (Clojure's PersistentVector): a 32-way trie of full 32-element
 * leaves plus a tail of 1..32 elements (0 only when empty). `get`/`set`/`push`/`pop` copy one
 * root-to-leaf path, O(log32 n); everything else is shared between versions.
 *
 * CANONICAL SHAPE. The trie's shape depends only on the length: the tail holds elements from
 * tailOffset = (n < 32 ? 0 : ((n−1) >>> 5) << 5); the trie holds tailOffset/32 full leaves
 * under the shallowest root that fits them (shift ≥ 5, i.e. the root is always an inner
 * node); inner nodes' child arrays have no holes (filled left to right). `push`, `pop`
 * (which collapses a one-child root) and `from` all produce this shape, so the Merkle hash
 * depends only on the element sequence:
 *
 *   list      H(0x12 ‖ uvarint(size) ‖ rootHash ‖ tailHash)
 *   leaf      H(0x20 ‖ enc(e0) ‖ … ‖ enc(e31))            (the tail too, with its 0..32 elements)
 *   inner     H(0x20 ‖ childHash0 ‖ …)
 *   rootHash  is 32 zero bytes when the trie is empty (size ≤ 32)
 */
import { assert } from "../../base/assert.ts";
import {
  Composite,
  ZERO_H,
  childDepth,
  pushIfUnhashed,
  sBegin,
  sHash,
  sDigest,
  sEnc,
  sUvar,
  weightOf,
  type HashStr,
  type Hashable,
  type Value,
} from "./core.ts";

const BITS = 5;
const WIDTH = 32;
const MASK = 31;

/** A trie node. Leaves hold values; inner nodes hold nodes. Immutable once published. */
export class VNode implements Hashable {
  h: HashStr | null = null;
  d = 0;
  constructor(
    readonly leaf: boolean,
    readonly a: unknown[],
  ) {}

  pushUnhashed(stack: Hashable[]): void {
    const a = this.a;
    if (this.leaf) {
      for (let i = 0; i < a.length; i++) pushIfUnhashed(a[i] as Value, stack);
    } else {
      for (let i = 0; i < a.length; i++) {
        const c = a[i] as VNode;
        if (c.h === null) stack.push(c);
      }
    }
  }

  computeHash(): void {
    const a = this.a;
    sBegin(0x20);
    let d = 0;
    if (this.leaf) {
      for (let i = 0; i < a.length; i++) {
        const v = a[i] as Value;
        sEnc(v);
        const cd = childDepth(v);
        if (cd > d) d = cd;
      }
    } else {
      for (let i = 0; i < a.length; i++) {
        const c = a[i] as VNode;
        sHash(c.h!);
        if (c.d > d) d = c.d;
      }
    }
    this.d = d;
    this.h = sDigest();
  }
}

/** Scratch for `set`'s root-to-leaf path (≤ 5 inner levels); `set` never re-enters. */
const setPath: VNode[] = [];

/** The root of an empty trie: hash is Z by definition. */
const EMPTY_ROOT = new VNode(false, []);
EMPTY_ROOT.h = ZERO_H;
const EMPTY_TAIL = new VNode(true, []);

/** Fails an index check. Kept out of line so hot paths build no message or closure. */
function badIndex(what: string, i: number, size: number): never {
  assert(false, `list ${what} index ${i} out of range 0..${size}`);
}

function tailOffsetOf(size: number): number {
  return size < WIDTH ? 0 : ((size - 1) >>> BITS) << BITS;
}

/** A path of inner nodes from `level` down to `leaf`. */
function newPath(level: number, leaf: VNode): VNode {
  let node = leaf;
  for (let l = level; l > 0; l -= BITS) node = new VNode(false, [node]);
  return node;
}

export class PList extends Composite {
  static readonly empty: PList = new PList(0, BITS, EMPTY_ROOT, EMPTY_TAIL, 1);

  private constructor(
    /** Number of elements. */
    readonly size: number,
    private readonly shift: number,
    private readonly root: VNode,
    private readonly tail: VNode,
    w: number,
  ) {
    super(w);
  }

  /** A list of the given elements (O(n)). */
  static from(arr: readonly Value[]): PList {
    const n = arr.length;
    if (n === 0) return PList.empty;
    let w = 1;
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      assert(v !== undefined, "list element undefined");
      w += weightOf(v);
    }
    const tailOff = tailOffsetOf(n);
    let level: VNode[] = [];
    for (let i = 0; i < tailOff; i += WIDTH) level.push(new VNode(true, arr.slice(i, i + WIDTH)));
    let shift = BITS;
    let root = EMPTY_ROOT;
    if (level.length > 0) {
      while (level.length > WIDTH) {
        const up: VNode[] = [];
        for (let i = 0; i < level.length; i += WIDTH) up.push(new VNode(false, level.slice(i, i + WIDTH)));
        level = up;
        shift += BITS;
      }
      root = new VNode(false, level);
    }
    return new PList(n, shift, root, new VNode(true, arr.slice(tailOff)), w);
  }

  /** The leaf array holding index i (the tail or a trie leaf). */
  private leafFor(i: number): unknown[] {
    if (i >= tailOffsetOf(this.size)) return this.tail.a;
    let node = this.root;
    for (let level = this.shift; level > 0; level -= BITS) node = node.a[(i >>> level) & MASK] as VNode;
    return node.a;
  }

  /** Element i; 0 ≤ i < size (the VM checks bounds and traps `LX-INDEX` first). */
  get(i: number): Value {
    // (i >>> 0) === i: a non-negative integer below 2^32 (sizes stay below 2^24).
    if (i >>> 0 !== i || i >= this.size) badIndex("get", i, this.size);
    return this.leafFor(i)[i & MASK] as Value;
  }

  last(): Value | undefined {
    return this.size === 0 ? undefined : (this.tail.a[this.tail.a.length - 1] as Value);
  }

  /** A list with element i replaced. */
  set(i: number, v: Value): PList {
    if (i >>> 0 !== i || i >= this.size) badIndex("set", i, this.size);
    assert(v !== undefined, "list element undefined");
    const w = this.w + weightOf(v);
    const tailOff = tailOffsetOf(this.size);
    if (i >= tailOff) {
      const a = this.tail.a;
      const old = a[i - tailOff] as Value;
      if (old === v) return this;
      const na = a.slice();
      na[i - tailOff] = v;
      return new PList(this.size, this.shift, this.root, new VNode(true, na), w - weightOf(old));
    }
    // Copy the path root → leaf (at most 4 levels below the root for 16 M elements).
    const path = setPath;
    path.length = 0;
    let node = this.root;
    for (let level = this.shift; level > 0; level -= BITS) {
      path.push(node);
      node = node.a[(i >>> level) & MASK] as VNode;
    }
    const old = node.a[i & MASK] as Value;
    if (old === v) {
      path.length = 0;
      return this;
    }
    const la = node.a.slice();
    la[i & MASK] = v;
    let cur = new VNode(true, la);
    for (let k = path.length - 1, level = BITS; k >= 0; k--, level += BITS) {
      const pa = path[k]!.a.slice();
      pa[(i >>> level) & MASK] = cur;
      cur = new VNode(false, pa);
    }
    path.length = 0; // drop references so old nodes can be collected
    return new PList(this.size, this.shift, cur, this.tail, w - weightOf(old));
  }

  /** A list with `v` appended. */
  push(v: Value): PList {
    assert(v !== undefined, "list element undefined");
    const n = this.size;
    const w = this.w + weightOf(v);
    const ta = this.tail.a;
    if (n - tailOffsetOf(n) < WIDTH) {
      const na = ta.slice();
      na.push(v);
      return new PList(n + 1, this.shift, this.root, new VNode(true, na), w);
    }
    // The tail is full: it becomes a trie leaf and `v` starts a new tail.
    assert(ta.length === WIDTH, "full tail");
    let root: VNode;
    let shift = this.shift;
    if (n >>> BITS > 1 << shift) {
      root = new VNode(false, [this.root, newPath(shift, this.tail)]);
      shift += BITS;
    } else {
      root = this.pushTail(n, shift, this.root, this.tail);
    }
    return new PList(n + 1, shift, root, new VNode(true, [v]), w);
  }

  private pushTail(n: number, level: number, parent: VNode, tailNode: VNode): VNode {
    const sub = ((n - 1) >>> level) & MASK;
    const a = parent.a.slice();
    if (level === BITS) {
      assert(sub === a.length, "leaf slot must be the next free one");
      a.push(tailNode);
    } else if (sub < a.length) {
      a[sub] = this.pushTail(n, level - BITS, a[sub] as VNode, tailNode);
    } else {
      assert(sub === a.length, "inner slot must be the next free one");
      a.push(newPath(level - BITS, tailNode));
    }
    return new VNode(false, a);
  }

  /** The list without its last element. */
  pop(): PList {
    const n = this.size;
    assert(n > 0, "pop of an empty list");
    if (n === 1) return PList.empty;
    const ta = this.tail.a;
    const w = this.w - weightOf(ta[ta.length - 1] as Value);
    if (ta.length > 1) return new PList(n - 1, this.shift, this.root, new VNode(true, ta.slice(0, -1)), w);
    // The tail empties: the trie's last leaf becomes the tail.
    const newTail = this.leafFor(n - 2);
    let root = this.popTail(n, this.shift, this.root) ?? EMPTY_ROOT;
    let shift = this.shift;
    assert(root !== EMPTY_ROOT || shift === BITS, "an emptied trie has the minimal shift");
    if (shift > BITS && root.a.length === 1) {
      root = root.a[0] as VNode;
      shift -= BITS;
    }
    return new PList(n - 1, shift, root, new VNode(true, newTail), w);
  }

  private popTail(n: number, level: number, node: VNode): VNode | null {
    const sub = ((n - 2) >>> level) & MASK;
    if (level > BITS) {
      const child = this.popTail(n, level - BITS, node.a[sub] as VNode);
      if (child === null) return sub === 0 ? null : new VNode(false, node.a.slice(0, sub));
      const a = node.a.slice();
      a[sub] = child;
      return new VNode(false, a);
    }
    return sub === 0 ? null : new VNode(false, node.a.slice(0, sub));
  }

  /** A list with `v` inserted before index i (0 ≤ i ≤ size). O(n) unless i = size. */
  insert(i: number, v: Value): PList {
    if (i >>> 0 !== i || i > this.size) badIndex("insert", i, this.size);
    if (i === this.size) return this.push(v);
    const arr = this.toArray();
    arr.splice(i, 0, v);
    return PList.from(arr);
  }

  /** A list without element i (0 ≤ i < size). O(n) unless i = size − 1. */
  remove(i: number): PList {
    if (i >>> 0 !== i || i >= this.size) badIndex("remove", i, this.size);
    if (i === this.size - 1) return this.pop();
    const arr = this.toArray();
    arr.splice(i, 1);
    return PList.from(arr);
  }

  /** Elements [a, b), clamped to the list like the language's `slice`. */
  slice(a: number, b: number = this.size): PList {
    const lo = Math.max(0, Math.min(a, this.size));
    const hi = Math.max(lo, Math.min(b, this.size));
    if (lo === 0 && hi === this.size) return this;
    if (lo === 0) {
      // A prefix: popping keeps sharing when only a few elements go.
      if (this.size - hi <= WIDTH) {
        let r: PList = this;
        while (r.size > hi) r = r.pop();
        return r;
      }
    }
    return PList.from(this.range(lo, hi));
  }

  /** Elements [a, b) as a fresh array (0 ≤ a ≤ b ≤ size). */
  range(a: number, b: number): Value[] {
    assert(a >= 0 && a <= b && b <= this.size, "list range out of bounds");
    const out = new Array<Value>(b - a);
    let k = 0;
    let i = a;
    while (i < b) {
      const leaf = this.leafFor(i);
      const start = i & MASK;
      const end = Math.min(leaf.length, start + (b - i));
      for (let j = start; j < end; j++) out[k++] = leaf[j] as Value;
      i += end - start;
    }
    return out;
  }

  toArray(): Value[] {
    return this.range(0, this.size);
  }

  *[Symbol.iterator](): IterableIterator<Value> {
    for (let i = 0; i < this.size; i += WIDTH - (i & MASK)) {
      const leaf = this.leafFor(i);
      for (let j = i & MASK; j < leaf.length; j++) yield leaf[j] as Value;
    }
  }

  /** Calls `fn` for each element in order; stops early when it returns false. */
  forEachWhile(fn: (v: Value, i: number) => boolean): void {
    for (let i = 0; i < this.size; ) {
      const leaf = this.leafFor(i);
      for (let j = i & MASK; j < leaf.length; j++, i++) if (!fn(leaf[j] as Value, i)) return;
    }
  }

  /** @internal equality walks the tries directly. */
  get rootNode(): VNode {
    return this.root;
  }
  /** @internal */
  get tailNode(): VNode {
    return this.tail;
  }

  pushUnhashed(stack: Hashable[]): void {
    if (this.root.h === null) stack.push(this.root);
    if (this.tail.h === null) stack.push(this.tail);
  }

  computeHash(): void {
    sBegin(0x12);
    sUvar(this.size);
    sHash(this.root.h!);
    sHash(this.tail.h!);
    this.d = Math.max(this.root.d, this.tail.d) + 1;
    this.h = sDigest();
  }
}
