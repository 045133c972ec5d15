/**
 * VM benchmarks: the Lexum interpreter against equivalent plain TypeScript, run side by side.
 *
 *   npx tsx bench/vm/vm.bench.ts [--rounds N] [--only a,b,c,d] [--case <name part>] [--no-json] [--quick]
 *
 * Prints a table and writes bench/results/vm.json (see bench/README.md for how to read it).
 *
 * Method: the machine this runs on is shared and noisy, so absolute numbers mean little;
 * only ratios measured in the same process, interleaved, count. Every case of a group is
 * warmed up first (JIT), then each round runs every case once in a rotating order; a case's
 * sample repeats its body until it has run ≥ SAMPLE_MS so timer resolution and GC pauses
 * average out. The table reports the median ops/s over rounds, and the ratio as the median
 * of the per-round ratios (subject time / baseline time), which cancels slow drift of the box.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultIdempotencyKey } from "../../src/base/ids.ts";
import { INT_MAX } from "../../src/base/limits.ts";
import { compile } from "../../src/compiler/compile.ts";
import type { Module } from "../../src/bytecode/index.ts";
import {
  Machine,
  PList,
  PMap,
  Rec,
  ok,
  stateHash,
  unitVariant,
  type EnumShape,
  type RecordShape,
  type SegmentEnv,
  type SegmentResult,
  type Value,
  type Variant,
} from "../../src/vm/index.ts";

/** The repository root: found upwards from this file, so a bundled copy (for line-level
 * profiles, see bench/README.md) works from anywhere under the repository. */
const ROOT = ((): string => {
  let d = path.dirname(new URL(import.meta.url).pathname);
  while (!fs.existsSync(path.join(d, "package.json"))) {
    const up = path.dirname(d);
    if (up === d) throw new Error("bench: cannot find the repository root");
    d = up;
  }
  return d;
})();
const HERE = path.join(ROOT, "bench/vm");

// ------------------------------------------------------------------ options

const argv = process.argv.slice(2);
function flag(name: string): string | null {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? "") : null;
}
const QUICK = argv.includes("--quick");
const ROUNDS = Number(flag("--rounds") ?? (QUICK ? 3 : 9));
const ONLY = new Set((flag("--only") ?? "a,b,c,d").split(","));
/** Only cases whose name contains this, or equals it after a leading `=` (for profiling one
 * case); implies --no-json. */
const CASE_FILTER = flag("--case");
const WRITE_JSON = !argv.includes("--no-json") && !QUICK && CASE_FILTER === null;
/** Minimum duration of one sample: short bodies are repeated until they take this long. */
const SAMPLE_MS = QUICK ? 20 : 60;

const ARITH_N = 1_000_000;
const FIB_N = 25;
const BUILD_N = 100_000;
/** Checkouts per run of case (d); warm-up and rounds together execute well over 100k. */
const ORDER_BATCH = 1_000;

// ------------------------------------------------------------------ harness

type Case = {
  readonly name: string;
  /** Runs the work once; the result is checked against the group's expected value. */
  readonly run: () => unknown;
  /** VM instructions (fuel) one run uses, when it is a VM case. */
  fuel?: number;
};

type Group = {
  readonly id: string;
  readonly title: string;
  /** What one op is, and how many one run performs. */
  readonly unit: string;
  readonly opsPerRun: number;
  readonly cases: readonly Case[];
  /** [subject, baseline] pairs whose ratio the table reports. */
  readonly pairs: readonly (readonly [string, string])[];
  readonly expect: unknown;
};

type CaseResult = { name: string; opsPerSec: number; msPerRun: number; instrPerSec: number | null; samples: number[] };
type PairResult = { subject: string; baseline: string; ratio: number; ratioMin: number; ratioMax: number };
type GroupResult = { id: string; title: string; unit: string; opsPerRun: number; cases: CaseResult[]; pairs: PairResult[] };

let sink: unknown = null;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Milliseconds per run of `c`, averaged over `reps` back-to-back runs. */
function sample(c: Case, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) sink = c.run();
  return (performance.now() - t0) / reps;
}

