/**
 * A seed's whole run, as data: the program, the external inputs (with their logical times
 * and idempotency keys), the runtime's configuration and the fault schedule. Everything is
 * drawn from streams forked off the seed (rng.ts), and the shrinker edits this object
 * directly (fewer inputs, fewer instances, fewer faults) without redrawing anything else.
 */
import type { CrashMode } from "../../src/base/sim_disk.ts";
import { EXAMPLE_NAMES, exampleProgram, generateProgram, type ProgramSpec } from "./programs.ts";
import { Rng } from "./rng.ts";

/** Logical time of the first input (epoch ms). */
export const T0 = 1_700_000_000_000;

export type SimInput = {
  /** Position in the workload (stable under shrinking). */
  readonly seq: number;
  /** `<instance>/<n>`: the id the program records in its inbox. */
  readonly id: string;
  readonly domain: string;
  readonly instance: string;
  readonly transition: string;
  readonly args: Record<string, unknown>;
  /** Logical time (what `now()` returns while it runs); also when the sim submits it. */
  readonly time: number;
  readonly key: string;
};

/** A crash: one of SimDisk's power-cut modes, or `process` (kill -9; the page cache survives). */
export type CrashKind = CrashMode | "process";
export const CRASH_KINDS: readonly CrashKind[] = ["drop-all", "keep-all", "prefix", "subset", "torn", "process"];

export type FaultAction =
  /** Crash at time `at`, between steps of the simulation. */
  | { readonly k: "crash"; readonly at: number; readonly mode: CrashKind }
  /** Crash at the `ops`-th disk operation after time `at` (any await point of the runtime, recovery included). */
  | { readonly k: "crashAtOp"; readonly at: number; readonly ops: number; readonly mode: CrashKind }
  /** Flip one bit of durable data: a committed WAL frame or header, a snapshot, a node checkpoint. */
  | { readonly k: "flip"; readonly at: number; readonly target: "wal" | "snapshot" | "checkpoint"; readonly r: number }
  /** The next fdatasync fails (Linux "fsyncgate" semantics, sim_disk.ts). */
  | { readonly k: "syncFail"; readonly at: number }
  /** The next write fails after `partial` bytes. */
  | { readonly k: "writeFail"; readonly at: number; readonly partial: number }
  /** The disk has only `room` bytes left for `forMs` ms. */
  | { readonly k: "full"; readonly at: number; readonly room: number; readonly forMs: number }
  /** A clean shutdown (`close()`: drain, final snapshots) and restart; a crash may hit it. */
  | { readonly k: "restart"; readonly at: number }
  /** Crash right after the `calls`-th effect call after time `at` reached the world (answered, not yet journaled). */
  | { readonly k: "crashAtCall"; readonly at: number; readonly calls: number; readonly mode: CrashKind };

export type RunConfig = {
  readonly snapshotEveryCycles: number;
  readonly snapshotEveryBytes: number;
  readonly snapshotsKept: number;
  readonly walSegmentBytes: number;
  readonly walTargetBytes: number;
  readonly walCeilingBytes: number;
  readonly maxEffectsInFlight: number;
  /** Virtual time simulated after the last input (timers, retries, goal ticks). */
  readonly horizonMs: number;
};

export type Workload = {
  readonly seed: number;
  /** The generator version that drew it (GenOptions.generation). */
  readonly generation: number;
  readonly program: ProgramSpec;
  readonly inputs: readonly SimInput[];
  readonly config: RunConfig;
  readonly faults: readonly FaultAction[];
};

export type GenOptions = {
  /** Upper bound on the number of inputs (default 30). */
  readonly inputsMax?: number;
  /** Upper bound on fault actions (default 6). */
  readonly faultsMax?: number;
  /** Force a program (tests). */
  readonly program?: ProgramSpec;
  /**
   * Generator version (default: the newest). Fault kinds added later come from streams of
   * their own, so an older seed's schedule only gains actions; regression seeds name the
   * version they were found with. 1: the first; 2: + clean restarts; 3: + crashes right after
   * an effect call.
   */
  readonly generation?: 1 | 2 | 3;
};

export const GENERATION = 3;

