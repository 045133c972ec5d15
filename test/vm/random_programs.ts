/**
 * Seeded random Lexum programs for differential tests of the VM (test/vm/js_tier.test.ts):
 * well-typed by construction, small, and busy — int arithmetic that may overflow or divide
 * by zero, comparisons and short-circuit logic, loops, calls (including bounded recursion),
 * lists, maps, strings, state fields, asserts that sometimes fail, slices, sends and
 * effects. Traps are welcome: they exercise the compiled tier's bail-out path.
 */
import type { DriverCall } from "./tier_driver.ts";

/** mulberry32: a tiny deterministic PRNG (tests only; the VM has its own). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Scope = { ints: string[]; mutable: Set<string>; depth: number; inTransition: boolean; fnIndex: number; loopDepth: number };

export type RandomProgram = { readonly source: string; readonly calls: DriverCall[] };

export function randomProgram(seed: number): RandomProgram {
  const r = rng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number): boolean => r() < p;
  let tmp = 0;
  const fresh = (p: string): string => `${p}${tmp++}`;

  const nFns = 1 + int(3);
  const fnArity: number[] = [];

  function lit(): string {
    return pick(["0", "1", "2", "3", "7", "10", "-4", "100", "1000003", "65536", String(int(50))]);
  }

  function intExpr(sc: Scope, depth: number): string {
    if (depth <= 0 || chance(0.25)) return sc.ints.length > 0 && chance(0.7) ? pick(sc.ints) : lit();
    const k = int(sc.inTransition ? 11 : 9);
    switch (k) {
      case 0:
      case 1:
      case 2:
        return `(${intExpr(sc, depth - 1)} ${pick(["+", "-", "*", "+", "-"])} ${intExpr(sc, depth - 1)})`;
      case 3:
        return `(${intExpr(sc, depth - 1)} ${pick(["/", "%"])} ${intExpr(sc, depth - 1)})`;
      case 4:
        return `abs(${notLiteral(intExpr(sc, depth - 1))})`;
      case 5:
        return `min(${notLiteral(intExpr(sc, depth - 1))}, ${intExpr(sc, depth - 1)})`;
      case 6: {
        // Calls go to earlier functions only (no unbounded recursion), or the bounded recursive one.
        if (sc.fnIndex <= 0) return lit();
        const g = int(sc.fnIndex);
        const args = Array.from({ length: fnArity[g]! }, () => intExpr(sc, depth - 1));
        return `g${g}(${args.join(", ")})`;
      }
      case 7:
        return `rec(${intExpr(sc, 0)} % 40)`;
      case 8:
        return `len("{${intExpr(sc, depth - 1)}}")`;
      case 9:
        return pick(["len(xs)", "total", "(m.get(total % 5) ?? 9)", "sum(xs)"]);
      default:
        return `xs[${intExpr(sc, depth - 1)} % 3]`;
    }
  }

  // A bare literal argument makes the checker pick the float overload of abs/min; keep them int.
  function notLiteral(e: string): string {
    return /^-?[0-9]+$/.test(e) ? `(${e} + 0)` : e;
  }

  function boolExpr(sc: Scope, depth: number): string {
    const k = int(depth <= 0 ? 3 : 6);
    switch (k) {
      case 0:
      case 1:
        return `${intExpr(sc, depth - 1)} ${pick(["<", "<=", ">", ">=", "==", "!="])} ${intExpr(sc, depth - 1)}`;
      case 2:
        // Strings compare by code points (LT_S … GE_S); digits against digits and letters.
        return `"{${intExpr(sc, depth - 1)}}" ${pick(["<", "<=", ">", ">=", "==", "!="])} ${pick([`"{${intExpr(sc, depth - 1)}}"`, '"b"', '""', '"-"'])}`;
      case 3:
        return `(${boolExpr(sc, depth - 1)} && ${boolExpr(sc, depth - 1)})`;
      case 4:
        return `(${boolExpr(sc, depth - 1)} || ${boolExpr(sc, depth - 1)})`;
      default:
        return `!(${boolExpr(sc, depth - 1)})`;
    }
  }

  function block(sc: Scope, n: number, indent: string): string[] {
    const out: string[] = [];
    const inner: Scope = { ...sc, ints: [...sc.ints], mutable: new Set(sc.mutable) };
    for (let i = 0; i < n; i++) out.push(...stmt(inner, indent));
    return out;
  }

  function stmt(sc: Scope, ind: string): string[] {
    const k = int(sc.inTransition ? 14 : 8);
    const muts = sc.ints.filter((v) => sc.mutable.has(v));
    switch (k) {
      case 0:
      case 1: {
        const v = fresh("v");
        const line = `${ind}var ${v} = ${intExpr(sc, 3)}`;
        sc.ints.push(v);
        sc.mutable.add(v);
        return [line];
      }
      case 2:
      case 3:
        if (muts.length === 0) return [`${ind}let ${fresh("c")} = ${intExpr(sc, 2)}`];
        return [`${ind}${pick(muts)} ${pick(["=", "+=", "-=", "*="])} ${intExpr(sc, 3)}`];
      case 4:
        if (sc.depth > 2) return [];
        return [
          `${ind}if ${boolExpr(sc, 2)} {`,
          ...block({ ...sc, depth: sc.depth + 1 }, 1 + int(3), ind + "  "),
          `${ind}} else {`,
          ...block({ ...sc, depth: sc.depth + 1 }, int(3), ind + "  "),
          `${ind}}`,
        ];
      case 5: {
        if (sc.depth > 2 || sc.loopDepth > 1) return [];
        const i = fresh("i");
        const body = block({ ...sc, ints: [...sc.ints, i], depth: sc.depth + 1, loopDepth: sc.loopDepth + 1 }, 1 + int(3), ind + "  ");
        return [`${ind}for ${i} in ${pick(["0", "1", "-2"])}..${pick(["3", "10", "25", "60", String(int(200))])} {`, ...body, `${ind}}`];
      }
      case 6:
        return chance(0.3) ? [`${ind}assert ${boolExpr(sc, 1)}, "assertion {${intExpr(sc, 1)}}"`] : [];
      case 7:
        // `fail` ends its block (code after it is a compile error), so it sits alone in an if.
        return chance(0.2) ? [`${ind}if ${boolExpr(sc, 1)} { fail "failed with {${intExpr(sc, 1)}}" }`] : [];
      // Transition-only statements below.
      case 8:
        return [`${ind}total ${pick(["=", "+="])} ${intExpr(sc, 2)}`];
      case 9:
        return [`${ind}xs.push(${intExpr(sc, 2)})`];
      case 10:
        return [`${ind}m.insert(${intExpr(sc, 1)} % 5, ${intExpr(sc, 2)})`];
      case 11:
        return [`${ind}log = "{log}{${intExpr(sc, 1)}},"`];
      case 12:
        return [`${ind}send P["p{${intExpr(sc, 0)} % 3}"].Bump(by: ${intExpr(sc, 1)})`];
      default:
        return [`${ind}emit Audit.note(n: ${intExpr(sc, 1)})`];
    }
  }

  const lines: string[] = ["@fuel(300000)", "effect Audit.note(n: int) -> bool { timeout 1s }", "effect Audit.ask(n: int) -> int { timeout 1s }", ""];
  lines.push("fn rec(n: int) -> int {", "  if n <= 0 { return 1 }", "  return (rec(n - 1) + n) % 1000", "}", "");
  for (let g = 0; g < nFns; g++) {
    const arity = 1 + int(3);
    fnArity.push(arity);
    const params = Array.from({ length: arity }, (_, i) => `p${i}`);
    const sc: Scope = { ints: [...params], mutable: new Set(), depth: 0, inTransition: false, fnIndex: g, loopDepth: 0 };
    lines.push(`fn g${g}(${params.map((p) => `${p}: int`).join(", ")}) -> int {`);
    lines.push(...block(sc, 1 + int(5), "  "));
    lines.push(`  return ${intExpr(sc, 3)}`, "}", "");
  }
  lines.push("domain P {", "  state {", "    total: int = 0", "    xs: list<int> = [5, 6, 7]", "    m: map<int, int> = {}", '    log: string = ""', "  }");
  lines.push("  transition Bump(by: int) { total += by % 100 }");
  const nTr = 1 + int(3);
  const calls: DriverCall[] = [];
  for (let t = 0; t < nTr; t++) {
    const sc: Scope = { ints: ["a", "b"], mutable: new Set(), depth: 0, inTransition: true, fnIndex: nFns, loopDepth: 0 };
    lines.push(`  transition T${t}(a: int, b: int) {`);
    const slices = int(3);
    for (let s = 0; s < slices; s++) {
      lines.push(`    slice s${s} {`, ...block({ ...sc, depth: 1 }, 1 + int(3), "      "), "    }");
    }
    lines.push(...block(sc, 1 + int(5), "    "));
    if (chance(0.4)) {
      lines.push(`    let got = await Audit.ask(n: ${intExpr(sc, 1)})`, "    match got {", "      Ok(v) => { total += v }", "      Err(e) => { total -= 1 }", "    }");
    }
    lines.push(`    return ${intExpr(sc, 3)}`, "  }");
    for (let k = 0; k < 2; k++) {
      calls.push({ domain: "P", instance: `p${int(3)}`, transition: `T${t}`, args: { a: int(40) - 10, b: pick([0, 1, 2, 3, 1000, -7]) } });
    }
  }
  lines.push("}");
  // Shuffle the calls deterministically so transitions interleave across instances.
  for (let i = calls.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [calls[i], calls[j]] = [calls[j]!, calls[i]!];
  }
  return { source: lines.join("\n") + "\n", calls };
}
