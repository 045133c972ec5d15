/**
 * Checker: syntax trees → a checked program (language.md §2–4, rules.md "Types and names").
 *
 * It declares every top-level name (any order, any file), resolves types, checks every body
 * bidirectionally (an expected type flows into literals, `none`, empty collections), and
 * records what codegen needs in side tables keyed by syntax node: the type of each
 * expression, what each name/call/member refers to, the locals each declaration creates.
 * The syntax tree itself is never modified.
 */
import { FUEL_PER_SLICE_DEFAULT, FUEL_PER_SLICE_MAX } from "../base/limits.ts";
import { Builtin } from "../bytecode/builtins.ts";
import { PRIORITIES, type Priority } from "../bytecode/module.ts";
import type * as A from "./ast.ts";
import type { DiagnosticBag, DiagCode, Note } from "./diagnostics.ts";
import { missingPatterns, useful, WILD, type SPat } from "./patterns.ts";
import { isPlace } from "./parser.ts";
import type { Span } from "./source.ts";
import { assignable, isKeyType, isNumeric, isOrdered, T, typeEq, typeStr, type EnumInfo, type RecordInfo, type Type } from "./types.ts";

// ---------------------------------------------------------------- checked program

export type LocalKind = "param" | "let" | "var" | "loop" | "pattern" | "iflet";

export type Local = {
  readonly id: number;
  readonly name: string;
  readonly type: Type;
  readonly kind: LocalKind;
  readonly span: Span;
  used: boolean;
  assigned: boolean;
};

export type FnInfo = {
  readonly name: string;
  readonly qualified: string;
  readonly decl: A.FnDecl;
  readonly domain: DomainInfo | null;
  readonly params: { name: string; type: Type }[];
  /** null: the function returns no value. */
  readonly result: Type | null;
  paramLocals: Local[];
};

export type TransitionInfo = {
  readonly name: string;
  readonly decl: A.TransitionDecl;
  readonly domain: DomainInfo;
  readonly params: { name: string; type: Type; span: Span }[];
  readonly priority: Priority;
  /** The reply type, known after the body is checked. */
  reply: Type;
  paramLocals: Local[];
};

export type GoalInfo = { readonly name: string; readonly decl: A.GoalDecl; readonly priority: Priority; via: TransitionInfo[] };
export type InvariantInfo = { readonly name: string; readonly decl: A.InvariantDecl };

export type StateFieldInfo = { readonly name: string; readonly type: Type; readonly index: number; readonly decl: A.StateField };

export type DomainInfo = {
  readonly name: string;
  readonly decl: A.DomainDecl;
  readonly priority: Priority;
  readonly capabilities: string[];
  readonly state: StateFieldInfo[];
  readonly stateRecord: RecordInfo;
  readonly transitions: Map<string, TransitionInfo>;
  readonly fns: Map<string, FnInfo>;
  readonly goals: GoalInfo[];
  readonly invariants: InvariantInfo[];
};

export type EffectInfo = {
  readonly name: string;
  readonly decl: A.EffectDecl;
  readonly params: { name: string; type: Type }[];
  readonly result: Type;
  readonly capabilities: string[];
  readonly retries: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  readonly timeoutMs: number;
};

export type NameRes =
  | { readonly k: "local"; readonly local: Local }
  | { readonly k: "state"; readonly field: StateFieldInfo }
  | { readonly k: "variant"; readonly en: EnumInfo; readonly tag: number };

export type CallRes =
  | { readonly k: "fn"; readonly fn: FnInfo }
  | { readonly k: "builtin"; readonly id: number; readonly mutates: boolean }
  /** `pop(xs)`: returns the last element and stores the shortened list back. */
  | { readonly k: "pop" }
  | { readonly k: "variant"; readonly type: Type; readonly tag: number }
  | { readonly k: "det"; readonly op: "NOW" | "RANDOM" | "RANDOM_INT" | "UUID" }
  | { readonly k: "tostr"; readonly op: "TOSTR_I" | "TOSTR_F" | "TOSTR_B" | "ID" };

/** A call with its arguments in final positional order (receiver first for method syntax). */
export type CallInfo = { readonly res: CallRes; readonly args: readonly A.Expr[] };

export type MemberRes =
  | { readonly k: "field"; readonly record: RecordInfo; readonly index: number }
  | { readonly k: "json" }
  | { readonly k: "variant"; readonly en: EnumInfo; readonly tag: number };

export type BinRes =
  | "ADD_I" | "SUB_I" | "MUL_I" | "DIV_I" | "MOD_I"
  | "ADD_F" | "SUB_F" | "MUL_F" | "DIV_F" | "MOD_F"
  | "LT_N" | "LE_N" | "GT_N" | "GE_N" | "LT_S" | "LE_S" | "GT_S" | "GE_S"
  | "EQ" | "NE" | "IS_NONE_L" | "IS_NONE_R" | "NOT_NONE_L" | "NOT_NONE_R"
  | "AND" | "OR" | "COALESCE";

export type ForInfo =
  | { readonly k: "list"; readonly item: Local; readonly elemType: Type }
  | { readonly k: "set"; readonly item: Local }
  | { readonly k: "map"; readonly key: Local; readonly value: Local | null }
  | { readonly k: "range"; readonly item: Local };

/** A checked pattern: how to test it and which locals it binds. */
export type CPat =
  | { readonly k: "wild" }
  | { readonly k: "bind"; readonly local: Local }
  | { readonly k: "lit"; readonly value: A.Expr; readonly type: Type }
  | { readonly k: "none" }
  /** a non-none pattern applied to an optional */
  | { readonly k: "some"; readonly inner: CPat }
  | { readonly k: "variant"; readonly type: Type; readonly tag: number; readonly args: CPat[] };

export type CheckedProgram = {
  readonly fuelPerSlice: number;
  readonly records: Map<string, RecordInfo>;
  readonly enums: Map<string, EnumInfo>;
  readonly effects: Map<string, EffectInfo>;
  readonly fns: Map<string, FnInfo>;
  readonly domains: Map<string, DomainInfo>;
  readonly exprTypes: Map<A.Expr, Type>;
  readonly names: Map<A.Expr, NameRes>;
  readonly calls: Map<A.Expr, CallInfo>;
  readonly members: Map<A.Expr, MemberRes>;
  readonly indexes: Map<A.Expr, "list" | "map" | "json">;
  readonly binops: Map<A.Expr, BinRes>;
  /** Let / IfLet statements → the local they declare. */
  readonly declLocals: Map<A.Stmt, Local>;
  readonly forInfo: Map<A.Stmt, ForInfo>;
  readonly patterns: Map<A.Pattern, CPat>;
  readonly effectRefs: Map<A.EffectRef, { effect: EffectInfo; args: A.Expr[] }>;
  readonly sends: Map<A.Stmt, { domain: DomainInfo; transition: TransitionInfo; args: A.Expr[] }>;
  readonly recordLits: Map<A.Expr, { record: RecordInfo; values: A.Expr[] }>;
  /** Unit-variant expressions written as `Enum.V` (Member) or bare `V` (Name). */
  readonly unitVariants: Map<A.Expr, { type: Type; tag: number }>;
};

// ---------------------------------------------------------------- contexts

type BodyKind = "fn" | "domainFn" | "transition" | "goal" | "invariant" | "default";

type BodyCtx = {
  readonly kind: BodyKind;
  readonly domain: DomainInfo | null;
  readonly fn: FnInfo | null;
  readonly transition: TransitionInfo | null;
  /** Types of `return e` in a transition, to compute the reply type. */
  readonly returns: { type: Type | null; span: Span }[];
  readonly allLocals: Local[];
};

const BUILTIN_SURFACE = new Set([
  "len", "push", "pop", "insert", "remove", "get", "has", "contains", "keys", "values", "slice", "index_of", "sort",
  "reverse", "sum", "min", "max", "abs", "floor", "ceil", "round", "sqrt", "to_string", "parse_int", "parse_float",
  "upper", "lower", "trim", "split", "join", "starts_with", "ends_with", "replace", "union", "difference",
  "intersection", "to_float", "to_int", "now", "random", "random_int", "uuid",
]);
const MUTATING = new Set(["push", "insert", "remove", "sort", "reverse"]);

export function checkProgram(asts: readonly A.FileAst[], diags: DiagnosticBag): CheckedProgram {
  return new Checker(diags).run(asts);
}

class Checker {
  private readonly out: CheckedProgram = {
    fuelPerSlice: FUEL_PER_SLICE_DEFAULT,
    records: new Map(),
    enums: new Map(),
    effects: new Map(),
    fns: new Map(),
    domains: new Map(),
    exprTypes: new Map(),
    names: new Map(),
    calls: new Map(),
    members: new Map(),
    indexes: new Map(),
    binops: new Map(),
    declLocals: new Map(),
    forInfo: new Map(),
    patterns: new Map(),
    effectRefs: new Map(),
    sends: new Map(),
    recordLits: new Map(),
    unitVariants: new Map(),
  };
  private fuel: number = FUEL_PER_SLICE_DEFAULT;
  private localId = 0;
  private scopes: Map<string, Local>[] = [];
  private ctx: BodyCtx | null = null;
  /** Top-level declaration spans by name in the type/domain namespace. */
  private typeNames = new Map<string, Span>();

  constructor(private readonly diags: DiagnosticBag) {}

  // ------------------------------------------------------------ name indexes
  // Lookups by name that the checker does for every expression: built once per record, enum or
  // domain (their members are final once declarations are resolved), so a big record or many
  // enums cost no linear scans per use.
  private readonly fieldIdx = new Map<RecordInfo, Map<string, number>>();
  private readonly variantIdx = new Map<EnumInfo, Map<string, number>>();
  private readonly stateIdx = new Map<DomainInfo, Map<string, StateFieldInfo>>();
  private variantOwnerIdx: Map<string, EnumInfo[]> | null = null;

  private fieldIndex(rec: RecordInfo, name: string): number {
    let m = this.fieldIdx.get(rec);
    if (m === undefined) {
      m = new Map(rec.fields.map((f, i) => [f.name, i]));
      this.fieldIdx.set(rec, m);
    }
    return m.get(name) ?? -1;
  }

  private variantTag(en: EnumInfo, name: string): number {
    let m = this.variantIdx.get(en);
    if (m === undefined) {
      m = new Map(en.variants.map((v, i) => [v.name, i]));
      this.variantIdx.set(en, m);
    }
    return m.get(name) ?? -1;
  }

  private stateField(dom: DomainInfo, name: string): StateFieldInfo | undefined {
    let m = this.stateIdx.get(dom);
    if (m === undefined) {
      m = new Map(dom.state.map((f) => [f.name, f]));
      this.stateIdx.set(dom, m);
    }
    return m.get(name);
  }

  /** The enums that have a variant of this name, in declaration order. */
  private variantOwners(name: string): EnumInfo[] {
    if (this.variantOwnerIdx === null) {
      this.variantOwnerIdx = new Map();
      for (const en of this.out.enums.values()) {
        for (const v of en.variants) {
          const list = this.variantOwnerIdx.get(v.name) ?? [];
          if (!list.includes(en)) list.push(en);
          this.variantOwnerIdx.set(v.name, list);
        }
      }
    }
    return this.variantOwnerIdx.get(name) ?? [];
  }

  private err(code: DiagCode, span: Span, message?: string, notes: Note[] = []): void {
    this.diags.add(code, span, message, notes);
  }

  run(asts: readonly A.FileAst[]): CheckedProgram {
    const decls = asts.flatMap((f) => f.decls);
    this.declareTypes(decls);
    this.resolveTypeBodies(decls);
    this.declareEffects(decls);
    this.declareFns(decls);
    this.declareDomains(decls);
    for (const d of decls) {
      if (d.kind === "FuelDecl") {
        if (!(d.value >= 1 && d.value <= FUEL_PER_SLICE_MAX)) this.err("LX0702", d.span, `fuel per slice must be between 1 and ${FUEL_PER_SLICE_MAX}`);
        else this.fuel = d.value;
      }
    }
    const fuelDecls = decls.filter((d) => d.kind === "FuelDecl");
    if (fuelDecls.length > 1) this.err("LX0202", fuelDecls[1]!.span, "`@fuel` is declared more than once");
    // Bodies.
    for (const fn of this.out.fns.values()) this.checkFnBody(fn);
    for (const dom of this.out.domains.values()) this.checkDomainBodies(dom);
    return { ...this.out, fuelPerSlice: this.fuel };
  }

  // ------------------------------------------------------------ declarations

