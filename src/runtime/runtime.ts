/**
 * The durable runtime (runtime.md §1–5, §7; rules.md "Execution" and "Durability").
 *
 * One loop runs at its own pace (STYLE.md §9): callers only append inputs to the WAL and
 * wait; the loop executes ready work whose inputs are durable, appends each cycle's COMMIT
 * and the records it produced, and asks the WAL for a group commit. When a batch becomes
 * durable, the output gate releases what it held: acknowledgements, replies, effect
 * intents and timers. A crash at any instant therefore loses nothing acknowledged and
 * repeats nothing released.
 *
 * Failure semantics of the public API: `send` resolves once the input is durable (never
 * before) and rejects with a `RuntimeInputError` (bad input, nothing journaled) or an
 * operating error (WAL full/failed). `call` additionally waits for the transition to end
 * and rejects with a `TransitionError` when it failed. `close` drains, snapshots and stops.
 */
import { assert } from "../base/assert.ts";
import type { Clock, TimerHandle } from "../base/clock.ts";
import { systemClock } from "../base/clock.ts";
import type { Disk } from "../base/disk.ts";
import { LexumError, errorMessage } from "../base/errors.ts";
import { instanceIdProblem } from "../base/ids.ts";
import { sha256Hex, toHex0x } from "../base/hash.ts";
import {
  SNAPSHOT_EVERY_CYCLES,
  SNAPSHOT_EVERY_WAL_BYTES,
  SNAPSHOTS_KEPT,
  WAL_SEGMENT_BYTES,
} from "../base/limits.ts";
import { NodeDisk } from "../base/node_disk.ts";
import type { Module } from "../bytecode/module.ts";
import { acquireLock, openWal, type DataDirLock, type Wal } from "../journal/index.ts";
import { SnapshotStore, fallbackReport } from "../snapshot/index.ts";
import { encodeCanonical, fromJson, JsonShapeError, toJson, type Value } from "../vm/values/index.ts";
import { dataPaths, readNodeCheckpoint, storeProgram, sweepCheckpointTemps, writeNodeCheckpoint, type DataPaths, type DedupEntry, type DedupOutcome } from "./datadir.ts";
import { compareKeys, Engine, instanceKey, makeProgram, type Instance, type Program, type StepResult } from "./engine.ts";
import { Heap } from "./heap.ts";
import {
  RecordType,
  decodeRecord,
  encodeCommit,
  encodeInput,
  encodeIntent,
  encodeProgram,
  encodeResult,
  encodeTimer,
  recordInstance,
  encodeRecordView,
  type AnyRec,
  type IntentRec,
  type TimerRec,
} from "./records.ts";
import { recover, type RecoveryInfo } from "./recovery.ts";
import { AdapterRegistry, builtinAdapters, checkAdapters, EffectDispatcher, type Adapter, type EffectHost } from "../effects/index.ts";
import { captureSnapshot, SNAPSHOT_CHUNK_CHARS, stateChunks } from "./snapshots.ts";
import { goalsToJson } from "./goals.ts";

export type Logger = {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
};

const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Bad input from a caller: nothing was journaled. `status` is the HTTP status to answer. */
export class RuntimeInputError extends LexumError {
  override name = "RuntimeInputError";
  constructor(
    code: string,
    message: string,
    readonly status: number,
    readonly pointer: string | null = null,
  ) {
    super(code, message, 1, pointer === null ? {} : { pointer });
  }
}

/** The runtime cannot take input now (queue full, WAL at its ceiling); retry later. */
export class OverloadedError extends LexumError {
  override name = "OverloadedError";
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
    readonly status: 429 | 503,
  ) {
    super(code, message, 1);
  }
}

/** A transition failed (`fail`, `assert`, invariant, trap): rules.md [43]. */
export class TransitionError extends Error {
  override name = "TransitionError";
  constructor(
    readonly code: string,
    message: string,
    readonly cycle: number,
  ) {
    super(message);
  }
}

/**
 * Deliberately broken behaviours, for the simulator's mutation tests only
 * (test/sim/mutations.test.ts): each switch removes one protection so the test can show the
 * simulator notices. The CLI, the ingress and the TS API never set it; leave it undefined.
 */
export type RuntimeFaults = {
  /** `send` resolves before its input is durable. */
  readonly ackBeforeJournal?: boolean;
  /** Effect intents leave as their cycle is appended, before it is durable (no output gate). */
  readonly dispatchBeforeCommit?: boolean;
  /** Intents re-dispatched after recovery get a fresh idempotency key. */
  readonly freshKeyOnRedispatch?: boolean;
  /** The WAL reader accepts frames and batches whose checksums do not match. */
  readonly replayWithoutChecksum?: boolean;
};

export type RuntimeOptions = {
  readonly program: Module;
  readonly dataDir?: string;
  readonly disk?: Disk;
  readonly clock?: Clock;
  /** "fsync" (default) or "none" (tests/benchmarks only; logged loudly). */
  readonly durability?: "fsync" | "none";
  readonly snapshotEveryCycles?: number;
  readonly snapshotEveryBytes?: number;
  readonly snapshotsKept?: number;
  readonly walSegmentBytes?: number;
  /** The checkpointer snapshots instances pinning old segments to keep the WAL near this. */
  readonly walTargetBytes?: number;
  /** Above this the runtime refuses new inputs (rules.md [45]). */
  readonly walCeilingBytes?: number;
  /** Inputs accepted but not yet executed, beyond which `send` answers Overloaded. */
  readonly maxQueuedInputs?: number;
  /** Start without executing anything until `release()` (exec journals its batch first, so runs are reproducible). */
  readonly hold?: boolean;
  /** Take the LOCK file (default true with the real disk). */
  readonly lock?: boolean;
  readonly log?: Logger;
  /**
   * Adapters by effect name (the built-in Http.request and Log.write are always there). When
   * given, every effect the program declares must have one (checked at start-up); without
   * it, adapters may be registered later with `rt.adapters.register` (intents wait for them).
   */
  readonly adapters?: Readonly<Record<string, Adapter>>;
  /** Effects running at once; more wait in FIFO order (back-pressure). */
  readonly maxEffectsInFlight?: number;
  /** Where Log.write lines go (default: the logger). */
  readonly logSink?: (line: string) => void;
  /** Progress of long recoveries (records replayed, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Test-only mutations for the simulator (see RuntimeFaults); never set in production. */
  readonly faults?: RuntimeFaults;
};

export type SendOptions = {
  readonly idempotencyKey?: string;
  /**
   * The input's logical time (epoch ms; what `now()` returns while it runs). Default: the
   * node clock. For importers and simulators that replay timestamped events.
   */
  readonly logicalTime?: number;
};

export type SendAck = { readonly lsn: number; readonly mailbox_offset: number; readonly duplicate?: boolean };

