/**
 * Shrinking a failing seed: the same workload, smaller, still failing the same way.
 *
 * The workload is data (workload.ts), so shrinking edits it and reruns: drop whole instances,
 * then delta-debug the input list (halves, quarters, … single inputs), then drop fault actions
 * one at a time, and repeat until nothing more can go. The fault schedule keeps its rules
 * (times, kinds, crash modes); only its size changes. Every random choice inside a run is
 * drawn from streams forked off the seed by label, so a smaller workload keeps the rest of
 * the seed's behaviour as far as it can.
 *
 * "The same way": the first failure's kind (its text with numbers and quoted names blanked),
 * so the shrinker does not wander off to a different bug.
 */
import { runWorkload, type SeedOptions, type SeedReport } from "./run.ts";
import type { Workload } from "./workload.ts";

export function failureKind(msg: string): string {
  return msg
    .replace(/"[^"]*"/g, '""')
    .replace(/\/data\/[^\s,:;)]*/g, "<path>")
    .replace(/0x[0-9a-f]+/g, "<hash>")
    .replace(/[0-9]+/g, "#")
    .split(/\s+/)
    .slice(0, 7)
    .join(" ");
}

export type ShrinkResult = { readonly report: SeedReport; readonly runs: number; readonly steps: string[] };

/** Reduces `first.workload` while it keeps failing with the kind of `first.failures[0]`. */
export async function shrink(first: SeedReport, o: SeedOptions & { readonly budget?: number; readonly log?: (line: string) => void } = {}): Promise<ShrinkResult> {
  const kind = failureKind(first.failures[0] ?? "");
  const budget = o.budget ?? 400;
  let best = first;
  let runs = 0;
  const steps: string[] = [];
  const tryW = async (w: Workload, what: string): Promise<boolean> => {
    if (runs >= budget) return false;
    runs++;
    const r = await runWorkload(w, { mutation: o.mutation });
    if (!r.ok && r.failures.some((f) => failureKind(f) === kind)) {
      best = r;
      steps.push(`${what}: ${w.inputs.length} inputs, ${w.faults.length} faults`);
      o.log?.(`  shrink: ${what} → ${w.inputs.length} inputs, ${w.faults.length} faults`);
      return true;
    }
    return false;
  };

  for (let round = 0; round < 8; round++) {
    const before = size(best.workload);
    // 1. Whole instances.
    const insts = [...new Set(best.workload.inputs.map((i) => `${i.domain}\u0000${i.instance}`))];
    for (const k of insts) {
      const w = best.workload;
      const inputs = w.inputs.filter((i) => `${i.domain}\u0000${i.instance}` !== k);
      if (inputs.length < w.inputs.length) await tryW({ ...w, inputs }, `without ${k.replace("\u0000", "/")}`);
    }
    // 2. Delta debugging over the inputs.
    for (let chunk = Math.ceil(best.workload.inputs.length / 2); chunk >= 1; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
      for (let start = 0; start < best.workload.inputs.length; ) {
        const w = best.workload;
        const inputs = [...w.inputs.slice(0, start), ...w.inputs.slice(start + chunk)];
        if (inputs.length < w.inputs.length && (await tryW({ ...w, inputs }, `without inputs ${start}..${start + chunk - 1}`))) continue;
        start += chunk;
      }
    }
    // 3. Fault actions, one at a time.
    for (let i = 0; i < best.workload.faults.length; ) {
      const w = best.workload;
      const faults = [...w.faults.slice(0, i), ...w.faults.slice(i + 1)];
      if (await tryW({ ...w, faults }, `without fault ${i} (${w.faults[i]!.k})`)) continue;
      i++;
    }
    if (size(best.workload) >= before || runs >= budget) break;
  }
  return { report: best, runs, steps };
}

function size(w: Workload): number {
  return w.inputs.length + w.faults.length;
}
