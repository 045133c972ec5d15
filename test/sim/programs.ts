/**
 * Programs the simulator runs: seeded random *valid* Lexum programs, and the programs in
 * `examples/`. Each comes with a `ProgramSpec` saying which transitions the workload may call
 * from outside, how to make their arguments, and which instances may receive them.
 *
 * Determinism by construction. The simulator compares every run with crashes against a
 * fault-free reference run of the same inputs, so an instance's mailbox order must not depend
 * on timing (crashes, retries, fsync latency). Mailbox order is decided at append time, so
 * each mailbox gets its inputs from exactly one *channel*, and own-mailbox appends are kept
 * away from anything whose timing varies:
 *
 * - **root** domains take external inputs only (one sequential submitter per instance).
 *   *Instant* roots (`instant: true`) may have goals (reconcile inputs, backoff ticks) and
 *   self-sends (immediate and `after`): everything they await answers without virtual time
 *   passing (effects with `retries 0` that the world never leaves hanging), so an instance's
 *   chain of reconciles is over before the clock moves and before its next input arrives.
 *   *Slow* roots await effects with retries, backoff and timeouts, and have no goals and no
 *   self-sends.
 * - **leaf** domains `L<i>` receive immediate sends from exactly one root instance (the one
 *   with the same id) and nothing else; **timer leaves** `TL<i>` receive only that root's
 *   `send … after` with one constant delay, so their due order is the sender's order.
 *
 * Every transition the workload (or a root) calls starts with `slice rec { inbox.push(id);
 * applied += 1 }`, so the state itself says which inputs were applied, and how often.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Module } from "../../src/bytecode/module.ts";
import { compileProgram } from "../../src/compiler/compile.ts";
import { renderDiagnostics } from "../../src/compiler/render.ts";
import type { Rng } from "./rng.ts";

export type ArgGen = (rng: Rng, inputId: string) => Record<string, unknown>;

export type ExternalTransition = { readonly name: string; readonly args: ArgGen; readonly weight: number };

export type RootSpec = {
  readonly domain: string;
  readonly transitions: readonly ExternalTransition[];
  /** Instance ids the workload may address. */
  readonly instances: readonly string[];
  /** At most this many inputs per instance (payment_sync: one; a goal chain runs on its own). */
  readonly inputsPerInstanceMax: number;
  /** The domain's state has an `inbox: list<string>` of applied input ids (exactly-once check). */
  readonly inbox: boolean;
};

export type ProgramSpec = {
  readonly name: string;
  readonly source: string;
  readonly module: Module;
  readonly roots: readonly RootSpec[];
  /** Domains whose instances keep an `inbox` of delivered message ids (leaves included). */
  readonly inboxDomains: readonly string[];
  /**
   * Some instance appends to its own mailbox (goal reconciles and backoff ticks, self-sends)
   * while it also takes external inputs. Its chain of own inputs is over before the clock
   * moves — unless a full disk stalls the WAL while virtual time passes (the runtime retries
   * after a second): then the next external input could land in the middle of the chain, or a
   * tick before a reconcile, and the run would legitimately differ from the reference. The
   * fault schedule leaves such programs' disk capacity alone.
   */
  readonly stallSensitive: boolean;
};

function compileOrThrow(name: string, source: string): Module {
  const r = compileProgram(source);
  if (r.module === null) {
    // A generator bug is a simulator bug: say so with the program and its diagnostics.
    throw new Error(`sim program ${name} does not compile:\n${renderDiagnostics(r.diagnostics, r.files)}\n--- source ---\n${source}`);
  }
  return r.module;
}

// ------------------------------------------------------------------ examples/

const EXAMPLES_DIR = path.resolve(import.meta.dirname, "../../examples");

function readExample(file: string): string {
  return fs.readFileSync(path.join(EXAMPLES_DIR, file), "utf8");
}

const exampleCache = new Map<string, ProgramSpec>();

export const EXAMPLE_NAMES = ["counter", "metrics", "payment_sync", "worker_pool", "order"] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