export type InstanceEnvelope = {
  domain: string;
  instance: string;
  cycle: number;
  run_hash: string;
  state: unknown;
  mailbox_offset: number;
  status: string;
  goals: unknown;
};

export type RuntimeEvent =
  | { readonly k: "failed"; readonly domain: string; readonly instance: string; readonly transition: string; readonly code: string; readonly message: string; readonly source: string }
  | { readonly k: "goal-suspended"; readonly domain: string; readonly instance: string; readonly goal: string; readonly code: string; readonly message: string };

export type RuntimeObservers = {
  fsync?: (ms: number) => void;
  snapshot?: (ms: number) => void;
  effect?: (effect: string, outcome: "ok" | "error", ms: number) => void;
};

/** Outputs of one cycle held by the output gate until the WAL is durable up to `lsn`. */
type GateEntry = {
  lsn: number;
  intents: IntentRec[] | null;
  timers: TimerRec[] | null;
  ended: { x: Instance; offset: number; outcome: StepResult["commit"]["outcome"]; cycle: number; replyType: number | undefined } | null;
};

type Waiter = { resolve: (v: { reply: unknown; cycle: number }) => void; reject: (e: unknown) => void };

const DEFAULT_WAL_TARGET = 32 * 1024 * 1024;
const DEFAULT_WAL_CEILING = 256 * 1024 * 1024;
const DEFAULT_MAX_QUEUED = 200_000;
/** Segments executed per turn of the loop before yielding to I/O. */
const STEPS_PER_TURN = 4096;
/**
 * …and at most this long (clock.monotonic): every await of a snapshot write, a node
 * checkpoint or a WAL flush completion waits for the loop to yield, so a turn of 4096 steps
 * (~100 ms) starved them: snapshots fell behind and the WAL grew without bound.
 */
const PUMP_TURN_MS = 4;
/**
 * Snapshot writes at once. A write is ~15 small file operations, each waiting for a turn of
 * the loop, so its latency (not the disk) bounds throughput: with the store's default of 2,
 * 100 busy instances wanted more snapshots per second than were written.
 */
const SNAPSHOT_WRITES_CONCURRENT = 8;
const DEDUP_RETENTION_MS = 24 * 3600 * 1000;
const DEDUP_RETENTION_KEYS = 100_000;

export class Runtime {
  readonly engine: Engine;
  readonly paths: DataPaths;
  readonly metrics = {
    inputs: 0,
    commits: 0,
    flushes: 0,
    fsyncMsTotal: 0,
    fsyncMsLast: 0,
    snapshots: 0,
    snapshotMsTotal: 0,
    recoveryMs: 0,
    effectCalls: 0,
    effectFailures: 0,
    segmentsDeleted: 0,
  };
  readonly events: RuntimeEvent[] = [];
  private eventListeners: ((e: RuntimeEvent) => void)[] = [];
  private observers: RuntimeObservers[] = [];

  private readonly heap = new Heap<Instance>((a, b) => compareKeys(a.key!, b.key!) < 0);
  /** Instances whose next work waits for its input to become durable. */
  private waitingDurable: Instance[] = [];
  /** Output gate: actions released once the WAL is durable up to `lsn` (LSN order). */
  private gate: GateEntry[] = [];
  private gateHead = 0;
  private waiters = new Map<string, Waiter>();
  private readonly dedup = new Map<string, DedupEntry>();
  /** Program in effect from each PROGRAM record (ascending LSN). */
  private programAt: { lsn: number; hash: string }[] = [];
  private timerQueue: { due: number; domain: string; instance: string; timer: number }[] = [];
  private timerHandle: TimerHandle | null = null;
  private timerDue = Infinity;
  private held = false;
  private pumping = false;
  private pumpAgain = false;
  private pumpScheduled = false;
  private flushWanted = false;
  private flushesInFlight = 0;
  /** The durable LSN `onDurable` last released up to. */
  private durableSeen = 0;
  private closed = false;
  private closing = false;
  private fatal: unknown = null;
  private queued = 0;
  private checkpointRunning = false;
  private readonly snapshotsInFlight = new Set<Promise<void>>();
  private lastCheckpointAt = 0;
  /**
   * Snapshot directories of instances restored at open whose names may not be durable yet: a
   * predecessor killed between a snapshot's rename and its directory fsync leaves a file that
   * recovery read from the page cache and a power cut can still take away. They are synced
   * once, before the first WAL segment is deleted on their strength.
   */
  private unsyncedSnapshotDirs: string[] = [];
  private quiescentWaiters: (() => void)[] = [];
  private effects: EffectDispatcher | null = null;
  /** RuntimeFaults: empty except under the simulator's mutation tests. */
  private faults: RuntimeFaults = {};
  readonly adapters: AdapterRegistry;
  private readonly recoveryInfo: RecoveryInfo;

  /**
   * What recovery did. `replayedCycles` counts every cycle recovery re-executes, including
   * those of lazily recovered instances — reading it replays any still pending.
   */
  get recovery(): RecoveryInfo {
    this.ensureAll();
    return { ...this.recoveryInfo, replayedCycles: this.recoveryInfo.replayedCycles + this.engine.lazyCycles };
  }
  readonly log: Logger;

  private constructor(
    readonly program: Program,
    readonly wal: Wal,
    readonly store: SnapshotStore,
    readonly disk: Disk,
    readonly clock: Clock,
    private readonly lock: DataDirLock | null,
    readonly opts: Required<Pick<RuntimeOptions, "snapshotEveryCycles" | "snapshotEveryBytes" | "snapshotsKept" | "walTargetBytes" | "walCeilingBytes" | "maxQueuedInputs">>,
    engine: Engine,
    recovery: RecoveryInfo,
    paths: DataPaths,
    log: Logger,
    adapters: AdapterRegistry,
  ) {
    this.engine = engine;
    this.recoveryInfo = recovery;
    this.paths = paths;
    this.log = log;
    this.adapters = adapters;
  }

