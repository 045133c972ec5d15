/**
 * One seed, end to end: generate its workload, run it with faults and fault-free, check.
 * `SIM_COMMAND` is the one-line command every failure prints to rerun the seed.
 */
import { createHash } from "node:crypto";
import { check } from "./checks.ts";
import { SimRun, type Mutation, type RunResult } from "./sim.ts";
import { GENERATION, generateWorkload, type GenOptions, type Workload } from "./workload.ts";

export type SeedReport = {
  readonly seed: number;
  readonly ok: boolean;
  readonly failures: string[];
  /** SHA-256 over both runs' ordered events: equal for equal seeds. */
  readonly traceHash: string;
  readonly run: RunResult;
  readonly ref: RunResult;
  readonly workload: Workload;
  readonly ms: number;
};

export type SeedOptions = GenOptions & { readonly mutation?: Mutation; readonly keepTrace?: boolean };

export function rerunCommand(seed: number, mutation?: Mutation, generation: number = GENERATION): string {
  return `npm run sim -- --seed ${seed}${generation !== GENERATION ? ` --generation ${generation}` : ""}${mutation ? ` --mutation ${mutation}` : ""}`;
}

export async function runWorkload(w: Workload, o: SeedOptions = {}): Promise<SeedReport> {
  const t0 = performance.now();
  const run = await new SimRun(w, { faults: true, mutation: o.mutation, keepTrace: o.keepTrace }).run();
  const ref = await new SimRun(w, { faults: false, keepTrace: o.keepTrace }).run();
  const failures = check(w, run, ref);
  const traceHash = createHash("sha256").update(`${run.traceHash}/${ref.traceHash}`).digest("hex");
  return { seed: w.seed, ok: failures.length === 0, failures, traceHash, run, ref, workload: w, ms: performance.now() - t0 };
}

export async function runSeed(seed: number, o: SeedOptions = {}): Promise<SeedReport> {
  return runWorkload(generateWorkload(seed, o), o);
}

/** The failure text a test or the CLI prints: the seed, what broke, and how to rerun it. */
export function describeFailure(r: SeedReport, mutation?: Mutation): string {
  return [`seed ${r.seed} failed (${r.workload.program.name}, ${r.workload.inputs.length} inputs, ${r.workload.faults.length} faults, trace ${r.traceHash.slice(0, 16)}):`, ...r.failures.map((f) => `  - ${f}`), `  rerun: ${rerunCommand(r.seed, mutation, r.workload.generation)}`].join("\n");
}
