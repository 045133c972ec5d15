/**
 * Records and enum variants. A shape is created once per record/enum type (see TypeTable) and
 * shared by every value of that type; values hold their fields positionally, in declaration
 * order. Fields are immutable once a value is built: updates copy (`withField`).
 *
 * Hashes (layout in core.ts):
 *   record  H(0x10 ‖ str(name) ‖ uvarint(n) ‖ enc(f0) … enc(fn−1))
 *   variant H(0x11 ‖ str(enum name) ‖ str(variant name) ‖ uvarint(n) ‖ enc(f0) …)
 */
import { assert } from "../../base/assert.ts";
import {
  Composite,
  childDepth,
  pushIfUnhashed,
  sBegin,
  sDigest,
  sEnc,
  sStr,
  sUvar,
  weightOf,
  type Hashable,
  type Value,
} from "./core.ts";

export interface RecordShape {
  readonly kind: "record";
  readonly name: string;
  readonly fields: readonly string[];
  /** TypeIdx of each field; -1 where unknown (built-in shapes). */
  readonly fieldTypes: readonly number[];
}

export interface VariantShape {
  readonly name: string;
  readonly fields: readonly string[];
  readonly fieldTypes: readonly number[];
}

export interface EnumShape {
  readonly kind: "enum";
  readonly name: string;
  readonly variants: readonly VariantShape[];
}

export type Shape = RecordShape | EnumShape;

function sumWeights(f: readonly Value[]): number {
  let w = 1;
  for (let i = 0; i < f.length; i++) w += weightOf(f[i]!);
  return w;
}

export class Rec extends Composite {
  /** Fields in declaration order. Never mutate after construction. */
  readonly f: Value[];
  constructor(
    readonly shape: RecordShape,
    f: Value[],
  ) {
    super(sumWeights(f));
    assert(f.length === shape.fields.length, () => `record ${shape.name}: ${f.length} fields, shape has ${shape.fields.length}`);
    this.f = f;
  }

  get(i: number): Value {
    assert(i >= 0 && i < this.f.length, "record field index out of range");
    return this.f[i]!;
  }

  /** A copy with field `i` replaced (this record when the value is the same object). */
  withField(i: number, v: Value): Rec {
    assert(i >= 0 && i < this.f.length, "record field index out of range");
    if (this.f[i] === v) return this;
    const f = this.f.slice();
    f[i] = v;
    return new Rec(this.shape, f);
  }

  pushUnhashed(stack: Hashable[]): void {
    const f = this.f;
    for (let i = 0; i < f.length; i++) pushIfUnhashed(f[i]!, stack);
  }

  computeHash(): void {
    const f = this.f;
    sBegin(0x10);
    sStr(this.shape.name);
    sUvar(f.length);
    let d = 0;
    for (let i = 0; i < f.length; i++) {
      sEnc(f[i]!);
      const cd = childDepth(f[i]!);
      if (cd > d) d = cd;
    }
    this.d = d + 1;
    this.h = sDigest();
  }
}

const NO_FIELDS: Value[] = Object.freeze([]) as unknown as Value[];

export class Variant extends Composite {
  /** Fields of the variant in declaration order. Never mutate after construction. */
  readonly f: Value[];
  constructor(
    readonly shape: EnumShape,
    readonly tag: number,
    f: Value[] = NO_FIELDS,
  ) {
    super(sumWeights(f));
    assert(tag >= 0 && tag < shape.variants.length, () => `enum ${shape.name}: tag ${tag} out of range`);
    assert(f.length === shape.variants[tag]!.fields.length, () => `variant ${shape.name}.${shape.variants[tag]!.name}: wrong field count ${f.length}`);
    this.f = f;
  }

  get variantName(): string {
    return this.shape.variants[this.tag]!.name;
  }

  pushUnhashed(stack: Hashable[]): void {
    const f = this.f;
    for (let i = 0; i < f.length; i++) pushIfUnhashed(f[i]!, stack);
  }

