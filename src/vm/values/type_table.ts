/**
 * TypeTable: the module's type table plus the shapes built from it, once per record/enum
 * type. The VM constructs records and variants with these shapes; the codecs use the table to
 * find a shape by name (self-describing forms) or to walk a value by its type (JSON).
 *
 * The built-in `result<T>` always uses RESULT_SHAPE. Its `Err` carries an `EffectError` record
 * `{ code: string, message: string, attempts: int }`: when the module does not declare that
 * record itself, the table appends internal type entries for it (indices ≥ moduleTypeCount)
 * so every code path can treat it like any other record.
 */
import { assert } from "../../base/assert.ts";
import type { TypeDesc, TypeIdx } from "../../bytecode/module.ts";
import {
  EFFECT_ERROR_SHAPE,
  RESULT_SHAPE,
  makeEnumShape,
  makeRecordShape,
  type EnumShape,
  type RecordShape,
  type Shape,
} from "./record.ts";

const EFFECT_ERROR_FIELDS = ["code", "message", "attempts"] as const;

export class TypeTable {
  /** The module's types followed by internal entries (see header). */
  readonly types: readonly TypeDesc[];
  /** Number of entries that came from the module. */
  readonly moduleTypeCount: number;
  readonly effectErrorShape: RecordShape;
  /** TypeIdx of the EffectError record. */
  readonly effectErrorType: TypeIdx;

  private readonly shapes: (Shape | null)[];
  // Lookup-only maps (never iterated), so insertion order cannot leak into any output.
  private readonly recordsByName = new Map<string, RecordShape>();
  private readonly enumsByName = new Map<string, EnumShape>();
  private readonly fieldIndexes: (ReadonlyMap<string, number> | null)[];

  static readonly empty: TypeTable = new TypeTable([]);

  constructor(moduleTypes: readonly TypeDesc[]) {
    const types = moduleTypes.slice();
    this.moduleTypeCount = types.length;
    let eeType = types.findIndex((t) => t.k === "record" && t.name === "EffectError");
    if (eeType < 0) {
      const s = types.push({ k: "string" }) - 1;
      const i = types.push({ k: "int" }) - 1;
      eeType =
        types.push({
          k: "record",
          name: "EffectError",
          fields: [
            { name: "code", type: s },
            { name: "message", type: s },
            { name: "attempts", type: i },
          ],
        }) - 1;
    }
    this.types = Object.freeze(types);
    this.effectErrorType = eeType;
    for (let t = 0; t < types.length; t++) this.check(t);

    this.shapes = new Array<Shape | null>(types.length).fill(null);
    this.fieldIndexes = new Array<ReadonlyMap<string, number> | null>(types.length).fill(null);
    for (let t = 0; t < types.length; t++) {
      const d = types[t]!;
      if (d.k === "record") {
        let shape = this.recordsByName.get(d.name);
        if (shape === undefined) {
          shape =
            t === eeType && t >= this.moduleTypeCount
              ? EFFECT_ERROR_SHAPE
              : makeRecordShape(
                  d.name,
                  d.fields.map((f) => f.name),
                  d.fields.map((f) => f.type),
                );
          this.recordsByName.set(d.name, shape);
        } else {
          // One record name, one structure: a second entry must describe the same type.
          assert(
            shape.fields.length === d.fields.length && d.fields.every((f, i) => f.name === shape!.fields[i] && f.type === shape!.fieldTypes[i]),
            () => `record ${d.name} declared twice with different fields`,
          );
        }
        this.shapes[t] = shape;
        const idx = new Map<string, number>();
        d.fields.forEach((f, i) => idx.set(f.name, i));
        this.fieldIndexes[t] = idx;
      } else if (d.k === "enum") {
        let shape = this.enumsByName.get(d.name);
        if (shape === undefined) {
          shape = makeEnumShape(
            d.name,
            d.variants.map((v) => ({ name: v.name, fields: v.fields.map((f) => f.name), fieldTypes: v.fields.map((f) => f.type) })),
          );
          this.enumsByName.set(d.name, shape);
        }
        assert(shape.variants.length === d.variants.length, () => `enum ${d.name} declared twice with different variants`);
        this.shapes[t] = shape;
      } else if (d.k === "result") {
        this.shapes[t] = RESULT_SHAPE;
      }
    }
    this.effectErrorShape = this.shapes[eeType] as RecordShape;
    const ee = this.types[eeType] as Extract<TypeDesc, { k: "record" }>;
    assert(
      ee.fields.length === 3 &&
        ee.fields.every((f, i) => f.name === EFFECT_ERROR_FIELDS[i]) &&
        this.types[ee.fields[0]!.type]!.k === "string" &&
        this.types[ee.fields[1]!.type]!.k === "string" &&
        this.types[ee.fields[2]!.type]!.k === "int",
      "EffectError must be { code: string, message: string, attempts: int }",
    );
  }