  private declareTypes(decls: readonly A.Decl[]): void {
    for (const d of decls) {
      if (d.kind === "TypeDecl" || d.kind === "EnumDecl" || d.kind === "DomainDecl") {
        const name = d.name.name;
        const prev = this.typeNames.get(name);
        if (prev !== undefined) {
          const preludeRec = this.out.records.get(name);
          if (preludeRec?.prelude) this.err("LX0222", d.name.span, `\`${name}\` is declared by the prelude and cannot be redeclared`);
          else this.err("LX0202", d.name.span, `\`${name}\` is already declared`, [{ message: "first declared here", span: prev }]);
          continue;
        }
        if (["int", "float", "bool", "string", "json", "list", "map", "set", "result", "none"].includes(name)) {
          this.err("LX0216", d.name.span, `\`${name}\` is a built-in type name`);
          continue;
        }
        this.typeNames.set(name, d.name.span);
        if (d.kind === "TypeDecl") {
          const prelude = (d as A.TypeDecl & { prelude?: boolean }).prelude === true || isPreludeSpan(d.span);
          this.out.records.set(name, { name, decl: d, fields: [], prelude });
        } else if (d.kind === "EnumDecl") {
          this.out.enums.set(name, { name, decl: d, variants: [] });
        }
      }
    }
  }

  private resolveTypeBodies(decls: readonly A.Decl[]): void {
    for (const d of decls) {
      if (d.kind === "TypeDecl") {
        const rec = this.out.records.get(d.name.name);
        if (rec === undefined || rec.decl !== d) continue;
        const seen = new Map<string, Span>();
        for (const f of d.fields) {
          const prev = seen.get(f.name.name);
          if (prev) {
            this.err("LX0202", f.name.span, `field \`${f.name.name}\` is declared twice`, [{ message: "first declared here", span: prev }]);
            continue;
          }
          seen.set(f.name.name, f.name.span);
          rec.fields.push({ name: f.name.name, type: this.resolveType(f.type), span: f.name.span });
        }
      } else if (d.kind === "EnumDecl") {
        const en = this.out.enums.get(d.name.name);
        if (en === undefined || en.decl !== d) continue;
        const seen = new Map<string, Span>();
        for (const v of d.variants) {
          const prev = seen.get(v.name.name);
          if (prev) {
            this.err("LX0202", v.name.span, `variant \`${v.name.name}\` is declared twice`, [{ message: "first declared here", span: prev }]);
            continue;
          }
          seen.set(v.name.name, v.name.span);
          const fseen = new Set<string>();
          const fields: { name: string; type: Type }[] = [];
          for (const f of v.fields) {
            if (fseen.has(f.name.name)) {
              this.err("LX0202", f.name.span, `field \`${f.name.name}\` is declared twice`);
              continue;
            }
            fseen.add(f.name.name);
            fields.push({ name: f.name.name, type: this.resolveType(f.type) });
          }
          en.variants.push({ name: v.name.name, fields, span: v.name.span });
        }
      }
    }
    // A record that contains itself through records only would be infinite. A depth-first walk
    // finds each such cycle once (gray = on the current path); it is reported at the record of
    // the cycle declared first.
    const color = new Map<RecordInfo, "gray" | "black">();
    const order = [...this.out.records.values()];
    const stack: RecordInfo[] = [];
    const visit = (r: RecordInfo): void => {
      color.set(r, "gray");
      stack.push(r);
      for (const f of r.fields) {
        if (f.type.k !== "record") continue;
        const next = f.type.info;
        const c = color.get(next);
        if (c === "gray") {
          const cycle = stack.slice(stack.indexOf(next));
          const first = cycle.reduce((a, b) => (order.indexOf(b) < order.indexOf(a) ? b : a));
          const at = cycle.indexOf(first);
          const names = [...cycle.slice(at), ...cycle.slice(0, at), first].map((x) => x.name);
          if (first.decl) this.err("LX0320", first.decl.name.span, `record \`${first.name}\` contains itself (${names.join(" → ")}); put a list, map, set or optional in between`);
        } else if (c === undefined) visit(next);
      }
      stack.pop();
      color.set(r, "black");
    };
    for (const rec of order) if (!color.has(rec)) visit(rec);
  }

  resolveType(t: A.TypeExpr): Type {
    if (t.kind === "TOpt") {
      const inner = this.resolveType(t.inner);
      if (inner.k === "opt") {
        this.err("LX0306", t.span, `\`${typeStr(inner)}?\` is a nested optional, which Lexum does not have`);
        return inner;
      }
      return T.opt(inner);
    }
    switch (t.name) {
      case "int":
      case "float":
      case "bool":
      case "string":
      case "json":
        if (!this.typeArity(t, 0)) return T.error;
        return T[t.name];
      case "list":
        if (!this.typeArity(t, 1)) return T.error;
        return T.list(this.resolveType(t.args[0]!));
      case "set": {
        if (!this.typeArity(t, 1)) return T.error;
        const e = this.resolveType(t.args[0]!);
        if (!isKeyType(e)) this.err("LX0309", t.args[0]!.span, `set elements must be int or string, not \`${typeStr(e)}\``);
        return T.set(e);
      }
      case "map": {
        if (!this.typeArity(t, 2)) return T.error;
        const k = this.resolveType(t.args[0]!);
        if (!isKeyType(k)) this.err("LX0309", t.args[0]!.span, `map keys must be int or string, not \`${typeStr(k)}\``);
        return T.map(k, this.resolveType(t.args[1]!));
      }
      case "result":
        if (!this.typeArity(t, 1)) return T.error;
        return T.result(this.resolveType(t.args[0]!));
    }
    const rec = this.out.records.get(t.name);
    if (rec) return this.typeArity(t, 0) ? { k: "record", info: rec } : T.error;
    const en = this.out.enums.get(t.name);
    if (en) return this.typeArity(t, 0) ? { k: "enum", info: en } : T.error;
    if (this.typeNames.has(t.name)) {
      this.err("LX0203", t.span, `\`${t.name}\` is a domain, not a type`);
      return T.error;
    }
    this.err("LX0203", t.span, `unknown type \`${t.name}\`${this.suggest(t.name, [...this.out.records.keys(), ...this.out.enums.keys(), "int", "float", "bool", "string", "json", "list", "map", "set", "result"])}`);
    return T.error;
  }
  /** Whether a named type has `n` type arguments (reported when not). No closure: resolveType is hot. */
  private typeArity(t: Extract<A.TypeExpr, { kind: "TName" }>, n: number): boolean {
    if (t.args.length !== n) {
      this.err("LX0104", t.span, n === 0 ? `\`${t.name}\` takes no type arguments` : `\`${t.name}\` takes ${n} type argument${n > 1 ? "s" : ""}`);
      return false;
    }
    return true;
  }


  private suggest(name: string, candidates: Iterable<string>): string {
    let best: string | null = null;
    let bestD = Infinity;
    for (const c of candidates) {
      const d = editDistance(name.toLowerCase(), c.toLowerCase());
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best !== null && bestD <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean \`${best}\`?)` : "";
  }

  private declareEffects(decls: readonly A.Decl[]): void {
    for (const d of decls) {
      if (d.kind !== "EffectDecl") continue;
      const name = `${d.ns.name}.${d.name.name}`;
      const prev = this.out.effects.get(name);
      if (prev) {
        if (prev.decl.prelude) this.err("LX0222", d.ns.span, `effect \`${name}\` is declared by the prelude and cannot be redeclared`);
        else this.err("LX0202", d.ns.span, `effect \`${name}\` is already declared`, [{ message: "first declared here", span: prev.decl.ns.span }]);
        continue;
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name.name)) this.err("LX0220", d.name.span);
      const params: { name: string; type: Type }[] = [];
      const seen = new Set<string>();
      for (const p of d.params) {
        if (p.name.name === "key") this.err("LX0221", p.name.span, "an effect parameter cannot be named `key`: `key:` sets the idempotency key");
        if (seen.has(p.name.name)) this.err("LX0215", p.name.span, `parameter \`${p.name.name}\` is declared twice`);
        seen.add(p.name.name);
        params.push({ name: p.name.name, type: this.resolveType(p.type) });
      }
      let result: Type = T.error;
      if (d.result === null) this.err("LX0508", d.name.span, `effect \`${name}\` needs a result type: \`-> T\``);
      else result = this.resolveType(d.result);
      const retries = d.retries?.value ?? 0;
      const backoffMinMs = d.backoff?.min ?? 100;
      const backoffMaxMs = d.backoff?.max ?? 10_000;
      const timeoutMs = d.timeout?.value ?? 30_000;
      if (d.retries && !(retries >= 0 && retries <= 1000)) this.err("LX0508", d.retries.span, "retries must be between 0 and 1000");
      if (d.backoff && !(backoffMinMs >= 1 && backoffMinMs <= backoffMaxMs)) this.err("LX0508", d.backoff.span, "backoff needs 0 < smallest ≤ largest");
      if (d.timeout && !(timeoutMs >= 1)) this.err("LX0508", d.timeout.span, "timeout must be positive");
      this.out.effects.set(name, {
        name,
        decl: d,
        params,
        result,
        capabilities: d.capabilities.map((c) => c.name),
        retries,
        backoffMinMs,
        backoffMaxMs,
        timeoutMs,
      });
    }
  }

  private makeFnInfo(d: A.FnDecl, domain: DomainInfo | null): FnInfo {
    const params: { name: string; type: Type }[] = [];
    const seen = new Set<string>();
    for (const p of d.params) {
      if (seen.has(p.name.name)) this.err("LX0215", p.name.span, `parameter \`${p.name.name}\` is declared twice`);
      seen.add(p.name.name);
      params.push({ name: p.name.name, type: this.resolveType(p.type) });
    }
    return {
      name: d.name.name,
      // `Domain.fn.name`, like `Domain.goal.G`: transitions (`Domain.Name`) have their own
      // namespace (rules.md [12]), so a fn may share a transition's name.
      qualified: domain ? `${domain.name}.fn.${d.name.name}` : d.name.name,
      decl: d,
      domain,
      params,
      result: d.result ? this.resolveType(d.result) : null,
      paramLocals: [],
    };
  }

  private declareFns(decls: readonly A.Decl[]): void {
    for (const d of decls) {
      if (d.kind !== "FnDecl") continue;
      const prev = this.out.fns.get(d.name.name);
      if (prev) {
        this.err("LX0202", d.name.span, `function \`${d.name.name}\` is already declared`, [{ message: "first declared here", span: prev.decl.name.span }]);
        continue;
      }
      if (BUILTIN_SURFACE.has(d.name.name)) {
        // Allowed (user functions shadow built-ins), but method syntax keeps meaning the built-in.
      }
      this.out.fns.set(d.name.name, this.makeFnInfo(d, null));
    }
  }

  private priority(id: A.Ident | null, fallback: Priority): Priority {
    if (id === null) return fallback;
    const i = (PRIORITIES as readonly string[]).indexOf(id.name);
    if (i < 0) {
      this.err("LX0604", id.span, `unknown priority \`${id.name}\` (use critical, high, normal, low or background)`);
      return fallback;
    }
    return i as Priority;
  }

  private declareDomains(decls: readonly A.Decl[]): void {
    for (const d of decls) {
      if (d.kind !== "DomainDecl") continue;
      if (this.out.domains.has(d.name.name) || this.out.records.has(d.name.name) || this.out.enums.has(d.name.name)) continue;
      const priority = this.priority(d.priority, 2);
      const stateRecord: RecordInfo = { name: `${d.name.name}.state`, decl: null, fields: [], prelude: false };
      const state: StateFieldInfo[] = [];
      const seenState = new Map<string, Span>();
      for (const f of d.state ?? []) {
        const prev = seenState.get(f.name.name);
        if (prev) {
          this.err("LX0605", f.name.span, `state field \`${f.name.name}\` is declared twice`, [{ message: "first declared here", span: prev }]);
          continue;
        }
        seenState.set(f.name.name, f.name.span);
        const type = this.resolveType(f.type);
        state.push({ name: f.name.name, type, index: state.length, decl: f });
        stateRecord.fields.push({ name: f.name.name, type, span: f.name.span });
      }
      const dom: DomainInfo = {
        name: d.name.name,
        decl: d,
        priority,
        capabilities: d.capabilities.map((c) => c.name),
        state,
        stateRecord,
        transitions: new Map(),
        fns: new Map(),
        goals: [],
        invariants: [],
      };
      const members = new Map<string, Span>();
      const member = (kind: string, id: A.Ident): boolean => {
        const key = `${kind}:${id.name}`;
        const prev = members.get(key);
        if (prev) {
          this.err("LX0605", id.span, `${kind} \`${id.name}\` is declared twice in domain \`${d.name.name}\``, [{ message: "first declared here", span: prev }]);
          return false;
        }
        members.set(key, id.span);
        return true;
      };
      for (const t of d.transitions) {
        if (!member("transition", t.name)) continue;
        const params: { name: string; type: Type; span: Span }[] = [];
        const seen = new Set<string>();
        for (const p of t.params) {
          if (seen.has(p.name.name)) this.err("LX0215", p.name.span, `parameter \`${p.name.name}\` is declared twice`);
          seen.add(p.name.name);
          params.push({ name: p.name.name, type: this.resolveType(p.type), span: p.name.span });
        }
        dom.transitions.set(t.name.name, {
          name: t.name.name,
          decl: t,
          domain: dom,
          params,
          priority: this.priority(t.priority, priority),
          reply: T.none,
          paramLocals: [],
        });
      }
      for (const f of d.fns) {
        if (!member("fn", f.name)) continue;
        dom.fns.set(f.name.name, this.makeFnInfo(f, dom));
      }
      for (const g of d.goals) {
        if (!member("goal", g.name)) continue;
        dom.goals.push({ name: g.name.name, decl: g, priority: this.priority(g.priority, priority), via: [] });
      }
      for (const inv of d.invariants) {
        if (!member("invariant", inv.name)) continue;
        dom.invariants.push({ name: inv.name.name, decl: inv });
      }
      this.out.domains.set(d.name.name, dom);
    }
  }