/** A spec for one of the programs in examples/ (compiled once per process). */
export function exampleProgram(name: ExampleName): ProgramSpec {
  const hit = exampleCache.get(name);
  if (hit) return hit;
  const source = readExample(`${name}.lex`);
  const module = compileOrThrow(name, source);
  let roots: RootSpec[];
  let stallSensitive = false;
  switch (name) {
    case "counter":
      roots = [
        {
          domain: "Counter",
          instances: ["c0", "c1", "c2"],
          inputsPerInstanceMax: Infinity,
          inbox: false,
          transitions: [
            // `by` ≤ 0 fails the assert: a failed transition is an outcome too.
            { name: "Increment", weight: 6, args: (r) => ({ by: r.pick([1, 2, 3, 5, 8, 0, -1]) }) },
            { name: "Reset", weight: 1, args: () => ({}) },
          ],
        },
      ];
      break;
    case "metrics":
      // Every aggregator sends to Alerts["global"]: one aggregator keeps a single sender.
      // Alerts re-arms `send self.Summary() after 1m`: its own mailbox is timer-fed.
      stallSensitive = true;
      roots = [
        {
          domain: "MetricsAggregator",
          instances: ["eu-1"],
          inputsPerInstanceMax: Infinity,
          inbox: false,
          transitions: [
            { name: "Join", weight: 2, args: (r) => ({ node: r.pick(["n1", "n2", "n3", "n4"]) }) },
            { name: "Report", weight: 5, args: (r) => ({ node: r.pick(["n1", "n2", "n3", "n4"]), value: r.pick([1, 10, 100, 400, 900]) }) },
            { name: "Leave", weight: 1, args: (r) => ({ node: r.pick(["n1", "n2", "n3", "n4"]) }) },
          ],
        },
      ];
      break;
    case "payment_sync":
      // The goal's reconcile chain awaits a slow effect: one external input per instance,
      // so nothing external can land in the middle of the chain.
      roots = [
        {
          domain: "PaymentSync",
          instances: ["acct-0", "acct-1", "acct-2", "acct-3", "acct-4"],
          inputsPerInstanceMax: 1,
          inbox: false,
          transitions: [{ name: "Sync", weight: 1, args: () => ({}) }],
        },
      ];
      break;
    case "worker_pool":
      // The goal's reconcile inputs join the mailbox the external Resize inputs use.
      stallSensitive = true;
      roots = [
        {
          domain: "WorkerPool",
          instances: ["w0", "w1"],
          inputsPerInstanceMax: Infinity,
          inbox: false,
          transitions: [{ name: "Resize", weight: 1, args: (r) => ({ to: r.pick([0, 1, 3, 5, 8, -1]) }) }],
        },
      ];
      break;
    case "order": {
      // Each order reserves SKUs named after itself: every Inventory instance has one sender.
      roots = [
        {
          domain: "Order",
          instances: ["o0", "o1", "o2"],
          inputsPerInstanceMax: Infinity,
          inbox: false,
          transitions: [
            { name: "AddItem", weight: 5, args: (r, id) => ({ item: { sku: `${id.split("/")[0]}-s${r.int(3)}`, qty: r.range(1, 4), price: r.pick([0, 5, 120]) } }) },
            { name: "Checkout", weight: 2, args: () => ({}) },
            { name: "Expire", weight: 1, args: () => ({}) },
          ],
        },
      ];
      break;
    }
  }
  const spec: ProgramSpec = { name: `examples/${name}`, source, module, roots, inboxDomains: [], stallSensitive };
  exampleCache.set(name, spec);
  return spec;
}

// ------------------------------------------------------------------ generated programs

type EffectGen = { name: string; instant: boolean; result: "int" | "string" | "Res" | "bool" };
type FieldGen = { name: string; kind: "int" | "str" | "bool" | "float" | "list" | "map" | "set" | "opt" | "enum" | "pair" | "time" };
type ParamGen = { name: string; type: "int" | "string" | "bool" };