function sameResult(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function runGroup(g: Group): GroupResult {
  process.stdout.write(`${g.id}) ${g.title}: warming up`);
  // Warm-up and calibration: every case runs until it has been hot for a while.
  const reps = new Map<string, number>();
  for (const c of g.cases) {
    const got = c.run();
    if (!sameResult(got, g.expect)) throw new Error(`${g.id}/${c.name}: result ${JSON.stringify(got)}, expected ${JSON.stringify(g.expect)}`);
    let ms = sample(c, 1);
    const warmUntil = performance.now() + (QUICK ? 150 : 600);
    let n = 1;
    while (performance.now() < warmUntil) {
      ms = sample(c, n);
      n = Math.min(n * 2, 1 << 16);
    }
    reps.set(c.name, Math.max(1, Math.ceil(SAMPLE_MS / Math.max(ms, 1e-3))));
  }
  const times = new Map<string, number[]>(g.cases.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    process.stdout.write(".");
    // Rotate the order so no case always runs right after the same neighbour (GC debt).
    for (let k = 0; k < g.cases.length; k++) {
      const c = g.cases[(k + r) % g.cases.length]!;
      times.get(c.name)!.push(sample(c, reps.get(c.name)!));
    }
  }
  process.stdout.write("\n");
  const cases: CaseResult[] = g.cases.map((c) => {
    const ts = times.get(c.name)!;
    const ms = median(ts);
    return {
      name: c.name,
      msPerRun: ms,
      opsPerSec: (g.opsPerRun / ms) * 1000,
      instrPerSec: c.fuel === undefined ? null : (c.fuel / ms) * 1000,
      samples: ts,
    };
  });
  const pairs: PairResult[] = g.pairs.map(([s, b]) => {
    const ts = times.get(s)!;
    const tb = times.get(b)!;
    const ratios = ts.map((t, i) => t / tb[i]!);
    return { subject: s, baseline: b, ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios) };
  });
  return { id: g.id, title: g.title, unit: g.unit, opsPerRun: g.opsPerRun, cases, pairs };
}

// ------------------------------------------------------------------ Lexum setup

const ENV: SegmentEnv = { instance: "bench-1", now: 1_700_000_000_000, seed: new Uint8Array(32), cycle: 1 };

function load(file: string): Module {
  return compile({ [path.relative(ROOT, file)]: fs.readFileSync(file, "utf8") });
}

function expectDone(r: SegmentResult): Value {
  if (r.kind !== "done") throw new Error(`segment ended with ${r.kind}${r.kind === "failed" ? `: ${r.trap.code} ${r.trap.message}` : ""}`);
  return r.reply;
}

const loops = load(path.join(HERE, "loops.lex"));
const lvm = new Machine(loops);
/** The same module on the interpreter alone, to show what the compiled tier adds. */
const lvmInterp = new Machine(loops, { compiledTier: false });
const benchDomain = lvm.domainIndex("Bench");
const benchState = lvm.initState(benchDomain, ENV.instance);
const trArith = lvm.transitionIndex(benchDomain, "Arith");
const trFib = lvm.transitionIndex(benchDomain, "Fib");
const trBuild = lvm.transitionIndex(benchDomain, "Build");

/** Runs one transition to completion and remembers the fuel it used (the same every run). */
function vmCase(name: string, tr: number, args: Value[], vm = lvm): Case {
  const c: Case = {
    name,
    run: () => {
      const r = vm.start(benchDomain, tr, args, benchState, ENV);
      c.fuel = r.fuelUsed;
      return expectDone(r);
    },
  };
  return c;
}

// ------------------------------------------------------------------ (a) arithmetic loop

function arithTs(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc + i * 3) % 1000003;
  return acc;
}

// ------------------------------------------------------------------ (b) fib

function fibTs(n: number): number {
  if (n < 2) return n;
  return fibTs(n - 1) + fibTs(n - 2);
}
/** Calls fib(n) makes, itself included. */
function fibCalls(n: number): number {
  return n < 2 ? 1 : 1 + fibCalls(n - 1) + fibCalls(n - 2);
}