  // ------------------------------------------------------------ bodies

  private newLocal(name: string, type: Type, kind: LocalKind, span: Span): Local {
    const l: Local = { id: this.localId++, name, type, kind, span, used: false, assigned: false };
    this.ctx?.allLocals.push(l);
    return l;
  }

  /** Declares a local in the innermost scope; `quiet` for parameters, whose duplicates were reported with the signature. */
  private declare(l: Local, quiet = false): void {
    const scope = this.scopes[this.scopes.length - 1]!;
    const prev = scope.get(l.name);
    if (prev && l.name !== "_" && !quiet) {
      prev.used = true; // one error is enough: do not also warn that the first one is unused
      this.err("LX0215", l.span, `\`${l.name}\` is already declared in this scope`, [{ message: "first declared here", span: prev.span }]);
    }
    scope.set(l.name, l);
  }

  private lookup(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i]!.get(name);
      if (l) return l;
    }
    return undefined;
  }

  private withScope<R>(f: () => R): R {
    this.scopes.push(new Map());
    try {
      return f();
    } finally {
      this.scopes.pop();
    }
  }

  private beginBody(kind: BodyKind, domain: DomainInfo | null, fn: FnInfo | null, transition: TransitionInfo | null): void {
    this.ctx = { kind, domain, fn, transition, returns: [], allLocals: [] };
    this.scopes = [new Map()];
  }

  private endBody(): void {
    const ctx = this.ctx!;
    for (const l of ctx.allLocals) {
      if (l.name.startsWith("_")) continue;
      if (!l.used && (l.kind === "let" || l.kind === "var" || l.kind === "iflet")) this.err("LX0801", l.span, `\`${l.name}\` is never used (prefix it with \`_\` to silence this)`);
      else if (l.kind === "var" && !l.assigned) this.err("LX0802", l.span, `\`${l.name}\` is declared \`var\` but never reassigned; use \`let\``);
    }
    this.ctx = null;
    this.scopes = [];
  }

  private checkFnBody(fn: FnInfo): void {
    this.beginBody(fn.domain ? "domainFn" : "fn", fn.domain, fn, null);
    fn.paramLocals = fn.params.map((p, i) => {
      const l = this.newLocal(p.name, p.type, "param", fn.decl.params[i]!.name.span);
      this.declare(l, true);
      return l;
    });
    const terminates = this.block(fn.decl.body, false);
    if (fn.result !== null && !terminates) {
      this.err("LX0406", fn.decl.body.closeSpan, `function \`${fn.name}\` must return ${aType(fn.result)} on every path`);
    }
    this.endBody();
  }

  private checkDomainBodies(dom: DomainInfo): void {
    // State defaults: constant expressions of the field's type.
    for (const f of dom.state) {
      this.beginBody("default", dom, null, null);
      const before = this.diags.errorCount;
      const t = this.expr(f.decl.value, f.type);
      if (!assignable(t, f.type)) this.mismatch(f.decl.value.span, f.type, t, `the default of \`${f.name}\`: `);
      if (this.diags.errorCount === before && !isConstant(f.decl.value, this.out)) {
        this.err("LX0601", f.decl.value.span, `the default of \`${f.name}\` must be a constant expression (literals, durations, arithmetic on constants, constructors of constants, none)`);
      }
      this.endBody();
    }
    for (const fn of dom.fns.values()) this.checkFnBody(fn);
    for (const tr of dom.transitions.values()) this.checkTransition(tr);
    for (const g of dom.goals) {
      this.beginBody("goal", dom, null, null);
      const t = this.expr(g.decl.predicate, T.bool);
      if (t.k !== "bool" && t.k !== "error") this.err("LX0603", g.decl.predicate.span, `a goal predicate must be bool, not \`${typeStr(t)}\``);
      this.endBody();
      if (g.decl.via !== null) {
        for (const v of g.decl.via) {
          const tr = dom.transitions.get(v.name);
          if (!tr) {
            this.err("LX0209", v.span, `domain \`${dom.name}\` has no transition \`${v.name}\``);
            continue;
          }
          if (tr.params.length > 0) {
            this.err("LX0602", v.span, `\`via\` transition \`${v.name}\` must have no parameters`, [{ message: "declared here", span: tr.decl.name.span }]);
            continue;
          }
          g.via.push(tr);
        }
      } else {
        g.via = [...dom.transitions.values()].filter((t) => t.params.length === 0);
        if (g.via.length === 0) this.err("LX0607", g.decl.name.span, `goal \`${g.name}\` has no \`via\` list and the domain has no parameterless transition to reconcile with`);
      }
    }
    for (const inv of dom.invariants) {
      this.beginBody("invariant", dom, null, null);
      const t = this.expr(inv.decl.predicate, T.bool);
      if (t.k !== "bool" && t.k !== "error") this.err("LX0603", inv.decl.predicate.span, `an invariant predicate must be bool, not \`${typeStr(t)}\``);
      this.endBody();
    }
  }

  private checkTransition(tr: TransitionInfo): void {
    this.beginBody("transition", tr.domain, null, tr);
    tr.paramLocals = tr.params.map((p) => {
      const l = this.newLocal(p.name, p.type, "param", p.span);
      this.declare(l, true);
      return l;
    });
    const declared = tr.decl.result ? this.resolveType(tr.decl.result) : null;
    const terminates = this.block(tr.decl.body, true);
    const returns = this.ctx!.returns;
    let reply: Type;
    if (declared !== null) {
      reply = terminates ? declared : T.opt(declared);
      for (const r of returns) {
        if (r.type === null) continue;
        if (!assignable(r.type, declared)) this.err("LX0301", r.span, `this transition replies \`${typeStr(declared)}\`, not \`${typeStr(r.type)}\``);
      }
    } else {
      // The reply type is the common type of the `return e` values (rules.md [33]).
      let common: Type | null = null;
      let optional = !terminates || returns.some((r) => r.type === null || r.type.k === "none");
      for (const r of returns) {
        if (r.type === null || r.type.k === "none") continue;
        let t: Type = r.type;
        if (t.k === "opt") {
          optional = true;
          t = t.inner;
        }
        if (common === null) common = t;
        else if (!typeEq(common, t) && t.k !== "error" && common.k !== "error") {
          if (common.k === "int" && t.k === "float") common = t;
          else if (!(common.k === "float" && t.k === "int")) {
            this.err("LX0319", r.span, `this transition returns \`${typeStr(t)}\` here but \`${typeStr(common)}\` elsewhere`);
          }
        }
      }
      reply = common === null ? T.none : optional ? T.opt(common) : common;
    }
    tr.reply = reply;
    this.endBody();
  }

  /** Checks a block in a new scope; returns whether it always terminates (return/fail). */
  private block(b: A.Block, newScope = true, reportUnreachable = true): boolean {
    const run = (): boolean => {
      let terminated = false;
      let reported = false;
      for (const s of b.stmts) {
        if (terminated && !reported && reportUnreachable) {
          this.err("LX0403", s.span, "unreachable code: the statement before always returns or fails");
          reported = true;
        }
        if (this.stmt(s)) terminated = true;
      }
      return terminated;
    };
    return newScope ? this.withScope(run) : run();
  }

  private isPure(): boolean {
    const k = this.ctx?.kind;
    return k === "fn" || k === "domainFn" || k === "goal" || k === "invariant" || k === "default";
  }

  private contextName(): string {
    switch (this.ctx?.kind) {
      case "fn":
      case "domainFn":
        return "a function";
      case "goal":
        return "a goal";
      case "invariant":
        return "an invariant";
      case "default":
        return "a state default";
      default:
        return "a transition";
    }
  }

  // ------------------------------------------------------------ statements

  /** Returns whether the statement always terminates the body (return/fail on every path). */
  private stmt(s: A.Stmt): boolean {
    switch (s.kind) {
      case "Let": {
        const declared = s.type ? this.resolveType(s.type) : null;
        let t: Type;
        if (s.value.kind === "Await") t = this.awaitExpr(s.value, declared);
        else t = this.expr(s.value, declared ?? undefined);
        if (declared !== null && !assignable(t, declared)) this.mismatch(s.value.span, declared, t);
        const type = declared ?? t;
        if (type.k === "none") this.err("LX0307", s.value.span, "`none` needs a type: annotate the variable, e.g. `let x: int? = none`");
        const local = this.newLocal(s.name.name, type.k === "none" ? T.error : type, s.mutable ? "var" : "let", s.name.span);
        this.declare(local);
        this.out.declLocals.set(s, local);
        return false;
      }
      case "Assign":
        this.assign(s);
        return false;
      case "ExprStmt":
        this.exprStmt(s.expr);
        return false;
      case "If": {
        this.cond(s.cond);
        const a = this.block(s.then);
        const b = s.else_ === null ? false : "stmts" in s.else_ ? this.block(s.else_) : this.withScope(() => this.stmt(s.else_ as A.Stmt));
        return a && b;
      }
      case "IfLet": {
        const t = this.expr(s.value);
        let inner: Type = T.error;
        if (t.k === "opt") inner = t.inner;
        else if (t.k !== "error") this.err("LX0321", s.value.span, `\`if let\` needs an optional value, not \`${typeStr(t)}\``);
        const a = this.withScope(() => {
          const l = this.newLocal(s.name.name, inner, "iflet", s.name.span);
          this.declare(l);
          this.out.declLocals.set(s, l);
          return this.block(s.then, false);
        });
        const b = s.else_ === null ? false : "stmts" in s.else_ ? this.block(s.else_) : this.withScope(() => this.stmt(s.else_ as A.Stmt));
        return a && b;
      }
      case "Match":
        return this.match(s);
      case "For":
        this.forStmt(s);
        return false;
      case "Return": {
        const ctx = this.ctx!;
        if (ctx.kind === "transition") {
          const t = s.value === null ? null : this.expr(s.value, ctx.transition!.decl.result ? this.resolveTypeQuiet(ctx.transition!.decl.result) : undefined);
          ctx.returns.push({ type: t, span: s.value?.span ?? s.span });
        } else if (ctx.fn !== null) {
          const want = ctx.fn.result;
          if (want === null) {
            if (s.value !== null) {
              this.expr(s.value);
              this.err("LX0407", s.value.span, `function \`${ctx.fn.name}\` has no result type; add \`-> T\` to its signature to return a value`);
            }
          } else if (s.value === null) {
            this.err("LX0406", s.span, `function \`${ctx.fn.name}\` must return ${aType(want)}`);
          } else {
            const t = this.expr(s.value, want);
            if (!assignable(t, want)) this.mismatch(s.value.span, want, t);
          }
        }
        return true;
      }
      case "Fail": {
        const t = this.expr(s.message, T.string);
        if (t.k !== "string" && t.k !== "error") this.mismatch(s.message.span, T.string, t);
        return true;
      }
      case "Assert": {
        this.cond(s.cond);
        if (s.message !== null) {
          const t = this.expr(s.message, T.string);
          if (t.k !== "string" && t.k !== "error") this.mismatch(s.message.span, T.string, t);
        }
        return false;
      }
      case "Emit": {
        if (this.isPure()) this.err("LX0502", s.span, `\`emit\` is not allowed in ${this.contextName()} (effects happen only in transitions)`);
        this.effectRef(s.effect, s.span);
        return false;
      }
      case "Send":
        this.send(s);
        return false;
      case "Slice":
        // Placement (top level of a transition only) is checked, and reported, by the parser.
        return this.block(s.body);
    }
  }

  private resolveTypeQuiet(t: A.TypeExpr): Type {
    const before = this.diags.items.length;
    const r = this.resolveType(t);
    this.diags.items.length = before;
    return r;
  }

  private cond(e: A.Expr): void {
    const t = this.expr(e, T.bool);
    if (t.k !== "bool" && t.k !== "error") this.err("LX0312", e.span, `a condition must be bool, not \`${typeStr(t)}\``);
  }

  private mismatch(span: Span, want: Type, got: Type, what = ""): void {
    if (want.k === "error" || got.k === "error") return;
    let hint = "";
    if (want.k === "float" && got.k === "int") hint = "; convert with `to_float(…)`";
    else if (want.k === "int" && got.k === "float") hint = "; convert with `to_int(…)` (truncates)";
    else if (got.k === "opt" && typeEq(got.inner, want)) hint = "; unwrap the optional with `?? default` or `if let`";
    this.err("LX0301", span, `${what}expected \`${typeStr(want)}\`, found \`${typeStr(got)}\`${hint}`);
  }

  private exprStmt(e: A.Expr): void {
    if (e.kind === "Await") {
      this.awaitExpr(e, null);
      return;
    }
    if (e.kind !== "Call") {
      this.expr(e);
      this.err("LX0409", e.span, "this expression's value is unused and it has no effect");
      return;
    }
    this.call(e, undefined, true);
  }

  /** Resolves an assignment target; returns its type (error when not assignable). */
  private place(target: A.Expr, forMutation: string): Type {
    const root = placeRoot(target);
    if (root.kind === "StateField") {
      this.stateWrite(root.span);
    } else if (root.kind === "Name") {
      const l = this.lookup(root.name);
      if (l) {
        if (l.kind === "loop") this.err("LX0410", root.span, `loop variable \`${l.name}\` cannot be ${forMutation}`);
        else if (l.kind !== "var") this.err("LX0404", root.span, `\`${l.name}\` is ${l.kind === "param" ? "a parameter" : "immutable (`let`)"} and cannot be ${forMutation}; declare it with \`var\``, [{ message: "declared here", span: l.span }]);
        l.assigned = true;
      } else if (this.ctx?.domain && this.stateField(this.ctx.domain, root.name)) {
        this.stateWrite(root.span);
      }
    }
    const t = this.expr(target);
    return t;
  }

  private stateWrite(span: Span): void {
    const kind = this.ctx?.kind;
    if (kind !== "transition") this.err("LX0501", span, `state cannot be changed in ${this.contextName()}; only transitions write state`);
  }

  private assign(s: Extract<A.Stmt, { kind: "Assign" }>): void {
    if (!isPlace(s.target)) {
      this.expr(s.value);
      return;
    }
    const t = this.place(s.target, "assigned");
    if (s.op === "=") {
      const v = s.value.kind === "Await" ? this.awaitExpr(s.value, t) : this.expr(s.value, t);
      if (!assignable(v, t)) this.mismatch(s.value.span, t, v);
      return;
    }
    const v = this.expr(s.value, t);
    if (t.k === "string" && s.op === "+=") {
      this.err("LX0303", s.span, "`+=` does not join strings: use interpolation (`s = \"{s}{x}\"`) or `join`");
      return;
    }
    if (!isNumeric(t)) {
      if (t.k !== "error") this.err("LX0302", s.span, `\`${s.op}\` needs an int or float target, not \`${typeStr(t)}\``);
      return;
    }
    if (!typeEq(v, t) && v.k !== "error") {
      if (isNumeric(v)) this.err("LX0304", s.value.span, `\`${s.op}\` mixes \`${typeStr(t)}\` and \`${typeStr(v)}\`; convert with to_float/to_int`);
      else this.mismatch(s.value.span, t, v);
    }
  }

  private forStmt(s: Extract<A.Stmt, { kind: "For" }>): void {
    if (s.rangeEnd !== null) {
      const a = this.expr(s.iterable, T.int);
      const b = this.expr(s.rangeEnd, T.int);
      if (a.k !== "int" && a.k !== "error") this.mismatch(s.iterable.span, T.int, a, "range bounds must be int: ");
      if (b.k !== "int" && b.k !== "error") this.mismatch(s.rangeEnd.span, T.int, b, "range bounds must be int: ");
      if (s.second) this.err("LX0313", s.second.span, "a range gives one loop variable");
      this.withScope(() => {
        const item = this.newLocal(s.first.name, T.int, "loop", s.first.span);
        this.declare(item);
        this.declareExtraLoopVar(s);
        this.out.forInfo.set(s, { k: "range", item });
        this.block(s.body, false);
      });
      return;
    }
    const t = this.expr(s.iterable);
    this.withScope(() => {
      if (t.k === "list") {
        if (s.second) this.err("LX0313", s.second.span, "a list gives one loop variable (`for x in xs`)");
        const item = this.newLocal(s.first.name, t.elem, "loop", s.first.span);
        this.declare(item);
        this.declareExtraLoopVar(s);
        this.out.forInfo.set(s, { k: "list", item, elemType: t.elem });
      } else if (t.k === "set") {
        if (s.second) this.err("LX0313", s.second.span, "a set gives one loop variable (`for x in s`)");
        const item = this.newLocal(s.first.name, t.elem, "loop", s.first.span);
        this.declare(item);
        this.declareExtraLoopVar(s);
        this.out.forInfo.set(s, { k: "set", item });
      } else if (t.k === "map") {
        const key = this.newLocal(s.first.name, t.key, "loop", s.first.span);
        this.declare(key);
        let value: Local | null = null;
        if (s.second) {
          value = this.newLocal(s.second.name, t.val, "loop", s.second.span);
          this.declare(value);
        }
        this.out.forInfo.set(s, { k: "map", key, value });
      } else {
        if (t.k !== "error") this.err("LX0313", s.iterable.span, `cannot iterate over \`${typeStr(t)}\` (lists, sets, maps and ranges \`a..b\` can be iterated)`);
        const item = this.newLocal(s.first.name, T.error, "loop", s.first.span);
        this.declare(item);
        if (s.second) this.declare(this.newLocal(s.second.name, T.error, "loop", s.second.span));
        this.out.forInfo.set(s, { k: "list", item, elemType: T.error });
      }
      this.block(s.body, false);
    });
  }

  /** A second loop variable where only one is given (already reported): declared so its uses do not cascade. */
  private declareExtraLoopVar(s: Extract<A.Stmt, { kind: "For" }>): void {
    if (s.second === null) return;
    const l = this.newLocal(s.second.name, T.error, "loop", s.second.span);
    l.used = true;
    this.declare(l);
  }

  private send(s: Extract<A.Stmt, { kind: "Send" }>): void {
    if (this.isPure()) this.err("LX0502", s.span, `\`send\` is not allowed in ${this.contextName()} (messages are sent only from transitions)`);
    let dom: DomainInfo | undefined;
    if (s.domain === null) {
      dom = this.ctx?.domain ?? undefined;
      if (!dom) this.err("LX0506", s.span, "`send self.…` is only available inside a domain");
    } else {
      dom = this.out.domains.get(s.domain.name);
      if (!dom) this.err("LX0208", s.domain.span, `unknown domain \`${s.domain.name}\`${this.suggest(s.domain.name, this.out.domains.keys())}`);
    }
    if (s.target !== null) {
      const t = this.expr(s.target, T.string);
      if (t.k !== "string" && t.k !== "error") this.mismatch(s.target.span, T.string, t, "an instance id is a string: ");
    }
    if (s.after !== null) {
      const t = this.expr(s.after, T.int);
      if (t.k !== "int" && t.k !== "error") this.err("LX0507", s.after.span, `\`after\` needs an int duration in milliseconds (like \`30s\`), not \`${typeStr(t)}\``);
    }
    if (!dom) {
      for (const a of s.args) this.expr(a.value);
      return;
    }
    const tr = dom.transitions.get(s.transition.name);
    if (!tr) {
      this.err("LX0209", s.transition.span, `domain \`${dom.name}\` has no transition \`${s.transition.name}\`${this.suggest(s.transition.name, dom.transitions.keys())}`);
      for (const a of s.args) this.expr(a.value);
      return;
    }
    const args = this.namedArgs(s.args, tr.params, s.transition.span, `transition \`${dom.name}.${tr.name}\``);
    this.out.sends.set(s, { domain: dom, transition: tr, args });
  }

  /** Matches named arguments to parameters (all required, any order: rules.md [24]). */
  private namedArgs(args: readonly A.Arg[], params: readonly { name: string; type: Type }[], span: Span, what: string): A.Expr[] {
    const out: (A.Expr | undefined)[] = new Array(params.length).fill(undefined);
    let positional = false;
    for (const a of args) {
      if (a.label === null) {
        this.expr(a.value);
        const i = args.indexOf(a);
        this.err("LX0114", a.span, `arguments to ${what} must be named (\`${params[i]?.name ?? params[0]?.name ?? "name"}: …\`)`);
        positional = true;
        continue;
      }
      const i = params.findIndex((p) => p.name === a.label!.name);
      if (i < 0) {
        this.expr(a.value);
        this.err("LX0212", a.label.span, `${what} has no parameter \`${a.label.name}\`${this.suggest(a.label.name, params.map((p) => p.name))}`);
        continue;
      }
      if (out[i] !== undefined) {
        this.expr(a.value);
        this.err("LX0213", a.label.span, `argument \`${a.label.name}\` is given twice`);
        continue;
      }
      const want = params[i]!.type;
      const t = this.expr(a.value, want);
      if (!assignable(t, want)) this.mismatch(a.value.span, want, t, `argument \`${a.label.name}\`: `);
      out[i] = a.value;
    }
    const missing = params.filter((_, i) => out[i] === undefined).map((p) => `\`${p.name}\``);
    // After an unnamed argument the missing ones are most likely the unnamed ones: one error is enough.
    if (missing.length > 0 && !positional) this.err("LX0211", span, `missing argument${missing.length > 1 ? "s" : ""} ${missing.join(", ")} for ${what}`);
    return out.map((e) => e ?? ({ kind: "None", span } as A.Expr));
  }

  private effectRef(r: A.EffectRef, stmtSpan: Span): EffectInfo | null {
    const name = `${r.ns.name}.${r.name.name}`;
    const eff = this.out.effects.get(name);
    if (!eff) {
      this.err("LX0210", r.ns.span, `unknown effect \`${name}\`${this.suggest(name, this.out.effects.keys())}`);
      for (const a of r.args) this.expr(a.value);
      if (r.key) this.expr(r.key, T.string);
      return null;
    }
    const args = this.namedArgs(r.args, eff.params, r.span, `effect \`${name}\``);
    if (r.key !== null) {
      const t = this.expr(r.key, T.string);
      if (t.k !== "string" && t.k !== "error") this.err("LX0509", r.key.span, `the idempotency key must be a string, not \`${typeStr(t)}\``);
    }
    // Capability check (rules.md [13], [27]): the domain must hold every capability the effect needs.
    const dom = this.ctx?.domain;
    if (dom && this.ctx?.kind === "transition") {
      const missing = eff.capabilities.filter((c) => !dom.capabilities.includes(c));
      if (missing.length > 0) {
        const notes: Note[] = [];
        if (eff.decl.capabilitySpan) notes.push({ message: `\`${name}\` requires ${missing.map((m) => `\`${m}\``).join(", ")}`, span: eff.decl.capabilitySpan });
        notes.push({ message: `add \`capability { ${[...dom.capabilities, ...missing].join(", ")} }\` to domain \`${dom.name}\`` });
        this.err("LX0503", stmtSpan, `domain \`${dom.name}\` lacks the capability ${missing.map((m) => `\`${m}\``).join(", ")} needed by \`${name}\``, notes);
      }
    }
    this.out.effectRefs.set(r, { effect: eff, args });
    return eff;
  }

  private awaitExpr(e: Extract<A.Expr, { kind: "Await" }>, _expected: Type | null): Type {
    if (this.ctx?.kind !== "transition") {
      this.err("LX0504", e.span, `\`await\` is not allowed in ${this.contextName()}; only transitions wait for effects`);
    }
    const eff = this.effectRef(e.effect, e.span);
    const t = eff ? T.result(eff.result) : T.error;
    this.out.exprTypes.set(e, t);
    return t;
  }

  // ------------------------------------------------------------ match

  private match(s: Extract<A.Stmt, { kind: "Match" }>): boolean {
    const t = this.expr(s.subject);
    const rows: SPat[][] = [];
    let allTerminate = s.arms.length > 0;
    let reportedUnreachable = false;
    // An arm whose pattern has an error could have covered anything: checking coverage would
    // only report follow-on errors.
    let patternError = false;
    for (const arm of s.arms) {
      const armTerm = this.withScope(() => {
        const before = this.diags.errorCount;
        const sp = this.pattern(arm.pattern, t, true);
        if (sp === null || this.diags.errorCount > before) patternError = true;
        if (sp !== null && !patternError) {
          if (!reportedUnreachable && useful(rows, [sp], [t]) === null && t.k !== "error") {
            this.err("LX0402", arm.pattern.span, "this arm can never match: earlier arms already cover it");
            reportedUnreachable = true;
          }
          rows.push([sp]);
        }
        return this.block(arm.body, false);
      });
      if (!armTerm) allTerminate = false;
    }
    if (t.k !== "error" && !patternError) {
      const missing = missingPatterns(rows, t);
      if (missing.length > 0) {
        this.err("LX0401", s.keywordSpan, `this match on \`${typeStr(t)}\` is not exhaustive`, [
          { message: `missing: ${missing.map((m) => `\`${m}\``).join(", ")}` },
        ]);
        return false;
      }
    }
    return allTerminate;
  }

  /** Checks a pattern against a type; returns its matrix form (null on error). */
  private pattern(p: A.Pattern, t: Type, top: boolean): SPat | null {
    const set = (c: CPat): void => {
      this.out.patterns.set(p, c);
    };
    if (t.k === "error") {
      // Still declare bindings so the arm body checks.
      this.bindErrors(p);
      return null;
    }
    switch (p.kind) {
      case "PWild":
        set({ k: "wild" });
        return WILD;
      case "PNone":
        if (t.k !== "opt") {
          this.err("LX0408", p.span, `\`none\` cannot match ${aType(t)}`);
          return null;
        }
        set({ k: "none" });
        return { k: "ctor", name: "none", args: [] };
      case "PLit": {
        const inner = t.k === "opt" ? t.inner : t;
        const lt = this.expr(p.value, inner);
        if (!typeEq(lt, inner) || !(inner.k === "int" || inner.k === "float" || inner.k === "string" || inner.k === "bool")) {
          this.err("LX0408", p.span, `${aType(lt)} literal cannot match ${aType(t)}`);
          return null;
        }
        const c: CPat = { k: "lit", value: p.value, type: inner };
        let sp: SPat;
        if (inner.k === "bool") sp = { k: "ctor", name: String((p.value as { value: boolean }).value), args: [] };
        else sp = { k: "lit", key: litKey(p.value) };
        if (t.k === "opt") {
          set({ k: "some", inner: c });
          return { k: "ctor", name: "some", args: [sp] };
        }
        set(c);
        return sp;
      }
      case "PName":
      case "PVariant": {
        // Optional of an enum/result: a non-none pattern matches the inner value.
        if (t.k === "opt") {
          if (p.kind === "PName" && !top && !this.namesVariantOf(p.name.name, t.inner)) {
            const l = this.newLocal(p.name.name, t, "pattern", p.name.span);
            this.declare(l);
            set({ k: "bind", local: l });
            return WILD;
          }
          const inner = this.variantPattern(p, t.inner, top);
          if (inner === null) return null;
          const ic = this.out.patterns.get(p)!;
          set({ k: "some", inner: ic });
          return { k: "ctor", name: "some", args: [inner] };
        }
        if (p.kind === "PName" && !top && !this.namesVariantOf(p.name.name, t)) {
          const l = this.newLocal(p.name.name, t, "pattern", p.name.span);
          this.declare(l);
          set({ k: "bind", local: l });
          return WILD;
        }
        return this.variantPattern(p, t, top);
      }
    }
  }

  private bindErrors(p: A.Pattern): void {
    if (p.kind === "PName") {
      const l = this.newLocal(p.name.name, T.error, "pattern", p.name.span);
      l.used = true;
      this.declare(l);
      this.out.patterns.set(p, { k: "bind", local: l });
    } else if (p.kind === "PVariant" && p.args) for (const a of p.args) this.bindErrors(a);
  }

  private namesVariantOf(name: string, t: Type): boolean {
    if (t.k === "enum") return this.variantTag(t.info, name) >= 0;
    if (t.k === "result") return name === "Ok" || name === "Err";
    return false;
  }

  private variantPattern(p: Extract<A.Pattern, { kind: "PName" | "PVariant" }>, t: Type, top: boolean): SPat | null {
    const name = p.name.name;
    const args = p.kind === "PVariant" ? p.args : null;
    const qualifier = p.kind === "PVariant" ? p.qualifier : null;
    let fieldTypes: Type[];
    let tag: number;
    if (t.k === "result" && qualifier === null && (name === "Ok" || name === "Err")) {
      tag = name === "Ok" ? 0 : 1;
      fieldTypes = [tag === 0 ? t.ok : this.effectErrorType()];
    } else if (t.k === "enum") {
      if (qualifier !== null && qualifier.name !== t.info.name) {
        this.err("LX0408", qualifier.span, `pattern of enum \`${qualifier.name}\` cannot match ${aType(t)}`);
        return null;
      }
      tag = this.variantTag(t.info, name);
      if (tag < 0) {
        const hint = this.suggest(name, t.info.variants.map((v) => v.name)) || (top && p.kind === "PName" ? "; a bare name at the top of a pattern must name a variant (use `_` to match anything)" : "");
        this.err("LX0205", p.name.span, `enum \`${t.info.name}\` has no variant \`${name}\`${hint}`);
        if (p.kind === "PVariant" && p.args) for (const a of p.args) this.bindErrors(a);
        return null;
      }
      fieldTypes = t.info.variants[tag]!.fields.map((f) => f.type);
    } else {
      if (top && p.kind === "PName") this.err("LX0109", p.span, `\`${name}\` is not a variant of \`${typeStr(t)}\`; a bare name at the top of a pattern must name a variant (use \`_\` to match anything)`);
      else this.err("LX0408", p.span, `a variant pattern cannot match ${aType(t)}`);
      return null;
    }
    const given = args ?? [];
    if (given.length !== fieldTypes.length) {
      if (!(args === null && fieldTypes.length > 0)) {
        this.err("LX0214", p.span, `\`${name}\` has ${fieldTypes.length} field${fieldTypes.length === 1 ? "" : "s"}, the pattern gives ${given.length}`);
        // Still declare the names the pattern binds, so the arm's body has no follow-on errors.
        for (const a of given) this.bindErrors(a);
        return null;
      }
      // `V` without parentheses for a variant with fields matches any fields.
    }
    const subs: SPat[] = [];
    const cargs: CPat[] = [];
    for (let i = 0; i < fieldTypes.length; i++) {
      const a = given[i];
      if (a === undefined) {
        subs.push(WILD);
        cargs.push({ k: "wild" });
        continue;
      }
      const sp = this.pattern(a, fieldTypes[i]!, false);
      subs.push(sp ?? WILD);
      cargs.push(this.out.patterns.get(a) ?? { k: "wild" });
    }
    this.out.patterns.set(p, { k: "variant", type: t, tag, args: cargs });
    const ctorName = t.k === "result" ? (tag === 0 ? "Ok" : "Err") : (t as { info: EnumInfo }).info.variants[tag]!.name;
    return { k: "ctor", name: ctorName, args: subs };
  }

  private effectErrorType(): Type {
    const r = this.out.records.get("EffectError");
    return r ? { k: "record", info: r } : T.error;
  }

  // ------------------------------------------------------------ expressions

  expr(e: A.Expr, expected?: Type): Type {
    const t = this.exprInner(e, expected);
    this.out.exprTypes.set(e, t);
    return t;
  }

  private exprInner(e: A.Expr, expected?: Type): Type {
    const exp = expected && expected.k === "opt" ? expected.inner : expected;
    switch (e.kind) {
      case "Int":
        return exp?.k === "float" ? T.float : T.int;
      case "Float":
        return T.float;
      case "Duration":
        return T.int;
      case "Bool":
        return T.bool;
      case "Str":
        for (const part of e.parts) {
          if (part.kind !== "expr") continue;
          const t = this.expr(part.expr);
          if (!(t.k === "int" || t.k === "float" || t.k === "bool" || t.k === "string" || t.k === "error")) {
            this.err("LX0310", part.expr.span, `${aType(t)} cannot be interpolated (only int, float, bool and string can)${t.k === "opt" ? "; unwrap it with `??`" : ""}`);
          }
        }
        return T.string;
      case "None":
        if (expected && expected.k === "opt") return expected;
        if (expected && expected.k === "error") return T.error;
        if (expected) {
          this.err("LX0301", e.span, `expected \`${typeStr(expected)}\`, found \`none\` (only optionals \`T?\` hold none)`);
          return T.error;
        }
        return T.none;
      case "Name":
        return this.name(e, exp);
      case "SelfId":
        if (!this.ctx?.domain || this.ctx.kind === "fn") {
          this.err("LX0506", e.span, "`self.id` is only available inside a domain");
          return T.error;
        }
        return T.string;
      case "StateField": {
        const dom = this.ctx?.domain;
        if (!dom || this.ctx?.kind === "fn") {
          this.err("LX0505", e.span, "`state` is not visible here: top-level functions see only their arguments");
          return T.error;
        }
        const f = this.stateField(dom, e.field.name);
        if (!f) {
          this.err("LX0204", e.field.span, `domain \`${dom.name}\` has no state field \`${e.field.name}\`${this.suggest(e.field.name, dom.state.map((s) => s.name))}`);
          return T.error;
        }
        this.out.names.set(e, { k: "state", field: f });
        return f.type;
      }
      case "Unary": {
        if (e.op === "!") {
          const t = this.expr(e.operand, T.bool);
          if (t.k !== "bool" && t.k !== "error") this.err("LX0302", e.span, `\`!\` needs a bool, not \`${typeStr(t)}\``);
          return T.bool;
        }
        const t = this.expr(e.operand, exp);
        if (!isNumeric(t) && t.k !== "error") {
          this.err("LX0302", e.span, `unary \`-\` needs an int or float, not \`${typeStr(t)}\``);
          return T.error;
        }
        return t;
      }
      case "Binary":
        return this.binary(e, exp);
      case "As": {
        const src = this.expr(e.expr);
        const target = this.resolveType(e.type);
        if (src.k !== "json" && src.k !== "error") this.err("LX0314", e.span, `\`as\` converts a json value to a type; this is ${aType(src)}${isNumeric(src) ? " (use to_float/to_int for numbers)" : ""}`);
        return target;
      }
      case "Member":
        return this.member(e);
      case "Index":
        return this.index(e);
      case "Call":
        return this.call(e, expected, false);
      case "List": {
        const given = exp?.k === "list" ? exp.elem : null;
        if (e.items.length === 0) {
          if (given === null) {
            if (exp?.k !== "error") this.err("LX0308", e.span, "the type of an empty list `[]` must be known: annotate it, e.g. `let xs: list<int> = []`");
            return T.error;
          }
          return T.list(given);
        }
        return T.list(this.elements(e.items, given, "list elements"));
      }
      case "SetLit": {
        const elem = this.elements(e.items, exp?.k === "set" ? exp.elem : null, "set elements");
        if (!isKeyType(elem)) this.err("LX0309", e.items[0]!.span, `set elements must be int or string, not \`${typeStr(elem)}\``);
        return T.set(elem);
      }
      case "MapLit": {
        const key = this.elements(e.entries.map((x) => x.key), exp?.k === "map" ? exp.key : null, "map keys");
        if (!isKeyType(key)) this.err("LX0309", e.entries[0]!.key.span, `map keys must be int or string, not \`${typeStr(key)}\``);
        const val = this.elements(e.entries.map((x) => x.value), exp?.k === "map" ? exp.val : null, "map values");
        return T.map(key, val);
      }
      case "EmptyBraces":
        if (exp?.k === "map" || exp?.k === "set") return exp;
        if (exp?.k !== "error") this.err("LX0308", e.span, "the type of an empty `{}` must be known: annotate it, e.g. `let m: map<string, int> = {}` or `set<int>`");
        return T.error;
      case "Record":
        return this.recordLit(e);
      case "Await":
        // Placement is checked by the parser; here it appears only through `stmt`.
        return this.awaitExpr(e, expected ?? null);
    }
  }

  /**
   * The common type of the items of a collection literal. With an expected element type every
   * item is checked against it. Without one the type comes from the items: an item that is not
   * an integer literal is checked first (so `[1, 2.5]` is a float list, rules.md [19]), and a
   * `T?` or `none` item widens `T` to `T?` (rules.md [11]).
   */
  private elements(items: readonly A.Expr[], given: Type | null, what: string): Type {
    if (given !== null) {
      for (const item of items) {
        const t = this.expr(item, given);
        if (!assignable(t, given)) this.err("LX0317", item.span, `${what} must all be \`${typeStr(given)}\`, this is \`${typeStr(t)}\``);
      }
      return given;
    }
    let elem: Type | null = null;
    let onlyIntLiterals = true;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const t = this.expr(item, elem ?? undefined);
      if (elem === null) elem = t;
      else if (elem.k === "int" && t.k === "float" && onlyIntLiterals) {
        // The integer literals so far were floats all along.
        for (let j = 0; j < i; j++) this.retypeIntLiteral(items[j]!);
        elem = T.float;
      } else if (elem.k === "none" && t.k !== "none") elem = T.opt(t);
      else if (!assignable(t, elem)) {
        if (t.k === "opt" && typeEq(t.inner, elem)) elem = t;
        else if (t.k === "none") elem = T.opt(elem);
        else this.err("LX0317", item.span, `${what} must all be \`${typeStr(elem)}\`, this is \`${typeStr(t)}\``);
      }
      if (!isIntLiteral(item)) onlyIntLiterals = false;
    }
    if (elem!.k === "none") {
      this.err("LX0307", items[0]!.span, `the type of these ${what} is unknown: annotate the collection, e.g. \`list<int?>\``);
      return T.error;
    }
    return elem!;
  }

  /** An integer literal (possibly negated) already checked as int becomes a float literal. */
  private retypeIntLiteral(e: A.Expr): void {
    this.out.exprTypes.set(e, T.float);
    if (e.kind === "Unary") this.out.exprTypes.set(e.operand, T.float);
  }

  private name(e: Extract<A.Expr, { kind: "Name" }>, exp: Type | undefined): Type {
    const l = this.lookup(e.name);
    if (l) {
      l.used = true;
      this.out.names.set(e, { k: "local", local: l });
      return l.type;
    }
    const dom = this.ctx?.domain;
    if (dom && this.ctx?.kind !== "fn") {
      const f = this.stateField(dom, e.name);
      if (f) {
        if (this.ctx?.kind === "default") {
          this.err("LX0601", e.span, `a state default cannot read state field \`${e.name}\``);
        }
        this.out.names.set(e, { k: "state", field: f });
        return f.type;
      }
    }
    // A bare variant name: from the expected type, else unique in the program (rules.md [22]).
    if (exp && exp.k === "enum") {
      const tag = this.variantTag(exp.info, e.name);
      if (tag >= 0) return this.unitVariant(e, exp.info, tag);
    }
    const owners = this.variantOwners(e.name);
    if (owners.length === 1) {
      const en = owners[0]!;
      return this.unitVariant(e, en, this.variantTag(en, e.name));
    }
    if (owners.length > 1) {
      this.err("LX0206", e.span, `\`${e.name}\` is a variant of ${owners.map((o) => `\`${o.name}\``).join(" and ")}; write \`${owners[0]!.name}.${e.name}\``);
      return T.error;
    }
    if (this.ctx?.kind === "fn" && this.ctx.fn && this.findStateFieldAnyDomain(e.name)) {
      this.err("LX0505", e.span, `\`${e.name}\` is state; top-level functions see only their arguments (pass it as a parameter, or make this a domain \`fn\`)`);
      return T.error;
    }
    const candidates = [...this.scopes.flatMap((s) => [...s.keys()]), ...(dom?.state.map((s) => s.name) ?? [])];
    this.err("LX0201", e.span, `unknown name \`${e.name}\`${this.suggest(e.name, candidates)}`);
    return T.error;
  }

  private findStateFieldAnyDomain(name: string): boolean {
    for (const d of this.out.domains.values()) if (this.stateField(d, name)) return true;
    return false;
  }

  private unitVariant(e: A.Expr, en: EnumInfo, tag: number): Type {
    const v = en.variants[tag]!;
    const t: Type = { k: "enum", info: en };
    if (v.fields.length > 0) {
      this.err("LX0211", e.span, `variant \`${en.name}.${v.name}\` has fields: construct it as \`${v.name}(${v.fields.map((f) => `${f.name}: …`).join(", ")})\``);
      return t;
    }
    this.out.unitVariants.set(e, { type: t, tag });
    return t;
  }

  private binary(e: Extract<A.Expr, { kind: "Binary" }>, exp: Type | undefined): Type {
    const op = e.op;
    const res = (r: BinRes, t: Type): Type => {
      this.out.binops.set(e, r);
      return t;
    };
    if (op === "&&" || op === "||") {
      const a = this.expr(e.left, T.bool);
      const b = this.expr(e.right, T.bool);
      for (const [x, side] of [[a, e.left], [b, e.right]] as const) {
        if (x.k !== "bool" && x.k !== "error") this.err("LX0302", side.span, `\`${op}\` needs bool operands, not \`${typeStr(x)}\``);
      }
      return res(op === "&&" ? "AND" : "OR", T.bool);
    }
    if (op === "??") {
      const a = this.expr(e.left, exp ? T.opt(exp) : undefined);
      if (a.k !== "opt" && a.k !== "error") {
        this.err("LX0301", e.left.span, `the left side of \`??\` must be optional, this is \`${typeStr(a)}\``);
        this.expr(e.right);
        return T.error;
      }
      const inner = a.k === "opt" ? a.inner : T.error;
      const b = this.expr(e.right, inner);
      if (b.k === "error" || inner.k === "error") return res("COALESCE", inner.k === "error" ? b : inner);
      if (typeEq(b, inner)) return res("COALESCE", inner);
      if (b.k === "opt" && typeEq(b.inner, inner)) return res("COALESCE", b);
      if (b.k === "none") return res("COALESCE", a);
      this.mismatch(e.right.span, inner, b, "`??` default: ");
      return T.error;
    }
    if (op === "==" || op === "!=") {
      // `x == none` / `none == x` test an optional (rules.md [11]).
      if (e.right.kind === "None" || e.left.kind === "None") {
        const other = e.right.kind === "None" ? e.left : e.right;
        const t = this.expr(other);
        this.out.exprTypes.set(other === e.left ? e.right : e.left, t.k === "opt" ? t : T.none);
        if (t.k !== "opt" && t.k !== "error" && t.k !== "none") this.err("LX0301", other.span, `only an optional can be compared with \`none\`; this is \`${typeStr(t)}\``);
        const left = e.right.kind === "None";
        return res(op === "==" ? (left ? "IS_NONE_L" : "IS_NONE_R") : left ? "NOT_NONE_L" : "NOT_NONE_R", T.bool);
      }
      const [a, b] = this.operands(e.left, e.right);
      if (!comparableEq(a, b)) this.err("LX0301", e.span, `cannot compare \`${typeStr(a)}\` with \`${typeStr(b)}\``);
      return res(op === "==" ? "EQ" : "NE", T.bool);
    }
    if (op === "<" || op === "<=" || op === ">" || op === ">=") {
      const [a, b] = this.operands(e.left, e.right);
      if (a.k === "error" || b.k === "error") return T.bool;
      if (!isOrdered(a) || !typeEq(a, b)) {
        if (isNumeric(a) && isNumeric(b)) this.err("LX0304", e.span, `cannot compare \`${typeStr(a)}\` with \`${typeStr(b)}\`; convert with to_float/to_int`);
        else this.err("LX0316", e.span, `\`${op}\` compares ints, floats or strings, not \`${typeStr(a)}\`${typeEq(a, b) ? "" : ` and \`${typeStr(b)}\``}`);
        return T.bool;
      }
      const sfx = a.k === "string" ? "_S" : "_N";
      const base = op === "<" ? "LT" : op === "<=" ? "LE" : op === ">" ? "GT" : "GE";
      return res(`${base}${sfx}` as BinRes, T.bool);
    }
    // Arithmetic.
    const [a, b] = this.operands(e.left, e.right, exp);
    if (a.k === "error" || b.k === "error") return a.k === "error" ? b : a;
    if (a.k === "string" && b.k === "string" && op === "+") {
      this.err("LX0303", e.opSpan, "`+` does not join strings: use interpolation `\"{a}{b}\"` or `join([a, b], \"\")`");
      return T.string;
    }
    if (!isNumeric(a) || !isNumeric(b)) {
      this.err("LX0302", e.opSpan, `\`${op}\` is not defined for \`${typeStr(a)}\` and \`${typeStr(b)}\``);
      return T.error;
    }
    if (a.k !== b.k) {
      this.err("LX0304", e.opSpan, `\`${op}\` mixes \`${typeStr(a)}\` and \`${typeStr(b)}\`; convert with to_float(…) or to_int(…)`);
      return T.error;
    }
    const sfx = a.k === "int" ? "_I" : "_F";
    const base = op === "+" ? "ADD" : op === "-" ? "SUB" : op === "*" ? "MUL" : op === "/" ? "DIV" : "MOD";
    return res(`${base}${sfx}` as BinRes, a);
  }

  /**
   * Checks both operands of a binary operator. An int literal next to a float operand is a
   * float (rules.md [19]): when the left side is a literal, the right side is checked first.
   */
  private operands(left: A.Expr, right: A.Expr, exp?: Type): [Type, Type] {
    const numExp = exp && isNumeric(exp) ? exp : undefined;
    if (isIntLiteral(left) && !isIntLiteral(right)) {
      const b = this.expr(right, numExp);
      const a = this.expr(left, b.k === "float" ? T.float : numExp);
      return [a, b];
    }
    const a = this.expr(left, numExp);
    const b = this.expr(right, a.k === "error" ? numExp : a);
    return [a, b];
  }

  private member(e: Extract<A.Expr, { kind: "Member" }>): Type {
    // `Enum.Variant`
    if (e.object.kind === "Name" && !this.lookup(e.object.name) && !this.isStateName(e.object.name)) {
      const en = this.out.enums.get(e.object.name);
      if (en) {
        const tag = this.variantTag(en, e.name.name);
        if (tag < 0) {
          this.err("LX0205", e.name.span, `enum \`${en.name}\` has no variant \`${e.name.name}\`${this.suggest(e.name.name, en.variants.map((v) => v.name))}`);
          return T.error;
        }
        this.out.members.set(e, { k: "variant", en, tag });
        return this.unitVariant(e, en, tag);
      }
    }
    const t = this.expr(e.object);
    if (t.k === "record") {
      const i = this.fieldIndex(t.info, e.name.name);
      if (i < 0) {
        this.err("LX0204", e.name.span, `\`${t.info.name}\` has no field \`${e.name.name}\`${this.suggest(e.name.name, t.info.fields.map((f) => f.name))}`);
        return T.error;
      }
      this.out.members.set(e, { k: "field", record: t.info, index: i });
      return t.info.fields[i]!.type;
    }
    if (t.k === "json") {
      this.out.members.set(e, { k: "json" });
      return T.json;
    }
    if (t.k === "opt") {
      this.err("LX0305", e.name.span, `cannot read \`.${e.name.name}\` of an optional \`${typeStr(t)}\`: unwrap it first with \`if let\` or \`??\``);
      return T.error;
    }
    if (t.k !== "error") this.err("LX0315", e.name.span, `${aType(t)} has no field \`${e.name.name}\``);
    return T.error;
  }

  private isStateName(name: string): boolean {
    const dom = this.ctx?.domain;
    return !!dom && this.ctx?.kind !== "fn" && this.stateField(dom, name) !== undefined;
  }

  private index(e: Extract<A.Expr, { kind: "Index" }>): Type {
    const t = this.expr(e.object);
    if (t.k === "list") {
      const it = this.expr(e.index, T.int);
      if (it.k !== "int" && it.k !== "error") this.mismatch(e.index.span, T.int, it, "a list index is an int: ");
      this.out.indexes.set(e, "list");
      return t.elem;
    }
    if (t.k === "map") {
      const kt = this.expr(e.index, t.key);
      if (!assignable(kt, t.key) || kt.k === "opt") this.mismatch(e.index.span, t.key, kt, "map key: ");
      this.out.indexes.set(e, "map");
      return t.val;
    }
    if (t.k === "json") {
      const it = this.expr(e.index);
      if (it.k !== "int" && it.k !== "string" && it.k !== "error") this.err("LX0311", e.index.span, `json is indexed by an int or a string, not \`${typeStr(it)}\``);
      this.out.indexes.set(e, "json");
      return T.json;
    }
    this.expr(e.index);
    if (t.k === "opt") this.err("LX0305", e.span, `cannot index an optional \`${typeStr(t)}\`: unwrap it first with \`if let\` or \`??\``);
    else if (t.k !== "error") this.err("LX0311", e.span, `${aType(t)} cannot be indexed${t.k === "string" ? " (use slice(s, i, i + 1))" : ""}`);
    return T.error;
  }

  private recordLit(e: Extract<A.Expr, { kind: "Record" }>): Type {
    const rec = this.out.records.get(e.type.name);
    if (!rec) {
      for (const f of e.fields) this.expr(f.value);
      const en = this.out.enums.get(e.type.name);
      this.err("LX0203", e.type.span, en ? `\`${e.type.name}\` is an enum; construct a variant like \`${e.type.name}.${en.variants[0]?.name ?? "V"}\`` : `unknown record type \`${e.type.name}\`${this.suggest(e.type.name, this.out.records.keys())}`);
      return T.error;
    }
    const values: (A.Expr | undefined)[] = new Array(rec.fields.length).fill(undefined);
    for (const f of e.fields) {
      const i = this.fieldIndex(rec, f.name.name);
      if (i < 0) {
        this.expr(f.value);
        this.err("LX0204", f.name.span, `\`${rec.name}\` has no field \`${f.name.name}\`${this.suggest(f.name.name, rec.fields.map((x) => x.name))}`);
        continue;
      }
      if (values[i] !== undefined) {
        this.expr(f.value);
        this.err("LX0213", f.name.span, `field \`${f.name.name}\` is given twice`);
        continue;
      }
      const want = rec.fields[i]!.type;
      const t = this.expr(f.value, want);
      if (!assignable(t, want)) this.mismatch(f.value.span, want, t, `field \`${f.name.name}\`: `);
      values[i] = f.value;
    }
    const missing = rec.fields.filter((_, i) => values[i] === undefined).map((f) => `\`${f.name}\``);
    if (missing.length > 0) this.err("LX0219", e.type.span, `missing field${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in \`${rec.name}\``);
    this.out.recordLits.set(e, { record: rec, values: values.map((v) => v ?? ({ kind: "None", span: e.span } as A.Expr)) });
    return { k: "record", info: rec };
  }

  // ------------------------------------------------------------ calls

  private call(e: Extract<A.Expr, { kind: "Call" }>, expected: Type | undefined, asStatement: boolean): Type {
    const name = e.callee.name;
    const exp = expected && expected.k === "opt" ? expected.inner : expected;
    // `Enum.Variant(args)`
    if (e.receiver !== null && e.receiver.kind === "Name" && !this.lookup(e.receiver.name) && !this.isStateName(e.receiver.name)) {
      const en = this.out.enums.get(e.receiver.name);
      if (en) return this.variantCall(e, { k: "enum", info: en }, name, asStatement);
      if (this.out.effects.has(`${e.receiver.name}.${name}`)) {
        for (const a of e.args) this.expr(a.value);
        this.err("LX0110", e.span, `effect \`${e.receiver.name}.${name}\` must be called with \`await\` or \`emit\``);
        return T.error;
      }
      if (this.out.domains.has(e.receiver.name)) {
        for (const a of e.args) this.expr(a.value);
        this.err("LX0217", e.span, `transitions are not called directly: use \`send ${e.receiver.name}[id].${name}(…)\``);
        return T.error;
      }
    }
    if (e.receiver === null) {
      // Ok / Err
      if (name === "Ok" || name === "Err") return this.resultCall(e, exp);
      // Bare variant constructor `Failed(reason: …)`.
      const fnLocal = this.ctx?.domain?.fns.get(name) ?? this.out.fns.get(name);
      if (!fnLocal && !BUILTIN_SURFACE.has(name)) {
        if (exp && exp.k === "enum" && this.variantTag(exp.info, name) >= 0) return this.variantCall(e, exp, name, asStatement);
        const owners = this.variantOwners(name);
        if (owners.length === 1) return this.variantCall(e, { k: "enum", info: owners[0]! }, name, asStatement);
        if (owners.length > 1) {
          for (const a of e.args) this.expr(a.value);
          this.err("LX0206", e.callee.span, `\`${name}\` is a variant of ${owners.map((o) => `\`${o.name}\``).join(" and ")}; write \`${owners[0]!.name}.${name}(…)\``);
          return T.error;
        }
        const dom = this.ctx?.domain;
        if (dom?.transitions.has(name)) {
          for (const a of e.args) this.expr(a.value);
          this.err("LX0217", e.callee.span, `\`${name}\` is a transition; transitions are not called, they receive messages: \`send self.${name}(…)\``);
          return T.error;
        }
        for (const a of e.args) this.expr(a.value);
        this.err("LX0207", e.callee.span, `unknown function \`${name}\`${this.suggest(name, [...this.out.fns.keys(), ...(dom?.fns.keys() ?? []), ...BUILTIN_SURFACE])}`);
        return T.error;
      }
      if (fnLocal) return this.fnCall(e, fnLocal, asStatement);
    } else if (!BUILTIN_SURFACE.has(name)) {
      for (const a of e.args) this.expr(a.value);
      this.expr(e.receiver);
      const isUser = this.ctx?.domain?.fns.has(name) || this.out.fns.has(name);
      this.err(isUser ? "LX0218" : "LX0207", e.callee.span, isUser ? `method syntax is only for built-ins: call \`${name}(…)\` as a function` : `unknown method \`${name}\``);
      return T.error;
    }
    return this.builtinCall(e, exp, asStatement);
  }

  private fnCall(e: Extract<A.Expr, { kind: "Call" }>, fn: FnInfo, asStatement: boolean): Type {
    const args: A.Expr[] = [];
    for (const a of e.args) {
      if (a.label !== null) this.err("LX0115", a.label.span, `function arguments are positional: drop \`${a.label.name}:\``);
    }
    if (e.args.length !== fn.params.length) {
      this.err("LX0214", e.span, `\`${fn.name}\` takes ${fn.params.length} argument${fn.params.length === 1 ? "" : "s"}, ${e.args.length} given`);
    }
    e.args.forEach((a, i) => {
      const want = fn.params[i]?.type;
      const t = this.expr(a.value, want);
      if (want && !assignable(t, want)) this.mismatch(a.value.span, want, t, `argument ${i + 1} of \`${fn.name}\`: `);
      args.push(a.value);
    });
    // A top-level fn cannot call a domain fn (it has no state); domain fns are looked up first.
    this.out.calls.set(e, { res: { k: "fn", fn }, args });
    if (fn.result === null) {
      if (!asStatement) {
        this.err("LX0322", e.span, `\`${fn.name}\` returns no value`);
        return T.error;
      }
      return T.none;
    }
    return fn.result;
  }

  private resultCall(e: Extract<A.Expr, { kind: "Call" }>, exp: Type | undefined): Type {
    const name = e.callee.name;
    if (e.args.length !== 1) {
      for (const a of e.args) this.expr(a.value);
      this.err("LX0214", e.span, `\`${name}\` takes one argument`);
      return T.error;
    }
    const want = exp?.k === "result" ? (name === "Ok" ? exp.ok : this.effectErrorType()) : name === "Err" ? this.effectErrorType() : undefined;
    const t = this.expr(e.args[0]!.value, want);
    if (want && !assignable(t, want)) this.mismatch(e.args[0]!.value.span, want, t);
    let type: Type;
    if (exp?.k === "result") type = exp;
    else if (name === "Ok") type = T.result(t);
    else {
      this.err("LX0307", e.span, "the type of `Err(…)` must be known from context (a `result<T>` is expected here)");
      return T.error;
    }
    this.out.calls.set(e, { res: { k: "variant", type, tag: name === "Ok" ? 0 : 1 }, args: [e.args[0]!.value] });
    return type;
  }

  private variantCall(e: Extract<A.Expr, { kind: "Call" }>, t: Type & { k: "enum" }, name: string, _asStatement: boolean): Type {
    const tag = this.variantTag(t.info, name);
    if (tag < 0) {
      for (const a of e.args) this.expr(a.value);
      this.err("LX0205", e.callee.span, `enum \`${t.info.name}\` has no variant \`${name}\`${this.suggest(name, t.info.variants.map((v) => v.name))}`);
      return T.error;
    }
    const v = t.info.variants[tag]!;
    const args = this.namedArgs(e.args, v.fields, e.callee.span, `variant \`${t.info.name}.${name}\``);
    this.out.calls.set(e, { res: { k: "variant", type: t, tag }, args });
    return t;
  }

  /** Resolves a built-in by name and argument types (rules.md [18]). */
  private builtinCall(e: Extract<A.Expr, { kind: "Call" }>, exp: Type | undefined, asStatement: boolean): Type {
    const name = e.callee.name;
    const raw: A.Expr[] = e.receiver ? [e.receiver, ...e.args.map((a) => a.value)] : e.args.map((a) => a.value);
    for (const a of e.args) if (a.label !== null) this.err("LX0115", a.label.span, `built-in arguments are positional: drop \`${a.label.name}:\``);
    const arity = (ns: number[]): boolean => {
      if (!ns.includes(raw.length)) {
        for (const a of raw) this.expr(a);
        this.err("LX0214", e.span, `\`${name}\` takes ${ns.join(" or ")} argument${ns.length === 1 && ns[0] === 1 ? "" : "s"}, ${raw.length} given`);
        return false;
      }
      return true;
    };
    const ok = (id: number, t: Type, mutates = false): Type => {
      this.out.calls.set(e, { res: { k: "builtin", id, mutates }, args: raw });
      return t;
    };
    const argT = (i: number, want?: Type): Type => {
      const t = this.expr(raw[i]!, want);
      if (want && !assignable(t, want) && t.k !== "error") this.mismatch(raw[i]!.span, want, t, `argument ${i + 1} of \`${name}\`: `);
      return t;
    };
    const bad = (t: Type, what: string): Type => {
      if (t.k === "opt") this.err("LX0305", raw[0]!.span, `\`${name}\` needs ${what}, not an optional \`${typeStr(t)}\`: unwrap it first`);
      else if (t.k !== "error") this.err("LX0301", raw[0]!.span, `\`${name}\` needs ${what}, not \`${typeStr(t)}\``);
      for (let i = 1; i < raw.length; i++) this.expr(raw[i]!);
      return T.error;
    };
    const impure = (): void => {
      if (this.ctx?.kind !== "transition") this.err("LX0502", e.span, `\`${name}()\` is not allowed in ${this.contextName()}: it is available only in transitions`);
    };
    const mutating = MUTATING.has(name) || name === "pop";
    if (mutating) {
      if (!asStatement && name !== "pop") {
        for (const a of raw) this.expr(a);
        this.err("LX0405", e.span, `\`${name}\` changes its collection in place and has no value; call it as a statement`);
        // The author meant to change the variable: do not also warn that it is never reassigned.
        const root = raw.length > 0 ? placeRoot(raw[0]!) : null;
        if (root?.kind === "Name") {
          const l = this.lookup(root.name);
          if (l) l.assigned = true;
        }
        return T.error;
      }
      if (raw.length > 0 && !isPlace(raw[0]!)) {
        for (const a of raw) this.expr(a);
        this.err("LX0405", raw[0]!.span, `\`${name}\` needs a variable or state field to change (a \`var\`, a state field, or a path from one)`);
        return T.error;
      }
      if (raw.length > 0) {
        // Check mutability of the place root (a let/param/loop var cannot be changed).
        const root = placeRoot(raw[0]!);
        if (root.kind === "Name") {
          const l = this.lookup(root.name);
          if (l && l.kind !== "var") {
            this.err("LX0405", raw[0]!.span, `\`${name}\` cannot change \`${l.name}\`: it is ${l.kind === "param" ? "a parameter" : l.kind === "loop" ? "a loop variable" : "immutable (`let`)"}; copy it into a \`var\``, [{ message: "declared here", span: l.span }]);
          } else if (l) l.assigned = true;
          else if (this.isStateName(root.name)) this.stateWrite(root.span);
        } else if (root.kind === "StateField") this.stateWrite(root.span);
      }
    }
    switch (name) {
      case "now":
        impure();
        if (!arity([0])) return T.error;
        this.out.calls.set(e, { res: { k: "det", op: "NOW" }, args: [] });
        return T.int;
      case "random":
        impure();
        if (!arity([0])) return T.error;
        this.out.calls.set(e, { res: { k: "det", op: "RANDOM" }, args: [] });
        return T.float;
      case "uuid":
        impure();
        if (!arity([0])) return T.error;
        this.out.calls.set(e, { res: { k: "det", op: "UUID" }, args: [] });
        return T.string;
      case "random_int":
        impure();
        if (!arity([2])) return T.error;
        argT(0, T.int);
        argT(1, T.int);
        this.out.calls.set(e, { res: { k: "det", op: "RANDOM_INT" }, args: raw });
        return T.int;
    }
    if (raw.length === 0) {
      this.err("LX0214", e.span, `\`${name}\` needs arguments`);
      return T.error;
    }
    let minMax1: Type | null = null;
    let t0: Type;
    if ((name === "min" || name === "max") && raw.length === 2) [t0, minMax1] = this.operands(raw[0]!, raw[1]!);
    else t0 = this.expr(raw[0]!, name === "abs" || name === "floor" || name === "ceil" || name === "round" || name === "sqrt" ? numExpect(name, exp) : undefined);
    if (t0.k === "error") {
      for (let i = 1; i < raw.length; i++) this.expr(raw[i]!);
      return T.error;
    }
    switch (name) {
      case "len":
        if (!arity([1])) return T.error;
        if (t0.k === "list") return ok(Builtin.len_list, T.int);
        if (t0.k === "map") return ok(Builtin.len_map, T.int);
        if (t0.k === "set") return ok(Builtin.len_set, T.int);
        if (t0.k === "string") return ok(Builtin.len_str, T.int);
        return bad(t0, "a list, map, set or string");
      case "push":
        if (!arity([2])) return T.error;
        if (t0.k !== "list") return bad(t0, "a list");
        argT(1, t0.elem);
        return ok(Builtin.list_push, T.none, true);
      case "pop":
        if (!arity([1])) return T.error;
        if (t0.k !== "list") return bad(t0, "a list");
        this.out.calls.set(e, { res: { k: "pop" }, args: raw });
        return T.opt(t0.elem);
      case "insert":
        if (t0.k === "map") {
          if (!arity([3])) return T.error;
          argT(1, t0.key);
          argT(2, t0.val);
          return ok(Builtin.map_insert, T.none, true);
        }
        if (t0.k === "set") {
          if (!arity([2])) return T.error;
          argT(1, t0.elem);
          return ok(Builtin.set_insert, T.none, true);
        }
        if (t0.k === "list") {
          if (!arity([3])) return T.error;
          argT(1, T.int);
          argT(2, t0.elem);
          return ok(Builtin.list_insert, T.none, true);
        }
        return bad(t0, "a map, set or list");
      case "remove":
        if (!arity([2])) return T.error;
        if (t0.k === "map") {
          argT(1, t0.key);
          return ok(Builtin.map_remove, T.none, true);
        }
        if (t0.k === "set") {
          argT(1, t0.elem);
          return ok(Builtin.set_remove, T.none, true);
        }
        if (t0.k === "list") {
          argT(1, T.int);
          return ok(Builtin.list_remove, T.none, true);
        }
        return bad(t0, "a map, set or list");
      case "sort":
        if (!arity([1])) return T.error;
        if (t0.k !== "list") return bad(t0, "a list");
        if (isNumeric(t0.elem)) return ok(Builtin.list_sort_num, T.none, true);
        if (t0.elem.k === "string") return ok(Builtin.list_sort_str, T.none, true);
        if (t0.elem.k !== "error") this.err("LX0318", raw[0]!.span, `sort needs a list of int, float or string, not \`${typeStr(t0)}\``);
        return T.error;
      case "reverse":
        if (!arity([1])) return T.error;
        if (t0.k !== "list") return bad(t0, "a list");
        return ok(Builtin.list_reverse, T.none, true);
      case "get":
        if (!arity([2])) return T.error;
        if (t0.k === "list") {
          argT(1, T.int);
          return ok(Builtin.list_get, T.opt(t0.elem));
        }
        if (t0.k === "map") {
          argT(1, t0.key);
          return ok(Builtin.map_get, T.opt(t0.val));
        }
        return bad(t0, "a list or map");
      case "has":
      case "contains":
        if (!arity([2])) return T.error;
        if (t0.k === "map") {
          argT(1, t0.key);
          return ok(Builtin.map_has, T.bool);
        }
        if (t0.k === "set") {
          argT(1, t0.elem);
          return ok(Builtin.set_has, T.bool);
        }
        if (t0.k === "list") {
          argT(1, t0.elem);
          return ok(Builtin.list_has, T.bool);
        }
        if (t0.k === "string") {
          argT(1, T.string);
          return ok(Builtin.str_has, T.bool);
        }
        return bad(t0, "a map, set, list or string");
      case "keys":
        if (!arity([1])) return T.error;
        if (t0.k !== "map") return bad(t0, "a map");
        return ok(Builtin.map_keys, T.list(t0.key));
      case "values":
        if (!arity([1])) return T.error;
        if (t0.k !== "map") return bad(t0, "a map");
        return ok(Builtin.map_values, T.list(t0.val));
      case "slice":
        if (!arity([3])) return T.error;
        argT(1, T.int);
        argT(2, T.int);
        if (t0.k === "list") return ok(Builtin.list_slice, t0);
        if (t0.k === "string") return ok(Builtin.str_slice, T.string);
        return bad(t0, "a list or string");
      case "index_of":
        if (!arity([2])) return T.error;
        if (t0.k === "list") {
          argT(1, t0.elem);
          return ok(Builtin.list_index_of, T.opt(T.int));
        }
        if (t0.k === "string") {
          argT(1, T.string);
          return ok(Builtin.str_index_of, T.opt(T.int));
        }
        return bad(t0, "a list or string");
      case "sum":
        if (!arity([1])) return T.error;
        if (t0.k === "list" && t0.elem.k === "int") return ok(Builtin.sum_int, T.int);
        if (t0.k === "list" && t0.elem.k === "float") return ok(Builtin.sum_float, T.float);
        return bad(t0, "a list of int or float");
      case "min":
      case "max": {
        if (!arity([1, 2])) return T.error;
        const two = name === "min" ? { n: Builtin.min_num, s: Builtin.min_str } : { n: Builtin.max_num, s: Builtin.max_str };
        const one = name === "min" ? { n: Builtin.list_min_num, s: Builtin.list_min_str } : { n: Builtin.list_max_num, s: Builtin.list_max_str };
        if (raw.length === 1) {
          if (t0.k === "list" && isNumeric(t0.elem)) return ok(one.n, T.opt(t0.elem));
          if (t0.k === "list" && t0.elem.k === "string") return ok(one.s, T.opt(T.string));
          return bad(t0, "a list of numbers or strings (or two values)");
        }
        const t1 = minMax1!;
        if (!typeEq(t0, t1)) {
          if (t1.k !== "error") this.mismatch(raw[1]!.span, t0, t1, `argument 2 of \`${name}\`: `);
          return T.error;
        }
        if (isNumeric(t0)) return ok(two.n, t0);
        if (t0.k === "string") return ok(two.s, T.string);
        return bad(t0, "numbers or strings");
      }
      case "abs":
        if (!arity([1])) return T.error;
        if (t0.k === "int") return ok(Builtin.abs_int, T.int);
        if (t0.k === "float") return ok(Builtin.abs_float, T.float);
        return bad(t0, "an int or float");
      case "floor":
      case "ceil":
      case "round":
      case "sqrt":
        if (!arity([1])) return T.error;
        if (t0.k === "float") return ok(Builtin[name], T.float);
        if (t0.k === "int") {
          this.err("LX0301", raw[0]!.span, `\`${name}\` takes a float; convert with \`to_float(…)\``);
          return T.float;
        }
        return bad(t0, "a float");
      case "to_string":
        if (!arity([1])) return T.error;
        if (t0.k === "int") return this.tostr(e, raw, "TOSTR_I");
        if (t0.k === "float") return this.tostr(e, raw, "TOSTR_F");
        if (t0.k === "bool") return this.tostr(e, raw, "TOSTR_B");
        if (t0.k === "string") return this.tostr(e, raw, "ID");
        return bad(t0, "an int, float, bool or string");
      case "to_float":
        if (!arity([1])) return T.error;
        if (t0.k === "int") return ok(Builtin.to_float, T.float);
        return bad(t0, "an int");
      case "to_int":
        if (!arity([1])) return T.error;
        if (t0.k === "float") return ok(Builtin.to_int, T.int);
        return bad(t0, "a float");
      case "parse_int":
      case "parse_float":
      case "upper":
      case "lower":
      case "trim": {
        if (!arity([1])) return T.error;
        if (t0.k !== "string") return bad(t0, "a string");
        const rt = name === "parse_int" ? T.opt(T.int) : name === "parse_float" ? T.opt(T.float) : T.string;
        return ok(Builtin[name], rt);
      }
      case "split":
        if (!arity([2])) return T.error;
        if (t0.k !== "string") return bad(t0, "a string");
        argT(1, T.string);
        return ok(Builtin.split, T.list(T.string));
      case "join":
        if (!arity([2])) return T.error;
        if (!(t0.k === "list" && t0.elem.k === "string")) return bad(t0, "a list of strings");
        argT(1, T.string);
        return ok(Builtin.join, T.string);
      case "starts_with":
      case "ends_with":
        if (!arity([2])) return T.error;
        if (t0.k !== "string") return bad(t0, "a string");
        argT(1, T.string);
        return ok(Builtin[name], T.bool);
      case "replace":
        if (!arity([3])) return T.error;
        if (t0.k !== "string") return bad(t0, "a string");
        argT(1, T.string);
        argT(2, T.string);
        return ok(Builtin.replace, T.string);
      case "union":
      case "difference":
      case "intersection": {
        if (!arity([2])) return T.error;
        if (t0.k !== "set") return bad(t0, "a set");
        argT(1, t0);
        const id = name === "union" ? Builtin.set_union : name === "difference" ? Builtin.set_difference : Builtin.set_intersection;
        return ok(id, t0);
      }
    }
    this.err("LX0207", e.callee.span, `unknown built-in \`${name}\``);
    return T.error;
  }

  private tostr(e: Extract<A.Expr, { kind: "Call" }>, raw: A.Expr[], op: "TOSTR_I" | "TOSTR_F" | "TOSTR_B" | "ID"): Type {
    this.out.calls.set(e, { res: { k: "tostr", op }, args: raw });
    return T.string;
  }
}

