/**
 * A small deterministic driver for differential tests of the VM: runs a list of calls (with
 * FIFO delivery of sends, stub results for awaited effects, resumption after slices) on one
 * Machine and records everything observable about every segment as a transcript line. Two
 * machines that run a program the same way produce the same transcript.
 */
import type { Module } from "../../src/bytecode/index.ts";
import {
  effectError,
  err,
  fromJson,
  Machine,
  ok,
  stateHash,
  toTagged,
  type MachineOptions,
  type Rec,
  type SegmentResult,
  type Value,
} from "../../src/vm/index.ts";

export type DriverCall = { readonly domain: string; readonly instance: string; readonly transition: string; readonly args: Readonly<Record<string, unknown>> };

export type DriverOptions = {
  /** Fuel per segment (overrides the module's). */
  readonly fuel?: number;
  /** Stub results per effect name, consumed in order: `{"$tag":"Ok","value":…}` or `{"$tag":"Err","error":{…}}`. */
  readonly effects?: Readonly<Record<string, readonly unknown[]>>;
  readonly maxSegments?: number;
};

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

function describe(vm: Machine, m: Module, r: SegmentResult): string {
  const common = {
    kind: r.kind,
    fuelUsed: r.fuelUsed,
    state: hex(stateHash(r.state)),
    sends: r.out.sends.map((s) => ({ d: s.domain, t: s.transition, i: s.instance, a: s.args.map(toTagged), delay: s.delayMs })),
    intents: r.out.intents.map((i) => ({ e: i.effect, k: i.kind, key: i.key, a: i.args.map(toTagged) })),
  };
  switch (r.kind) {
    case "done":
      return JSON.stringify({ ...common, reply: toTagged(r.reply) });
    case "failed":
      return JSON.stringify({ ...common, trap: r.trap });
    default:
      return JSON.stringify({ ...common, frame: { fn: r.frame.fn, pc: r.frame.pc, locals: r.frame.locals.map(toTagged) } });
  }
}

/** Runs `calls` on a fresh machine with `machineOpts`; returns the transcript and the machine. */
export function runTranscript(m: Module, calls: readonly DriverCall[], opts: DriverOptions = {}, machineOpts: MachineOptions = {}): { lines: string[]; vm: Machine } {
  const vm = new Machine(m, machineOpts);
  const lines: string[] = [];
  const states = new Map<string, Rec>();
  const cycles = new Map<string, number>();
  const queues = new Map<string, unknown[]>(Object.entries(opts.effects ?? {}).map(([k, v]) => [k, [...v]]));
  const queue: { d: number; id: string; t: number; args: Value[] }[] = [];
  let budget = opts.maxSegments ?? 2_000;
  let now = 1_700_000_000_000;
  const effectErrorType = m.types.findIndex((t) => t.k === "record" && t.name === "EffectError");

  const stub = (json: unknown, okType: number): Value => {
    const o = json as Record<string, unknown>;
    if (o.$tag === "Ok") return ok(fromJson(vm.types, okType, o.value));
    if (effectErrorType >= 0) return err(fromJson(vm.types, effectErrorType, o.error) as Rec);
    const e = o.error as { code: string; message: string; attempts: number };
    return err(effectError(e.code, e.message, e.attempts));
  };

  const deliver = (d: number, id: string, t: number, args: Value[]): void => {
    const key = `${d}\u0000${id}`;
    let st = states.get(key) ?? vm.initState(d, id);
    let cycle = cycles.get(key) ?? 0;
    const envFor = (): { instance: string; now: number; seed: Uint8Array; cycle: number; fuel?: number } => {
      const seed = new Uint8Array(32);
      seed[0] = cycle & 0xff;
      seed[1] = d;
      return { instance: id, now: now++, seed, cycle: cycle + 1, ...(opts.fuel !== undefined ? { fuel: opts.fuel } : {}) };
    };
    const label = `${m.domains[d]!.name}[${id}].${m.domains[d]!.transitions[t]!.name}`;
    let r = vm.start(d, t, args, st, envFor());
    for (;;) {
      if (--budget < 0) throw new Error("driver: too many segments");
      lines.push(`${label} ${describe(vm, m, r)}`);
      cycle++;
      st = r.state;
      for (const s of r.out.sends) if (s.delayMs === null || s.delayMs <= 0) queue.push({ d: s.domain, id: s.instance, t: s.transition, args: [...s.args] });
      if (r.kind === "done" || r.kind === "failed") break;
      if (r.kind === "slice") {
        r = vm.resume(d, r.frame, st, Machine.NO_VALUE, envFor());
        continue;
      }
      const intent = r.out.intents[r.out.intents.length - 1]!;
      const eff = m.effects[intent.effect]!;
      const q = queues.get(eff.name);
      if (!q || q.length === 0) {
        lines.push(`${label} suspended on ${eff.name}`);
        break;
      }
      r = vm.resume(d, r.frame, st, stub(q.shift(), eff.result), envFor());
    }
    states.set(key, st);
    cycles.set(key, cycle);
  };

  for (const c of calls) {
    const d = vm.domainIndex(c.domain);
    const t = d < 0 ? -1 : vm.transitionIndex(d, c.transition);
    if (t < 0) throw new Error(`driver: no ${c.domain}.${c.transition}`);
    const params = m.domains[d]!.transitions[t]!.params;
    const args = params.map((p) => fromJson(vm.types, p.type, c.args[p.name]));
    deliver(d, c.instance, t, args);
    while (queue.length > 0) {
      const x = queue.shift()!;
      deliver(x.d, x.id, x.t, x.args);
    }
  }
  return { lines, vm };
}
