/**
 * Binary value codec: the compact, self-describing equivalent of tagged JSON, for WAL
 * payloads, effect intents and suspended frames. Little-endian, via base/bytes.ts. Not the
 * hash encoding (that is `enc` in core.ts, which never changes with this one).
 *
 *   0x00 none      0x01 false      0x02 true
 *   0x03 float     f64 LE (any number that is not a small int below; −0 written as 0)
 *   0x04 string    uvar(UTF-8 length) ‖ UTF-8
 *   0x06 int       svar (zig-zag LEB128), for integers with |v| < 2^52
 *   0x07 list      uvar(n) ‖ n values
 *   0x08 map       uvar(n) ‖ n × (key ‖ value), keys strictly ascending, all int or all string
 *   0x09 set       uvar(n) ‖ n keys, strictly ascending
 *   0x0A record    str(record name) ‖ uvar(n) ‖ n values
 *   0x0B variant   str(enum name) ‖ uvar(tag) ‖ uvar(n) ‖ n values   (result<T>: enum "result")
 *   0x0C json      str(canonical JSON text)
 *
 * Keys are encoded as values (0x06/0x03 int, 0x04 string). Why the 2^52 bound on 0x06:
 * zig-zag doubles the magnitude, and uvar/svar are exact only below 2^53.
 *
 * `readValue` never trusts the input: every length is checked against both its limit and
 * the bytes remaining (each value takes at least one byte), nesting is bounded by
 * VALUE_DEPTH_MAX, and every failure is a ValueCodecError naming the byte offset.
 */
import { assert } from "../../base/assert.ts";
import { ByteRangeError, ByteReader, ByteWriter } from "../../base/bytes.ts";
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

const T_NONE = 0x00;
const T_FALSE = 0x01;
const T_TRUE = 0x02;
const T_FLOAT = 0x03;
const T_STRING = 0x04;
const T_INT = 0x06;
const T_LIST = 0x07;
const T_MAP = 0x08;
const T_SET = 0x09;
const T_RECORD = 0x0a;
const T_VARIANT = 0x0b;
const T_JSON = 0x0c;

const SVAR_ABS_LIMIT = 2 ** 52;

/** Appends the binary form of `v`. Throws ValueCodecError past VALUE_DEPTH_MAX. */
export function writeValue(w: ByteWriter, v: Value): void {
  put(w, v, 0);
}

function putScalar(w: ByteWriter, v: number | string | boolean | null): void {
  switch (typeof v) {
    case "number":
      assert(Number.isFinite(v), "writeValue: non-finite number");
      if (Number.isInteger(v) && Math.abs(v) < SVAR_ABS_LIMIT) w.u8(T_INT).svar(v + 0);
      else w.u8(T_FLOAT).f64(v + 0);
      return;
    case "string":
      assert(isWellFormed(v), "writeValue: string holds a lone surrogate");
      w.u8(T_STRING).str(v);
      return;
    case "boolean":
      w.u8(v ? T_TRUE : T_FALSE);
      return;
    default:
      assert(v === null, "writeValue: unexpected scalar");
      w.u8(T_NONE);
  }
}

function put(w: ByteWriter, v: Value, depth: number): void {
  if (typeof v !== "object" || v === null) return putScalar(w, v);
  if (depth >= VALUE_DEPTH_MAX) throw new ValueCodecError(`value nested deeper than ${VALUE_DEPTH_MAX}`);
  const dn = depth + 1;
  if (v instanceof Rec) {
    w.u8(T_RECORD).str(v.shape.name).uvar(v.f.length);
    for (const x of v.f) put(w, x, dn);
  } else if (v instanceof Variant) {
    w.u8(T_VARIANT).str(v.shape.name).uvar(v.tag).uvar(v.f.length);
    for (const x of v.f) put(w, x, dn);
  } else if (v instanceof PList) {
    w.u8(T_LIST).uvar(v.size);
    v.forEachWhile((x) => {
      put(w, x, dn);
      return true;
    });
  } else if (v instanceof PMap) {
    w.u8(T_MAP).uvar(v.size);
    v.forEachWhile((k, x) => {
      putScalar(w, k);
      put(w, x, dn);
      return true;
    });
  } else if (v instanceof PSet) {
    w.u8(T_SET).uvar(v.size);
    v.forEachWhile((k) => {
      putScalar(w, k);
      return true;
    });
  } else {
    assert(v instanceof Json, "writeValue: unknown value class");
    w.u8(T_JSON).str(v.text());
  }
}

class Reader {
  constructor(
    readonly r: ByteReader,
    readonly tt: TypeTable,
  ) {}

  bad(msg: string, at = this.r.pos): never {
    throw new ValueCodecError(`binary value at byte ${at}: ${msg}`);
  }

  /** A count that cannot exceed the limit nor the bytes left (each item ≥ 1 byte). */
  count(limit: number, what: string): number {
    const at = this.r.pos;
    const n = this.r.uvar();
    if (n > limit) this.bad(`${what} count ${n} exceeds ${limit}`, at);
    if (n > this.r.remaining) this.bad(`${what} count ${n} exceeds the ${this.r.remaining} bytes left`, at);
    return n;
  }

  str(): string {
    const at = this.r.pos;
    const s = this.r.str();
    if (s.length > STRING_LEN_MAX) this.bad(`string longer than ${STRING_LEN_MAX}`, at);
    return s;
  }