  /** Opens (and recovers) a data directory. Rejects with DataDamagedError (exit 3) when damaged. */
  static async open(o: RuntimeOptions): Promise<Runtime> {
    const t0 = performance.now();
    const disk = o.disk ?? new NodeDisk();
    const clock = o.clock ?? systemClock;
    const log = o.log ?? silentLogger;
    const paths = dataPaths(o.dataDir ?? "./.lexum");
    const useLock = o.lock ?? o.disk === undefined;
    const lock = useLock ? await acquireLock(paths.root) : null;
    try {
      if (lock?.note) log.warn(lock.note);
      if (o.durability === "none") log.warn("durability is OFF (--durability none): acknowledged inputs can be lost on a crash; use only for tests and benchmarks");
      const adapters = new AdapterRegistry({ ...builtinAdapters(o.logSink ?? ((line) => log.info({ effect: "Log.write" }, line))), ...(o.adapters ?? {}) });
      if (o.adapters !== undefined) checkAdapters(o.program, adapters.names(), undefined);
      await disk.mkdirp(paths.root);
      await storeProgram(disk, paths, o.program);
      const keep = o.snapshotsKept ?? SNAPSHOTS_KEPT;
      // Snapshots yield to the loop after every 16 KiB chunk so a large state never holds up
      // small inputs for more than a fraction of a millisecond (runtime.md §3).
      const store = new SnapshotStore({ disk, dataDir: paths.root, keep, maxConcurrentWrites: SNAPSHOT_WRITES_CONCURRENT, yieldEveryBytes: SNAPSHOT_CHUNK_CHARS, yieldEveryChunks: 1, checkStateJson: false });
      const { wal, report } = await openWal(disk, paths.wal, {
        durability: o.durability ?? "fsync",
        segmentBytes: o.walSegmentBytes ?? WAL_SEGMENT_BYTES,
        unsafeSkipChecksums: o.faults?.replayWithoutChecksum === true,
        dataDir: paths.root,
        describe: (type, payload) => {
          const i = recordInstance(type, payload);
          return i ? `${i.domain}[${i.instance}]` : null;
        },
      });
      for (const n of report.notes) log.warn(n);
      const rec = await recover({ disk, paths, wal, store, program: o.program, keep, log, onProgress: o.onProgress, lazy: true });
      // Temp files of snapshot and node-checkpoint writes that a crash interrupted were never
      // renamed, hence never used; without this sweep every such crash left one for ever.
      const swept = [...(await store.sweepTemps()), ...(await sweepCheckpointTemps(disk, paths))];
      if (swept.length > 0) log.info({ files: swept.length }, "removed temp files of writes a crash interrupted");
      // Set damaged snapshots aside (never deleted): left in place, one would keep the name a
      // fresh snapshot of the same (cycle, lsn) needs, and the instance would pin the WAL forever.
      for (const p of rec.info.damagedSnapshots) {
        try {
          log.warn(`damaged snapshot ${p} moved to ${await store.quarantine(p)}`);
        } catch (e) {
          log.error({ err: errorMessage(e) }, `could not set the damaged snapshot ${p} aside`);
        }
      }
      const rt = new Runtime(
        rec.program,
        wal,
        store,
        disk,
        clock,
        lock,
        {
          snapshotEveryCycles: o.snapshotEveryCycles ?? SNAPSHOT_EVERY_CYCLES,
          snapshotEveryBytes: o.snapshotEveryBytes ?? SNAPSHOT_EVERY_WAL_BYTES,
          snapshotsKept: keep,
          walTargetBytes: o.walTargetBytes ?? DEFAULT_WAL_TARGET,
          walCeilingBytes: o.walCeilingBytes ?? DEFAULT_WAL_CEILING,
          maxQueuedInputs: o.maxQueuedInputs ?? DEFAULT_MAX_QUEUED,
        },
        rec.engine,
        { ...rec.info, walReport: report },
        paths,
        log,
        adapters,
      );
      for (const e of rec.dedup) rt.dedup.set(e.key, e);
      if ((o.durability ?? "fsync") === "fsync") {
        // Each restored instance's directory, and every directory above it up to `snapshots/`:
        // a crashed predecessor may have created any of them.
        const dirs = new Set<string>();
        const under = `${store.root}/`;
        for (const x of rec.engine.instances.values()) {
          if (x.marks.length === 0) continue;
          for (let d = store.instanceDir(x.domain, x.id); d.startsWith(under) && !dirs.has(d); d = d.slice(0, d.lastIndexOf("/"))) dirs.add(d);
        }
        if (dirs.size > 0) dirs.add(store.root);
        rt.unsyncedSnapshotDirs = [...dirs].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
      }
      rt.programAt = rec.programAt;
      // A new program takes effect from a journaled PROGRAM record (rules.md [6]).
      if (rec.needsProgramRecord) {
        const lsn = wal.append(RecordType.PROGRAM, rt.now(), encodeRecordView({ t: RecordType.PROGRAM, programHash: o.program.programHash }).payload);
        rt.programAt.push({ lsn, hash: o.program.programHash });
        await wal.flush();
        log.info({ program: o.program.programHash }, "program change journaled");
      }
      const host: EffectHost = {
        module: rt.program.module,
        types: rt.program.vm.types,
        clock,
        deliverResult: (i, r, n) => rt.deliverResult(i, r, n),
        onEffectCall: (effect, outcome, ms) => {
          if (outcome === "error") rt.metrics.effectFailures++;
          for (const ob of rt.observers) ob.effect?.(effect, outcome, ms);
        },
        log,
      };
      rt.effects = new EffectDispatcher(host, adapters, { maxInFlight: o.maxEffectsInFlight });
      rt.faults = o.faults ?? {};
      rt.held = o.hold === true;
      rt.start();
      rt.metrics.recoveryMs = performance.now() - t0;
      return rt;
    } catch (e) {
      await lock?.release();
      throw e;
    }
  }

  private start(): void {
    // Instances recovery left lazy are replayed on first use, or in the background below;
    // either way `onReplayed` then starts them like the others.
    this.engine.onReplayed = (x) => {
      this.lazyPending--;
      this.startInstance(x);
      this.kickTimers();
      this.pump();
      this.checkQuiescent();
    };
    this.engine.onLazyError = (e) => this.fail(e);
    const lazy: Instance[] = [];
    for (const x of this.engine.instances.values()) {
      if (x.tail !== null) lazy.push(x);
      else this.startInstance(x);
    }
    this.lazyPending = lazy.length;
    this.kickTimers();
    this.pump();
    if (lazy.length > 0) this.replayInBackground(lazy);
  }

  /** Replays lazily recovered instances a few milliseconds at a time, yielding to new work. */
  private replayInBackground(xs: Instance[]): void {
    let i = 0;
    const turn = (): void => {
      if (this.closed || this.fatal !== null) return;
      const until = this.clock.monotonic() + 4;
      try {
        while (i < xs.length && (this.clock.monotonic() < until || this.clock.frozen)) {
          const x = xs[i++]!;
          if (x.tail !== null) this.engine.ensure(x);
          if (this.clock.frozen && i % 16 === 0) break;
        }
      } catch (e) {
        this.fail(e);
        return;
      }
      if (i < xs.length) setImmediate(turn);
      else this.checkQuiescent();
    };
    setImmediate(turn);
  }

  /** Lazily recovered instances not yet replayed (quiescence waits for them). */
  private lazyPending = 0;