// ------------------------------------------------------------------ (c) map + list

function buildPersistent(n: number): number {
  let m = PMap.empty;
  let xs = PList.empty;
  for (let i = 0; i < n; i++) {
    m = m.set(i, i * 2);
    xs = xs.push(i);
  }
  return m.size + xs.size;
}

function buildNative(n: number): number {
  const m = new Map<number, number>();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    m.set(i, i * 2);
    xs.push(i);
  }
  return m.size + xs.length;
}

// ------------------------------------------------------------------ (d) Order checkout

const order = load(path.join(ROOT, "test/fixtures/order.lex"));
const ovm = new Machine(order);
const ovmInterp = new Machine(order, { compiledTier: false });
const ORDER = ovm.domainIndex("Order");
const ADD_ITEM = ovm.transitionIndex(ORDER, "AddItem");
const CHECKOUT = ovm.transitionIndex(ORDER, "Checkout");
const PAYMENTS_CHARGE = order.effects.findIndex((e) => e.name === "Payments.charge");
const INVENTORY = ovm.domainIndex("Inventory");
const RESERVE = ovm.transitionIndex(INVENTORY, "Reserve");
function typeIndex(m: Module, name: string): number {
  const i = m.types.findIndex((t) => (t.k === "record" || t.k === "enum") && t.name === name);
  if (i < 0) throw new Error(`no type ${name}`);
  return i;
}
const ITEM_SHAPE = ovm.types.shapeOf(typeIndex(order, "Item")) as RecordShape;
const RECEIPT_SHAPE = ovm.types.shapeOf(typeIndex(order, "Receipt")) as RecordShape;
const STATUS_SHAPE = ovm.types.shapeOf(typeIndex(order, "Status")) as EnumShape;
const ORDER_STATE_SHAPE = ovm.stateShape(ORDER);
const ORDER_INIT = ovm.initState(ORDER, "o-0");
const ITEMS: Rec[] = [
  new Rec(ITEM_SHAPE, ["sku-apple", 2, 150]),
  new Rec(ITEM_SHAPE, ["sku-pear", 1, 320]),
  new Rec(ITEM_SHAPE, ["sku-fig", 5, 75]),
];
const IDS = Array.from({ length: 1024 }, (_, i) => `o-${i}`);
const RECEIPT = new Rec(RECEIPT_SHAPE, ["rcpt-1", 995]);
const OK_RECEIPT = ok(RECEIPT);
const S_STATUS = 0;
const S_ITEMS = 1;
const S_TOTAL = 2;
const S_RECEIPT = 3;
const STATUS_OPEN = 0;
const STATUS_CHARGING = 1;
const STATUS_PAID = 2;

/** Checks one checkout's end state so a broken case cannot look fast. */
function orderSummary(state: Rec, reply: Value, sends: number, intents: number): unknown {
  return { status: (reply as Variant).tag, total: state.f[S_TOTAL], items: (state.f[S_ITEMS] as PList).size, sends, intents };
}

function orderVm(n: number, hash: boolean, vm = ovm): unknown {
  const ovm = vm;
  let last: unknown = null;
  for (let k = 0; k < n; k++) {
    const env: SegmentEnv = { instance: IDS[k & 1023]!, now: ENV.now, seed: ENV.seed, cycle: 1 };
    let st = ORDER_INIT;
    for (let j = 0; j < 3; j++) {
      const r = ovm.start(ORDER, ADD_ITEM, [ITEMS[j]!], st, env);
      if (r.kind !== "done") throw new Error(`AddItem: ${r.kind}`);
      st = r.state;
      if (hash) stateHash(st);
    }
    const r1 = ovm.start(ORDER, CHECKOUT, [], st, env);
    if (r1.kind !== "slice") throw new Error(`Checkout: ${r1.kind}`);
    if (hash) stateHash(r1.state);
    const r2 = ovm.resume(ORDER, r1.frame, r1.state, Machine.NO_VALUE, env);
    if (r2.kind !== "await") throw new Error(`Checkout/reserve: ${r2.kind}`);
    if (hash) stateHash(r2.state);
    // `slice charge` ends with a commit point of its own, then `return status` runs.
    const r3 = ovm.resume(ORDER, r2.frame, r2.state, OK_RECEIPT, env);
    if (r3.kind !== "slice") throw new Error(`Checkout/charge: ${r3.kind}`);
    if (hash) stateHash(r3.state);
    const r4 = ovm.resume(ORDER, r3.frame, r3.state, Machine.NO_VALUE, env);
    if (r4.kind !== "done") throw new Error(`Checkout/return: ${r4.kind}`);
    if (hash) stateHash(r4.state);
    last = orderSummary(r4.state, r4.reply, r1.out.sends.length, r2.out.intents.length);
  }
  return last;
}