/**
 * A seeded random program. Roots: 1–3 domains `R<i>`, each with 1–3 external transitions
 * `In<j>(id: string, …)`; a root may have a leaf `L<i>` and a timer leaf `TL<i>`.
 */
export function generateProgram(rng: Rng): ProgramSpec {
  const out: string[] = [];
  const roots: RootSpec[] = [];
  const inboxDomains: string[] = [];
  let stallSensitive = false;
  let uniq = 0;
  const fresh = (p: string): string => `${p}${uniq++}`;

  // Types shared by the domains.
  out.push("type Res { code: int, note: string }");
  out.push("type Pair { a: int, b: string }");
  out.push("enum Mode { Idle, Busy(n: int), Done(why: string) }");
  out.push("");

  // Effects: "Fast" ones answer at once (retries 0, the world never leaves them hanging);
  // "Slow" ones retry with backoff and may time out.
  const effects: EffectGen[] = [];
  const resultTypes = ["int", "string", "Res", "bool"] as const;
  const nFast = rng.int(3);
  const nSlow = rng.int(3);
  for (let i = 0; i < nFast; i++) {
    const e: EffectGen = { name: `Fast${i}.op`, instant: true, result: rng.pick(resultTypes) };
    effects.push(e);
    out.push(`effect ${e.name}(ref: string, n: int) -> ${e.result} { timeout ${rng.pick(["1s", "5s"])} }`);
  }
  for (let i = 0; i < nSlow; i++) {
    const e: EffectGen = { name: `Slow${i}.op`, instant: false, result: rng.pick(resultTypes) };
    effects.push(e);
    const retries = rng.int(4);
    const lo = rng.pick([50, 100, 250]);
    const hi = lo * rng.pick([1, 4, 10]);
    out.push(`effect ${e.name}(ref: string, n: int) -> ${e.result} {`);
    out.push(`  retries ${retries} backoff ${lo}ms..${hi}ms`);
    out.push(`  timeout ${rng.pick(["300ms", "1s", "2s"])}`);
    out.push("}");
  }
  out.push("");
  out.push("fn clampi(v: int, lo: int, hi: int) -> int {", "  if v < lo { return lo }", "  if v > hi { return hi }", "  return v", "}", "");

  const nRoots = rng.range(1, 3);
  for (let ri = 0; ri < nRoots; ri++) {
    const R = `R${ri}`;
    const instant = rng.chance(0.5);
    const usable = effects.filter((e) => !instant || e.instant);
    const hasLeaf = rng.chance(0.5);
    const hasTimerLeaf = rng.chance(0.35);
    const timerDelay = rng.pick(["1s", "3s", "20s"]);
    const leafEffects = effects.filter(() => rng.chance(0.5));

    // State fields beyond inbox/applied.
    const fields: FieldGen[] = [];
    const kinds = ["int", "str", "bool", "float", "list", "map", "set", "opt", "enum", "pair", "time"] as const;
    const nFields = rng.range(2, 6);
    for (let i = 0; i < nFields; i++) fields.push({ name: `f${i}`, kind: rng.pick(kinds) });
    const goals: { name: string; field: string; kind: "converge" | "park" | "failvia" | "oscillate"; bound: number; via: string[] }[] = [];
    const internal: string[] = [];
    if (instant) {
      const nGoals = rng.int(3);
      for (let g = 0; g < nGoals; g++) {
        const kind = rng.weighted([
          [5, "converge"],
          [2, "park"],
          [1, "failvia"],
          [1, "oscillate"],
        ] as const);
        goals.push({ name: `G${g}`, field: `g${g}`, kind, bound: rng.range(0, 4), via: [] });
        stallSensitive = true; // reconciles (and, when parked, ticks) join the root's mailbox
      }
    }
    const selfNotes = instant && rng.chance(0.4);

    out.push(`domain ${R} {`);
    out.push("  state {");
    out.push("    inbox: list<string> = []");
    out.push("    applied: int = 0");
    if (selfNotes) out.push("    notes: list<string> = []");
    for (const g of goals) out.push(`    ${g.field}: int = 0`);
    for (const f of fields) out.push(`    ${f.name}: ${fieldType(f)} = ${fieldDefault(f)}`);
    out.push("  }");
    // An invariant that some inputs break (the slice that breaks it fails with LX-INV).
    const intField = fields.find((f) => f.kind === "int");
    if (intField && rng.chance(0.6)) out.push(`  invariant Inv { ${intField.name} < ${rng.pick([40, 200, 1000])} }`);
    const listField = fields.find((f) => f.kind === "list");
    if (listField && rng.chance(0.4)) out.push(`  invariant Short { len(${listField.name}) <= ${rng.pick([6, 12])} }`);

    for (const g of goals) {
      switch (g.kind) {
        case "converge": {
          // Always makes progress: the chain ends with the goal satisfied.
          const t = `Fix${g.name}`;
          g.via = [t];
          out.push(`  goal ${g.name}${rng.chance(0.3) ? " priority high" : ""} { ${g.field} <= ${g.bound} } via ${t}`);
          internal.push(`  transition ${t}() { if ${g.field} > ${g.bound} { ${g.field} -= ${rng.range(1, 3)} } }`);
          break;
        }
        case "park": {
          // The first via never changes anything, the second only sometimes: parks and ticks.
          const a = `Noop${g.name}`;
          const b = `Half${g.name}`;
          g.via = [a, b];
          out.push(`  goal ${g.name} { ${g.field} <= ${g.bound} } via ${a}, ${b}`);
          internal.push(`  transition ${a}() { }`);
          internal.push(`  transition ${b}() { if ${g.field} % 2 == 0 { ${g.field} -= 1 } }`);
          break;
        }
        case "failvia": {
          const a = `Bad${g.name}`;
          g.via = [a];
          out.push(`  goal ${g.name} { ${g.field} <= ${g.bound} } via ${a}`);
          internal.push(`  transition ${a}() { assert ${g.field} > 100, "cannot fix ${g.name}" }`);
          break;
        }
        case "oscillate": {
          // Revisits a state hash: LX-E005 suspends the goal (DEGRADED until an input changes state).
          const a = `Flip${g.name}`;
          g.via = [a];
          out.push(`  goal ${g.name} { ${g.field} == 7 } via ${a}`);
          internal.push(`  transition ${a}() { ${g.field} = 1 - ${g.field} }`);
          break;
        }
      }
    }
    if (selfNotes) internal.push("  transition Note(id: string) { notes.push(id) }");
    out.push(...internal);

    const nTr = rng.range(1, 3);
    const ext: ExternalTransition[] = [];
    let leafSends = 0;
    for (let ti = 0; ti < nTr; ti++) {
      const T = `In${ti}`;
      const params: ParamGen[] = [{ name: "id", type: "string" }];
      if (rng.chance(0.8)) params.push({ name: "x", type: "int" });
      if (rng.chance(0.5)) params.push({ name: "s", type: "string" });
      if (rng.chance(0.3)) params.push({ name: "b", type: "bool" });
      const ctx: BodyCtx = {
        rng,
        fields,
        goals: goals.map((g) => g.field),
        effects: usable,
        leaf: hasLeaf ? `L${ri}` : null,
        timerLeaf: hasTimerLeaf ? { domain: `TL${ri}`, delay: timerDelay } : null,
        selfNotes,
        x: params.some((p) => p.name === "x") ? "x" : null,
        s: params.some((p) => p.name === "s") ? "s" : null,
        b: params.some((p) => p.name === "b") ? "b" : null,
        fresh,
        site: 0,
        depth: 0,
      };
      out.push(`  transition ${T}(${params.map((p) => `${p.name}: ${p.type}`).join(", ")}) {`);
      out.push("    slice rec { inbox.push(id); applied += 1 }");
      const nSlices = rng.int(3);
      for (let s = 0; s < nSlices; s++) {
        out.push(`    slice s${s} {`);
        out.push(...stmts(ctx, rng.range(1, 3), "      "));
        out.push("    }");
      }
      out.push(...stmts(ctx, rng.range(0, 4), "    "));
      if (rng.chance(0.5)) out.push("    return applied");
      out.push("  }");
      leafSends += ctx.site;
      const ps = params;
      ext.push({
        name: T,
        weight: rng.range(1, 4),
        args: (r, id) => {
          const a: Record<string, unknown> = {};
          for (const p of ps) {
            if (p.name === "id") a["id"] = id;
            else if (p.type === "int") a[p.name] = r.weighted([
              [6, r.range(0, 9)],
              [2, r.range(10, 60)],
              [1, r.pick([-3, 13, 7, 999])],
            ]);
            else if (p.type === "string") a[p.name] = r.pick(["a", "b", "zz", "", "é", "key-1"]);
            else a[p.name] = r.chance(0.5);
          }
          return a;
        },
      });
    }
    void leafSends;
    out.push("}");
    out.push("");

    if (hasLeaf) {
      const L = `L${ri}`;
      inboxDomains.push(L);
      const ctx: BodyCtx = {
        rng,
        fields: [{ name: "total", kind: "int" }],
        goals: [],
        effects: leafEffects,
        leaf: null,
        timerLeaf: null,
        selfNotes: false,
        x: "v",
        s: null,
        b: null,
        fresh,
        site: 0,
        depth: 0,
      };
      out.push(`domain ${L} {`);
      out.push("  state { inbox: list<string> = [], applied: int = 0, total: int = 0 }");
      out.push("  transition Get(id: string, v: int) {");
      out.push("    slice rec { inbox.push(id); applied += 1 }");
      out.push(...stmts(ctx, rng.range(1, 3), "    "));
      out.push("  }");
      out.push("}");
      out.push("");
    }
    if (hasTimerLeaf) {
      const TL = `TL${ri}`;
      inboxDomains.push(TL);
      out.push(`domain ${TL} {`);
      out.push("  state { inbox: list<string> = [], applied: int = 0, sum: int = 0, last: int = 0 }");
      out.push("  transition Tick(id: string, v: int) {");
      out.push("    slice rec { inbox.push(id); applied += 1 }");
      out.push("    sum += v % 100");
      out.push("    last = now()");
      out.push("  }");
      out.push("}");
      out.push("");
    }
    inboxDomains.push(R);
    const nInst = rng.range(1, 3);
    roots.push({
      domain: R,
      transitions: ext,
      instances: [...new Set(Array.from({ length: nInst }, (_, i) => rng.pick([`r${i}`, `r${i}`, `i-${i}`, `ü${i}`, `a b${i}`])))],
      inputsPerInstanceMax: Infinity,
      inbox: true,
    });
    if (selfNotes) stallSensitive = true;
  }
  const source = out.join("\n");
  const name = `generated`;
  const module = compileOrThrow(name, source);
  return { name, source, module, roots, inboxDomains, stallSensitive };
}

