/**
 * Type-directed JSON of values (rules.md [10]): the form of state in snapshots and GETs, of
 * HTTP arguments and of replies.
 *
 *   record               object, fields in declaration order
 *   enum unit variant    {"$tag":"Open"}
 *   variant with fields  {"$tag":"Failed","reason":"x"}
 *   optional             null or the value
 *   list / set           array (a set ascending)
 *   map<string, V>       object, keys in ascending code-point order
 *   map<int, V>          array of [k, v] pairs, ascending
 *   int / float          number (floats finite; −0 written as 0)
 *   json                 its canonical plain value
 *   result<T>            {"$tag":"Ok","value":…} / {"$tag":"Err","error":{"code":…,"message":…,"attempts":…}}
 *   none (reply type)    null
 *
 * Ambiguity: a `json?` holding the JSON value `null` prints as `null`, which reads back as
 * `none`. (Everything else round-trips exactly.)
 *
 * `toJson` returns plain JS objects; JS puts integer-like keys ("10", "9") first in its own
 * order, so only `toJsonText`/`toJsonChunks` guarantee the code-point key order above.
 */
import { assert } from "../../base/assert.ts";
import { COLLECTION_LEN_MAX, INT_MAX, STRING_LEN_MAX } from "../../base/limits.ts";
import type { TypeDesc, TypeIdx } from "../../bytecode/module.ts";
import type { Key, Value } from "./core.ts";
import { JsonShapeError, ValueCodecError, pointerSegment } from "./errors.ts";
import { Json, isWellFormed, setOwn, sortedKeys } from "./json_value.ts";
import { VALUE_DEPTH_MAX } from "./limits.ts";
import { PList } from "./plist.ts";
import { PMap, PSet } from "./pmap.ts";
import { RESULT_ERR, RESULT_OK, RESULT_SHAPE, Rec, Variant, makeVariant } from "./record.ts";
import { Cursor, compareKeys, type TNode } from "./treap.ts";
import type { TypeTable } from "./type_table.ts";

function tooDeep(): never {
  throw new ValueCodecError(`value nested deeper than ${VALUE_DEPTH_MAX}`);
}

// ---------------------------------------------------------------------------------------------
// Value → plain JSON

/** The JSON form of `v` as plain JS values. `v` must be of type `t` (asserted). Throws
 * ValueCodecError when `v` nests deeper than VALUE_DEPTH_MAX. */
export function toJson(tt: TypeTable, t: TypeIdx, v: Value): unknown {
  return toJsonAt(tt, t, v, 0);
}