  /** Structural checks the codecs rely on (the module verifier should already ensure them). */
  private check(t: TypeIdx): void {
    const d = this.types[t]!;
    const inRange = (i: TypeIdx) => Number.isInteger(i) && i >= 0 && i < this.types.length;
    const isKey = (i: TypeIdx) => inRange(i) && (this.types[i]!.k === "int" || this.types[i]!.k === "string");
    switch (d.k) {
      case "list":
        assert(inRange(d.elem), () => `type ${t}: list element type out of range`);
        return;
      case "set":
        assert(isKey(d.elem), () => `type ${t}: set elements must be int or string`);
        return;
      case "map":
        assert(isKey(d.key), () => `type ${t}: map keys must be int or string`);
        assert(inRange(d.val), () => `type ${t}: map value type out of range`);
        return;
      case "opt": {
        assert(inRange(d.inner), () => `type ${t}: optional inner type out of range`);
        const k = this.types[d.inner]!.k;
        // T?? is not allowed (rules.md [11]); none? would make `null` ambiguous in JSON.
        assert(k !== "opt" && k !== "none", () => `type ${t}: optional of ${k}`);
        return;
      }
      case "result":
        assert(inRange(d.ok), () => `type ${t}: result ok type out of range`);
        return;
      case "record": {
        const names = new Set<string>();
        for (const f of d.fields) {
          assert(inRange(f.type), () => `type ${t}: field ${f.name} type out of range`);
          assert(!names.has(f.name) && f.name !== "$tag", () => `type ${t}: bad or duplicate field ${f.name}`);
          names.add(f.name);
        }
        return;
      }
      case "enum": {
        const names = new Set<string>();
        assert(d.variants.length > 0, () => `enum ${d.name} has no variants`);
        assert(d.name !== RESULT_SHAPE.name, "the enum name `result` is reserved for result<T>");
        for (const v of d.variants) {
          assert(!names.has(v.name), () => `enum ${d.name}: duplicate variant ${v.name}`);
          names.add(v.name);
          const fnames = new Set<string>();
          for (const f of v.fields) {
            assert(inRange(f.type), () => `enum ${d.name}.${v.name}: field ${f.name} type out of range`);
            assert(!fnames.has(f.name) && f.name !== "$tag", () => `enum ${d.name}.${v.name}: bad or duplicate field ${f.name}`);
            fnames.add(f.name);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  get size(): number {
    return this.types.length;
  }

  desc(t: TypeIdx): TypeDesc {
    const d = this.types[t];
    assert(d !== undefined, () => `type index ${t} out of range`);
    return d;
  }

  /** The shape of a record, enum or result type. */
  shapeOf(t: TypeIdx): Shape {
    const s = this.shapes[t];
    assert(s !== undefined && s !== null, () => `type ${t} has no shape`);
    return s;
  }

  recordShape(t: TypeIdx): RecordShape {
    const s = this.shapeOf(t);
    assert(s.kind === "record", () => `type ${t} is not a record`);
    return s;
  }

  enumShape(t: TypeIdx): EnumShape {
    const s = this.shapeOf(t);
    assert(s.kind === "enum", () => `type ${t} is not an enum`);
    return s;
  }

  recordShapeByName(name: string): RecordShape | undefined {
    return this.recordsByName.get(name);
  }

  /** `result` names RESULT_SHAPE. */
  enumShapeByName(name: string): EnumShape | undefined {
    if (name === RESULT_SHAPE.name) return RESULT_SHAPE;
    return this.enumsByName.get(name);
  }

  /** Index of a record field by name, or -1. */
  fieldIndex(t: TypeIdx, name: string): number {
    const m = this.fieldIndexes[t];
    assert(m !== undefined && m !== null, () => `type ${t} is not a record`);
    return m.get(name) ?? -1;
  }
}