  computeHash(): void {
    const f = this.f;
    sBegin(0x11);
    sStr(this.shape.name);
    sStr(this.shape.variants[this.tag]!.name);
    sUvar(f.length);
    let d = 0;
    for (let i = 0; i < f.length; i++) {
      sEnc(f[i]!);
      const cd = childDepth(f[i]!);
      if (cd > d) d = cd;
    }
    this.d = d + 1;
    this.h = sDigest();
  }
}

function freezeShape<T extends Shape>(s: T): T {
  if (s.kind === "record") {
    Object.freeze(s.fields);
    Object.freeze(s.fieldTypes);
  } else {
    for (const v of s.variants) {
      Object.freeze(v.fields);
      Object.freeze(v.fieldTypes);
      Object.freeze(v);
    }
    Object.freeze(s.variants);
  }
  return Object.freeze(s);
}

export function makeRecordShape(name: string, fields: readonly string[], fieldTypes: readonly number[]): RecordShape {
  assert(fields.length === fieldTypes.length, "record shape: fields/types length mismatch");
  return freezeShape({ kind: "record", name, fields: fields.slice(), fieldTypes: fieldTypes.slice() });
}

export function makeEnumShape(name: string, variants: readonly VariantShape[]): EnumShape {
  for (const v of variants) assert(v.fields.length === v.fieldTypes.length, "variant shape: fields/types length mismatch");
  return freezeShape({
    kind: "enum",
    name,
    variants: variants.map((v) => ({ name: v.name, fields: v.fields.slice(), fieldTypes: v.fieldTypes.slice() })),
  });
}

/** The built-in `result<T>`: `Ok(value)` (tag 0) and `Err(error)` (tag 1). Field types are
 * per use (`TypeDesc.ok`, and the `EffectError` record), so the shape says -1. */
export const RESULT_SHAPE: EnumShape = makeEnumShape("result", [
  { name: "Ok", fields: ["value"], fieldTypes: [-1] },
  { name: "Err", fields: ["error"], fieldTypes: [-1] },
]);
export const RESULT_OK = 0;
export const RESULT_ERR = 1;

/** The record an `Err` carries (language.md §2). A module that declares `EffectError` itself
 * gets its own shape from the TypeTable; this one serves when it does not. */
export const EFFECT_ERROR_SHAPE: RecordShape = makeRecordShape("EffectError", ["code", "message", "attempts"], [-1, -1, -1]);

// Unit variants carry no data, so one instance per (shape, tag) serves everyone. WeakMap:
// lookup only, never iterated.
const unitCache = new WeakMap<EnumShape, (Variant | undefined)[]>();

/** The shared instance of a variant without fields. */
export function unitVariant(shape: EnumShape, tag: number): Variant {
  let arr = unitCache.get(shape);
  if (arr === undefined) {
    arr = new Array<Variant | undefined>(shape.variants.length);
    unitCache.set(shape, arr);
  }
  let v = arr[tag];
  if (v === undefined) {
    v = new Variant(shape, tag, NO_FIELDS);
    arr[tag] = v;
  }
  return v;
}

/** A variant; unit variants come from the shared cache. */
export function makeVariant(shape: EnumShape, tag: number, f: Value[]): Variant {
  return f.length === 0 ? unitVariant(shape, tag) : new Variant(shape, tag, f);
}

export function ok(v: Value): Variant {
  return new Variant(RESULT_SHAPE, RESULT_OK, [v]);
}

export function err(error: Rec): Variant {
  assert(error.shape.name === "EffectError", "Err must carry an EffectError record");
  return new Variant(RESULT_SHAPE, RESULT_ERR, [error]);
}

export function effectError(code: string, message: string, attempts: number, shape: RecordShape = EFFECT_ERROR_SHAPE): Rec {
  assert(Number.isSafeInteger(attempts), "attempts must be an int");
  return new Rec(shape, [code, message, attempts]);
}