  /** Re-arms timers, re-dispatches intents without results (same keys) and schedules work. */
  private startInstance(x: Instance): void {
    {
      for (const t of x.timers.values()) this.armTimer(t.rec);
      for (const it of x.intents.values()) {
        if (it.rec.kind === "emit" || (x.run?.awaiting && x.run.awaiting.cycle === it.rec.cycle && x.run.awaiting.index === it.rec.index && x.run.result === null)) {
          this.dispatch(this.faults.freshKeyOnRedispatch ? { ...it.rec, key: `${it.rec.key}~${this.wal.lastLsn}` } : it.rec);
        }
      }
      this.schedule(x);
      this.queued += x.pendingMail;
    }
  }

  // ------------------------------------------------------------ time and events

  /** Node clock for new records, never before the previous record (rules.md [16]). */
  now(): number {
    return Math.max(Math.floor(this.clock.now()), this.wal.lastTime);
  }

  /** Latency observers (metrics). */
  observe(o: RuntimeObservers): void {
    this.observers.push(o);
  }

  onEvent(fn: (e: RuntimeEvent) => void): void {
    this.eventListeners.push(fn);
  }

  private emitEvent(e: RuntimeEvent): void {
    this.events.push(e);
    if (this.events.length > 10_000) this.events.splice(0, 5_000);
    for (const l of this.eventListeners) l(e);
  }

  // ------------------------------------------------------------ public API

  private checkOpen(): void {
    if (this.fatal !== null) throw new LexumError("RUNTIME_FAILED", `the runtime stopped after an error: ${errorMessage(this.fatal)}`, 1);
    if (this.closed || this.closing) throw new OverloadedError("RUNTIME_CLOSING", "the runtime is shutting down", 5, 503);
  }

  /** Validates a message (404/422 as RuntimeInputError); nothing is journaled. */
  validate(domain: string, instance: string, transition: string, args: unknown): ValidMessage {
    return validateMessage(this.program, domain, instance, transition, args);
  }

  private admit(): void {
    this.checkOpen();
    if (this.queued >= this.opts.maxQueuedInputs) throw new OverloadedError("OVERLOADED", `more than ${this.opts.maxQueuedInputs} inputs are waiting to run`, 1, 429);
    if (this.wal.sizeBytes() > this.opts.walCeilingBytes) {
      this.maybeCheckpoint(true);
      throw new OverloadedError("WAL_FULL", `the WAL is above its ceiling of ${this.opts.walCeilingBytes} bytes; checkpointing`, 5, 503);
    }
  }

  /** The deduplication entry of a key, for callers that answer retries (ingress). */
  dedupEntry(key: string): DedupEntry | undefined {
    return this.dedup.get(key);
  }

  /**
   * Journals a message and resolves once it is durable (rules.md [43]: `{lsn, mailbox_offset}`).
   * With an idempotency key already seen, resolves with the first acknowledgement
   * (`duplicate: true`) and journals nothing; a different route/body for it is a 422.
   */
  async send(domain: string, instance: string, transition: string, args: unknown, o: SendOptions = {}): Promise<SendAck> {
    const r = this.enqueue(domain, instance, transition, args, o);
    if (!this.faults.ackBeforeJournal) await this.wal.flushed(r.lsn);
    return { lsn: r.lsn, mailbox_offset: r.offset, ...(r.duplicate ? { duplicate: true } : {}) };
  }

  /** Journals a message and waits for its transition to end: resolves with the reply. */
  async call(domain: string, instance: string, transition: string, args: unknown, o: SendOptions = {}): Promise<unknown> {
    const r = await this.callDetailed(domain, instance, transition, args, o);
    return r.reply;
  }

  /** Like `call`, also returning the cycle and acknowledgement. */
  async callDetailed(domain: string, instance: string, transition: string, args: unknown, o: SendOptions = {}): Promise<{ reply: unknown; cycle: number; lsn: number; mailbox_offset: number }> {
    const r = this.enqueue(domain, instance, transition, args, o);
    if (r.duplicate) {
      const e = this.dedup.get(o.idempotencyKey!)!;
      if (e.outcome !== null) {
        await this.wal.flushed(r.lsn);
        if (e.outcome.k === "failed") throw new TransitionError(e.outcome.code, e.outcome.message, e.outcome.cycle ?? 0);
        return { reply: e.outcome.reply, cycle: e.outcome.cycle ?? 0, lsn: r.lsn, mailbox_offset: r.offset };
      }
    }
    const done = this.waitFor(domain, instance, r.offset);
    const v = await done;
    return { ...v, lsn: r.lsn, mailbox_offset: r.offset };
  }

  /** Resolves when the transition started by mailbox input `offset` ends (durably). */
  waitFor(domain: string, instance: string, offset: number): Promise<{ reply: unknown; cycle: number }> {
    const k = `${instanceKey(domain, instance)}\u0000${offset}`;
    const existing = this.waiters.get(k);
    return new Promise((resolve, reject) => {
      if (existing) {
        // Several callers may wait for the same input (an idempotent retry).
        this.waiters.set(k, {
          resolve: (v) => {
            existing.resolve(v);
            resolve(v);
          },
          reject: (e) => {
            existing.reject(e);
            reject(e);
          },
        });
      } else this.waiters.set(k, { resolve, reject });
    });
  }

  private enqueue(domain: string, instance: string, transition: string, args: unknown, o: SendOptions): { lsn: number; offset: number; duplicate: boolean } {
    const v = this.validate(domain, instance, transition, args);
    const digest = o.idempotencyKey !== undefined ? argsDigest(v.args) : "";
    if (o.idempotencyKey !== undefined) {
      const prev = this.dedup.get(o.idempotencyKey);
      if (prev) {
        if (prev.route !== v.route || prev.digest !== digest) {
          throw new RuntimeInputError("IDEMPOTENCY_MISMATCH", `idempotency key ${JSON.stringify(o.idempotencyKey)} was used for ${prev.route} with a different body`, 422, "");
        }
        this.checkOpen();
        return { lsn: prev.lsn, offset: prev.offset, duplicate: true };
      }
    }
    this.admit();
    const x = this.engine.getOrCreate(domain, instance);
    const offset = x.nextOffset + 1;
    const time = this.now();
    const logical = o.logicalTime ?? time;
    if (!(Number.isSafeInteger(logical) && logical >= 0)) throw new RuntimeInputError("BAD_TIME", "logicalTime must be a non-negative integer (epoch ms)", 422, "");
    const rec: AnyRec = { t: RecordType.INPUT, r: { domain, instance, offset, priority: v.priority as 0, time: logical, transition, args: v.args, source: { k: "external", key: o.idempotencyKey ?? "" } } };
    const payload = encodeRecordView(rec).payload;
    const lsn = this.wal.append(RecordType.INPUT, time, payload);
    x.nextOffset = offset;
    this.engine.applyRecord(rec, lsn, time, payload.length);
    if (o.idempotencyKey !== undefined) this.dedup.set(o.idempotencyKey, { key: o.idempotencyKey, route: v.route, digest, lsn, offset, time, outcome: null });
    this.metrics.inputs++;
    this.queued++;
    this.schedule(x);
    this.requestFlush();
    return { lsn, offset, duplicate: false };
  }