export function generateWorkload(seed: number, o: GenOptions = {}): Workload {
  const root = new Rng(seed);
  const pr = root.fork("program");
  const program = o.program ?? (pr.chance(0.3) ? exampleProgram(pr.pick(EXAMPLE_NAMES)) : generateProgram(pr));
  const cr = root.fork("config");
  const seg = cr.pick([512, 1024, 4096, 16384, 65536]);
  let target = 0;
  const config: RunConfig = {
    snapshotEveryCycles: cr.pick([2, 3, 5, 10, 40, 1000]),
    snapshotEveryBytes: cr.pick([600, 4096, 256 * 1024]),
    snapshotsKept: cr.weighted([
      [1, 1],
      [4, 2],
      [1, 3],
    ]),
    walSegmentBytes: seg,
    walTargetBytes: (target = seg * cr.pick([2, 4, 8])),
    // The runtime refuses inputs above it (rules.md [45]); the checker fails a run whose WAL
    // grows past it (sim.ts `checkWal`): the checkpointer must keep the WAL near its target.
    walCeilingBytes: 16 * target + 128 * 1024,
    // A small limit queues effects behind slow ones, so an instant chain could take virtual
    // time: stall-sensitive programs (programs.ts) keep the default.
    maxEffectsInFlight: ((n) => (program.stallSensitive ? 256 : n))(cr.pick([1, 2, 256])),
    horizonMs: 20 * 60_000,
  };

  const wr = root.fork("workload");
  const inputs = generateInputs(wr, program, o.inputsMax ?? 30);
  const lastTime = inputs.length > 0 ? inputs[inputs.length - 1]!.time : T0;
  const faults = generateFaults(root.fork("faults"), program, lastTime, o.faultsMax ?? 6);
  // Clean restarts come from a stream of their own (added later: the other faults of a seed
  // stay what they were).
  const gen = o.generation ?? GENERATION;
  const span = lastTime - T0 + 60_000;
  const rr = root.fork("restarts");
  if (gen >= 2 && (o.faultsMax ?? 6) > 0 && rr.chance(0.25)) {
    for (let i = rr.range(1, 2); i > 0; i--) faults.push({ k: "restart", at: T0 + rr.int(span + 1) });
  }
  const rc = root.fork("call-crashes");
  if (gen >= 3 && (o.faultsMax ?? 6) > 0 && rc.chance(0.3)) {
    for (let i = rc.range(1, 2); i > 0; i--) faults.push({ k: "crashAtCall", at: T0 + rc.int(span + 1), calls: rc.range(1, 8), mode: rc.pick(CRASH_KINDS) });
  }
  faults.sort((a, b) => a.at - b.at);
  return { seed, generation: gen, program, inputs, config, faults };
}

function generateInputs(r: Rng, program: ProgramSpec, inputsMax: number): SimInput[] {
  type Slot = { domain: string; instance: string; root: (typeof program.roots)[number]; used: number };
  const slots: Slot[] = [];
  for (const root of program.roots) for (const instance of root.instances) slots.push({ domain: root.domain, instance, root, used: 0 });
  const n = r.range(Math.min(3, inputsMax), inputsMax);
  const out: SimInput[] = [];
  let t = T0;
  while (out.length < n) {
    const open = slots.filter((s) => s.used < s.root.inputsPerInstanceMax);
    if (open.length === 0) break;
    // One time point: 1–3 distinct instances get one input each (at most one per instance per time).
    const k = Math.min(open.length, r.range(1, 3), n - out.length);
    const chosen = r.shuffle([...open]).slice(0, k);
    for (const s of chosen) {
      const tr = r.weighted(s.root.transitions.map((x) => [x.weight, x] as const));
      const id = `${s.instance}/${s.used}`;
      s.used++;
      out.push({ seq: out.length, id, domain: s.domain, instance: s.instance, transition: tr.name, args: tr.args(r, id), time: t, key: `in/${s.domain}/${id}` });
    }
    t += r.weighted([
      [5, r.range(1, 80)],
      [4, r.range(100, 2500)],
      [1, r.range(5_000, 90_000)],
    ]);
  }
  return out;
}

function generateFaults(r: Rng, program: ProgramSpec, lastTime: number, faultsMax: number): FaultAction[] {
  const out: FaultAction[] = [];
  const n = r.weighted([
    [1, 0],
    [6, r.range(1, Math.max(1, faultsMax))],
  ]);
  // Faults land while inputs arrive and a little after, never near the end of the horizon:
  // what a late crash delays must still finish in time for the comparison.
  const span = lastTime - T0 + 60_000;
  const when = (): number => T0 + r.int(span + 1);
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([
      [4, "crash"],
      [5, "crashAtOp"],
      [1.5, "flip"],
      [1, "syncFail"],
      [1, "writeFail"],
      [program.stallSensitive ? 0 : 1, "full"],
    ] as const);
    const mode = r.pick(CRASH_KINDS);
    switch (kind) {
      case "crash":
        out.push({ k: "crash", at: when(), mode });
        break;
      case "crashAtOp":
        out.push({ k: "crashAtOp", at: when(), ops: r.weighted([
          [3, r.range(1, 12)],
          [3, r.range(13, 120)],
          [1, r.range(121, 800)],
        ]), mode });
        break;
      case "flip":
        out.push({ k: "flip", at: when(), target: r.weighted([
          [1, "wal"],
          [3, "snapshot"],
          [1, "checkpoint"],
        ] as const), r: r.next() });
        break;
      case "syncFail":
        out.push({ k: "syncFail", at: when() });
        break;
      case "writeFail":
        out.push({ k: "writeFail", at: when(), partial: r.pick([0, 1, 30, 600]) });
        break;
      case "full":
        out.push({ k: "full", at: when(), room: r.pick([0, 100, 2000, 9000]), forMs: r.pick([500, 3000, 20_000]) });
        break;
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** One line per input and fault (the shrinker prints the smallest failing case with it). */
export function describeWorkload(w: Workload): string {
  const lines = [`program ${w.program.name}; config ${JSON.stringify(w.config)}`];
  for (const i of w.inputs) lines.push(`  +${i.time - T0}ms ${i.domain}[${i.instance}].${i.transition}(${JSON.stringify(i.args)}) key=${i.key}`);
  for (const f of w.faults) lines.push(`  fault +${f.at - T0}ms ${JSON.stringify({ ...f, at: undefined })}`);
  return lines.join("\n");
}