function fieldType(f: FieldGen): string {
  switch (f.kind) {
    case "int":
    case "time":
      return "int";
    case "str":
      return "string";
    case "bool":
      return "bool";
    case "float":
      return "float";
    case "list":
      return "list<int>";
    case "map":
      return "map<string, int>";
    case "set":
      return "set<int>";
    case "opt":
      return "int?";
    case "enum":
      return "Mode";
    case "pair":
      return "Pair";
  }
}

function fieldDefault(f: FieldGen): string {
  switch (f.kind) {
    case "int":
    case "time":
      return "0";
    case "str":
      return '""';
    case "bool":
      return "false";
    case "float":
      return "0.5";
    case "list":
      return "[]";
    case "map":
      return "{}";
    case "set":
      return "{}";
    case "opt":
      return "none";
    case "enum":
      return "Idle";
    case "pair":
      return 'Pair { a: 0, b: "" }';
  }
}

type BodyCtx = {
  rng: Rng;
  fields: FieldGen[];
  goals: string[];
  effects: EffectGen[];
  leaf: string | null;
  timerLeaf: { domain: string; delay: string } | null;
  selfNotes: boolean;
  x: string | null;
  s: string | null;
  b: string | null;
  fresh: (p: string) => string;
  /** Send sites so far (message ids stay unique per input). */
  site: number;
  depth: number;
};

