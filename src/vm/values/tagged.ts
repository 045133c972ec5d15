/**
 * Tagged JSON: a self-describing JSON form that round-trips every Value exactly without type
 * information (suspended frames, effect intents, anything stored where the static type is not
 * at hand). Records and enums are named; the decoder finds their shapes in the TypeTable.
 *
 *   none, bool, string   null, true/false, "…"
 *   int / float          a number (−0 written as 0)
 *   list                 {"$l":[v, …]}
 *   map                  {"$m":[[k, v], …]}      keys strictly ascending
 *   set                  {"$s":[k, …]}           strictly ascending
 *   record               {"$r":"Item","f":[v, …]}           fields in declaration order
 *   variant              {"$v":"Status","t":"Failed","f":[v, …]}   (result<T>: "$v":"result")
 *   json                 {"$j":<canonical plain JSON>}
 *
 * The decoder is strict: exactly these keys, known shapes with the right field counts,
 * homogeneous ascending keys, well-formed strings, nesting within VALUE_DEPTH_MAX. Any
 * violation throws ValueCodecError.
 */
import { COLLECTION_LEN_MAX, STRING_LEN_MAX } from "../../base/limits.ts";
import type { Key, Value } from "./core.ts";
import { JsonShapeError, ValueCodecError } from "./errors.ts";
import { Json, isWellFormed } from "./json_value.ts";
import { VALUE_DEPTH_MAX } from "./limits.ts";
import { PList } from "./plist.ts";
import { PMap, PSet } from "./pmap.ts";
import { Rec, Variant, makeVariant } from "./record.ts";
import { compareKeys } from "./treap.ts";
import type { TypeTable } from "./type_table.ts";
import { assert } from "../../base/assert.ts";

export function toTagged(v: Value): unknown {
  return enc(v, 0);
}

function enc(v: Value, depth: number): unknown {
  if (typeof v !== "object" || v === null) return typeof v === "number" ? v + 0 : v;
  if (depth >= VALUE_DEPTH_MAX) throw new ValueCodecError(`value nested deeper than ${VALUE_DEPTH_MAX}`);
  const dn = depth + 1;
  if (v instanceof Rec) return { $r: v.shape.name, f: v.f.map((x) => enc(x, dn)) };
  if (v instanceof Variant) return { $v: v.shape.name, t: v.variantName, f: v.f.map((x) => enc(x, dn)) };
  if (v instanceof PList) {
    const out = new Array<unknown>(v.size);
    v.forEachWhile((x, i) => {
      out[i] = enc(x, dn);
      return true;
    });
    return { $l: out };
  }
  if (v instanceof PMap) {
    const out: unknown[] = [];
    v.forEachWhile((k, x) => {
      out.push([k, enc(x, dn)]);
      return true;
    });
    return { $m: out };
  }
  if (v instanceof PSet) return { $s: v.toArray() };
  assert(v instanceof Json, "toTagged: unknown value class");
  return { $j: v.v };
}

function bad(msg: string): never {
  throw new ValueCodecError(`tagged value: ${msg}`);
}

function hasExactly(o: object, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}

function checkString(s: string): string {
  if (s.length > STRING_LEN_MAX) bad(`string longer than ${STRING_LEN_MAX}`);
  if (!isWellFormed(s)) bad("string holds a lone surrogate");
  return s;
}

function decKey(j: unknown, prev: Key | undefined): Key {
  let k: Key;
  if (typeof j === "number") {
    if (!Number.isSafeInteger(j)) bad(`key ${j} is not an int`);
    k = j + 0;
  } else if (typeof j === "string") {
    k = checkString(j);
  } else {
    bad("keys must be ints or strings");
  }
  if (prev !== undefined) {
    if (typeof prev !== typeof k) bad("mixed key kinds");
    if (compareKeys(prev, k) >= 0) bad("keys must be strictly ascending");
  }
  return k;
}