  /** The GET envelope of an instance, or null when it was never messaged (404). */
  async state(domain: string, instance: string): Promise<InstanceEnvelope | null> {
    const x = this.engine.get(domain, instance);
    if (!x || (x.nextOffset === 0 && x.cycle === 0)) return null;
    return this.envelope(x);
  }

  envelope(x: Instance): InstanceEnvelope {
    const d = this.program.module.domains[x.domainIdx]!;
    return {
      domain: x.domain,
      instance: x.id,
      cycle: x.cycle,
      run_hash: toHex0x(x.runHash),
      state: toJson(this.program.vm.types, d.state, x.state),
      mailbox_offset: x.consumed,
      status: x.status,
      goals: goalsToJson(x.goals),
    };
  }

  /** Resolves when nothing can run now: no ready or queued input, no effect in flight, no flush pending (rules.md [7]). */
  quiescent(): Promise<void> {
    if (this.isQuiescent()) return Promise.resolve();
    return new Promise((resolve) => this.quiescentWaiters.push(resolve));
  }

  private isQuiescent(): boolean {
    if (this.lazyPending > 0) return false;
    if (this.held) return this.wal.pendingRecords === 0 && this.flushesInFlight === 0;
    if (this.heap.size > 0 || this.waitingDurable.length > 0 || this.pumping || this.flushesInFlight > 0) return false;
    if (this.wal.pendingRecords > 0) return false;
    if (this.gateHead < this.gate.length) return false;
    if ((this.effects?.inFlight ?? 0) > 0) return false;
    return true;
  }

  private checkQuiescent(): void {
    if (this.quiescentWaiters.length === 0 || !this.isQuiescent()) return;
    const ws = this.quiescentWaiters;
    this.quiescentWaiters = [];
    for (const w of ws) w();
  }

  get queuedInputs(): number {
    return this.queued;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get failure(): unknown {
    return this.fatal;
  }

  /** Stops accepting input, finishes what can run, writes final snapshots and closes. */
  async close(o: { snapshot?: boolean } = {}): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    try {
      if (this.fatal === null) {
        await this.quiescentOrTimers();
        if (o.snapshot !== false) await this.snapshotAll();
        await this.store.idle();
      }
    } finally {
      this.timerHandle?.cancel();
      this.timerHandle = null;
      await this.effects?.close().catch(() => {});
      await this.wal.close().catch((e) => this.log.error({ err: errorMessage(e) }, "closing the WAL failed"));
      this.closed = true;
      await this.lock?.release();
      for (const w of this.waiters.values()) w.reject(new OverloadedError("RUNTIME_CLOSED", "the runtime closed before the transition ended", 5, 503));
      this.waiters.clear();
    }
  }

  private async quiescentOrTimers(): Promise<void> {
    // Effects in flight may take long; close does not wait for them (they re-dispatch after restart).
    const deadline = this.clock.monotonic() + 5_000;
    while (!(this.heap.size === 0 && this.waitingDurable.length === 0 && !this.pumping && this.wal.pendingRecords === 0 && this.flushesInFlight === 0 && this.gateHead >= this.gate.length)) {
      if (this.fatal !== null || this.clock.monotonic() > deadline) break;
      await new Promise((r) => setImmediate(r));
    }
  }

  // ------------------------------------------------------------ scheduling

  private schedule(x: Instance): void {
    if (x.heapPos >= 0) return;
    const w = this.engine.nextWork(x);
    if (!w) return;
    const key = this.engine.workKey(x, w);
    x.key = key;
    if (key.lsn > this.wal.durableLsn) {
      this.waitingDurable.push(x);
      return;
    }
    this.heap.push(x);
  }

  /** Stops executing (inputs are still journaled and acknowledged) until `release()`. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.pump();
  }

  private pump(): void {
    if (this.closed || this.fatal !== null) return;
    if (this.held) {
      this.requestFlush();
      return;
    }
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        let budget = STEPS_PER_TURN;
        const turnEnds = this.clock.monotonic() + PUMP_TURN_MS;
        while (this.heap.size > 0 && budget-- > 0) {
          if ((budget & 63) === 0 && this.clock.monotonic() > turnEnds) break;
          const x = this.heap.pop()!;
          const w = this.engine.nextWork(x);
          if (!w) continue;
          const key = this.engine.workKey(x, w);
          if (key.lsn > this.wal.durableLsn) {
            x.key = key;
            this.waitingDurable.push(x);
            continue;
          }
          const res = this.engine.step(x, w, true);
          if (w.k === "mailbox") this.queued--;
          this.commitStep(x, res);
          this.schedule(x);
        }
        if (this.heap.size > 0 && !this.pumpScheduled) {
          this.pumpScheduled = true;
          setImmediate(() => {
            this.pumpScheduled = false;
            this.pump();
          });
          break;
        }
      } while (this.pumpAgain);
    } catch (e) {
      this.fail(e);
    } finally {
      this.pumping = false;
    }
    this.requestFlush();
    this.checkQuiescent();
  }

  private fail(e: unknown): void {
    if (this.fatal !== null) return;
    this.fatal = e;
    this.log.error({ err: errorMessage(e), stack: e instanceof Error ? e.stack : undefined }, "the runtime stopped: it will recover from disk on restart");
    for (const w of this.waiters.values()) w.reject(e);
    this.waiters.clear();
  }

  /** Appends a step's COMMIT and derived records; gates its outputs on their durability. */
  private commitStep(x: Instance, res: StepResult): void {
    const time = this.now();
    const payload = encodeRecordView({ t: RecordType.COMMIT, r: res.commit }).payload;
    const lsnC = this.wal.append(RecordType.COMMIT, time, payload);
    x.lastCommitTime = time;
    this.engine.touch(x, lsnC, payload.length);
    this.metrics.commits++;
    let last = lsnC;
    let intents: IntentRec[] | null = null;
    let timers: TimerRec[] | null = null;
    for (const d of res.derived) {
      const { type, payload: p } = encodeRecordView(d);
      const lsn = this.wal.append(type, time, p);
      last = lsn;
      this.engine.applyRecord(d, lsn, time, p.length);
      if (d.t === RecordType.INPUT) {
        const target = this.engine.get(d.r.domain, d.r.instance)!;
        this.queued++;
        this.schedule(target);
      } else if (d.t === RecordType.INTENT) (intents ??= []).push(d.r);
      else if (d.t === RecordType.TIMER) (timers ??= []).push(d.r);
    }
    let ended: GateEntry["ended"] = null;
    if (res.ended) {
      const e = res.ended;
      const outcome = e.outcome;
      const replyType = e.transitionIdx >= 0 ? this.program.module.domains[x.domainIdx]!.transitions[e.transitionIdx]!.reply : undefined;
      if (e.started.source.k === "external" && e.started.source.key !== "") {
        const entry = this.dedup.get(e.started.source.key);
        if (entry && entry.offset === e.started.offset) entry.outcome = this.dedupOutcome(outcome, replyType, res.commit.cycle);
      }
      if (outcome.k === "failed") {
        this.emitEvent({ k: "failed", domain: x.domain, instance: x.id, transition: e.transition, code: outcome.code, message: outcome.message, source: e.started.source.k });
      }
      ended = { x, offset: e.started.offset, outcome, cycle: res.commit.cycle, replyType };
    }
    if (res.goalSuspended) {
      const g = res.goalSuspended;
      this.emitEvent({ k: "goal-suspended", domain: x.domain, instance: x.id, goal: g.goal, code: g.code, message: g.message });
    }
    if (intents !== null && this.faults.dispatchBeforeCommit) {
      for (const r of intents) this.dispatch(r);
      intents = null;
    }
    if (intents !== null || timers !== null || ended !== null) this.gate.push({ lsn: last, intents, timers, ended });
    if (!x.snapshotting && (x.cyclesSinceSnapshot >= this.opts.snapshotEveryCycles || x.walBytesSinceSnapshot >= this.opts.snapshotEveryBytes)) {
      void this.snapshot(x);
    }
  }

