/**
 * The whole-system simulator (STYLE.md §13): the real Runtime — engine, WAL, snapshot store,
 * checkpointer, effect dispatcher — on a SimDisk, a SimClock and a simulated world (world.ts),
 * driven by one seeded PRNG. A seed's run is a `Workload` (workload.ts); `runSeed` runs it
 * twice — with its fault schedule, and fault-free as the reference — and checks the outcome
 * (checks.ts). Nothing here reads the host clock or waits on real I/O, so a seed replays its
 * run exactly, and the trace hash says so.
 *
 * How time moves. The loop visits event times in order: input times, fault times, due
 * timers (the runtime's own, the dispatcher's retries and timeouts, the world's late answers).
 * At each, it lets the system settle — microtasks and `setImmediate` turns until nothing
 * changes — and only then moves the clock on. Inputs are submitted when the clock reaches
 * their logical time, one at a time per instance (the next only after the previous was
 * acknowledged), with their idempotency key and `logicalTime`, and re-submitted after a
 * crash until acknowledged.
 *
 * Crashes. A crash kills the current incarnation — its clock (every timer it set is
 * cancelled, so nothing of it runs again) and its disk object (every later operation fails) —
 * and replaces the disk by what survives: a power cut (`SimDisk.crash`, any mode) or a process
 * death (`processCrash`: the page cache survives). Promises of the dead incarnation may still
 * resolve (answers in flight); they are ignored. Recovery is `Runtime.open` on the new disk,
 * itself subject to crashes, bounded by RECOVERY_ATTEMPTS_MAX.
 */
import { createHash } from "node:crypto";
import { DataDamagedError, errorMessage, LexumError } from "../../src/base/errors.ts";
import type { Clock, TimerHandle } from "../../src/base/clock.ts";
import type { Disk, DiskFile, OpenMode } from "../../src/base/disk.ts";
import { SimClock } from "../../src/base/sim_clock.ts";
import { CRASH_MODES, SimDisk, type SimDiskOp } from "../../src/base/sim_disk.ts";
import type { AdapterContext } from "../../src/effects/index.ts";
import { decodeSegmentHeader, parseSegmentName, SEGMENT_HEADER_BYTES } from "../../src/journal/format.ts";
import { parseBody } from "../../src/journal/segment.ts";
import { Runtime, RuntimeInputError, type InstanceEnvelope, type Logger, type RuntimeFaults, type SendAck } from "../../src/runtime/runtime.ts";
import { Rng } from "./rng.ts";
import { T0, type CrashKind, type FaultAction, type SimInput, type Workload } from "./workload.ts";
import { World, type WorldCaller } from "./world.ts";

export const DATA = "/data";
/** Settle turns at one point in time before we call it a livelock. */
export const SETTLE_TURNS_MAX = 50_000;
/** Timer events between two event times before we call it a runaway. */
export const TIMER_STEPS_MAX = 20_000;
/** Consecutive recovery attempts (each may itself crash) before we say recovery does not terminate. */
export const RECOVERY_ATTEMPTS_MAX = 50;
/** Settle turns one `Runtime.open` may take. */
export const OPEN_TURNS_MAX = 20_000;

/**
 * Broken variants of the runtime, switched on only by the simulator's own mutation tests:
 * each must make the simulator fail within a bounded number of seeds.
 */
export type Mutation = "skipFsync" | "ackBeforeJournal" | "replayWithoutChecksum" | "dispatchBeforeCommit" | "freshKeys";
export const MUTATIONS: readonly Mutation[] = ["skipFsync", "ackBeforeJournal", "replayWithoutChecksum", "dispatchBeforeCommit", "freshKeys"];

/** A broken invariant: the run fails with this message (and the seed). */
export class SimFailure extends Error {
  override name = "SimFailure";
}

/** A legitimate early end: recovery refused a damaged data directory (exit 3). */
class SimStop extends Error {
  override name = "SimStop";
}

export type Flip = {
  readonly path: string;
  readonly offset: number;
  readonly bit: number;
  readonly kind: "wal-frame" | "wal-header" | "snapshot" | "checkpoint";
  /** The byte's value after the flip: while a file still holds it, the damage is there. */
  readonly value: number;
  /** A committed WAL frame or header: recovery must refuse while the damage is present. */
  readonly mustRefuse: boolean;
};

export type RunStats = {
  crashes: number;
  /** Crashes that killed only the process (the page cache survived). */
  processCrashes: number;
  recoveries: number;
  flips: number;
  ioFaults: number;
  worldCalls: number;
  timerSteps: number;
  settleTurns: number;
  maxWalBytes: number;
  /** Bytes every incarnation's WAL wrote (so a long run can show the WAL is truncated). */
  walBytesWritten: number;
  snapshots: number;
  segmentsDeleted: number;
};