function decArray(j: unknown, what: string): unknown[] {
  if (!Array.isArray(j)) bad(`${what} must be an array`);
  if (j.length > COLLECTION_LEN_MAX) bad(`${what} longer than ${COLLECTION_LEN_MAX}`);
  return j;
}

/** Decodes every element (an index loop: `map` would skip the holes of a sparse array). */
function decAll(tt: TypeTable, arr: unknown[], depth: number): Value[] {
  const out = new Array<Value>(arr.length);
  for (let i = 0; i < arr.length; i++) out[i] = dec(tt, arr[i], depth);
  return out;
}

/** Decodes tagged JSON (see header); throws ValueCodecError on anything malformed. */
export function fromTagged(tt: TypeTable, j: unknown): Value {
  return dec(tt, j, 0);
}

function dec(tt: TypeTable, j: unknown, depth: number): Value {
  switch (typeof j) {
    case "number":
      if (!Number.isFinite(j)) bad("non-finite number");
      return j + 0;
    case "string":
      return checkString(j);
    case "boolean":
      return j;
    case "object":
      break;
    default:
      bad(`unexpected ${typeof j}`);
  }
  if (j === null) return null;
  if (Array.isArray(j)) bad("bare array (lists are {\"$l\":[…]})");
  if (depth >= VALUE_DEPTH_MAX) bad(`nested deeper than ${VALUE_DEPTH_MAX}`);
  const dn = depth + 1;
  const o = j as Record<string, unknown>;
  if (hasExactly(o, ["$l"])) return PList.from(decAll(tt, decArray(o.$l, "$l"), dn));
  if (hasExactly(o, ["$s"])) {
    const arr = decArray(o.$s, "$s");
    const keys: Key[] = [];
    for (let i = 0; i < arr.length; i++) keys.push(decKey(arr[i], keys[keys.length - 1]));
    return PSet.fromSorted(keys);
  }
  if (hasExactly(o, ["$m"])) {
    const keys: Key[] = [];
    const vals: Value[] = [];
    const arr = decArray(o.$m, "$m");
    for (let i = 0; i < arr.length; i++) {
      const p = arr[i];
      if (!Array.isArray(p) || p.length !== 2) bad("map entries must be [key, value] pairs");
      keys.push(decKey(p[0], keys[keys.length - 1]));
      vals.push(dec(tt, p[1], dn));
    }
    return PMap.fromSorted(keys, vals);
  }
  if (hasExactly(o, ["$r", "f"])) {
    if (typeof o.$r !== "string") bad("$r must be a record name");
    const shape = tt.recordShapeByName(o.$r);
    if (shape === undefined) bad(`unknown record ${JSON.stringify(o.$r)}`);
    const f = decArray(o.f, "f");
    if (f.length !== shape.fields.length) bad(`record ${shape.name} has ${shape.fields.length} fields, got ${f.length}`);
    return new Rec(shape, decAll(tt, f, dn));
  }
  if (hasExactly(o, ["$v", "t", "f"])) {
    if (typeof o.$v !== "string" || typeof o.t !== "string") bad("$v and t must be names");
    const shape = tt.enumShapeByName(o.$v);
    if (shape === undefined) bad(`unknown enum ${JSON.stringify(o.$v)}`);
    const tag = shape.variants.findIndex((v) => v.name === o.t);
    if (tag < 0) bad(`${JSON.stringify(o.t)} is not a variant of ${shape.name}`);
    const f = decArray(o.f, "f");
    if (f.length !== shape.variants[tag]!.fields.length) bad(`variant ${shape.name}.${o.t} has ${shape.variants[tag]!.fields.length} fields, got ${f.length}`);
    return makeVariant(shape, tag, decAll(tt, f, dn));
  }
  if (hasExactly(o, ["$j"])) {
    try {
      return Json.from(o.$j);
    } catch (e) {
      if (e instanceof JsonShapeError) bad(`$j${e.pointer}: ${e.message}`);
      throw e;
    }
  }
  return bad(`unrecognised object with keys ${JSON.stringify(Object.keys(o).slice(0, 5))}`);
}
