/**
 * fast-check generators shared by the value tests: random type tables (as trees flattened
 * into a `TypeDesc[]`) and random values of a given type.
 */
import fc from "fast-check";
import type { TypeDesc } from "../../../src/bytecode/module.ts";
import {
  Json,
  PList,
  PMap,
  PSet,
  Rec,
  TypeTable,
  effectError,
  err,
  makeVariant,
  ok,
  type Key,
  type Value,
} from "../../../src/vm/values/index.ts";

export type TypeTree =
  | { k: "int" | "float" | "bool" | "string" | "json" | "none" }
  | { k: "list"; elem: TypeTree }
  | { k: "set"; key: "int" | "string" }
  | { k: "map"; key: "int" | "string"; val: TypeTree }
  | { k: "opt"; inner: TypeTree }
  | { k: "result"; ok: TypeTree }
  | { k: "record"; fields: TypeTree[] }
  | { k: "enum"; variants: TypeTree[][] };

const FIELD_NAMES = ["qty", "sku", "__proto__", "a", "status", "x1", "constructor", "items", "value"];

const scalarT = fc.constantFrom<TypeTree>({ k: "int" }, { k: "float" }, { k: "bool" }, { k: "string" }, { k: "json" });
const keyK = fc.constantFrom<"int" | "string">("int", "string");

export const typeTree: fc.Arbitrary<TypeTree> = fc.letrec<{ any: TypeTree; nonOpt: TypeTree }>((tie) => {
  const nonOpt = fc.oneof(
    { maxDepth: 3, depthIdentifier: "type" },
    scalarT,
    tie("any").map((elem): TypeTree => ({ k: "list", elem })),
    keyK.map((key): TypeTree => ({ k: "set", key })),
    fc.tuple(keyK, tie("any")).map(([key, val]): TypeTree => ({ k: "map", key, val })),
    tie("any").map((o): TypeTree => ({ k: "result", ok: o })),
    fc.array(tie("any"), { maxLength: 4 }).map((fields): TypeTree => ({ k: "record", fields })),
    fc.array(fc.array(tie("any"), { maxLength: 3 }), { minLength: 1, maxLength: 4 }).map((variants): TypeTree => ({ k: "enum", variants })),
  );
  return {
    nonOpt,
    any: fc.oneof({ maxDepth: 3, depthIdentifier: "type" }, nonOpt, nonOpt.map((inner): TypeTree => ({ k: "opt", inner }))),
  };
}).any;

/** Flattens a type tree into a module-style type table; returns the root's index. */
export function flatten(tree: TypeTree): { types: TypeDesc[]; root: number } {
  const types: TypeDesc[] = [];
  let records = 0;
  let enums = 0;
  const go = (n: TypeTree): number => {
    switch (n.k) {
      case "list": {
        const elem = go(n.elem);
        return types.push({ k: "list", elem }) - 1;
      }
      case "set": {
        const elem = types.push({ k: n.key }) - 1;
        return types.push({ k: "set", elem }) - 1;
      }
      case "map": {
        const key = types.push({ k: n.key }) - 1;
        const val = go(n.val);
        return types.push({ k: "map", key, val }) - 1;
      }
      case "opt": {
        const inner = go(n.inner);
        return types.push({ k: "opt", inner }) - 1;
      }
      case "result": {
        const o = go(n.ok);
        return types.push({ k: "result", ok: o }) - 1;
      }
      case "record": {
        const fields = n.fields.map((f, i) => ({ name: FIELD_NAMES[i % FIELD_NAMES.length]! + (i >= FIELD_NAMES.length ? i : ""), type: go(f) }));
        return types.push({ k: "record", name: `R${records++}`, fields }) - 1;
      }
      case "enum": {
        const variants = n.variants.map((vs, vi) => ({
          name: `V${vi}`,
          fields: vs.map((f, i) => ({ name: FIELD_NAMES[(i + vi) % FIELD_NAMES.length]!, type: go(f) })),
        }));
        return types.push({ k: "enum", name: `E${enums++}`, variants }) - 1;
      }
      default:
        return types.push({ k: n.k }) - 1;
    }
  };
  const root = go(tree);
  return { types, root };
}

export const intArb = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger()).map((x) => x + 0);
export const floatArb = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
export const stringArb = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom("a/b", "x~y", "~1", "__proto__", "10", "9", "\uffff", "\u{10000}", ""),
);
export const keyArbOf = (k: "int" | "string"): fc.Arbitrary<Key> => (k === "int" ? intArb : stringArb);
export const jsonArb = fc.jsonValue({ maxDepth: 3 }).map((j) => Json.from(j));

function sizes<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.oneof({ weight: 4, arbitrary: fc.array(a, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.array(a, { maxLength: 70 }) });
}

/** Random values of type `t` of `tt`. */
export function valueOf(tt: TypeTable, t: number): fc.Arbitrary<Value> {
  const d = tt.desc(t);
  switch (d.k) {
    case "int":
      return intArb;
    case "float":
      return floatArb;
    case "bool":
      return fc.boolean();
    case "string":
      return stringArb;
    case "json":
      return jsonArb;
    case "none":
      return fc.constant(null);
    case "opt": {
      // A json? holding JSON null would read back as none (documented ambiguity).
      const inner = valueOf(tt, d.inner).filter((v) => !(v instanceof Json && v.v === null));
      return fc.option(inner, { nil: null });
    }
    case "list":
      return sizes(valueOf(tt, d.elem)).map((a) => PList.from(a));
    case "set": {
      const kk = tt.desc(d.elem).k as "int" | "string";
      return fc.uniqueArray(keyArbOf(kk), { maxLength: 8 }).map((a) => PSet.from(a));
    }
    case "map": {
      const kk = tt.desc(d.key).k as "int" | "string";
      return fc
        .uniqueArray(fc.tuple(keyArbOf(kk), valueOf(tt, d.val)), { maxLength: 8, selector: (e) => e[0] })
        .map((es) => PMap.from(es));
    }
    case "record": {
      const shape = tt.recordShape(t);
      return fc.tuple(...d.fields.map((f) => valueOf(tt, f.type))).map((f) => new Rec(shape, f));
    }
    case "enum": {
      const shape = tt.enumShape(t);
      return fc.oneof(
        ...d.variants.map((vd, tag) => fc.tuple(...vd.fields.map((f) => valueOf(tt, f.type))).map((f) => makeVariant(shape, tag, f))),
      );
    }
    case "result":
      return fc.oneof(
        valueOf(tt, d.ok).map((v) => ok(v)),
        fc.tuple(stringArb, stringArb, fc.nat(10)).map(([c, m, a]) => err(effectError(c, m, a, tt.effectErrorShape))),
      );
  }
}

/** A random type table with one value of its root type. */
export const typedValue: fc.Arbitrary<{ tt: TypeTable; t: number; v: Value }> = typeTree.chain((tree) => {
  const { types, root } = flatten(tree);
  const tt = new TypeTable(types);
  return valueOf(tt, root).map((v) => ({ tt, t: root, v }));
});