function intArg(c: BodyCtx): string {
  return c.x ?? String(c.rng.range(0, 9));
}

function strArg(c: BodyCtx): string {
  return c.s ?? c.rng.pick(['"k"', '"q"', "id"]);
}

function stmts(c: BodyCtx, n: number, ind: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(...stmt(c, ind));
  return out;
}

function stmt(c: BodyCtx, ind: string): string[] {
  const r = c.rng;
  const kind = r.weighted([
    [6, "field"],
    [2, "if"],
    [1, "for"],
    [1, "assert"],
    [1, "fail"],
    [c.effects.length > 0 ? 3 : 0, "await"],
    [c.effects.length > 0 ? 1 : 0, "emit"],
    [c.leaf ? 3 : 0, "send"],
    [c.timerLeaf ? 2 : 0, "after"],
    [c.selfNotes ? 2 : 0, "self"],
    [c.goals.length > 0 ? 3 : 0, "goal"],
    [1, "builtin"],
  ] as const);
  switch (kind) {
    case "field":
      return fieldStmt(c, ind);
    case "if": {
      if (c.depth >= 2) return fieldStmt(c, ind);
      const cond = c.b !== null && r.chance(0.3) ? c.b : `${intArg(c)} ${r.pick(["<", ">", "==", "!=", ">="])} ${r.range(0, 9)}`;
      const inner = { ...c, depth: c.depth + 1 };
      const a = stmts(inner, r.range(1, 2), ind + "  ");
      const b = r.chance(0.5) ? stmts(inner, r.range(1, 2), ind + "  ") : [];
      c.site = inner.site;
      return b.length > 0 ? [`${ind}if ${cond} {`, ...a, `${ind}} else {`, ...b, `${ind}}`] : [`${ind}if ${cond} {`, ...a, `${ind}}`];
    }
    case "for": {
      if (c.depth >= 2) return fieldStmt(c, ind);
      const i = c.fresh("i");
      const inner: BodyCtx = { ...c, depth: c.depth + 1 };
      // Inside a loop a send needs the loop variable in its id: only field statements here.
      const body = fieldStmt({ ...inner, x: i }, ind + "  ");
      return [`${ind}for ${i} in 0..${r.range(1, 4)} {`, ...body, `${ind}}`];
    }
    case "assert":
      return [`${ind}assert ${intArg(c)} != ${r.pick([13, 7, 3])}, "unlucky {${intArg(c)}}"`];
    case "fail":
      return [`${ind}if ${intArg(c)} == ${r.pick([999, 6])} { fail "refused {id}" }`];
    case "await": {
      const e = r.pick(c.effects);
      const v = c.fresh("r");
      const okv = c.fresh("ok");
      const errv = c.fresh("err");
      const key = r.chance(0.25) ? `, key: "k-{id}-${c.site++}"` : "";
      const call = `${e.name}(ref: id, n: ${intArg(c)}${key})`;
      return [`${ind}let ${v} = await ${call}`, `${ind}match ${v} {`, `${ind}  Ok(${okv}) => { ${okUse(c, e, okv)} }`, `${ind}  Err(${errv}) => { ${errUse(c, errv)} }`, `${ind}}`];
    }
    case "emit": {
      const e = r.pick(c.effects);
      return [`${ind}emit ${e.name}(ref: id, n: ${intArg(c)})`];
    }
    case "send":
      return [`${ind}send ${c.leaf}[self.id].Get(id: "{id}/m${c.site++}", v: ${intArg(c)})`];
    case "after":
      return [`${ind}send ${c.timerLeaf!.domain}[self.id].Tick(id: "{id}/t${c.site++}", v: ${intArg(c)}) after ${c.timerLeaf!.delay}`];
    case "self":
      return r.chance(0.5)
        ? [`${ind}send self.Note(id: "{id}/n${c.site++}")`]
        : [`${ind}send self.Note(id: "{id}/d${c.site++}") after ${r.pick(["500ms", "2s", "1m"])}`];
    case "goal": {
      const g = r.pick(c.goals);
      return [`${ind}${g} = clampi(${g} + ${intArg(c)} % 5, 0, 9)`];
    }
    case "builtin": {
      const f = c.fields.find((x) => x.kind === "time" || x.kind === "int");
      if (!f) return fieldStmt(c, ind);
      return [`${ind}${f.name} = ${r.pick(["now() % 1000", "random_int(0, 20)", "len(uuid())", "len(inbox)"])}`];
    }
  }
}

