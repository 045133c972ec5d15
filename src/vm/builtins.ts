/**
 * Implementations of the built-in table (src/bytecode/builtins.ts), indexed by id.
 *
 * Every built-in is pure and deterministic. Each returns its result and reports extra fuel
 * proportional to the elements or characters it touches (rules.md [31]) through `cost`.
 * Argument types were proven by the checker and the verifier; values that are still off
 * (hostile bytecode) surface as host exceptions, which the VM turns into `LX-VM` traps.
 */
import { COLLECTION_LEN_MAX, INT_MAX, STRING_LEN_MAX } from "../base/limits.ts";
import { compareStrings } from "../base/strings.ts";
import { Builtin, BUILTINS } from "../bytecode/builtins.ts";
import { TrapSignal } from "./trap.ts";
import { PList, PMap, PSet, equals, type Key, type Value } from "./values/index.ts";

export const cost = { extra: 0 };

function isBmp(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

function cpLen(s: string): number {
  if (isBmp(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i > n ? n : i;
}

function checkLen(n: number): void {
  if (n > COLLECTION_LEN_MAX) throw new TrapSignal("LX-LIMIT", `a collection cannot hold more than ${COLLECTION_LEN_MAX} elements`);
}

function checkStr(s: string): string {
  if (s.length > STRING_LEN_MAX) throw new TrapSignal("LX-LIMIT", `a string cannot be longer than ${STRING_LEN_MAX} UTF-16 units`);
  return s;
}

function indexTrap(i: number, n: number, what = "list"): TrapSignal {
  return new TrapSignal("LX-INDEX", `index ${i} is out of range for a ${what} of length ${n}`);
}

function keyText(k: Key): string {
  return typeof k === "string" ? JSON.stringify(k) : String(k);
}

function finite(x: number): number {
  if (!Number.isFinite(x)) throw new TrapSignal("LX-FLOAT", `the result is ${Number.isNaN(x) ? "not a number" : "infinite"}`);
  return x + 0; // −0 → 0
}

const ASCII_WS = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;
const INT_RE = /^-?[0-9]+$/;
const FLOAT_RE = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

function sortList(xs: PList, str: boolean): PList {
  const arr = xs.toArray() as (number | string)[];
  cost.extra += arr.length * Math.max(1, Math.ceil(Math.log2(arr.length + 1)));
  if (str) (arr as string[]).sort(compareStrings);
  else (arr as number[]).sort((a, b) => a - b);
  return PList.from(arr);
}

function listMinMax(xs: PList, max: boolean, str: boolean): Value {
  if (xs.size === 0) return null;
  cost.extra += xs.size;
  const arr = xs.toArray() as (number | string)[];
  let best = arr[0]!;
  for (let i = 1; i < arr.length; i++) {
    const v = arr[i]!;
    const c = str ? compareStrings(v as string, best as string) : (v as number) - (best as number);
    if (max ? c > 0 : c < 0) best = v;
  }
  return best;
}

/** Calls built-in `id` with `argc` arguments taken from `stack[sp - argc .. sp - 1]`. */
export function callBuiltin(id: number, a: Value, b: Value, c: Value): Value {
  switch (id) {
    case Builtin.len_list:
      return (a as PList).size;
    case Builtin.len_map:
      return (a as PMap).size;
    case Builtin.len_set:
      return (a as PSet).size;
    case Builtin.len_str:
      cost.extra += (a as string).length >> 4;
      return cpLen(a as string);
    case Builtin.list_push: {
      const xs = a as PList;
      checkLen(xs.size + 1);
      return xs.push(b);
    }
    case Builtin.list_last: {
      const xs = a as PList;
      return xs.size === 0 ? null : (xs.last() as Value);
    }
    case Builtin.list_pop: {
      const xs = a as PList;
      return xs.size === 0 ? xs : xs.pop();
    }
    case Builtin.list_insert: {
      const xs = a as PList;
      const i = b as number;
      if (!(i >= 0 && i <= xs.size)) throw indexTrap(i, xs.size);
      checkLen(xs.size + 1);
      cost.extra += xs.size - i;
      return xs.insert(i, c);
    }
    case Builtin.list_remove: {
      const xs = a as PList;
      const i = b as number;
      if (!(i >= 0 && i < xs.size)) throw indexTrap(i, xs.size);
      cost.extra += xs.size - i;
      return xs.remove(i);
    }
    case Builtin.map_insert: {
      const m = a as PMap;
      const next = m.set(b as Key, c);
      checkLen(next.size);
      cost.extra += 8;
      return next;
    }
    case Builtin.map_remove:
      cost.extra += 8;
      return (a as PMap).delete(b as Key);
    case Builtin.set_insert: {
      const next = (a as PSet).add(b as Key);
      checkLen(next.size);
      cost.extra += 8;
      return next;
    }
    case Builtin.set_remove:
      cost.extra += 8;
      return (a as PSet).delete(b as Key);
    case Builtin.list_get: {
      const xs = a as PList;
      const i = b as number;
      return i >= 0 && i < xs.size ? xs.get(i) : null;
    }
    case Builtin.map_get: {
      const v = (a as PMap).get(b as Key);
      return v === undefined ? null : v;
    }
    case Builtin.map_has:
      return (a as PMap).has(b as Key);
    case Builtin.set_has:
      return (a as PSet).has(b as Key);
    case Builtin.list_has: {
      const xs = a as PList;
      let found = false;
      xs.forEachWhile((v) => {
        cost.extra++;
        if (equals(v, b)) found = true;
        return !found;
      });
      return found;
    }
    case Builtin.str_has:
      cost.extra += (a as string).length >> 4;
      return (a as string).includes(b as string);
    case Builtin.map_keys: {
      const m = a as PMap;
      cost.extra += m.size;
      return PList.from(m.keys());
    }
    case Builtin.map_values: {
      const m = a as PMap;
      cost.extra += m.size;
      return PList.from(m.values());
    }
    case Builtin.list_slice: {
      const xs = a as PList;
      const lo = clamp(b as number, xs.size);
      const hi = clamp(c as number, xs.size);
      if (hi <= lo) return PList.empty;
      cost.extra += hi - lo;
      return xs.slice(lo, hi);
    }
    case Builtin.str_slice: {
      const s = a as string;
      cost.extra += s.length >> 4;
      if (isBmp(s)) {
        const lo = clamp(b as number, s.length);
        const hi = clamp(c as number, s.length);
        return hi <= lo ? "" : s.slice(lo, hi);
      }
      const cps = Array.from(s);
      const lo = clamp(b as number, cps.length);
      const hi = clamp(c as number, cps.length);
      return hi <= lo ? "" : cps.slice(lo, hi).join("");
    }
    case Builtin.list_index_of: {
      const xs = a as PList;
      let at = -1;
      xs.forEachWhile((v, i) => {
        cost.extra++;
        if (equals(v, b)) at = i;
        return at < 0;
      });
      return at < 0 ? null : at;
    }
    case Builtin.str_index_of: {
      const s = a as string;
      cost.extra += s.length >> 4;
      const i = s.indexOf(b as string);
      if (i < 0) return null;
      return isBmp(s) ? i : cpLen(s.slice(0, i));
    }
    case Builtin.list_sort_num:
      return sortList(a as PList, false);
    case Builtin.list_sort_str:
      return sortList(a as PList, true);
    case Builtin.list_reverse: {
      const xs = a as PList;
      cost.extra += xs.size;
      return PList.from(xs.toArray().reverse());
    }
    case Builtin.sum_int: {
      let t = 0;
      (a as PList).forEachWhile((v) => {
        t += v as number;
        if (t > INT_MAX || t < -INT_MAX) throw new TrapSignal("LX-OVERFLOW", "sum is outside ±(2^53−1)");
        return true;
      });
      cost.extra += (a as PList).size;
      return t + 0;
    }
    case Builtin.sum_float: {
      let t = 0;
      (a as PList).forEachWhile((v) => {
        t += v as number;
        return true;
      });
      cost.extra += (a as PList).size;
      return finite(t);
    }
    case Builtin.min_num:
      return (a as number) <= (b as number) ? a : b;
    case Builtin.max_num:
      return (a as number) >= (b as number) ? a : b;
    case Builtin.min_str:
      return compareStrings(a as string, b as string) <= 0 ? a : b;
    case Builtin.max_str:
      return compareStrings(a as string, b as string) >= 0 ? a : b;
    case Builtin.list_min_num:
      return listMinMax(a as PList, false, false);
    case Builtin.list_max_num:
      return listMinMax(a as PList, true, false);
    case Builtin.list_min_str:
      return listMinMax(a as PList, false, true);
    case Builtin.list_max_str:
      return listMinMax(a as PList, true, true);
    case Builtin.abs_int:
      return Math.abs(a as number);
    case Builtin.abs_float:
      return Math.abs(a as number);
    case Builtin.floor:
      return finite(Math.floor(a as number));
    case Builtin.ceil:
      return finite(Math.ceil(a as number));
    case Builtin.round: {
      const x = a as number;
      // Halves away from zero (Math.round rounds halves toward +∞).
      return finite(x < 0 ? -Math.round(-x) : Math.round(x));
    }
    case Builtin.sqrt:
      return finite(Math.sqrt(a as number));
    case Builtin.to_float:
      return a;
    case Builtin.to_int: {
      const x = Math.trunc(a as number);
      if (!(x <= INT_MAX && x >= -INT_MAX)) throw new TrapSignal("LX-OVERFLOW", `${String(a)} is outside the int range ±(2^53−1)`);
      return x + 0;
    }
    case Builtin.parse_int: {
      const s = a as string;
      if (!INT_RE.test(s)) return null;
      const n = Number(s);
      return n <= INT_MAX && n >= -INT_MAX ? n + 0 : null;
    }
    case Builtin.parse_float: {
      const s = a as string;
      if (!FLOAT_RE.test(s)) return null;
      const n = Number(s);
      return Number.isFinite(n) ? n + 0 : null;
    }
    case Builtin.upper:
      cost.extra += (a as string).length >> 4;
      return (a as string).replace(/[a-z]+/g, (m) => m.toUpperCase());
    case Builtin.lower:
      cost.extra += (a as string).length >> 4;
      return (a as string).replace(/[A-Z]+/g, (m) => m.toLowerCase());
    case Builtin.trim:
      return (a as string).replace(ASCII_WS, "");
    case Builtin.split: {
      const s = a as string;
      const sep = b as string;
      const parts = sep === "" ? Array.from(s) : s.split(sep);
      checkLen(parts.length);
      cost.extra += parts.length + (s.length >> 4);
      return PList.from(parts);
    }
    case Builtin.join: {
      const xs = a as PList;
      cost.extra += xs.size;
      return checkStr((xs.toArray() as string[]).join(b as string));
    }
    case Builtin.starts_with:
      return (a as string).startsWith(b as string);
    case Builtin.ends_with:
      return (a as string).endsWith(b as string);
    case Builtin.replace: {
      const s = a as string;
      cost.extra += s.length >> 4;
      // Replacing the empty string would insert `c` between every code unit; it is a no-op instead.
      if ((b as string) === "") return s;
      return checkStr(s.split(b as string).join(c as string));
    }
    case Builtin.set_union: {
      const r = (a as PSet).union(b as PSet);
      checkLen(r.size);
      cost.extra += (b as PSet).size * 4;
      return r;
    }
    case Builtin.set_difference:
      cost.extra += (b as PSet).size * 4;
      return (a as PSet).difference(b as PSet);
    case Builtin.set_intersection:
      cost.extra += Math.min((a as PSet).size, (b as PSet).size) * 4;
      return (a as PSet).intersection(b as PSet);
    case Builtin.map_key_at:
      return (a as PMap).keyAt(b as number);
    case Builtin.map_val_at:
      return (a as PMap).valueAt(b as number);
    case Builtin.set_at:
      return (a as PSet).at(b as number);
    case Builtin.str_identity:
      return a;
  }
  throw new TrapSignal("LX-VM", `unknown built-in ${id} (${BUILTINS[id]?.name ?? "?"})`);
}

export function keyDescription(k: Key): string {
  return keyText(k);
}
