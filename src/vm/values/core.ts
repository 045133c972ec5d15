/**
 * Core of the value model: the `Value` union, the `Composite` base class every non-scalar
 * value extends, and the Merkle hashing machinery shared by all of them.
 *
 * CANONICAL ENCODING `enc(v)` (also in README.md; the project copies it to docs/formats.md).
 * It is the only byte form that reaches a hash; it never changes without a format version.
 *
 *   none            0x00
 *   false / true    0x01 / 0x02
 *   int or float    0x03 ‖ float64 big-endian   (ints too; −0 is written as +0)
 *   string          0x04 ‖ uvarint(UTF-8 byte length) ‖ UTF-8 bytes
 *   composite       0x05 ‖ its 32-byte hash
 *
 * `uvarint` is unsigned LEB128 (7 bits per byte, low group first, high bit = more follows).
 * `str(s)` below means uvarint(UTF-8 byte length) ‖ UTF-8 bytes. `H` is SHA-256. `Z` is 32
 * zero bytes (the hash of an absent child).
 *
 *   record    H(0x10 ‖ str(record name) ‖ uvarint(n) ‖ enc(f0) … enc(fn−1))
 *   variant   H(0x11 ‖ str(enum name) ‖ str(variant name) ‖ uvarint(n) ‖ enc(f0) …)
 *   list      H(0x12 ‖ uvarint(size) ‖ rootHash ‖ tailHash)                 (plist.ts)
 *             trie node  H(0x20 ‖ child0 ‖ child1 …): leaf children are enc(element),
 *             inner children are node hashes; an empty trie's rootHash is Z; the tail is
 *             hashed as a leaf (so an empty list's tailHash is H(0x20)).
 *   map       H(0x13 ‖ uvarint(size) ‖ rootHash)      node H(0x21 ‖ left ‖ enc(k) ‖ enc(v) ‖ right)
 *   set       H(0x14 ‖ uvarint(size) ‖ rootHash)      node H(0x22 ‖ left ‖ enc(k) ‖ right)
 *             (treap.ts; an empty tree or child is Z)
 *   json      H(0x15 ‖ canonical JSON text as UTF-8)                        (json_value.ts)
 *   scalar    H(0x30 ‖ enc(v))   (only from `hashValue`, so every value has a hash)
 *
 * Every composite caches its hash (`h`) and the deepest nesting below it (`d`) the first time
 * they are asked for; values are immutable, so the cache never goes stale. Collections cache
 * hashes per internal node too, so after an update only the path-copied nodes (O(log n)) are
 * rehashed. Hashing walks an explicit stack, never the host stack, so no nesting depth or
 * degenerate tree shape can overflow it.
 *
 * Every composite also carries its `weight` (`w`), computed eagerly when it is built: 1 per
 * value, plus ⌊len/64⌋ per string (UTF-16 units), summed over everything it contains. The
 * runtime checks `STATE_WEIGHT_MAX` against it without walking the state.
 */
import { assert } from "../../base/assert.ts";
import * as crypto from "node:crypto";
import { HASH_BYTES } from "../../base/hash.ts";
import type { PList } from "./plist.ts";
import type { PMap, PSet } from "./pmap.ts";
import type { Rec, Variant } from "./record.ts";
import type { Json } from "./json_value.ts";

/** A Lexum value. `int` and `float` are both `number` (ints are safe integers, floats finite,
 * never −0); `none` is `null`; an optional holding a value is just the value. */
export type Value = number | boolean | string | null | PList | PMap | PSet | Rec | Variant | Json;

/** Map keys and set elements: all ints or all strings within one collection. */
export type Key = number | string;

/**
 * A SHA-256 hash held as a 32-character string, one char per byte (latin1). Why not a
 * Uint8Array: every node keeps one, and V8 strings are far cheaper to allocate, retain and
 * collect than 100k small Buffers (measured ~3× faster for a cold 100k-node hash); `===`
 * compares them. The public API converts to Uint8Array at the edge.
 */
export type HashStr = string;

/** Something with a cached Merkle hash: a composite value or an internal collection node. */
export interface Hashable {
  /** The cached hash, or null until first computed. */
  h: HashStr | null;
  /** Deepest composite nesting below and including this (valid once `h` is set). */
  d: number;
  /** Pushes every direct child that has no hash yet (the order does not matter). */
  pushUnhashed(stack: Hashable[]): void;
  /** Sets `h` and `d`. Called only when every child already has a hash. */
  computeHash(): void;
}

/** Base class of every non-scalar value. */
export abstract class Composite implements Hashable {
  h: HashStr | null = null;
  d = 0;
  /** Weight (see header): fixed at construction. */
  readonly w: number;
  constructor(w: number) {
    this.w = w;
  }
  abstract pushUnhashed(stack: Hashable[]): void;
  abstract computeHash(): void;
}

/** 32 zero bytes: the hash of an absent child. */
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);
export const ZERO_H: HashStr = "\0".repeat(HASH_BYTES);

/** A HashStr as bytes (a fresh array the caller may keep). */
export function hashBytes(h: HashStr): Uint8Array {
  assert(h.length === HASH_BYTES, "hash length");
  const out = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++) out[i] = h.charCodeAt(i);
  return out;
}