function okUse(c: BodyCtx, e: EffectGen, v: string): string {
  const f = c.fields.find((x) => x.kind === "int") ?? c.fields.find((x) => x.kind === "str");
  switch (e.result) {
    case "int":
      return f?.kind === "int" ? `${f.name} += ${v} % 10` : `let _u = ${v}`;
    case "string":
      return f?.kind === "str" ? `${f.name} = ${v}` : `let _u = ${v}`;
    case "Res":
      return f?.kind === "int" ? `${f.name} += ${v}.code % 10` : f?.kind === "str" ? `${f.name} = ${v}.note` : `let _u = ${v}.code`;
    case "bool":
      return f?.kind === "int" ? `if ${v} { ${f.name} += 1 }` : `let _u = ${v}`;
  }
}

function errUse(c: BodyCtx, e: string): string {
  const f = c.fields.find((x) => x.kind === "str") ?? c.fields.find((x) => x.kind === "int");
  if (!f) return `let _u = ${e}.code`;
  return f.kind === "str" ? `${f.name} = ${e}.code` : `${f.name} -= ${e}.attempts`;
}

function fieldStmt(c: BodyCtx, ind: string): string[] {
  const r = c.rng;
  const f = r.pick(c.fields);
  const x = intArg(c);
  switch (f.kind) {
    case "int":
      return [`${ind}${f.name} ${r.pick(["+=", "-=", "="])} ${x}${r.chance(0.3) ? ` * ${r.range(2, 30)}` : ""}`];
    case "time":
      return [`${ind}${f.name} = now()`];
    case "str":
      return r.chance(0.5) ? [`${ind}${f.name} = "{${strArg(c)}}{${x}}"`] : [`${ind}${f.name} = upper(${strArg(c)})`];
    case "bool":
      return [`${ind}${f.name} = !${f.name}`];
    case "float":
      return [`${ind}${f.name} = ${f.name} * 0.5 + to_float(${x})`];
    case "list":
      return r.chance(0.7) ? [`${ind}${f.name}.push(${x})`] : [`${ind}if len(${f.name}) > 0 { ${f.name}.remove(0) }`];
    case "map":
      return r.chance(0.7) ? [`${ind}${f.name}.insert(${strArg(c)}, ${x})`] : [`${ind}if ${f.name}.has(${strArg(c)}) { ${f.name}.remove(${strArg(c)}) }`];
    case "set":
      return r.chance(0.7) ? [`${ind}${f.name}.insert(${x} % 5)`] : [`${ind}if ${f.name}.contains(${x} % 5) { ${f.name}.remove(${x} % 5) }`];
    case "opt": {
      const o = c.fresh("o");
      return r.chance(0.6) ? [`${ind}if let ${o} = ${f.name} { ${f.name} = ${o} + ${x} } else { ${f.name} = ${x} }`] : [`${ind}${f.name} = none`];
    }
    case "enum": {
      const n = c.fresh("n");
      return r.chance(0.5)
        ? [`${ind}match ${f.name} {`, `${ind}  Idle => { ${f.name} = Busy(n: ${x}) }`, `${ind}  Busy(${n}) => { ${f.name} = Done(why: "n={${n}}") }`, `${ind}  Done(_) => { ${f.name} = Idle }`, `${ind}}`]
        : [`${ind}${f.name} = Busy(n: ${x})`];
    }
    case "pair":
      return [`${ind}${f.name} = Pair { a: ${f.name}.a + ${x}, b: ${strArg(c)} }`];
  }
}
