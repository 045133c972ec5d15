/**
 * The checker's types (language.md §2, rules.md [11], [19]). Primitive types are singletons;
 * records and enums point at their declaration info, so equality is by identity there and
 * structural elsewhere.
 */
import type * as A from "./ast.ts";

export type RecordInfo = {
  readonly name: string;
  readonly decl: A.TypeDecl | null;
  readonly fields: { name: string; type: Type; span: A.Ident["span"] }[];
  readonly prelude: boolean;
};

export type VariantInfo = { readonly name: string; readonly fields: { name: string; type: Type }[]; readonly span: A.Ident["span"] };

export type EnumInfo = {
  readonly name: string;
  readonly decl: A.EnumDecl | null;
  readonly variants: VariantInfo[];
};

export type Type =
  | { readonly k: "int" }
  | { readonly k: "float" }
  | { readonly k: "bool" }
  | { readonly k: "string" }
  | { readonly k: "json" }
  /** The reply type of a transition that never returns a value, and `none` before context. */
  | { readonly k: "none" }
  | { readonly k: "list"; readonly elem: Type }
  | { readonly k: "set"; readonly elem: Type }
  | { readonly k: "map"; readonly key: Type; readonly val: Type }
  | { readonly k: "opt"; readonly inner: Type }
  | { readonly k: "result"; readonly ok: Type }
  | { readonly k: "record"; readonly info: RecordInfo }
  | { readonly k: "enum"; readonly info: EnumInfo }
  /** Poison: an error was already reported; suppresses cascades. */
  | { readonly k: "error" };

export const T = {
  int: { k: "int" } as Type,
  float: { k: "float" } as Type,
  bool: { k: "bool" } as Type,
  string: { k: "string" } as Type,
  json: { k: "json" } as Type,
  none: { k: "none" } as Type,
  error: { k: "error" } as Type,
  list: (elem: Type): Type => ({ k: "list", elem }),
  set: (elem: Type): Type => ({ k: "set", elem }),
  map: (key: Type, val: Type): Type => ({ k: "map", key, val }),
  opt: (inner: Type): Type => (inner.k === "opt" || inner.k === "error" ? inner : { k: "opt", inner }),
  result: (ok: Type): Type => ({ k: "result", ok }),
};

export function typeEq(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "list":
    case "set":
      return typeEq(a.elem, (b as typeof a).elem);
    case "map":
      return typeEq(a.key, (b as typeof a).key) && typeEq(a.val, (b as typeof a).val);
    case "opt":
      return typeEq(a.inner, (b as typeof a).inner);
    case "result":
      return typeEq(a.ok, (b as typeof a).ok);
    case "record":
    case "enum":
      return a.info === (b as typeof a).info;
    default:
      return true;
  }
}

/** Whether a value of type `src` may be used where `dst` is expected (T → T? implicitly). */
export function assignable(src: Type, dst: Type): boolean {
  if (src.k === "error" || dst.k === "error") return true;
  if (typeEq(src, dst)) return true;
  if (dst.k === "opt") return src.k === "none" || typeEq(src, dst.inner);
  return false;
}

export function containsError(t: Type): boolean {
  switch (t.k) {
    case "error":
      return true;
    case "list":
    case "set":
      return containsError(t.elem);
    case "map":
      return containsError(t.key) || containsError(t.val);
    case "opt":
      return containsError(t.inner);
    case "result":
      return containsError(t.ok);
    default:
      return false;
  }
}

export function typeStr(t: Type): string {
  switch (t.k) {
    case "list":
      return `list<${typeStr(t.elem)}>`;
    case "set":
      return `set<${typeStr(t.elem)}>`;
    case "map":
      return `map<${typeStr(t.key)}, ${typeStr(t.val)}>`;
    case "opt":
      return `${typeStr(t.inner)}?`;
    case "result":
      return `result<${typeStr(t.ok)}>`;
    case "record":
    case "enum":
      return t.info.name;
    case "error":
      return "<error>";
    default:
      return t.k;
  }
}

export function isNumeric(t: Type): boolean {
  return t.k === "int" || t.k === "float";
}

export function isKeyType(t: Type): boolean {
  return t.k === "int" || t.k === "string" || t.k === "error";
}

/** Types whose values can be compared with < <= > >=. */
export function isOrdered(t: Type): boolean {
  return t.k === "int" || t.k === "float" || t.k === "string";
}

export function unwrapOpt(t: Type): Type {
  return t.k === "opt" ? t.inner : t;
}