/** Counts SHA-256 computations so tests can show an update rehashes O(log n) nodes. */
export const hashStats = { sha256Calls: 0 };

/** 1 per value + 1 per 64 UTF-16 units of a string. */
export function weightOf(v: Value): number {
  if (typeof v === "object" && v !== null) return v.w;
  if (typeof v === "string") return 1 + (v.length >>> 6);
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Iterative hashing driver.

const hashStack: Hashable[] = [];

/** Computes (or returns the cached) hash of `root`, hashing unhashed descendants first. */
export function ensureHashed(root: Hashable): HashStr {
  if (root.h !== null) return root.h;
  const st = hashStack;
  assert(st.length === 0, "ensureHashed re-entered");
  try {
    st.push(root);
    while (st.length > 0) {
      const top = st[st.length - 1]!;
      if (top.h !== null) {
        st.pop();
        continue;
      }
      const before: number = st.length;
      top.pushUnhashed(st);
      if (st.length === before) {
        top.computeHash();
        assert(top.h !== null, "computeHash left no hash");
        st.pop();
      }
    }
  } finally {
    st.length = 0;
  }
  return root.h!;
}

/** Pushes `v` when it is a composite without a hash yet. */
export function pushIfUnhashed(v: Value, stack: Hashable[]): void {
  if (typeof v === "object" && v !== null && v.h === null) stack.push(v);
}

/** Nesting depth contributed by a child: 0 for scalars. Valid only once the child is hashed. */
export function childDepth(v: Value): number {
  return typeof v === "object" && v !== null ? v.d : 0;
}

// ---------------------------------------------------------------------------------------------
// Scratch writer: one growable buffer, reused for every node hash. Safe because computeHash
// never nests (the driver guarantees children are hashed first).

const SCRATCH_KEEP_BYTES = 1 << 20;
let buf = Buffer.allocUnsafe(4096);
let view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
let pos = 0;

function reserve(n: number): void {
  if (pos + n <= buf.length) return;
  let cap = buf.length * 2;
  while (cap < pos + n) cap *= 2;
  const next = Buffer.allocUnsafe(cap);
  buf.copy(next, 0, 0, pos);
  buf = next;
  view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Starts a new, empty byte string (for `encodeCanonical`). */
export function sReset(): void {
  pos = 0;
}

/** Starts a new hash input with its domain-separation tag byte. */
export function sBegin(tag: number): void {
  pos = 0;
  reserve(1);
  buf[pos++] = tag;
}

export function sUvar(v: number): void {
  assert(Number.isSafeInteger(v) && v >= 0, "uvarint out of range");
  reserve(8);
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
}

/** Appends the 32 bytes of a hash. */
export function sHash(h: HashStr): void {
  reserve(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++) buf[pos++] = h.charCodeAt(i);
}

/** str(s) = uvarint(UTF-8 length) ‖ UTF-8 bytes. */
export function sStr(s: string): void {
  const n = Buffer.byteLength(s, "utf8");
  sUvar(n);
  writeUtf8(s, n);
}

/** The UTF-8 bytes of `s`, without a length prefix. */
export function sUtf8(s: string): void {
  writeUtf8(s, Buffer.byteLength(s, "utf8"));
}

function writeUtf8(s: string, n: number): void {
  reserve(n);
  const wrote = buf.write(s, pos, n, "utf8");
  assert(wrote === n, "UTF-8 length mismatch");
  pos += n;
}

/** Appends enc(v). A composite must already be hashed. */
export function sEnc(v: Value): void {
  switch (typeof v) {
    case "number":
      assert(Number.isFinite(v), "non-finite number in a value");
      reserve(9);
      buf[pos++] = 0x03;
      view.setFloat64(pos, v + 0, false);
      pos += 8;
      return;
    case "string":
      reserve(1);
      buf[pos++] = 0x04;
      sStr(v);
      return;
    case "boolean":
      reserve(1);
      buf[pos++] = v ? 0x02 : 0x01;
      return;
    default:
      reserve(1);
      if (v === null) {
        buf[pos++] = 0x00;
        return;
      }
      assert(v.h !== null, "enc of an unhashed composite");
      buf[pos++] = 0x05;
      sHash(v.h);
  }
}

/** SHA-256 of the bytes written since `sBegin`. (node:crypto's one-shot `hash`, as in
 * base/hash.ts, but with the latin1 string output: see HashStr.) */
export function sDigest(): HashStr {
  hashStats.sha256Calls++;
  const h = crypto.hash("sha256", buf.subarray(0, pos), "binary");
  assert(h.length === HASH_BYTES, "sha256 length");
  if (buf.length > SCRATCH_KEEP_BYTES) {
    // A huge string passed through: don't pin its size in memory forever.
    buf = Buffer.allocUnsafe(4096);
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  pos = 0;
  return h;
}

/** A copy of the bytes written since `sBegin` (for `encodeCanonical`). */
export function sCopy(): Uint8Array {
  const out = new Uint8Array(pos);
  out.set(buf.subarray(0, pos));
  pos = 0;
  return out;
}