export type RunResult = {
  readonly outcome: "completed" | "refused";
  readonly refusal: string | null;
  /** Envelopes of every instance at the end (`Domain/id` → envelope). */
  readonly states: Map<string, InstanceEnvelope>;
  /** First acknowledgement of each input (by seq). */
  readonly acks: Map<number, SendAck>;
  readonly applied: ReadonlySet<string>;
  /** Effect calls that broke the output gate (world.ts `checkCall`). */
  readonly gateViolations: readonly string[];
  readonly failures: string[];
  readonly trace: string[];
  readonly traceHash: string;
  readonly stats: RunStats;
};

export type RunOptions = {
  /** Apply the workload's fault schedule (false: the fault-free reference run). */
  readonly faults: boolean;
  readonly mutation?: Mutation;
  /** Keep the trace lines (the hash is always computed). */
  readonly keepTrace?: boolean;
};

/** A disk whose fsyncs do nothing ("skip fsync" mutation); the SimDisk below still loses unsynced data in a crash. */
class NoSyncDisk implements Disk {
  constructor(private readonly d: Disk) {}
  async open(p: string, mode: OpenMode): Promise<DiskFile> {
    const f = await this.d.open(p, mode);
    return {
      path: f.path,
      read: (b, o, l, pos) => f.read(b, o, l, pos),
      write: (data, pos) => f.write(data, pos),
      sync: async () => {},
      truncate: (n) => f.truncate(n),
      size: () => f.size(),
      close: () => f.close(),
    };
  }
  readFile(p: string): Promise<Uint8Array> {
    return this.d.readFile(p);
  }
  list(dir: string): Promise<string[]> {
    return this.d.list(dir);
  }
  mkdirp(dir: string): Promise<void> {
    return this.d.mkdirp(dir);
  }
  rename(a: string, b: string): Promise<void> {
    return this.d.rename(a, b);
  }
  unlink(p: string): Promise<void> {
    return this.d.unlink(p);
  }
  stat(p: string): Promise<{ size: number; isDirectory: boolean } | null> {
    return this.d.stat(p);
  }
  async syncDir(): Promise<void> {}
}

/** One process lifetime of the runtime. Killing it cancels its timers: a dead process runs nothing. */
class Incarnation implements WorldCaller {
  dead = false;
  rt: Runtime | null = null;
  readonly errors: string[] = [];
  private readonly handles = new Set<TimerHandle>();
  readonly clock: Clock;
  readonly log: Logger;

  constructor(
    private readonly run: SimRun,
    readonly n: number,
  ) {
    const sim = run.clock;
    this.clock = {
      now: () => sim.now(),
      monotonic: () => sim.monotonic(),
      setTimer: (ms, fn) => {
        if (this.dead) return { cancel() {} };
        const h: TimerHandle = sim.setTimer(ms, () => {
          this.handles.delete(h);
          if (!this.dead) fn();
        });
        this.handles.add(h);
        return {
          cancel: () => {
            this.handles.delete(h);
            h.cancel();
          },
        };
      },
    };
    const err = (o: object | string, msg?: string): void => {
      if (this.dead) return;
      const line = `${msg ?? ""} ${typeof o === "string" ? o : JSON.stringify(o)}`.trim();
      this.errors.push(line);
      // The trace leaves stacks out: their absolute paths differ between checkouts, and the
      // trace hash must be the same wherever the seed is rerun.
      const traced = `${msg ?? ""} ${typeof o === "string" ? o : JSON.stringify(o, (k, v: unknown) => (k === "stack" ? undefined : v))}`.trim();
      run.event(`log error inc${n}: ${traced.slice(0, 300)}`);
    };
    this.log = { info() {}, warn() {}, error: err };
  }

  kill(): void {
    this.dead = true;
    for (const h of this.handles) h.cancel();
    this.handles.clear();
  }

  /** The output gate, seen from outside: an effect may leave only once its intent is durable. */
  checkCall(ctx: AdapterContext): string | null {
    const rt = this.rt;
    if (rt === null) return null; // re-dispatch during open: intents read back from the WAL
    const x = rt.engine.get(ctx.domain, ctx.instance);
    if (!x) return `effect ${ctx.effect} key ${ctx.idempotencyKey} called for ${ctx.domain}[${ctx.instance}], which does not exist`;
    for (const it of x.intents.values()) {
      if (it.rec.key !== ctx.idempotencyKey) continue;
      if (it.lsn > rt.wal.durableLsn) return `effect ${ctx.effect} key ${ctx.idempotencyKey} left before its cycle was durable (intent LSN ${it.lsn} > durable ${rt.wal.durableLsn})`;
      return null;
    }
    return `effect ${ctx.effect} called with key ${ctx.idempotencyKey}, which no pending intent of ${ctx.domain}[${ctx.instance}] carries`;
  }