// The same transitions by hand over the same persistent values: what a TypeScript state
// machine with value semantics and the runtime's outputs would do, minus the interpreter.
type SendTs = { domain: number; transition: number; instance: string; args: Value[]; delayMs: number | null };
type IntentTs = { effect: number; args: Value[]; key: string; kind: "await" | "emit" };

function subtotalTs(items: PList): number {
  let total = 0;
  for (let i = 0; i < items.size; i++) {
    const it = items.get(i) as Rec;
    total += (it.f[1] as number) * (it.f[2] as number);
    if (total > INT_MAX) throw new Error("overflow");
  }
  return total;
}

function checkInvariant(st: Rec): void {
  if (!((st.f[S_TOTAL] as number) >= 0)) throw new Error("invariant TotalNeverNegative is violated");
}

function addItemTs(st: Rec, item: Rec): Rec {
  if (st.f[S_STATUS] !== unitVariant(STATUS_SHAPE, STATUS_OPEN)) throw new Error("order is closed");
  const f = st.f.slice();
  f[S_ITEMS] = (f[S_ITEMS] as PList).push(item);
  f[S_TOTAL] = subtotalTs(f[S_ITEMS] as PList);
  const next = new Rec(ORDER_STATE_SHAPE, f);
  checkInvariant(next);
  return next;
}

function reserveTs(st: Rec, id: string, sends: SendTs[]): Rec {
  const f = st.f.slice();
  f[S_STATUS] = unitVariant(STATUS_SHAPE, STATUS_CHARGING);
  const items = f[S_ITEMS] as PList;
  for (let i = 0; i < items.size; i++) {
    const it = items.get(i) as Rec;
    sends.push({ domain: INVENTORY, transition: RESERVE, instance: it.f[0] as string, args: [id, it.f[1]!], delayMs: null });
  }
  const next = new Rec(ORDER_STATE_SHAPE, f);
  checkInvariant(next);
  return next;
}

function chargeTs(st: Rec, id: string, cycle: number, intents: IntentTs[]): void {
  intents.push({ effect: PAYMENTS_CHARGE, args: [id, st.f[S_TOTAL]!], key: defaultIdempotencyKey("Order", id, cycle, 0), kind: "await" });
  checkInvariant(st);
}

function finishTs(st: Rec, r: Variant): Rec {
  const f = st.f.slice();
  if (r.tag === 0) {
    f[S_RECEIPT] = r.f[0]!;
    f[S_STATUS] = unitVariant(STATUS_SHAPE, STATUS_PAID);
  } else f[S_STATUS] = unitVariant(STATUS_SHAPE, 3);
  const next = new Rec(ORDER_STATE_SHAPE, f);
  checkInvariant(next);
  return next;
}