/** The expected type of the argument of abs/floor/ceil/round/sqrt: an int literal is a float for the float-only ones. */
/** "a `T`" or "an `T`", for messages (`an \`int\``, `a \`string\``). */
function aType(t: Type): string {
  const text = typeStr(t);
  return `${/^[aeiouAEIOU]/.test(text) ? "an" : "a"} \`${text}\``;
}

function numExpect(name: string, exp: Type | undefined): Type | undefined {
  if (exp && isNumeric(exp)) return exp;
  return name === "abs" ? undefined : T.float;
}

function isIntLiteral(e: A.Expr): boolean {
  return e.kind === "Int" || (e.kind === "Unary" && e.op === "-" && e.operand.kind === "Int");
}

function comparableEq(a: Type, b: Type): boolean {
  if (a.k === "error" || b.k === "error") return true;
  if (typeEq(a, b)) return true;
  if (a.k === "opt" && typeEq(a.inner, b)) return true;
  if (b.k === "opt" && typeEq(b.inner, a)) return true;
  return false;
}

export function placeRoot(e: A.Expr): A.Expr {
  let cur = e;
  while (cur.kind === "Member" || cur.kind === "Index") cur = cur.object;
  return cur;
}

function litKey(e: A.Expr): string {
  switch (e.kind) {
    case "Int":
    case "Duration":
      return `i:${e.value}`;
    case "Float":
      return `f:${e.value}`;
    case "Str":
      return `s:${JSON.stringify(e.parts.map((p) => (p.kind === "text" ? p.text : "")).join(""))}`;
    case "Bool":
      return `b:${e.value}`;
    case "Unary":
      return litKey(e.operand).replace(":", ":-");
    default:
      return "?:";
  }
}