  trace(line: string): void {
    this.run.event(line);
  }
}

function immediate(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export class SimRun {
  readonly clock = new SimClock(T0 - 1_000);
  disk: SimDisk;
  readonly world: World;
  private inc: Incarnation | null = null;
  private incarnations = 0;
  private readonly rng: Rng;
  private readonly hash = createHash("sha256");
  readonly trace: string[] = [];
  private traceCount = 0;
  readonly failures: string[] = [];
  readonly stats: RunStats = { crashes: 0, processCrashes: 0, recoveries: 0, flips: 0, ioFaults: 0, worldCalls: 0, timerSteps: 0, settleTurns: 0, maxWalBytes: 0, walBytesWritten: 0, snapshots: 0, segmentsDeleted: 0 };
  private readonly queues = new Map<string, SimInput[]>();
  private readonly acks = new Map<number, SendAck>();
  private readonly inflight = new Map<number, number>();
  private readonly parked = new Map<number, number>();
  private opCount = 0;
  private crashAtOp: { op: number; mode: CrashKind } | null = null;
  private callCount = 0;
  private crashAtCall: { call: number; mode: CrashKind } | null = null;
  private needRecovery = false;
  /** An injected fdatasync failure is pending / just happened (see `onDiskOp`). */
  private syncFailArmed = false;
  private crashGrace = false;
  /** I/O faults injected on the current disk object (they may stop a runtime or fail an open). */
  private ioFaultsArmed = 0;
  private readonly flips: Flip[] = [];
  private fullUntil: number | null = null;
  private refusal: string | null = null;
  private readonly runtimeFaults: RuntimeFaults;

  constructor(
    readonly w: Workload,
    readonly o: RunOptions,
  ) {
    this.rng = new Rng(w.seed).fork(o.faults ? "run" : "reference");
    const diskRng = new Rng(w.seed).fork(o.faults ? "disk" : "reference-disk");
    this.disk = new SimDisk({ rng: () => diskRng.next(), faultHook: (op, p) => this.onDiskOp(op, p) });
    this.world = new World(w.seed, w.program.module, this.clock);
    this.world.afterCall = () => this.onWorldCall();
    for (const i of w.inputs) {
      const k = `${i.domain}\u0000${i.instance}`;
      let q = this.queues.get(k);
      if (!q) this.queues.set(k, (q = []));
      q.push(i);
    }
    for (const q of this.queues.values()) q.sort((a, b) => a.time - b.time || a.seq - b.seq);
    const m = o.faults ? o.mutation : undefined;
    this.runtimeFaults = {
      ackBeforeJournal: m === "ackBeforeJournal",
      dispatchBeforeCommit: m === "dispatchBeforeCommit",
      freshKeyOnRedispatch: m === "freshKeys",
      replayWithoutChecksum: m === "replayWithoutChecksum",
    };
  }

  // ------------------------------------------------------------------ trace

  event(line: string): void {
    const l = `${this.clock.now() - T0} ${line}`;
    this.hash.update(l + "\n");
    this.traceCount++;
    if (this.o.keepTrace) this.trace.push(l);
  }

  private fail(msg: string): never {
    throw new SimFailure(msg);
  }

  // ------------------------------------------------------------------ the run

  /** Envelopes at the end, taken before the final crash and restart checks. */
  private finalStates = new Map<string, InstanceEnvelope>();

  async run(): Promise<RunResult> {
    // A promise rejection nobody handles would crash a real node process (Node's default).
    const unhandled = (reason: unknown): void => {
      const inc = this.inc?.n ?? 0;
      this.failures.push(`unhandled promise rejection (it would crash the process) in incarnation ${inc}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    };
    process.on("unhandledRejection", unhandled);
    try {
      await this.recover();
      const endTime = (this.w.inputs.length > 0 ? Math.max(...this.w.inputs.map((i) => i.time)) : T0) + this.w.config.horizonMs;
      const times = new Set<number>([endTime]);
      for (const i of this.w.inputs) times.add(i.time);
      if (this.o.faults) for (const f of this.w.faults) if (f.at < endTime) times.add(f.at);
      const faultsAt = new Map<number, FaultAction[]>();
      if (this.o.faults) for (const f of this.w.faults) faultsAt.set(f.at, [...(faultsAt.get(f.at) ?? []), f]);
      for (const t of [...times].sort((a, b) => a - b)) {
        await this.advanceTo(t);
        for (const f of faultsAt.get(t) ?? []) await this.inject(f);
        await this.settle(`t+${t - T0}`);
      }
      await this.releaseFull();
      await this.settle("end");
      for (const q of this.queues.values()) {
        if (q.length > 0) this.fail(`liveness: input ${q[0]!.id} (${q[0]!.domain}.${q[0]!.transition}) was never acknowledged by the end of the run`);
      }
      await this.finish();
    } catch (e) {
      if (e instanceof SimStop) {
        // Recovery refused damaged data (checked in onRefusal): nothing more to compare.
      } else if (e instanceof SimFailure) this.failures.push(e.message);
      else this.failures.push(`the simulator crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      this.retire();
      // Rejections surface a turn after they happen.
      await immediate();
      await immediate();
      process.off("unhandledRejection", unhandled);
    }
    this.event(`end failures=${this.failures.length}`);
    return {
      outcome: this.refusal !== null ? "refused" : "completed",
      refusal: this.refusal,
      states: this.finalStates,
      acks: this.acks,
      applied: new Set(this.world.applied.keys()),
      gateViolations: this.world.violations,
      failures: this.failures,
      trace: this.trace,
      traceHash: this.hash.digest("hex"),
      stats: { ...this.stats, worldCalls: this.world.calls },
    };
  }

  private get rt(): Runtime {
    const rt = this.inc?.rt;
    if (!rt) this.fail("internal: no runtime");
    return rt;
  }

  /** Final checks of one run: states, a crash at the end, a clean restart, the WAL bound. */
  private async finish(): Promise<void> {
    // The final checks run without injected faults: a crash armed for later is dropped.
    this.crashAtOp = null;
    this.crashAtCall = null;
    // Liveness: nothing ready, queued, in flight or unflushed is left at the end.
    await this.drive(this.rt.quiescent(), "the runtime becoming quiescent at the end", false, 2_000);
    const states = await this.collectStates();
    this.finalStates = states;
    for (const [k, s] of [...states].sort(([a], [b]) => (a < b ? -1 : 1))) this.event(`final ${k} cycle=${s.cycle} ${s.run_hash} off=${s.mailbox_offset}`);
    // Everything is durable now: a power cut must change nothing.
    this.crashNow(this.rng.pick(CRASH_MODES), "final power cut");
    await this.settle("after the final power cut");
    const again = await this.collectStates();
    const d1 = diffStates(states, again);
    if (d1 !== null) this.fail(`a power cut after everything was durable changed the result: ${d1}`);
    // A clean shutdown writes final snapshots; the restart replays nothing and agrees.
    const rt = this.rt;
    await this.drive(rt.close(), "close", true);
    this.retire();
    this.needRecovery = true;
    await this.settle("after a clean restart");
    const third = await this.collectStates();
    const d2 = diffStates(states, third);
    if (d2 !== null) this.fail(`a clean restart changed the result: ${d2}`);
    if (this.rt.recovery.replayedCycles !== 0) this.fail(`a restart after a clean shutdown re-executed ${this.rt.recovery.replayedCycles} cycles (close() should snapshot every instance)`);
    this.event(`wal bytes=${this.rt.walBytes()} segments=${this.rt.wal.segments().length} max=${this.stats.maxWalBytes}`);
    await this.drive(this.rt.close(), "close", true);
  }

  private async collectStates(): Promise<Map<string, InstanceEnvelope>> {
    const rt = this.rt;
    const out = new Map<string, InstanceEnvelope>();
    const keys = [...rt.engine.instances.values()].map((x) => [x.domain, x.id] as const).sort((a, b) => (`${a[0]}/${a[1]}` < `${b[0]}/${b[1]}` ? -1 : 1));
    for (const [d, id] of keys) {
      const s = await rt.state(d, id);
      if (s) out.set(`${d}/${id}`, JSON.parse(JSON.stringify(s)) as InstanceEnvelope);
    }
    return out;
  }

  // ------------------------------------------------------------------ time

  private async advanceTo(t: number): Promise<void> {
    for (let i = 0; ; i++) {
      if (i > TIMER_STEPS_MAX) this.fail(`liveness: more than ${TIMER_STEPS_MAX} timer events before t+${t - T0}`);
      if (this.fullUntil !== null && this.fullUntil <= t && this.fullUntil <= (this.clock.nextDueAt() ?? Infinity)) {
        this.clock.advanceTo(Math.max(this.fullUntil, this.clock.now()));
        await this.releaseFull();
        await this.settle("disk space freed");
        continue;
      }
      const next = this.clock.nextDueAt();
      if (next === null || next > t) break;
      this.stats.timerSteps++;
      this.clock.advanceTo(Math.max(next, this.clock.now()));
      await this.settle(`timer t+${next - T0}`);
    }
    if (t > this.clock.now()) this.clock.advanceTo(t);
  }

  /**
   * Runs microtasks and `setImmediate` turns (firing timers due now) until nothing changes,
   * recovering from crashes and submitting inputs on the way.
   */
  private async settle(label: string): Promise<void> {
    let idle = 0;
    let last = "";
    for (let turn = 0; ; turn++) {
      if (turn > SETTLE_TURNS_MAX) this.fail(`liveness: the system did not settle within ${SETTLE_TURNS_MAX} turns (${label})`);
      this.stats.settleTurns++;
      if (this.needRecovery) {
        await this.recover();
        idle = 0;
        last = "";
        continue;
      }
      const rt = this.rt;
      if (rt.failure !== null && !rt.isClosed) {
        this.onRuntimeFailure(rt.failure);
        continue;
      }
      this.checkWal(rt);
      this.submitReady(rt);
      await immediate();
      this.clock.runDue();
      const sig = `${this.opCount}/${this.traceCount}/${rt.wal.lastLsn}/${rt.wal.durableLsn}/${rt.metrics.commits}/${this.world.calls}/${this.clock.pendingTimers}/${this.needRecovery}`;
      if (sig === last) {
        if (++idle >= 4) {
          this.crashGrace = false;
          return;
        }
      } else {
        idle = 0;
        last = sig;
      }
    }
  }

  /** Awaits a promise of the runtime while turning the event loop (and, when `timers`, the clock). */
  private async drive<T>(p: Promise<T>, label: string, timers = false, turnsMax = OPEN_TURNS_MAX): Promise<T> {
    let state: { done: true; v: T } | { done: true; e: unknown } | { done: false } = { done: false };
    p.then(
      (v) => (state = { done: true, v }),
      (e) => (state = { done: true, e }),
    );
    for (let turn = 0; !state.done; turn++) {
      if (turn > turnsMax) this.fail(`liveness: ${label} did not happen within ${turnsMax} turns`);
      await immediate();
      this.clock.runDue();
      if (timers && turn % 16 === 15 && !state.done) {
        const next = this.clock.nextDueAt();
        if (next !== null) this.clock.advanceTo(Math.max(next, this.clock.now()));
      }
    }
    const s = state as { done: true; v: T } | { done: true; e: unknown };
    if ("e" in s) throw s.e;
    return s.v;
  }

  private checkWal(rt: Runtime): void {
    if (rt.isClosed) return;
    const bytes = rt.walBytes();
    if (bytes > this.stats.maxWalBytes) this.stats.maxWalBytes = bytes;
    if (bytes > this.w.config.walCeilingBytes) this.fail(`the WAL grew to ${bytes} bytes, above its ceiling of ${this.w.config.walCeilingBytes}`);
  }

  // ------------------------------------------------------------------ inputs

  private submitReady(rt: Runtime): void {
    if (rt.isClosed) return;
    const now = this.clock.now();
    for (const q of this.queues.values()) {
      const head = q[0];
      if (!head || head.time > now || this.inflight.has(head.seq)) continue;
      const parkedAt = this.parked.get(head.seq);
      if (parkedAt !== undefined && now <= parkedAt) continue;
      this.parked.delete(head.seq);
      this.submit(rt, head, q);
    }
  }

  private submit(rt: Runtime, input: SimInput, q: SimInput[]): void {
    const inc = this.inc!;
    this.inflight.set(input.seq, inc.n);
    this.event(`send ${input.key} inc${inc.n}`);
    rt.send(input.domain, input.instance, input.transition, input.args, { idempotencyKey: input.key, logicalTime: input.time }).then(
      (ack) => {
        if (inc.dead || this.inc !== inc) return; // a dead process tells nobody anything
        this.inflight.delete(input.seq);
        const first = this.acks.get(input.seq);
        if (first && first.mailbox_offset !== ack.mailbox_offset) {
          this.failures.push(`input ${input.key} was acknowledged twice with different mailbox offsets (${first.mailbox_offset}, then ${ack.mailbox_offset})`);
        }
        if (!first) this.acks.set(input.seq, ack);
        this.event(`ack ${input.key} off=${ack.mailbox_offset}${ack.duplicate ? " dup" : ""}`);
        if (q[0] === input) q.shift();
      },
      (e: unknown) => {
        if (inc.dead || this.inc !== inc) return;
        this.inflight.delete(input.seq);
        const code = e instanceof LexumError ? e.code : e instanceof Error ? e.name : String(e);
        this.event(`nack ${input.key} ${code}`);
        if (e instanceof RuntimeInputError) this.failures.push(`input ${input.key} was refused as bad input (a workload bug): ${e.message}`);
        // Retried once the clock has moved on, or by the next incarnation.
        this.parked.set(input.seq, this.clock.now());
      },
    );
  }

  // ------------------------------------------------------------------ faults

  private onDiskOp(op: SimDiskOp, p: string): string | null {
    this.opCount++;
    if (op === "sync" && this.syncFailArmed) {
      // This fdatasync fails. Known limit (src/journal/wal.ts `eraseUnsynced`): the WAL erases
      // the failed batch right away, but a process death before it can leaves the batch in
      // the page cache only; the next process would read it as committed, and a later power
      // cut could take it away. The simulator lets the runtime react before crashing it.
      this.syncFailArmed = false;
      this.crashGrace = true;
    }
    if (this.crashAtOp !== null && !this.crashGrace && this.opCount >= this.crashAtOp.op) {
      const mode = this.crashAtOp.mode;
      this.crashAtOp = null;
      this.crashNow(mode, `at disk op ${op} ${p}`);
      return "EIO";
    }
    return null;
  }

  private onWorldCall(): void {
    this.callCount++;
    if (this.crashAtCall !== null && this.callCount >= this.crashAtCall.call) {
      const mode = this.crashAtCall.mode;
      this.crashAtCall = null;
      this.crashNow(mode, `right after effect call ${this.callCount} reached the world`);
    }
  }

  /** Ends the current incarnation (its process is gone), keeping its counters. */
  private retire(): void {
    const inc = this.inc;
    if (inc === null || inc.dead) return;
    inc.kill();
    if (inc.rt) {
      this.stats.walBytesWritten += inc.rt.wal.stats.bytesWritten;
      this.stats.snapshots += inc.rt.metrics.snapshots;
      this.stats.segmentsDeleted += inc.rt.metrics.segmentsDeleted;
    }
  }

  private crashNow(mode: CrashKind, why: string): void {
    this.retire();
    if (mode === "process") this.disk = this.disk.processCrash();
    else this.disk = this.disk.crash(mode);
    this.ioFaultsArmed = 0; // faults armed on the old disk object died with it (a full disk stays full)
    this.stats.crashes++;
    if (mode === "process") this.stats.processCrashes++;
    const lc = this.disk.lastCrash;
    this.event(`crash ${mode} (${why})${lc ? ` kept data ${lc.dataOpsKept}/${lc.dataOpsQueued} meta ${lc.metaOpsKept}/${lc.metaOpsQueued} torn ${lc.tornWrites}` : ""}`);
    this.needRecovery = true;
  }

  private async inject(f: FaultAction): Promise<void> {
    if (this.needRecovery) await this.recover();
    this.event(`fault ${f.k}${"mode" in f ? ` ${f.mode}` : ""}`);
    switch (f.k) {
      case "crash":
        this.crashNow(f.mode, "between steps");
        return;
      case "crashAtOp":
        this.crashAtOp = { op: this.opCount + f.ops, mode: f.mode };
        return;
      case "crashAtCall":
        this.crashAtCall = { call: this.callCount + f.calls, mode: f.mode };
        return;
      case "flip":
        this.flip(f.target, f.r);
        return;
      case "syncFail":
        this.ioFaultsArmed++;
        this.stats.ioFaults++;
        this.disk.failNextSync("EIO");
        this.syncFailArmed = true;
        return;
      case "writeFail":
        this.ioFaultsArmed++;
        this.stats.ioFaults++;
        this.disk.failNextWrite("EIO", f.partial);
        return;
      case "full":
        this.ioFaultsArmed++;
        this.stats.ioFaults++;
        this.disk.setCapacity(this.disk.usedBytes() + f.room);
        this.fullUntil = this.clock.now() + f.forMs;
        return;
      case "restart": {
        // A clean shutdown; a crash armed for later may land in it (then it is a crash).
        const rt = this.rt;
        const inc = this.inc!;
        try {
          await this.drive(rt.close(), "close", true);
        } catch (e) {
          if (e instanceof SimFailure) throw e;
          if (!this.needRecovery) this.fail(`close() failed: ${errorMessage(e)}`);
        }
        if (this.inc === inc && !this.needRecovery) {
          this.retire();
          this.event("clean shutdown");
          this.needRecovery = true;
        }
        return;
      }
    }
  }

  private async releaseFull(): Promise<void> {
    if (this.fullUntil === null) return;
    this.fullUntil = null;
    this.disk.setCapacity(null);
    this.event("disk space freed");
  }

  /** Flips one bit of durable data of the target kind, recording where (see `Flip`). */
  private flip(target: "wal" | "snapshot" | "checkpoint", r: number): void {
    const durable = this.disk.snapshotState().durable;
    type Range = { path: string; start: number; end: number; kind: Flip["kind"]; mustRefuse: boolean };
    const ranges: Range[] = [];
    const paths = Object.keys(durable).sort();
    if (target === "wal") {
      const segs = paths.filter((p) => p.startsWith(`${DATA}/wal/`) && parseSegmentName(p.slice(DATA.length + 5)) !== null);
      let lastMarker: { path: string; offset: number } | null = null;
      for (const p of segs) {
        const buf = durable[p]!;
        const hc = decodeSegmentHeader(buf, parseSegmentName(p.slice(DATA.length + 5))!);
        if (!hc.ok) continue;
        const body = parseBody(buf, SEGMENT_HEADER_BYTES, Math.min(buf.length, hc.header.segmentBytes), hc.header.firstLsn, true);
        if (body.committed.length === 0) continue;
        ranges.push({ path: p, start: 0, end: SEGMENT_HEADER_BYTES, kind: "wal-header", mustRefuse: true });
        for (const rec of body.committed) ranges.push({ path: p, start: rec.offset, end: rec.offset + rec.length, kind: "wal-frame", mustRefuse: true });
        for (const m of body.markers) ranges.push({ path: p, start: m.offset, end: m.offset + 53, kind: "wal-frame", mustRefuse: true });
        const lm = body.markers[body.markers.length - 1];
        if (lm) lastMarker = { path: p, offset: lm.offset };
      }
      // A flip in the newest batch's marker looks exactly like a torn write of it (the documented
      // known limit of rules.md [35], docs/formats.md): the simulator does not flip there.
      if (lastMarker !== null) {
        const lm = lastMarker;
        const i = ranges.findIndex((x) => x.path === lm.path && x.start === lm.offset);
        if (i >= 0) ranges.splice(i, 1);
      }
    } else if (target === "snapshot") {
      for (const p of paths) if (p.startsWith(`${DATA}/snapshots/`) && p.endsWith(".snapshot.json") && !p.includes("/damaged/")) ranges.push({ path: p, start: 0, end: durable[p]!.length, kind: "snapshot", mustRefuse: false });
    } else {
      for (const p of paths) if (p.startsWith(`${DATA}/checkpoints/`) && p.endsWith(".node.json")) ranges.push({ path: p, start: 0, end: durable[p]!.length, kind: "checkpoint", mustRefuse: false });
    }
    const total = ranges.reduce((n, x) => n + (x.end - x.start), 0);
    if (total === 0) {
      this.event(`flip ${target}: nothing to flip`);
      return;
    }
    let at = Math.floor(r * total);
    for (const x of ranges) {
      const len = x.end - x.start;
      if (at >= len) {
        at -= len;
        continue;
      }
      const offset = x.start + at;
      const bit = this.rng.int(8);
      this.disk.flipBit(x.path, offset, bit);
      const value = this.disk.snapshotState().durable[x.path]![offset]!;
      this.flips.push({ path: x.path, offset, bit, kind: x.kind, value, mustRefuse: x.mustRefuse });
      this.stats.flips++;
      this.event(`flip ${x.kind} ${x.path} byte ${offset} bit ${bit}`);
      return;
    }
  }

  /** Flips whose damage is still in a file the next process reads. */
  private presentFlips(): Flip[] {
    if (this.flips.length === 0) return [];
    const live = this.disk.snapshotState().live;
    return this.flips.filter((f) => live[f.path] !== undefined && live[f.path]![f.offset] === f.value);
  }

  // ------------------------------------------------------------------ recovery

  private onRuntimeFailure(e: unknown): void {
    const inc = this.inc!;
    const msg = errorMessage(e);
    this.event(`runtime stopped inc${inc.n}: ${e instanceof LexumError ? e.code : msg}`);
    if (this.ioFaultsArmed === 0 && this.fullUntil === null) {
      this.fail(`the runtime stopped without an injected fault: ${msg}`);
    }
    // The process exits; it restarts on the same machine, or after a power cut.
    this.crashNow(this.rng.chance(0.5) ? "process" : this.rng.pick(CRASH_MODES), "the runtime stopped");
  }

  private async recover(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (attempt > RECOVERY_ATTEMPTS_MAX) this.fail(`recovery does not terminate: ${RECOVERY_ATTEMPTS_MAX} attempts in a row`);
      this.needRecovery = false;
      this.syncFailArmed = false; // SimDisk faults armed on the old disk object died with it
      this.crashGrace = false;
      this.inflight.clear();
      this.parked.clear();
      const inc = new Incarnation(this, ++this.incarnations);
      this.inc = inc;
      this.stats.recoveries++;
      const c = this.w.config;
      const disk: Disk = this.o.faults && this.o.mutation === "skipFsync" ? new NoSyncDisk(this.disk) : this.disk;
      let rt: Runtime;
      try {
        rt = await this.drive(
          Runtime.open({
            program: this.w.program.module,
            dataDir: DATA,
            disk,
            clock: inc.clock,
            lock: false,
            log: inc.log,
            adapters: this.world.adapters(inc),
            snapshotEveryCycles: c.snapshotEveryCycles,
            snapshotEveryBytes: c.snapshotEveryBytes,
            snapshotsKept: c.snapshotsKept,
            walSegmentBytes: c.walSegmentBytes,
            walTargetBytes: c.walTargetBytes,
            walCeilingBytes: c.walCeilingBytes,
            maxEffectsInFlight: c.maxEffectsInFlight,
            faults: this.runtimeFaults,
          }),
          "recovery",
        );
      } catch (e) {
        if (e instanceof SimFailure) throw e;
        if (this.needRecovery) continue; // a crash during recovery: recover again
        if (e instanceof DataDamagedError) this.onRefusal(e);
        if (this.ioFaultsArmed > 0 || this.fullUntil !== null) {
          // An injected I/O error stopped the start-up: the process exits and starts again
          // (after the space came back, for a full disk).
          this.event(`open failed inc${inc.n}: ${e instanceof LexumError || e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e)}`);
          if (this.fullUntil !== null) {
            this.clock.advanceTo(Math.max(this.fullUntil, this.clock.now()));
            await this.releaseFull();
          }
          this.crashNow(this.rng.chance(0.5) ? "process" : this.rng.pick(CRASH_MODES), "start-up stopped on an injected I/O error");
          continue;
        }
        this.fail(`recovery failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      if (this.needRecovery || inc.dead) continue;
      inc.rt = rt;
      const accepted = this.presentFlips().filter((f) => f.mustRefuse);
      if (accepted.length > 0) {
        const f = accepted[0]!;
        this.fail(`recovery accepted a WAL with a flipped bit in committed data (${f.kind} ${f.path} byte ${f.offset} bit ${f.bit}); it must refuse (exit 3)`);
      }
      this.event(`open inc${inc.n} records=${rt.recovery.records} replayed=${rt.recovery.replayedCycles} restored=${rt.recovery.restored} wal=${rt.walBytes()}`);
      return;
    }
  }

  /** Recovery refused (exit 3): legitimate only when injected damage is still there. */
  private onRefusal(e: DataDamagedError): never {
    const present = this.presentFlips();
    this.event(`refused ${e.code}`);
    if (present.length === 0) this.fail(`recovery refused a data directory with no damage left in it (${e.code}): ${e.message}`);
    this.refusal = `${e.code}: ${e.message}`;
    throw new SimStop(this.refusal);
  }
}

/** First difference between two sets of envelopes, or null. */
export function diffStates(a: Map<string, InstanceEnvelope>, b: Map<string, InstanceEnvelope>): string | null {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const x = a.get(k);
    const y = b.get(k);
    if (!x || !y) return `${k} exists in ${x ? "the first" : "the second"} only`;
    for (const f of ["cycle", "run_hash", "mailbox_offset", "status"] as const) {
      if (x[f] !== y[f]) return `${k}: ${f} ${JSON.stringify(x[f])} vs ${JSON.stringify(y[f])}`;
    }
    const sx = JSON.stringify(x.state);
    const sy = JSON.stringify(y.state);
    if (sx !== sy) return `${k}: state ${sx} vs ${sy}`;
    const gx = JSON.stringify(x.goals);
    const gy = JSON.stringify(y.goals);
    if (gx !== gy) return `${k}: goals ${gx} vs ${gy}`;
  }
  return null;
}