  /** Releases what a durable cycle held back: intents, timers, the reply. */
  private releaseGate(g: GateEntry): void {
    if (g.intents) for (const r of g.intents) this.dispatch(r);
    if (g.timers) for (const r of g.timers) this.armTimer(r);
    const e = g.ended;
    if (e === null || this.waiters.size === 0) return;
    const key = `${instanceKey(e.x.domain, e.x.id)}\u0000${e.offset}`;
    const w = this.waiters.get(key);
    if (!w) return;
    this.waiters.delete(key);
    const o = e.outcome;
    if (o.k === "failed") w.reject(new TransitionError(o.code, o.message, e.cycle));
    else w.resolve({ reply: o.k === "done" && e.replyType !== undefined ? toJson(this.program.vm.types, e.replyType, o.reply) : null, cycle: e.cycle });
  }

  private dedupOutcome(o: StepResult["commit"]["outcome"], replyType: number | undefined, cycle: number): DedupOutcome | null {
    if (o.k === "failed") return { k: "failed", code: o.code, message: o.message, cycle };
    if (o.k === "done") return { k: "done", reply: replyType === undefined ? null : toJson(this.program.vm.types, replyType, o.reply), cycle };
    return null;
  }

  /**
   * Asks the WAL for a group commit of everything appended. At most one request is in flight;
   * records appended meanwhile form the next batch (the WAL writes them as soon as the
   * current fdatasync returns), so a burst of inputs costs one fsync per round trip.
   */
  private requestFlush(): void {
    if (this.closed || this.fatal !== null) return;
    if (this.wal.lastLsn <= this.wal.durableLsn) {
      // Another caller's `wal.flushed()` (a retried send, a snapshot) may have made records
      // durable while no flush of ours was in flight (after WAL_NO_SPACE): release them now,
      // or the work and outputs they hold would wait for the next unrelated flush.
      if (this.wal.durableLsn > this.durableSeen && this.flushesInFlight === 0) this.onDurable();
      return;
    }
    if (this.flushesInFlight > 0) {
      this.flushWanted = true;
      return;
    }
    this.flushWanted = false;
    this.flushesInFlight++;
    const syncsBefore = this.wal.stats.syncs;
    const t0 = this.clock.monotonic();
    this.wal.flush().then(
      () => {
        this.flushesInFlight--;
        const ms = this.clock.monotonic() - t0;
        this.metrics.flushes++;
        if (this.wal.stats.syncs > syncsBefore) {
          this.metrics.fsyncMsTotal += ms;
          this.metrics.fsyncMsLast = ms;
          for (const o of this.observers) o.fsync?.(ms);
        }
        this.onDurable();
        if (this.flushWanted || this.wal.lastLsn > this.wal.durableLsn) this.requestFlush();
      },
      (e) => {
        this.flushesInFlight--;
        // WAL_NO_SPACE: nothing was acknowledged; the WAL stays usable and a later flush retries.
        const code = (e as { code?: string }).code;
        if (code === "WAL_NO_SPACE") {
          this.log.error({ err: errorMessage(e) }, "the disk is full: inputs wait until space frees");
          this.clock.setTimer(1000, () => this.requestFlush());
          return;
        }
        this.fail(e);
      },
    );
  }

  private onDurable(): void {
    const durable = this.wal.durableLsn;
    this.durableSeen = durable;
    // Release gated outputs in LSN order.
    while (this.gateHead < this.gate.length && this.gate[this.gateHead]!.lsn <= durable) {
      const g = this.gate[this.gateHead++]!;
      try {
        this.releaseGate(g);
      } catch (e) {
        this.fail(e);
        return;
      }
    }
    if (this.gateHead > 1024 && this.gateHead * 2 > this.gate.length) {
      this.gate.splice(0, this.gateHead);
      this.gateHead = 0;
    }
    // Work whose input just became durable.
    if (this.waitingDurable.length > 0) {
      const ws = this.waitingDurable;
      this.waitingDurable = [];
      for (const x of ws) {
        if (x.heapPos >= 0) continue;
        if (x.key && x.key.lsn <= durable) this.heap.push(x);
        else this.waitingDurable.push(x);
      }
    }
    this.pump();
    this.maybeCheckpoint(false);
    this.checkQuiescent();
  }

  // ------------------------------------------------------------ effects

  private dispatch(rec: IntentRec): void {
    if (this.closed) return;
    if (this.effects === null) return;
    this.metrics.effectCalls++;
    this.effects.dispatch(rec);
  }

  /** Journals an effect's result (or final error); the waiting slice resumes once it is durable. */
  deliverResult(intent: { domain: string; instance: string; cycle: number; index: number }, result: Value, attempts: number): void {
    if (this.closed || this.fatal !== null) return;
    const x = this.engine.get(intent.domain, intent.instance);
    if (!x) return;
    const k = `${intent.cycle}/${intent.index}`;
    if (!x.intents.has(k)) return; // already resulted (a duplicate answer)
    if (x.run?.result && x.run.awaiting?.cycle === intent.cycle && x.run.awaiting.index === intent.index) return;
    const time = this.now();
    const rec: AnyRec = { t: RecordType.RESULT, r: { domain: intent.domain, instance: intent.instance, cycle: intent.cycle, index: intent.index, result, attempts } };
    const p = encodeRecordView(rec).payload;
    let lsn: number;
    try {
      lsn = this.wal.append(RecordType.RESULT, time, p);
    } catch (e) {
      // The WAL failed before we heard (its flush rejects a moment later): stop here, as the
      // flush would. Thrown into the dispatcher, it became an unhandled rejection (a crash).
      this.fail(e);
      return;
    }
    this.engine.applyRecord(rec, lsn, time, p.length);
    this.schedule(x);
    this.requestFlush();
  }