function orderTsPersistent(n: number, hash: boolean): unknown {
  let last: unknown = null;
  for (let k = 0; k < n; k++) {
    const id = IDS[k & 1023]!;
    let st = ORDER_INIT;
    for (let j = 0; j < 3; j++) {
      st = addItemTs(st, ITEMS[j]!);
      if (hash) stateHash(st);
    }
    const sends: SendTs[] = [];
    st = reserveTs(st, id, sends);
    if (hash) stateHash(st);
    const intents: IntentTs[] = [];
    chargeTs(st, id, 1, intents);
    if (hash) stateHash(st);
    st = finishTs(st, OK_RECEIPT);
    if (hash) stateHash(st);
    checkInvariant(st); // the segment after `slice charge` (`return status`)
    if (hash) stateHash(st);
    last = orderSummary(st, st.f[S_STATUS]!, sends.length, intents.length);
  }
  return last;
}

// Plain JS objects, mutated in place: the cheapest honest TypeScript version.
type ItemJs = { sku: string; qty: number; price: number };
type OrderJs = { status: "Open" | "Charging" | "Paid" | "Failed"; items: ItemJs[]; total: number; receipt: { id: string; amount: number } | null };
const ITEMS_JS: ItemJs[] = ITEMS.map((r) => ({ sku: r.f[0] as string, qty: r.f[1] as number, price: r.f[2] as number }));
const RECEIPT_JS = { id: "rcpt-1", amount: 995 };
const STATUS_TAG = { Open: STATUS_OPEN, Charging: STATUS_CHARGING, Paid: STATUS_PAID, Failed: 3 } as const;

function orderPlain(n: number): unknown {
  let last: unknown = null;
  for (let k = 0; k < n; k++) {
    const id = IDS[k & 1023]!;
    const o: OrderJs = { status: "Open", items: [], total: 0, receipt: null };
    for (let j = 0; j < 3; j++) {
      if (o.status !== "Open") throw new Error("order is closed");
      o.items.push(ITEMS_JS[j]!);
      let t = 0;
      for (const it of o.items) t += it.qty * it.price;
      o.total = t;
    }
    o.status = "Charging";
    const sends: { instance: string; order: string; qty: number }[] = [];
    for (const it of o.items) sends.push({ instance: it.sku, order: id, qty: it.qty });
    const intents = [{ effect: "Payments.charge", args: [id, o.total], key: defaultIdempotencyKey("Order", id, 1, 0) }];
    o.receipt = RECEIPT_JS;
    o.status = "Paid";
    last = { status: STATUS_TAG[o.status], total: o.total, items: o.items.length, sends: sends.length, intents: intents.length };
  }
  return last;
}

// ------------------------------------------------------------------ groups

/** The same VM with the compiled tier off: what the bytecode interpreter alone achieves. */
const INTERP = "Lexum VM, interpreter only";

