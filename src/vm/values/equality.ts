/**
 * Structural equality of values of the same static type. Iterative (explicit stack) so no
 * nesting depth can overflow the host stack. Fast paths: identical objects (shared
 * structure), and cached hashes on both sides. Lists of one length and maps/sets of one key
 * set have identical tree shapes (plist.ts, treap.ts), so collections compare node by node.
 */
import type { Key, Value } from "./core.ts";
import { Json } from "./json_value.ts";
import { PList, VNode } from "./plist.ts";
import { PMap, PSet } from "./pmap.ts";
import { Rec, Variant } from "./record.ts";
import { TNode, compareKeys as compareTreapKeys } from "./treap.ts";

/** Order of map keys and set elements: ints numerically, strings by code points. */
export function compareKeys(a: Key, b: Key): number {
  return compareTreapKeys(a, b);
}

type Item = Value | VNode | TNode | undefined;

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const xs: Item[] = [a];
  const ys: Item[] = [b];
  while (xs.length > 0) {
    const x = xs.pop()!;
    const y = ys.pop()!;
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (x.h !== null && y.h !== null) {
      if (x.h !== y.h) return false;
      continue;
    }
    if (x instanceof Rec) {
      if (!(y instanceof Rec) || x.shape.name !== y.shape.name || x.f.length !== y.f.length) return false;
      if (!pushAll(x.f, y.f, xs, ys)) return false;
    } else if (x instanceof Variant) {
      if (!(y instanceof Variant) || x.tag !== y.tag || x.shape.name !== y.shape.name || x.f.length !== y.f.length) return false;
      if (!pushAll(x.f, y.f, xs, ys)) return false;
    } else if (x instanceof PList) {
      if (!(y instanceof PList) || x.size !== y.size) return false;
      xs.push(x.rootNode, x.tailNode);
      ys.push(y.rootNode, y.tailNode);
    } else if (x instanceof VNode) {
      if (!(y instanceof VNode) || x.leaf !== y.leaf || x.a.length !== y.a.length) return false;
      if (!pushAll(x.a as Item[], y.a as Item[], xs, ys)) return false;
    } else if (x instanceof PMap || x instanceof PSet) {
      if (x.constructor !== y.constructor) return false;
      const yy = y as PMap | PSet;
      if (x.size !== yy.size) return false;
      xs.push(x.rootNode ?? undefined);
      ys.push(yy.rootNode ?? undefined);
    } else if (x instanceof TNode) {
      if (!(y instanceof TNode) || x.k !== y.k || x.n !== y.n) return false;
      xs.push(x.l ?? undefined, x.r ?? undefined, x.v);
      ys.push(y.l ?? undefined, y.r ?? undefined, y.v);
    } else if (x instanceof Json) {
      if (!(y instanceof Json) || x.text() !== y.text()) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** Compares scalars inline and pushes composite pairs; false on a scalar mismatch. */
function pushAll(f: readonly Item[], g: readonly Item[], xs: Item[], ys: Item[]): boolean {
  for (let i = 0; i < f.length; i++) {
    const p = f[i];
    const q = g[i];
    if (p === q) continue;
    if (typeof p !== "object" || typeof q !== "object" || p === null || q === null) return false;
    xs.push(p);
    ys.push(q);
  }
  return true;
}
