/**
 * A/B benchmark of the interpreter: the working tree's `src/vm/machine.ts` (+ builtins.ts)
 * against the version at a git revision, both loaded in this process and run interleaved, so
 * the speedup of one change can be measured on a noisy shared box.
 *
 *   npx tsx bench/vm/ab.bench.ts [rev=HEAD] [--new <rev2>] [--rounds N] [--self]
 *
 * `--new rev2` takes the new side from another revision instead of the working tree (to
 * measure an old change after the fact). `--self` runs two copies of `rev` against each
 * other: the speedups it prints are the harness's own bias and noise (they should be ≈1.00×).
 *
 * The old files are written to .cache/ab/<rev>/ with their imports pointed at the current
 * tree (values, base, bytecode); only machine.ts and builtins.ts are taken from `rev`. Both
 * machines run the same module, compiled by the current compiler.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { compile } from "../../src/compiler/compile.ts";
import type { Module } from "../../src/bytecode/index.ts";
import { Machine, ok, Rec, stateHash, type RecordShape, type SegmentEnv, type Value } from "../../src/vm/index.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const args = process.argv.slice(2);
const rev = args[0] && !args[0].startsWith("--") ? args[0] : "HEAD";
const roundsAt = args.indexOf("--rounds");
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 9;
const SELF = args.includes("--self");
const newAt = args.indexOf("--new");
const NEW_REV = newAt >= 0 ? args[newAt + 1]! : null;
/** Each sample repeats a bench until it has run this long; each machine warms up this long. */
const SAMPLE_MS = 30;
const WARM_MS = 400;

type MachineCtor = new (m: Module) => Machine;

async function loadRev(rev: string, copy = ""): Promise<MachineCtor> {
  const dir = path.join(ROOT, ".cache/ab", rev.replace(/[^A-Za-z0-9_.-]/g, "_") + copy);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ["machine.ts", "builtins.ts"]) {
    let text = execFileSync("git", ["show", `${rev}:src/vm/${f}`], { cwd: ROOT, encoding: "utf8" });
    text = text.replace(/from "(\.\.?\/[^"]+)"/g, (m, spec: string) => {
      if (spec === "./builtins.ts" || spec === "./machine.ts") return m;
      return `from ${JSON.stringify(pathToFileURL(path.resolve(ROOT, "src/vm", spec)).href)}`;
    });
    fs.writeFileSync(path.join(dir, f), text);
  }
  const mod = (await import(pathToFileURL(path.join(dir, "machine.ts")).href)) as { Machine: MachineCtor };
  return mod.Machine;
}

const OldMachine = await loadRev(rev);
const NewMachine: MachineCtor = SELF ? await loadRev(rev, "-self") : NEW_REV !== null ? await loadRev(NEW_REV, "-new") : Machine;

/** Each copy of machine.ts has its own NO_VALUE symbol: a resume must use the machine's own. */
function noValue(vm: Machine): typeof Machine.NO_VALUE {
  return (vm.constructor as typeof Machine).NO_VALUE;
}

function load(file: string): Module {
  return compile({ [path.relative(ROOT, file)]: fs.readFileSync(file, "utf8") });
}
const ENV: SegmentEnv = { instance: "bench-1", now: 1_700_000_000_000, seed: new Uint8Array(32), cycle: 1 };
const loops = load(path.join(ROOT, "bench/vm/loops.lex"));
const order = load(path.join(ROOT, "test/fixtures/order.lex"));

type Bench = { name: string; run: (vm: Machine) => unknown };

function transition(name: string, arg: number): Bench {
  return {
    name: `${name}(${arg})`,
    run: (vm) => {
      const d = vm.domainIndex("Bench");
      const r = vm.start(d, vm.transitionIndex(d, name), [arg], vm.initState(d, "b"), ENV);
      if (r.kind !== "done") throw new Error(`${name}: ${r.kind}`);
      return r.reply;
    },
  };
}

function checkout(hash: boolean): Bench {
  return {
    name: `checkout x200${hash ? " + stateHash" : ""}`,
    run: (vm) => {
      const O = vm.domainIndex("Order");
      const add = vm.transitionIndex(O, "AddItem");
      const co = vm.transitionIndex(O, "Checkout");
      const itemShape = vm.types.shapeOf(order.types.findIndex((t) => t.k === "record" && t.name === "Item")) as RecordShape;
      const rcShape = vm.types.shapeOf(order.types.findIndex((t) => t.k === "record" && t.name === "Receipt")) as RecordShape;
      const init = vm.initState(O, "o");
      const items = [new Rec(itemShape, ["a", 2, 150]), new Rec(itemShape, ["b", 1, 320]), new Rec(itemShape, ["c", 5, 75])];
      const res = ok(new Rec(rcShape, ["r", 995]));
      let last: Value = null;
      for (let k = 0; k < 200; k++) {
        let st = init;
        for (const it of items) {
          const r = vm.start(O, add, [it], st, ENV);
          if (r.kind !== "done") throw new Error("AddItem");
          st = r.state;
          if (hash) stateHash(st);
        }
        let r = vm.start(O, co, [], st, ENV);
        while (r.kind === "slice" || r.kind === "await") {
          if (hash) stateHash(r.state);
          r = vm.resume(O, r.frame, r.state, r.kind === "await" ? res : noValue(vm), ENV);
        }
        if (r.kind !== "done") throw new Error("Checkout");
        last = r.reply;
      }
      return (last as { tag: number }).tag;
    },
  };
}

const benches: [Module, Bench][] = [
  [loops, transition("Arith", 300_000)],
  [loops, transition("Fib", 20)],
  [loops, transition("Build", 20_000)],
  [order, checkout(false)],
  [order, checkout(true)],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

console.log(`A/B: ${SELF ? `a second copy of ${rev}` : (NEW_REV ?? "working tree")} (new) vs ${rev} (old), ${ROUNDS} rounds, interleaved`);
console.log(`| bench | old ms | new ms | speedup (median of per-round old/new) |`);
console.log(`|---|---:|---:|---:|`);
for (const [m, b] of benches) {
  const vms: [string, Machine][] = [
    ["old", new OldMachine(m)],
    ["new", new NewMachine(m)],
  ];
  const expect = JSON.stringify(b.run(vms[0]![1]));
  const got = JSON.stringify(b.run(vms[1]![1]));
  if (expect !== got) throw new Error(`${b.name}: old gives ${expect}, new gives ${got}`);
  const t: Record<string, number[]> = { old: [], new: [] };
  const once = (vm: Machine): number => {
    const t0 = performance.now();
    b.run(vm);
    return performance.now() - t0;
  };
  // Warm both up for a while (alternating), then size samples so each lasts ≥ SAMPLE_MS.
  let reps = 1;
  for (const until = performance.now() + 2 * WARM_MS; performance.now() < until; ) {
    for (const [, vm] of vms) {
      const ms = once(vm);
      reps = Math.max(reps, Math.ceil(SAMPLE_MS / Math.max(ms, 1e-3)));
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    const order_ = r % 2 === 0 ? vms : [...vms].reverse();
    for (const [name, vm] of order_) {
      let ms = 0;
      for (let k = 0; k < reps; k++) ms += once(vm);
      t[name]!.push(ms / reps);
    }
  }
  const speedups = t.old!.map((o, i) => o / t.new![i]!);
  console.log(`| ${b.name} | ${median(t.old!).toFixed(2)} | ${median(t.new!).toFixed(2)} | ${median(speedups).toFixed(2)}× |`);
}
