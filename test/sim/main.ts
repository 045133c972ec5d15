/**
 * `npm run sim -- --seeds N [--from S] [--seed S] [--shrink] [--mutation M] [--trace] [--time-limit SEC]`
 *
 * Runs seeds of the whole-system simulator (README.md in this folder) and prints, for every
 * failing seed, what broke and the one-line command that reruns it; `--shrink` reduces a
 * failing seed's workload and prints the smallest failing case. Exit code 1 when a seed fails.
 */
import { describeFailure, rerunCommand, runSeed } from "./run.ts";
import { MUTATIONS, type Mutation } from "./sim.ts";
import { shrink } from "./shrink.ts";
import { describeWorkload } from "./workload.ts";

type Args = { seeds: number; from: number; seed: number | null; shrink: boolean; mutation: Mutation | undefined; trace: boolean; timeLimitS: number; quiet: boolean; generation: 1 | 2 | 3 | undefined };

function parseArgs(argv: string[]): Args {
  const a: Args = { seeds: 100, from: 1, seed: null, shrink: false, mutation: undefined, trace: false, timeLimitS: Infinity, quiet: false, generation: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === "--seeds") a.seeds = Number(v());
    else if (k === "--from") a.from = Number(v());
    else if (k === "--seed") a.seed = Number(v());
    else if (k === "--shrink") a.shrink = true;
    else if (k === "--trace") a.trace = true;
    else if (k === "--quiet") a.quiet = true;
    else if (k === "--time-limit") a.timeLimitS = Number(v());
    else if (k === "--generation") {
      const g = Number(v());
      if (g !== 1 && g !== 2 && g !== 3) throw new Error("--generation must be 1, 2 or 3 (workload.ts)");
      a.generation = g;
    }
    else if (k === "--mutation") {
      const m = v() as Mutation;
      if (!MUTATIONS.includes(m)) throw new Error(`--mutation must be one of ${MUTATIONS.join(", ")}`);
      a.mutation = m;
    } else if (k === "--help" || k === "-h") {
      console.log("npm run sim -- --seeds N [--from S] | --seed S [--trace] [--shrink]  [--mutation M] [--generation G] [--time-limit SEC] [--quiet]");
      process.exit(0);
    } else throw new Error(`unknown argument ${k} (try --help)`);
  }
  for (const [k, x] of [["--seeds", a.seeds], ["--from", a.from]] as const) {
    if (!Number.isSafeInteger(x) || x < 0) throw new Error(`${k} must be a non-negative integer`);
  }
  if (a.seed !== null && !(Number.isSafeInteger(a.seed) && a.seed >= 0)) throw new Error("--seed must be a non-negative integer");
  return a;
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  if (a.seed !== null) {
    const r = await runSeed(a.seed, { mutation: a.mutation, keepTrace: a.trace, generation: a.generation });
    if (a.trace) {
      console.log(describeWorkload(r.workload));
      console.log("--- run with faults");
      console.log(r.run.trace.join("\n"));
      console.log("--- fault-free reference");
      console.log(r.ref.trace.join("\n"));
    }
    const s = r.run.stats;
    console.log(`seed ${a.seed}: ${r.ok ? "ok" : "FAILED"} (${r.workload.program.name}, ${r.workload.inputs.length} inputs, ${r.workload.faults.length} faults; ${s.crashes} crashes, ${s.recoveries} recoveries, ${s.flips} flips, ${s.worldCalls} effect calls; outcome ${r.run.outcome}) trace ${r.traceHash} in ${Math.round(r.ms)} ms`);
    if (r.run.refusal) console.log(`  recovery refused (injected damage): ${r.run.refusal}`);
    if (r.ok) return 0;
    console.log(describeFailure(r, a.mutation));
    if (a.shrink) await doShrink(r, a.mutation);
    return 1;
  }
  const t0 = performance.now();
  let failed = 0;
  let done = 0;
  let refused = 0;
  let crashes = 0;
  for (let seed = a.from; seed < a.from + a.seeds; seed++) {
    if ((performance.now() - t0) / 1000 > a.timeLimitS) {
      console.log(`time limit of ${a.timeLimitS} s reached`);
      break;
    }
    const r = await runSeed(seed, { mutation: a.mutation, generation: a.generation });
    done++;
    crashes += r.run.stats.crashes;
    if (r.run.outcome === "refused") refused++;
    if (!r.ok) {
      failed++;
      console.log(describeFailure(r, a.mutation));
      if (a.shrink) await doShrink(r, a.mutation);
    }
    if (!a.quiet && done % 100 === 0) {
      const s = (performance.now() - t0) / 1000;
      console.log(`${done} seeds, ${failed} failed, ${(done / s).toFixed(1)} seeds/s`);
    }
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`${done} seeds (${a.from}..${a.from + done - 1}) in ${secs.toFixed(1)} s: ${(done / secs).toFixed(1)} seeds/s; ${failed} failed; ${crashes} crashes simulated; ${refused} runs ended in a justified refusal (injected damage)`);
  return failed > 0 ? 1 : 0;
}

async function doShrink(r: Awaited<ReturnType<typeof runSeed>>, mutation: Mutation | undefined): Promise<void> {
  console.log(`shrinking seed ${r.seed} (${r.workload.inputs.length} inputs, ${r.workload.faults.length} faults)…`);
  const s = await shrink(r, { mutation, log: (l) => console.log(l) });
  console.log(`smallest failing case after ${s.runs} runs (${s.report.workload.inputs.length} inputs, ${s.report.workload.faults.length} faults):`);
  console.log(describeWorkload(s.report.workload));
  for (const f of s.report.failures) console.log(`  - ${f}`);
  console.log(`  reproduce: ${rerunCommand(r.seed, mutation, r.workload.generation)} --shrink`);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
