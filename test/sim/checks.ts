/**
 * What must hold after every seed (test/sim/README.md "Checkers"): the run with faults
 * against its fault-free reference, and the run's own invariants.
 */
import type { InstanceEnvelope } from "../../src/runtime/runtime.ts";
import { diffStates, type RunResult } from "./sim.ts";
import type { Workload } from "./workload.ts";

/** Every broken property, one sentence each (empty: the seed passes). */
export function check(w: Workload, run: RunResult, ref: RunResult): string[] {
  const out: string[] = [];
  for (const f of ref.failures) out.push(`reference run: ${f}`);
  for (const f of run.failures) out.push(f);
  for (const v of run.gateViolations.slice(0, 3)) out.push(`output gate: ${v}`);
  if (ref.outcome !== "completed") out.push(`reference run: recovery refused without injected damage: ${ref.refusal}`);
  if (run.outcome !== "completed" || out.length > 0) return out;

  // 1. Same final state, cycle, run hash, mailbox offset, status and goals as the reference.
  const d = diffStates(run.states, ref.states);
  if (d !== null) out.push(`final state differs from the fault-free reference: ${d}`);

  // 2. Every input acknowledged at the mailbox offset the reference gave it (none lost, none twice).
  for (const i of w.inputs) {
    const a = run.acks.get(i.seq);
    const b = ref.acks.get(i.seq);
    if (!a) out.push(`input ${i.key} was never acknowledged`);
    else if (b && a.mailbox_offset !== b.mailbox_offset) out.push(`input ${i.key} was acknowledged at mailbox offset ${a.mailbox_offset}, the reference at ${b.mailbox_offset}`);
  }

  // 3. Applied exactly once: the programs record every input and message id in `inbox`.
  out.push(...inboxProblems(w, run.states));

  // 4. The world applied the same idempotency keys as in the reference (each once by construction).
  const extra = [...run.applied].filter((k) => !ref.applied.has(k)).sort();
  const missing = [...ref.applied].filter((k) => !run.applied.has(k)).sort();
  if (extra.length > 0) out.push(`the world applied ${extra.length} effect key(s) the reference never used, e.g. ${extra.slice(0, 3).join(", ")}`);
  if (missing.length > 0) out.push(`the world never applied ${missing.length} effect key(s) of the reference, e.g. ${missing.slice(0, 3).join(", ")}`);
  return out;
}

function inboxProblems(w: Workload, states: Map<string, InstanceEnvelope>): string[] {
  const out: string[] = [];
  const inboxDomains = new Set(w.program.inboxDomains);
  for (const [k, s] of states) {
    if (!inboxDomains.has(s.domain)) continue;
    const inbox = (s.state as { inbox?: unknown }).inbox;
    if (!Array.isArray(inbox)) continue;
    const seen = new Set<string>();
    for (const id of inbox as string[]) {
      if (seen.has(id)) out.push(`${k} applied ${id} twice`);
      seen.add(id);
    }
  }
  for (const i of w.inputs) {
    const root = w.program.roots.find((r) => r.domain === i.domain);
    if (!root?.inbox) continue;
    const s = states.get(`${i.domain}/${i.instance}`);
    const inbox = (s?.state as { inbox?: string[] } | undefined)?.inbox ?? [];
    if (!inbox.includes(i.id)) out.push(`acknowledged input ${i.key} is missing from ${i.domain}[${i.instance}].inbox`);
  }
  return out.slice(0, 10);
}