  effectDomainName(domain: string): string {
    return domain;
  }

  // ------------------------------------------------------------ timers

  private armTimer(rec: TimerRec): void {
    this.timerQueue.push({ due: rec.due, domain: rec.domain, instance: rec.instance, timer: rec.timer });
    if (rec.due < this.timerDue) this.kickTimers();
  }

  private kickTimers(): void {
    if (this.closed || this.clock.frozen) return;
    if (this.timerQueue.length === 0) {
      this.timerHandle?.cancel();
      this.timerHandle = null;
      this.timerDue = Infinity;
      return;
    }
    let min = Infinity;
    for (const t of this.timerQueue) if (t.due < min) min = t.due;
    if (min === this.timerDue && this.timerHandle) return;
    this.timerHandle?.cancel();
    this.timerDue = min;
    const delay = Math.max(0, min - this.clock.now());
    this.timerHandle = this.clock.setTimer(Math.min(delay, 2 ** 31 - 1), () => {
      this.timerHandle = null;
      this.timerDue = Infinity;
      this.fireDueTimers();
    });
  }

  private fireDueTimers(): void {
    if (this.closed || this.closing || this.fatal !== null) return;
    const now = this.clock.now();
    const due = this.timerQueue.filter((t) => t.due <= now);
    this.timerQueue = this.timerQueue.filter((t) => t.due > now);
    // Deterministic firing order: (due, owner, timer id).
    due.sort((a, b) => a.due - b.due || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0) || (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0) || a.timer - b.timer);
    try {
      for (const t of due) {
        const owner = this.engine.get(t.domain, t.instance);
        const pt = owner?.timers.get(t.timer);
        if (!owner || !pt) continue; // fired already or stale
        const rec = pt.rec;
        const time = this.now();
        let input: AnyRec;
        if (rec.kind === "send") {
          const target = this.engine.getOrCreate(rec.target.domain, rec.target.instance);
          const offset = target.nextOffset + 1;
          input = { t: RecordType.INPUT, r: { domain: rec.target.domain, instance: rec.target.instance, offset, priority: rec.target.priority, time: rec.due, transition: rec.target.transition, args: rec.target.args, source: { k: "timer", domain: rec.domain, instance: rec.instance, timer: rec.timer } } };
        } else {
          const offset = owner.nextOffset + 1;
          input = { t: RecordType.INPUT, r: { domain: rec.domain, instance: rec.instance, offset, priority: rec.priority, time: rec.due, transition: "", args: [], source: { k: "tick", goal: rec.goal, timer: rec.timer } } };
        }
        const p = encodeRecordView(input).payload;
        const lsn = this.wal.append(RecordType.INPUT, time, p);
        this.engine.applyRecord(input, lsn, time, p.length);
        const target = this.engine.get(input.r.domain, input.r.instance)!;
        this.queued++;
        this.schedule(target);
      }
    } catch (e) {
      this.fail(e);
      return;
    }
    this.requestFlush();
    this.kickTimers();
  }

  /** Pending timers not yet due (exec reports them). */
  get pendingTimers(): number {
    this.ensureAll();
    let n = 0;
    for (const x of this.engine.instances.values()) n += x.timers.size;
    return n;
  }

  // ------------------------------------------------------------ snapshots and the bounded WAL

  /** Writes a snapshot of one instance (O(1) capture, asynchronous write). */
  snapshot(x: Instance): Promise<void> {
    if (x.snapshotting || this.fatal !== null) return Promise.resolve();
    if (x.tail !== null) this.engine.ensure(x);
    const p = this.writeSnapshot(x);
    this.snapshotsInFlight.add(p);
    void p.finally(() => this.snapshotsInFlight.delete(p));
    return p;
  }

  private async writeSnapshot(x: Instance): Promise<void> {
    x.snapshotting = true;
    const t0 = this.clock.monotonic();
    try {
      const unconsumed = x.unconsumedMinLsn();
      const lsn = unconsumed !== null ? unconsumed - 1 : this.wal.lastLsn;
      const last = x.marks[x.marks.length - 1];
      // Nothing new to cover (same cycle, no later records), or an older view than the newest.
      if (last && (lsn < last.lsn || (lsn === last.lsn && x.cycle === last.cycle))) return;
      const cap = captureSnapshot(x, this.program, lsn);
      x.cyclesSinceSnapshot = 0;
      x.walBytesSinceSnapshot = 0;
      // A snapshot may only describe durable history: wait for every record it reflects.
      if (lsn > this.wal.durableLsn) {
        this.requestFlush();
        await this.wal.flushed(lsn);
      }
      if (await this.store.has(x.domain, x.id, cap.header.cycle, lsn)) return;
      await this.store.write(cap.header, stateChunks(this.program, cap));
      x.snapLsn = Math.max(x.snapLsn, lsn);
      // Records after `lsn` may already exist (unconsumed inputs): pin conservatively from lsn + 1.
      x.marks.push({ lsn, cycle: cap.header.cycle, firstAfter: x.lastLsn > lsn ? lsn + 1 : null });
      while (x.marks.length > this.opts.snapshotsKept) x.marks.shift();
      this.metrics.snapshots++;
      const ms = this.clock.monotonic() - t0;
      this.metrics.snapshotMsTotal += ms;
      for (const o of this.observers) o.snapshot?.(ms);
    } catch (e) {
      if (!this.closed) this.log.error({ err: errorMessage(e), instance: `${x.domain}[${x.id}]` }, "snapshot failed; the WAL keeps the history");
    } finally {
      x.snapshotting = false;
    }
  }

  /** Replays every lazily recovered instance now. */
  ensureAll(): void {
    for (const x of this.engine.instances.values()) if (x.tail !== null) this.engine.ensure(x);
  }

  private async snapshotAll(): Promise<void> {
    this.ensureAll();
    // A periodic snapshot still being written describes an older cycle, and snapshot() skips
    // an instance while one is in flight: let them finish, then capture the final states.
    while (this.snapshotsInFlight.size > 0) await Promise.allSettled([...this.snapshotsInFlight]);
    const all = [...this.engine.instances.values()].filter((x) => x.cycle > 0 || x.nextOffset > 0);
    await Promise.all(all.map((x) => this.snapshot(x)));
  }

  /** WAL bytes held on disk (segments not yet deleted). */
  walBytes(): number {
    return this.wal.sizeBytes();
  }

  private maybeCheckpoint(force: boolean): void {
    if (this.checkpointRunning || this.closed || this.closing) return;
    const now = this.clock.monotonic();
    if (!force && now - this.lastCheckpointAt < 500) return;
    this.lastCheckpointAt = now;
    this.checkpointRunning = true;
    this.checkpoint(force)
      .catch((e) => this.log.error({ err: errorMessage(e) }, "checkpoint failed"))
      .finally(() => {
        this.checkpointRunning = false;
      });
  }

  /**
   * The checkpointer (runtime.md §5): deletes segments every instance has covered with its
   * oldest retained snapshot, and snapshots the instances that pin the oldest segment when
   * the WAL is above its target size.
   */
  async checkpoint(force = false): Promise<void> {
    const keep = this.opts.snapshotsKept;
    let low = Infinity;
    const pins: { x: Instance; pin: number }[] = [];
    for (const x of this.engine.instances.values()) {
      const pin = this.engine.pinLsn(x, keep);
      pins.push({ x, pin });
      if (pin < low) low = pin;
    }
    const segs = this.wal.segments();
    if (segs.length > 1) {
      const deletable = segs.filter((s, i) => i < segs.length - 1 && s.lastLsn < low);
      if (deletable.length > 0) {
        const newStart = segs[deletable.length]!.firstLsn;
        await this.syncRestoredSnapshotDirs();
        await this.writeNodeCheckpoint(newStart);
        const removed = await this.wal.deleteSegmentsBefore(newStart);
        this.metrics.segmentsDeleted += removed.length;
      }
    }
    if (force || this.wal.sizeBytes() > this.opts.walTargetBytes) {
      // Every instance pinning one of the oldest segments whose deletion would bring the WAL
      // back under its target needs newer snapshots (K of them: this round and later ones).
      // Looking at the oldest segment alone moved the WAL start one instance at a time.
      const live = this.wal.segments();
      if (live.length === 0) return;
      let excess = this.wal.sizeBytes() - this.opts.walTargetBytes;
      let upTo = live[0]!.lastLsn;
      for (const s of live.slice(0, -1)) {
        upTo = s.lastLsn;
        excess -= s.dataBytes;
        if (excess <= 0) break;
      }
      const pinning = pins.filter((p) => p.pin <= upTo && !p.x.snapshotting).sort((a, b) => a.pin - b.pin).map((p) => p.x);
      // Snapshot the pinning instances, a bounded number at a time.
      for (let i = 0; i < pinning.length; i += 16) await Promise.all(pinning.slice(i, i + 16).map((x) => this.snapshot(x)));
    }
  }

  private async syncRestoredSnapshotDirs(): Promise<void> {
    // Deepest first (the list is sorted by length), so a parent is synced after its children.
    while (this.unsyncedSnapshotDirs.length > 0) {
      const batch = this.unsyncedSnapshotDirs.slice(-16);
      await Promise.all(batch.map((d) => this.disk.syncDir(d)));
      this.unsyncedSnapshotDirs.length -= batch.length;
    }
  }

  private async writeNodeCheckpoint(walStart: number): Promise<void> {
    let hash = this.programAt[0]?.hash ?? this.program.hash;
    for (const p of this.programAt) if (p.lsn < walStart) hash = p.hash;
    // Retention: keep 24 h of keys, and never fewer than the newest 100k.
    let entries = [...this.dedup.values()].sort((a, b) => a.lsn - b.lsn);
    if (entries.length > DEDUP_RETENTION_KEYS) {
      const cutoff = this.now() - DEDUP_RETENTION_MS;
      const keepFrom = entries.length - DEDUP_RETENTION_KEYS;
      entries = entries.filter((e, i) => i >= keepFrom || e.time >= cutoff);
      const kept = new Set(entries.map((e) => e.key));
      for (const k of [...this.dedup.keys()]) if (!kept.has(k)) this.dedup.delete(k);
    }
    // Only keys of durable inputs: an entry for an input still in an unflushed batch would,
    // after a crash that loses the batch, make its retry look journaled (acknowledged as a
    // duplicate, never run).
    const durable = this.wal.durableLsn;
    await writeNodeCheckpoint(this.disk, this.paths, { format: 1, wal_start_lsn: walStart, program_hash: hash, dedup: entries.filter((e) => e.lsn <= durable) });
  }
}