function groups(): Group[] {
  const gs: Group[] = [];
  if (ONLY.has("a")) {
    gs.push({
      id: "a",
      title: `integer loop, ${ARITH_N.toLocaleString("en-US")} iterations`,
      unit: "iterations",
      opsPerRun: ARITH_N,
      cases: [vmCase("Lexum VM", trArith, [ARITH_N]), vmCase(INTERP, trArith, [ARITH_N], lvmInterp), { name: "plain TS", run: () => arithTs(ARITH_N) }],
      pairs: [
        ["Lexum VM", "plain TS"],
        [INTERP, "plain TS"],
      ],
      expect: arithTs(ARITH_N),
    });
  }
  if (ONLY.has("b")) {
    gs.push({
      id: "b",
      title: `recursive fib(${FIB_N})`,
      unit: "calls",
      opsPerRun: fibCalls(FIB_N),
      cases: [vmCase("Lexum VM", trFib, [FIB_N]), vmCase(INTERP, trFib, [FIB_N], lvmInterp), { name: "plain TS", run: () => fibTs(FIB_N) }],
      pairs: [
        ["Lexum VM", "plain TS"],
        [INTERP, "plain TS"],
      ],
      expect: fibTs(FIB_N),
    });
  }
  if (ONLY.has("c")) {
    gs.push({
      id: "c",
      title: `build a map and a list of ${BUILD_N.toLocaleString("en-US")} entries`,
      unit: "entries",
      opsPerRun: BUILD_N,
      cases: [
        vmCase("Lexum VM", trBuild, [BUILD_N]),
        vmCase(INTERP, trBuild, [BUILD_N], lvmInterp),
        { name: "TS + persistent values", run: () => buildPersistent(BUILD_N) },
        { name: "TS + Map/Array", run: () => buildNative(BUILD_N) },
      ],
      pairs: [
        ["Lexum VM", "TS + persistent values"],
        ["Lexum VM", "TS + Map/Array"],
        [INTERP, "TS + persistent values"],
      ],
      expect: 2 * BUILD_N,
    });
  }
  if (ONLY.has("d")) {
    // One op = one whole checkout: 3 AddItem + Checkout's 4 segments (reserve, await,
    // charge, return) = 7 commits.
    const per = QUICK ? ORDER_BATCH / 10 : ORDER_BATCH;
    gs.push({
      id: "d",
      title: `Order checkout (AddItem ×3, Checkout, resume Ok), batches of ${per}`,
      unit: "checkouts",
      opsPerRun: per,
      cases: [
        { name: "Lexum VM", run: () => orderVm(per, false) },
        { name: "Lexum VM + stateHash", run: () => orderVm(per, true) },
        { name: INTERP, run: () => orderVm(per, false, ovmInterp) },
        { name: "TS + persistent values", run: () => orderTsPersistent(per, false) },
        { name: "TS + persistent + stateHash", run: () => orderTsPersistent(per, true) },
        { name: "TS + plain objects", run: () => orderPlain(per) },
      ],
      pairs: [
        ["Lexum VM", "TS + persistent values"],
        ["Lexum VM + stateHash", "TS + persistent + stateHash"],
        ["Lexum VM", "TS + plain objects"],
        ["Lexum VM + stateHash", "TS + plain objects"],
        [INTERP, "TS + persistent values"],
      ],
      expect: { status: STATUS_PAID, total: 2 * 150 + 320 + 5 * 75, items: 3, sends: 3, intents: 1 },
    });
  }
  return gs;
}

// ------------------------------------------------------------------ report

function fmtOps(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

function table(rs: readonly GroupResult[]): string {
  const lines: string[] = [];
  lines.push(`| bench | case | ops/s | bytecode instr/s | ms/run |`);
  lines.push(`|---|---|---:|---:|---:|`);
  for (const g of rs) {
    for (const c of g.cases) {
      lines.push(`| ${g.id} ${g.unit} | ${c.name} | ${fmtOps(c.opsPerSec)} | ${c.instrPerSec === null ? "" : fmtOps(c.instrPerSec)} | ${c.msPerRun.toFixed(3)} |`);
    }
  }
  lines.push("");
  lines.push(`| bench | subject / baseline | ratio (median) | min–max over rounds |`);
  lines.push(`|---|---|---:|---:|`);
  for (const g of rs) {
    for (const p of g.pairs) {
      lines.push(`| ${g.id} | ${p.subject} / ${p.baseline} | ${p.ratio.toFixed(2)}× | ${p.ratioMin.toFixed(2)}–${p.ratioMax.toFixed(2)} |`);
    }
  }
  return lines.join("\n");
}

const results: GroupResult[] = [];
for (const g0 of groups()) {
  let g = g0;
  if (CASE_FILTER !== null) {
    const exact = CASE_FILTER.startsWith("=") ? CASE_FILTER.slice(1) : null;
    const cases = g.cases.filter((c) => (exact !== null ? c.name === exact : c.name.includes(CASE_FILTER)));
    const names = new Set(cases.map((c) => c.name));
    g = { ...g, cases, pairs: g.pairs.filter(([a, b]) => names.has(a) && names.has(b)) };
  }
  results.push(runGroup(g));
}
console.log("");
console.log(table(results));
if (sink === Symbol.for("never")) console.log(sink);

if (WRITE_JSON) {
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    rounds: ROUNDS,
    sampleMs: SAMPLE_MS,
    groups: results,
  };
  const dir = path.join(ROOT, "bench/results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "vm.json"), JSON.stringify(out, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(dir, "vm.json"))}`);
}