function toJsonAt(tt: TypeTable, t: TypeIdx, v: Value, depth: number): unknown {
  let d = tt.desc(t);
  if (d.k === "opt") {
    if (v === null) return null;
    d = tt.desc(d.inner);
  }
  switch (d.k) {
    case "int":
      assert(typeof v === "number" && Number.isSafeInteger(v), "toJson: expected int");
      return v + 0;
    case "float":
      assert(typeof v === "number" && Number.isFinite(v), "toJson: expected float");
      return v + 0;
    case "bool":
      assert(typeof v === "boolean", "toJson: expected bool");
      return v;
    case "string":
      assert(typeof v === "string", "toJson: expected string");
      return v;
    case "none":
      assert(v === null, "toJson: expected none");
      return null;
    case "json":
      assert(v instanceof Json, "toJson: expected json");
      return v.v;
    default:
      break;
  }
  if (depth >= VALUE_DEPTH_MAX) tooDeep();
  const dn = depth + 1;
  switch (d.k) {
    case "list": {
      assert(v instanceof PList, "toJson: expected list");
      const out = new Array<unknown>(v.size);
      const et = d.elem;
      v.forEachWhile((e, i) => {
        out[i] = toJsonAt(tt, et, e, dn);
        return true;
      });
      return out;
    }
    case "set":
      assert(v instanceof PSet, "toJson: expected set");
      return v.toArray();
    case "map": {
      assert(v instanceof PMap, "toJson: expected map");
      const vt = d.val;
      if (tt.desc(d.key).k === "string") {
        const o: Record<string, unknown> = {};
        v.forEachWhile((k, x) => {
          setOwn(o, k as string, toJsonAt(tt, vt, x, dn));
          return true;
        });
        return o;
      }
      const out: unknown[] = [];
      v.forEachWhile((k, x) => {
        out.push([k, toJsonAt(tt, vt, x, dn)]);
        return true;
      });
      return out;
    }
    case "record": {
      assert(v instanceof Rec && v.shape.name === d.name, () => `toJson: expected record ${d.name}`);
      const o: Record<string, unknown> = {};
      d.fields.forEach((f, i) => setOwn(o, f.name, toJsonAt(tt, f.type, v.f[i]!, dn)));
      return o;
    }
    case "enum": {
      assert(v instanceof Variant && v.shape.name === d.name, () => `toJson: expected enum ${d.name}`);
      const vd = d.variants[v.tag]!;
      const o: Record<string, unknown> = { $tag: vd.name };
      vd.fields.forEach((f, i) => setOwn(o, f.name, toJsonAt(tt, f.type, v.f[i]!, dn)));
      return o;
    }
    case "result": {
      assert(v instanceof Variant && v.shape === RESULT_SHAPE, "toJson: expected result");
      if (v.tag === RESULT_OK) return { $tag: "Ok", value: toJsonAt(tt, d.ok, v.f[0]!, dn) };
      return { $tag: "Err", error: toJsonAt(tt, tt.effectErrorType, v.f[0]!, dn) };
    }
    default:
      assert(false, () => `toJson: unexpected type kind ${d.k}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Value → JSON text, streamed

const F_LIST = 0;
const F_SET = 1;
const F_SMAP = 2;
const F_IMAP = 3;
const F_FIELDS = 4;

/** One open array/object being written. A class with every field set in the constructor
 * keeps one hidden class for all frames (the writer's inner loop stays monomorphic). */
class Frame {
  i = 0;
  /** F_IMAP: a `[k, ` was written and its `]` is still due. */
  pairOpen = false;
  constructor(
    readonly kind: number,
    /** Element / value type. */
    readonly t: TypeIdx,
    readonly n: number,
    readonly list: PList | null,
    readonly cur: Cursor | null,
    /** F_FIELDS: text before each field (separator and quoted name), its type and value. */
    readonly prefixes: readonly string[] | null,
    readonly types: readonly TypeIdx[] | null,
    readonly vals: readonly Value[] | null,
    readonly close: string,
  ) {}
}

type VariantText = { open: string; unit: string; prefixes: string[]; types: TypeIdx[] };
type TypeText = { prefixes: string[]; types: TypeIdx[] } | VariantText[] | null;

// Per table, per type: the constant text pieces of records and enums. WeakMap: lookup only.
const textCache = new WeakMap<TypeTable, TypeText[]>();

function typeText(tt: TypeTable, t: TypeIdx): TypeText {
  let arr = textCache.get(tt);
  if (arr === undefined) {
    arr = new Array<TypeText>(tt.size);
    textCache.set(tt, arr);
  }
  let x = arr[t];
  if (x === undefined) {
    const d = tt.desc(t);
    if (d.k === "record") {
      x = {
        prefixes: d.fields.map((f, i) => (i === 0 ? "" : ",") + JSON.stringify(f.name) + ":"),
        types: d.fields.map((f) => f.type),
      };
    } else if (d.k === "enum") {
      x = d.variants.map((vd) => {
        const open = '{"$tag":' + JSON.stringify(vd.name);
        return { open, unit: open + "}", prefixes: vd.fields.map((f) => "," + JSON.stringify(f.name) + ":"), types: vd.fields.map((f) => f.type) };
      });
    } else if (d.k === "result") {
      x = [
        { open: '{"$tag":"Ok"', unit: "", prefixes: [',"value":'], types: [d.ok] },
        { open: '{"$tag":"Err"', unit: "", prefixes: [',"error":'], types: [tt.effectErrorType] },
      ];
    } else {
      x = null;
    }
    arr[t] = x;
  }
  return x;
}

class JsonTextWriter {
  /** Text written and not yet taken; collected as pieces (joining once is cheaper than
   * growing one string by `+=`, which leaves a rope node per piece for the GC). */
  private parts: string[] = [];
  /** Total length of `parts`. */
  pending = 0;
  readonly stack: Frame[] = [];
  constructor(private readonly tt: TypeTable) {}

  private push(f: Frame): void {
    if (this.stack.length >= VALUE_DEPTH_MAX) tooDeep();
    this.stack.push(f);
  }

  emit(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
  }

  /** Everything written so far, removed from the writer. */
  take(): string {
    const s = this.parts.length === 1 ? this.parts[0]! : this.parts.join("");
    this.parts = [];
    this.pending = 0;
    return s;
  }

  /** Writes a scalar, or the opening of a composite (pushing a frame for its contents). */
  value(t: TypeIdx, v: Value): void {
    const tt = this.tt;
    let d: TypeDesc = tt.desc(t);
    if (d.k === "opt") {
      if (v === null) {
        this.emit("null");
        return;
      }
      t = d.inner;
      d = tt.desc(t);
    }
    switch (d.k) {
      case "int":
        assert(typeof v === "number" && Number.isSafeInteger(v), "toJsonText: expected int");
        this.emit(String(v + 0));
        return;
      case "float":
        assert(typeof v === "number" && Number.isFinite(v), "toJsonText: expected float");
        this.emit(JSON.stringify(v + 0));
        return;
      case "bool":
        assert(typeof v === "boolean", "toJsonText: expected bool");
        this.emit(v ? "true" : "false");
        return;
      case "string":
        assert(typeof v === "string", "toJsonText: expected string");
        this.emit(JSON.stringify(v));
        return;
      case "none":
        assert(v === null, "toJsonText: expected none");
        this.emit("null");
        return;
      case "json":
        assert(v instanceof Json, "toJsonText: expected json");
        this.emit(v.text());
        return;
      case "list":
        assert(v instanceof PList, "toJsonText: expected list");
        this.emit("[");
        this.push(new Frame(F_LIST, d.elem, v.size, v, null, null, null, null, "]"));
        return;
      case "set":
        assert(v instanceof PSet, "toJsonText: expected set");
        this.emit("[");
        this.push(new Frame(F_SET, -1, v.size, null, new Cursor(v.rootNode), null, null, null, "]"));
        return;
      case "map": {
        assert(v instanceof PMap, "toJsonText: expected map");
        const str = tt.desc(d.key).k === "string";
        this.emit(str ? "{" : "[");
        this.push(new Frame(str ? F_SMAP : F_IMAP, d.val, v.size, null, new Cursor(v.rootNode), null, null, null, str ? "}" : "]"));
        return;
      }
      case "record": {
        assert(v instanceof Rec && v.shape.name === d.name, () => `toJsonText: expected record ${d.name}`);
        const x = typeText(tt, t) as { prefixes: string[]; types: TypeIdx[] };
        this.emit("{");
        this.push(new Frame(F_FIELDS, -1, x.types.length, null, null, x.prefixes, x.types, v.f, "}"));
        return;
      }
      case "enum":
      case "result": {
        assert(v instanceof Variant, "toJsonText: expected a variant");
        assert(d.k === "enum" ? v.shape.name === d.name : v.shape === RESULT_SHAPE, "toJsonText: variant of the wrong enum");
        const x = (typeText(tt, t) as VariantText[])[v.tag]!;
        if (x.types.length === 0) {
          this.emit(x.unit);
          return;
        }
        this.emit(x.open);
        this.push(new Frame(F_FIELDS, -1, x.types.length, null, null, x.prefixes, x.types, v.f, "}"));
        return;
      }
      default:
        assert(false, () => `toJsonText: unexpected type kind ${(d as TypeDesc).k}`);
    }
  }

  /** Writes the next piece of the innermost open composite; false when everything is written. */
  step(): boolean {
    const f = this.stack[this.stack.length - 1];
    if (f === undefined) return false;
    switch (f.kind) {
      case F_LIST: {
        if (f.i >= f.n) break;
        if (f.i > 0) this.emit(",");
        this.value(f.t, f.list!.get(f.i++));
        return true;
      }
      case F_FIELDS: {
        if (f.i >= f.n) break;
        this.emit(f.prefixes![f.i]);
        const i = f.i++;
        this.value(f.types![i]!, f.vals![i]!);
        return true;
      }
      default: {
        // The previous pair's value (possibly composite) is complete once we are back here.
        if (f.pairOpen) {
          this.emit("]");
          f.pairOpen = false;
        }
        const node: TNode | null = f.cur!.next();
        if (node === null) break;
        if (f.i++ > 0) this.emit(",");
        if (f.kind === F_SET) {
          this.emit(JSON.stringify(node.k));
        } else if (f.kind === F_SMAP) {
          this.emit(JSON.stringify(node.k) + ":");
          this.value(f.t, node.v as Value);
        } else {
          this.emit("[" + String(node.k) + ",");
          f.pairOpen = true;
          this.value(f.t, node.v as Value);
        }
        return true;
      }
    }
    assert(f.i === f.n, "wrote every element");
    this.emit(f.close);
    this.stack.pop();
    return true;
  }
}

/** Yields `s` in pieces of about `size` UTF-16 units, never splitting a surrogate pair (so each
 * piece can be UTF-8 encoded on its own); the remainder (< size) stays unless `all`. */
function* pieces(w: JsonTextWriter, size: number, all: boolean): Generator<string> {
  const s = w.take();
  let p = 0;
  while (s.length - p >= size || (all && p < s.length)) {
    let e = Math.min(p + size, s.length);
    const c = s.charCodeAt(e - 1);
    if (c >= 0xd800 && c <= 0xdbff && e < s.length) e++;
    yield s.slice(p, e);
    p = e;
  }
  if (p < s.length) w.emit(p === 0 ? s : s.slice(p));
}

/**
 * The JSON text of `v` (type `t`) in pieces of about `chunkChars` UTF-16 units, so a large
 * state can be written without one giant string; the caller may yield to the event loop
 * between pieces. Walks the immutable value, so newer versions made meanwhile do not affect
 * it. Pieces never split a surrogate pair. Throws ValueCodecError past VALUE_DEPTH_MAX.
 */
export function* toJsonChunks(tt: TypeTable, t: TypeIdx, v: Value, chunkChars = 64 * 1024): Generator<string> {
  assert(Number.isInteger(chunkChars) && chunkChars >= 1, "chunkChars must be a positive integer");
  const w = new JsonTextWriter(tt);
  w.value(t, v);
  while (w.step()) {
    if (w.pending >= chunkChars) yield* pieces(w, chunkChars, false);
  }
  yield* pieces(w, chunkChars, true);
}

/** The JSON text of `v` (type `t`): the same text `toJsonChunks` yields, in one string. */
export function toJsonText(tt: TypeTable, t: TypeIdx, v: Value): string {
  const w = new JsonTextWriter(tt);
  w.value(t, v);
  while (w.step()) {
    // everything accumulates in the writer
  }
  return w.take();
}

// ---------------------------------------------------------------------------------------------
// Plain JSON → value, strictly validated

export interface FromJsonOptions {
  /** Drop unknown record/variant fields instead of rejecting them (adapter results,
   * rules.md [26]). Default false: unknown fields are errors (HTTP arguments, rules.md [37]). */
  readonly dropUnknownFields?: boolean;
}

class Ctx {
  readonly segs: string[] = [];
  constructor(
    readonly tt: TypeTable,
    readonly base: string,
    readonly drop: boolean,
  ) {}

  pointer(extra?: string): string {
    let p = this.base;
    for (const s of this.segs) p += "/" + pointerSegment(s);
    if (extra !== undefined) p += "/" + pointerSegment(extra);
    return p;
  }

  fail(message: string, extra?: string): never {
    throw new JsonShapeError(this.pointer(extra), message);
  }
}

function describe(j: unknown): string {
  if (j === null) return "null";
  if (Array.isArray(j)) return "an array";
  switch (typeof j) {
    case "object":
      return "an object";
    case "number":
      return Number.isInteger(j) ? `the integer ${j}` : `the number ${j}`;
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    default:
      return typeof j;
  }
}

function isObject(j: unknown): j is Record<string, unknown> {
  return typeof j === "object" && j !== null && !Array.isArray(j);
}

/**
 * Reads the JSON form of a value of type `t`, strictly: wrong kinds, unknown or missing
 * fields, non-integral or out-of-range ints, non-finite floats, duplicate set elements or
 * map<int> keys, unknown `$tag`s, lone surrogates, and nesting past VALUE_DEPTH_MAX all throw
 * `JsonShapeError` whose `pointer` is `path` followed by the JSON Pointer of the bad place.
 */
export function fromJson(tt: TypeTable, t: TypeIdx, j: unknown, path = "", opts: FromJsonOptions = {}): Value {
  return fromAt(new Ctx(tt, path, opts.dropUnknownFields === true), t, j, 0);
}

function readKey(c: Ctx, kt: TypeIdx, j: unknown): Key {
  const v = fromAt(c, kt, j, 0);
  assert(typeof v === "number" || typeof v === "string", "key type");
  return v;
}

function fromAt(c: Ctx, t: TypeIdx, j: unknown, depth: number): Value {
  const d = c.tt.desc(t);
  switch (d.k) {
    case "int":
      if (typeof j !== "number" || !Number.isInteger(j)) c.fail(`expected an int, got ${describe(j)}`);
      if (Math.abs(j) > INT_MAX) c.fail(`int ${j} is outside ±(2^53−1)`);
      return j + 0;
    case "float":
      if (typeof j !== "number" || !Number.isFinite(j)) c.fail(`expected a finite number, got ${describe(j)}`);
      return j + 0;
    case "bool":
      if (typeof j !== "boolean") c.fail(`expected a boolean, got ${describe(j)}`);
      return j;
    case "string":
      if (typeof j !== "string") c.fail(`expected a string, got ${describe(j)}`);
      if (j.length > STRING_LEN_MAX) c.fail(`string longer than ${STRING_LEN_MAX}`);
      if (!isWellFormed(j)) c.fail("string holds a lone surrogate");
      return j;
    case "none":
      if (j !== null) c.fail(`expected null, got ${describe(j)}`);
      return null;
    case "json":
      if (j === undefined) c.fail("expected a JSON value");
      return Json.from(j, c.pointer());
    case "opt":
      return j === null ? null : fromAt(c, d.inner, j, depth);
    default:
      break;
  }
  if (depth >= VALUE_DEPTH_MAX) c.fail(`value nested deeper than ${VALUE_DEPTH_MAX}`);
  const dn = depth + 1;
  switch (d.k) {
    case "list": {
      if (!Array.isArray(j)) c.fail(`expected an array, got ${describe(j)}`);
      if (j.length > COLLECTION_LEN_MAX) c.fail(`list longer than ${COLLECTION_LEN_MAX}`);
      const out = new Array<Value>(j.length);
      for (let i = 0; i < j.length; i++) {
        c.segs.push(String(i));
        out[i] = fromAt(c, d.elem, j[i], dn);
        c.segs.pop();
      }
      return PList.from(out);
    }
    case "set": {
      if (!Array.isArray(j)) c.fail(`expected an array, got ${describe(j)}`);
      if (j.length > COLLECTION_LEN_MAX) c.fail(`set larger than ${COLLECTION_LEN_MAX}`);
      const keys: Key[] = new Array<Key>(j.length);
      const seen = new Set<Key>(); // membership only, never iterated
      for (let i = 0; i < j.length; i++) {
        c.segs.push(String(i));
        const k = readKey(c, d.elem, j[i]);
        if (seen.has(k)) c.fail(`duplicate set element ${JSON.stringify(k)}`);
        seen.add(k);
        keys[i] = k;
        c.segs.pop();
      }
      keys.sort(compareKeys);
      return PSet.fromSorted(keys);
    }
    case "map": {
      if (c.tt.desc(d.key).k === "string") {
        if (!isObject(j)) c.fail(`expected an object, got ${describe(j)}`);
        const keys = sortedKeys(j);
        if (keys.length > COLLECTION_LEN_MAX) c.fail(`map larger than ${COLLECTION_LEN_MAX}`);
        const vals = new Array<Value>(keys.length);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          c.segs.push(k);
          if (k.length > STRING_LEN_MAX) c.fail(`key longer than ${STRING_LEN_MAX}`);
          if (!isWellFormed(k)) c.fail("key holds a lone surrogate");
          vals[i] = fromAt(c, d.val, j[k], dn);
          c.segs.pop();
        }
        return PMap.fromSorted(keys, vals);
      }
      if (!Array.isArray(j)) c.fail(`expected an array of [key, value] pairs, got ${describe(j)}`);
      if (j.length > COLLECTION_LEN_MAX) c.fail(`map larger than ${COLLECTION_LEN_MAX}`);
      const pairs: [Key, Value][] = new Array(j.length);
      const seen = new Set<Key>();
      for (let i = 0; i < j.length; i++) {
        const p = j[i];
        c.segs.push(String(i));
        if (!Array.isArray(p) || p.length !== 2) c.fail(`expected a [key, value] pair, got ${describe(p)}`);
        c.segs.push("0");
        const k = readKey(c, d.key, p[0]);
        if (seen.has(k)) c.fail(`duplicate map key ${JSON.stringify(k)}`);
        seen.add(k);
        c.segs.pop();
        c.segs.push("1");
        pairs[i] = [k, fromAt(c, d.val, p[1], dn)];
        c.segs.pop();
        c.segs.pop();
      }
      pairs.sort((a, b) => compareKeys(a[0], b[0]));
      return PMap.fromSorted(
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
      );
    }
    case "record": {
      if (!isObject(j)) c.fail(`expected an object (record ${d.name}), got ${describe(j)}`);
      if (!c.drop) {
        for (const k of Object.keys(j)) if (c.tt.fieldIndex(t, k) < 0) c.fail(`unknown field "${k}" in record ${d.name}`, k);
      }
      const f = new Array<Value>(d.fields.length);
      for (let i = 0; i < d.fields.length; i++) {
        const fd = d.fields[i]!;
        if (!Object.hasOwn(j, fd.name)) c.fail(`missing field "${fd.name}" of record ${d.name}`, fd.name);
        c.segs.push(fd.name);
        f[i] = fromAt(c, fd.type, j[fd.name], dn);
        c.segs.pop();
      }
      return new Rec(c.tt.recordShape(t), f);
    }
    case "enum":
    case "result": {
      const what = d.k === "enum" ? `enum ${d.name}` : "result";
      if (!isObject(j)) c.fail(`expected an object with "$tag" (${what}), got ${describe(j)}`);
      const tagName = j["$tag"];
      if (typeof tagName !== "string") c.fail(`expected "$tag" naming a variant of ${what}`, "$tag");
      const shape = c.tt.shapeOf(t);
      assert(shape.kind === "enum", "enum shape");
      const tag = shape.variants.findIndex((v) => v.name === tagName);
      if (tag < 0) c.fail(`"${tagName}" is not a variant of ${what}`, "$tag");
      const names = shape.variants[tag]!.fields;
      const types: readonly TypeIdx[] =
        d.k === "enum" ? d.variants[tag]!.fields.map((x) => x.type) : [tag === RESULT_OK ? d.ok : c.tt.effectErrorType];
      if (!c.drop) {
        for (const k of Object.keys(j)) {
          if (k !== "$tag" && !names.includes(k)) c.fail(`unknown field "${k}" in variant ${tagName}`, k);
        }
      }
      const f = new Array<Value>(names.length);
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        if (!Object.hasOwn(j, name)) c.fail(`missing field "${name}" of variant ${tagName}`, name);
        c.segs.push(name);
        f[i] = fromAt(c, types[i]!, j[name], dn);
        c.segs.pop();
      }
      assert(d.k === "enum" || tag === RESULT_OK || tag === RESULT_ERR, "result tag");
      return makeVariant(shape, tag, f);
    }
    default:
      assert(false, () => `fromJson: unexpected type kind ${(d as TypeDesc).k}`);
  }
}

export type CastResult = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly error: JsonShapeError };

/** `json as T` with the reason on failure. Prefer this for optional targets: a cast to `T?`
 * may legitimately produce `none` (null). */
export function tryCastJson(tt: TypeTable, t: TypeIdx, json: Json): CastResult {
  if (tt.desc(t).k === "json") return { ok: true, value: json };
  try {
    return { ok: true, value: fromJson(tt, t, json.v) };
  } catch (e) {
    if (e instanceof JsonShapeError) return { ok: false, error: e };
    throw e;
  }
}

/** `json as T`: the value, or null when the shape does not match (the VM traps `LX-CAST`).
 * For a `T?` target null is ambiguous (none vs mismatch): use `tryCastJson` there. */
export function castJson(tt: TypeTable, t: TypeIdx, json: Json): Value | null {
  const r = tryCastJson(tt, t, json);
  return r.ok ? r.value : null;
}
