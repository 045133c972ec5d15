/**
 * Match exhaustiveness and arm reachability (rules.md [40]) by the usefulness algorithm of
 * Maranget ("Warnings for pattern matching", 2007) over constructor patterns.
 *
 * Types with a finite constructor set: enums (variants), bool (true/false), result (Ok/Err),
 * optionals (none/some). int, float and string literals form an infinite set, so only a
 * wildcard completes them.
 */
import type { Type } from "./types.ts";

export type SPat =
  | { readonly k: "wild" }
  | { readonly k: "ctor"; readonly name: string; readonly args: readonly SPat[] }
  | { readonly k: "lit"; readonly key: string };

export const WILD: SPat = { k: "wild" };

type Ctor = { name: string; args: Type[] };

/** The full constructor list of a type, or null when it is infinite / not matchable. */
export function ctorsOf(t: Type): Ctor[] | null {
  switch (t.k) {
    case "enum":
      return t.info.variants.map((v) => ({ name: v.name, args: v.fields.map((f) => f.type) }));
    case "bool":
      return [{ name: "true", args: [] }, { name: "false", args: [] }];
    case "result":
      return [
        { name: "Ok", args: [t.ok] },
        { name: "Err", args: [{ k: "error" }] },
      ];
    case "opt":
      return [{ name: "none", args: [] }, { name: "some", args: [t.inner] }];
    default:
      return null;
  }
}

function ctorArgTypes(t: Type, name: string): Type[] {
  const cs = ctorsOf(t);
  const c = cs?.find((x) => x.name === name);
  return c ? c.args : [];
}

function specialize(rows: SPat[][], name: string, arity: number): SPat[][] {
  const out: SPat[][] = [];
  for (const row of rows) {
    const h = row[0]!;
    if (h.k === "wild") out.push([...Array<SPat>(arity).fill(WILD), ...row.slice(1)]);
    else if (h.k === "ctor" && h.name === name) out.push([...h.args, ...row.slice(1)]);
  }
  return out;
}

function specializeLit(rows: SPat[][], key: string): SPat[][] {
  const out: SPat[][] = [];
  for (const row of rows) {
    const h = row[0]!;
    if (h.k === "wild" || (h.k === "lit" && h.key === key)) out.push(row.slice(1));
  }
  return out;
}

function defaultMatrix(rows: SPat[][]): SPat[][] {
  return rows.filter((r) => r[0]!.k === "wild").map((r) => r.slice(1));
}

/**
 * Returns a witness vector of values matched by `q` but by no row of `rows`, or null when `q`
 * is useless (every value it matches is matched by an earlier row).
 */
export function useful(rows: SPat[][], q: SPat[], types: Type[]): SPat[] | null {
  if (q.length === 0) return rows.length === 0 ? [] : null;
  const h = q[0]!;
  const t = types[0]!;
  const restTypes = types.slice(1);
  if (h.k === "ctor") {
    const argTypes = ctorArgTypes(t, h.name);
    const w = useful(specialize(rows, h.name, h.args.length), [...h.args, ...q.slice(1)], [...argTypes, ...restTypes]);
    if (w === null) return null;
    return [{ k: "ctor", name: h.name, args: w.slice(0, h.args.length) }, ...w.slice(h.args.length)];
  }
  if (h.k === "lit") {
    const w = useful(specializeLit(rows, h.key), q.slice(1), restTypes);
    return w === null ? null : [h, ...w];
  }
  // Wildcard head.
  const all = ctorsOf(t);
  const present = new Set<string>();
  for (const r of rows) {
    const x = r[0]!;
    if (x.k === "ctor") present.add(x.name);
  }
  if (all !== null && all.length > 0 && all.every((c) => present.has(c.name))) {
    for (const c of all) {
      const w = useful(specialize(rows, c.name, c.args.length), [...Array<SPat>(c.args.length).fill(WILD), ...q.slice(1)], [...c.args, ...restTypes]);
      if (w !== null) return [{ k: "ctor", name: c.name, args: w.slice(0, c.args.length) }, ...w.slice(c.args.length)];
    }
    return null;
  }
  const w = useful(defaultMatrix(rows), q.slice(1), restTypes);
  if (w === null) return null;
  if (all !== null) {
    const missing = all.find((c) => !present.has(c.name));
    if (missing) return [{ k: "ctor", name: missing.name, args: missing.args.map(() => WILD) }, ...w];
  }
  return [WILD, ...w];
}

export function showPattern(p: SPat): string {
  switch (p.k) {
    case "wild":
      return "_";
    case "lit":
      return p.key.slice(2);
    case "ctor":
      if (p.name === "some") return showPattern(p.args[0]!);
      return p.args.length === 0 ? p.name : `${p.name}(${p.args.map(showPattern).join(", ")})`;
  }
}

/** Every top-level constructor (with witness arguments) not fully covered by the rows. */
export function missingPatterns(rows: SPat[][], t: Type): string[] {
  const all = ctorsOf(t);
  if (all === null) {
    const w = useful(rows, [WILD], [t]);
    return w === null ? [] : ["_"];
  }
  const out: string[] = [];
  for (const c of all) {
    const w = useful(rows, [{ k: "ctor", name: c.name, args: c.args.map(() => WILD) }], [t]);
    if (w !== null) out.push(showPattern(w[0]!));
  }
  return out;
}