/** Constant expressions allowed as state defaults (rules.md [32]). */
function isConstant(e: A.Expr, p: CheckedProgram): boolean {
  switch (e.kind) {
    case "Int":
    case "Float":
    case "Duration":
    case "Bool":
    case "None":
    case "EmptyBraces":
      return true;
    case "Str":
      return e.parts.every((x) => x.kind === "text");
    case "Unary":
      return isConstant(e.operand, p);
    case "Binary":
      return ["+", "-", "*", "/", "%"].includes(e.op) && isConstant(e.left, p) && isConstant(e.right, p);
    case "List":
    case "SetLit":
      return e.items.every((x) => isConstant(x, p));
    case "MapLit":
      return e.entries.every((x) => isConstant(x.key, p) && isConstant(x.value, p));
    case "Record":
      return e.fields.every((f) => isConstant(f.value, p));
    case "Name":
      return p.unitVariants.has(e);
    case "Member":
      return p.unitVariants.has(e);
    case "Call": {
      const c = p.calls.get(e);
      return c !== undefined && c.res.k === "variant" && c.args.every((a) => isConstant(a, p));
    }
    default:
      return false;
  }
}

/** Edit distance counting a swap of adjacent characters as one edit (`Itme` → `Item`). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, dp[i - 2]![j - 2]! + 1);
      dp[i]![j] = d;
    }
  }
  return dp[a.length]![b.length]!;
}

/** Prelude declarations carry file id -1 (see prelude.ts). */
function isPreludeSpan(s: Span): boolean {
  return s.file < 0;
}