  key(prev: Key | undefined): Key {
    const at = this.r.pos;
    const tag = this.r.u8();
    let k: Key;
    if (tag === T_INT) {
      k = this.r.svar();
      if (Math.abs(k) >= SVAR_ABS_LIMIT) this.bad("int key out of range", at);
    } else if (tag === T_FLOAT) {
      k = this.r.f64();
      if (!Number.isSafeInteger(k) || Math.abs(k) < SVAR_ABS_LIMIT) this.bad("key is not a canonically encoded int", at);
    } else if (tag === T_STRING) k = this.str();
    else this.bad(`tag 0x${tag.toString(16)} is not a key`, at);
    if (prev !== undefined) {
      if (typeof prev !== typeof k) this.bad("mixed key kinds", at);
      if (compareKeys(prev, k) >= 0) this.bad("keys must be strictly ascending", at);
    }
    return k;
  }

  value(depth: number): Value {
    const at = this.r.pos;
    const tag = this.r.u8();
    switch (tag) {
      case T_NONE:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_FLOAT: {
        const x = this.r.f64();
        if (!Number.isFinite(x)) this.bad("non-finite number", at);
        return x + 0;
      }
      case T_INT: {
        const x = this.r.svar();
        if (Math.abs(x) >= SVAR_ABS_LIMIT) this.bad("int out of range", at);
        return x + 0;
      }
      case T_STRING:
        return this.str();
      default:
        break;
    }
    if (depth >= VALUE_DEPTH_MAX) this.bad(`nested deeper than ${VALUE_DEPTH_MAX}`, at);
    const dn = depth + 1;
    switch (tag) {
      case T_LIST: {
        const n = this.count(COLLECTION_LEN_MAX, "list");
        const out = new Array<Value>(n);
        for (let i = 0; i < n; i++) out[i] = this.value(dn);
        return PList.from(out);
      }
      case T_MAP: {
        const n = this.count(COLLECTION_LEN_MAX, "map");
        const keys = new Array<Key>(n);
        const vals = new Array<Value>(n);
        for (let i = 0; i < n; i++) {
          keys[i] = this.key(i === 0 ? undefined : keys[i - 1]);
          vals[i] = this.value(dn);
        }
        return PMap.fromSorted(keys, vals);
      }
      case T_SET: {
        const n = this.count(COLLECTION_LEN_MAX, "set");
        const keys = new Array<Key>(n);
        for (let i = 0; i < n; i++) keys[i] = this.key(i === 0 ? undefined : keys[i - 1]);
        return PSet.fromSorted(keys);
      }
      case T_RECORD: {
        const name = this.str();
        const shape = this.tt.recordShapeByName(name);
        if (shape === undefined) this.bad(`unknown record ${JSON.stringify(name)}`, at);
        const n = this.count(shape.fields.length, `record ${name} field`);
        if (n !== shape.fields.length) this.bad(`record ${name} has ${shape.fields.length} fields, got ${n}`, at);
        const f = new Array<Value>(n);
        for (let i = 0; i < n; i++) f[i] = this.value(dn);
        return new Rec(shape, f);
      }
      case T_VARIANT: {
        const name = this.str();
        const shape = this.tt.enumShapeByName(name);
        if (shape === undefined) this.bad(`unknown enum ${JSON.stringify(name)}`, at);
        const tag = this.r.uvar();
        if (tag >= shape.variants.length) this.bad(`enum ${name} has no variant ${tag}`, at);
        const want = shape.variants[tag]!.fields.length;
        const n = this.count(want, `variant ${name}.${shape.variants[tag]!.name} field`);
        if (n !== want) this.bad(`variant ${name}.${shape.variants[tag]!.name} has ${want} fields, got ${n}`, at);
        const f = new Array<Value>(n);
        for (let i = 0; i < n; i++) f[i] = this.value(dn);
        return makeVariant(shape, tag, f);
      }
      case T_JSON: {
        const text = this.str();
        let plain: unknown;
        try {
          plain = JSON.parse(text);
        } catch {
          this.bad("malformed json text", at);
        }
        try {
          return Json.from(plain);
        } catch (e) {
          if (e instanceof JsonShapeError) this.bad(`json${e.pointer}: ${e.message}`, at);
          throw e;
        }
      }
      default:
        return this.bad(`unknown tag 0x${tag.toString(16)}`, at);
    }
  }
}

/**
 * Reads one value written by `writeValue`, finding record/enum shapes in `tt`. Throws
 * ValueCodecError on malformed input (truncation, bad tags, lengths past limits or past the
 * end, unknown shapes, unordered keys, bad UTF-8, nesting past VALUE_DEPTH_MAX).
 */
export function readValue(r: ByteReader, tt: TypeTable): Value {
  try {
    return new Reader(r, tt).value(0);
  } catch (e) {
    if (e instanceof ByteRangeError) throw new ValueCodecError(`binary value: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Convenience: the binary form of one value. */
export function encodeValue(v: Value): Uint8Array {
  const w = new ByteWriter();
  writeValue(w, v);
  return w.finish();
}

/** Convenience: decodes a buffer holding exactly one value. */
export function decodeValue(bytes: Uint8Array, tt: TypeTable): Value {
  const r = new ByteReader(bytes);
  const v = readValue(r, tt);
  if (r.remaining !== 0) throw new ValueCodecError(`binary value: ${r.remaining} trailing bytes`);
  return v;
}