export type ValidMessage = { args: Value[]; priority: number; route: string };

/**
 * Validates a message against the program (rules.md [37]): unknown domain/transition → 404;
 * bad id, unknown or missing argument, wrong type → 422 with a JSON Pointer to the field.
 */
export function validateMessage(program: Program, domain: string, instance: string, transition: string, args: unknown): ValidMessage {
  const m = program.module;
  const di = program.domainIdx.get(domain);
  if (di === undefined) throw new RuntimeInputError("NOT_FOUND", `unknown domain ${JSON.stringify(domain)}`, 404);
  const d = m.domains[di]!;
  const tr = d.transitions.find((t) => t.name === transition);
  if (!tr) throw new RuntimeInputError("NOT_FOUND", `domain ${domain} has no transition ${JSON.stringify(transition)}`, 404);
  const idProblem = instanceIdProblem(instance);
  if (idProblem) throw new RuntimeInputError("BAD_ID", idProblem, 422, "");
  if (args === null || typeof args !== "object" || Array.isArray(args)) throw new RuntimeInputError("BAD_ARGS", "the arguments must be a JSON object", 422, "");
  const given = args as Record<string, unknown>;
  for (const k of Object.keys(given)) {
    if (!tr.params.some((p) => p.name === k)) throw new RuntimeInputError("BAD_ARGS", `${domain}.${transition} has no parameter ${JSON.stringify(k)}`, 422, `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  }
  const values: Value[] = [];
  for (const p of tr.params) {
    if (!Object.prototype.hasOwnProperty.call(given, p.name)) throw new RuntimeInputError("BAD_ARGS", `missing argument ${JSON.stringify(p.name)}`, 422, `/${p.name}`);
    try {
      values.push(fromJson(program.vm.types, p.type, given[p.name], `/${p.name}`));
    } catch (e) {
      if (e instanceof JsonShapeError) throw new RuntimeInputError("BAD_ARGS", e.message, 422, e.pointer);
      throw e;
    }
  }
  return { args: values, priority: tr.priority, route: `${domain}/${instance}/${transition}` };
}

/** `0x…` SHA-256 of the arguments' canonical encodings (the body digest of rules.md [8]). */
export function argsDigest(args: readonly Value[]): string {
  const parts = args.map((v) => encodeCanonical(v));
  const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return sha256Hex(buf);
}


export { decodeRecord, makeProgram, fallbackReport, readNodeCheckpoint };
