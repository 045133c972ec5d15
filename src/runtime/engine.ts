/**
 * The deterministic core of the runtime: instances, their mailboxes, frames, pending effects,
 * timers and goal bookkeeping, and the step that turns one ready work item into one
 * committed cycle. It does no I/O and reads no clock: the live runtime feeds it durable
 * records and appends what it produces; recovery feeds it the WAL tail and checks that
 * every replayed cycle reproduces the recorded run hash (runtime.md §2, §4; rules.md [3]).
 *
 * Records are applied by one function (`applyRecord`) in both modes, with one rule: a record
 * changes instance I only when its LSN is above I's snapshot LSN (rules.md [4]).
 */
import { assert } from "../base/assert.ts";
import { bytesEqual, toHex0x } from "../base/hash.ts";
import type { Module, Priority } from "../bytecode/module.ts";
import { Machine, type Frame, type SegmentResult } from "../vm/machine.ts";
import { stateHash, type Rec, type Value } from "../vm/values/index.ts";
import { initialRunHash, inputDigest, nextRunHash, outputsDigest, type InputForDigest } from "./digest.ts";
import { goalsDigest, initialGoals, isDegraded, onGoalEvent, type GoalAction, type GoalEvent, type GoalsState } from "./goals.ts";
import { RecordType, decodeRecord, type AnyRec, type CommitOutcome, type CommitRec, type Consumed, type InputRec, type InputSource, type IntentRec, type ResultRec, type TimerRec } from "./records.ts";

export type Program = {
  readonly module: Module;
  readonly vm: Machine;
  readonly hash: string;
  readonly domainIdx: ReadonlyMap<string, number>;
};

export function makeProgram(module: Module, vm?: Machine): Program {
  return {
    module,
    vm: vm ?? new Machine(module),
    hash: module.programHash,
    domainIdx: new Map(module.domains.map((d, i) => [d.name, i])),
  };
}

/** A queued mailbox input; `time` is its logical time (`rec.time`). */
export type MailItem = { readonly rec: InputRec; readonly lsn: number; readonly time: number };

export type StartInfo = {
  readonly offset: number;
  readonly lsn: number;
  readonly time: number;
  readonly source: InputSource;
  readonly priority: Priority;
  /** State hash when the transition started: "changed" compares against it. */
  readonly hashAtStart: string;
};

export type Run = {
  readonly transition: number;
  frame: Frame;
  kind: "slice" | "await";
  readonly started: StartInfo;
  /** The intent an `await` waits for. */
  awaiting: { cycle: number; index: number } | null;
  /** Its result, once journaled. */
  result: { rec: ResultRec; lsn: number; time: number } | null;
};

export type PendingIntent = { readonly rec: IntentRec; readonly lsn: number };
export type PendingTimer = { readonly rec: TimerRec; readonly lsn: number };

export type InstanceStatus = "ACTIVE" | "SUSPENDED" | "DEGRADED";

export class Instance {
  state: Rec;
  stateHashBytes: Uint8Array;
  cycle = 0;
  runHash: Uint8Array;
  /** Last consumed mailbox offset (`mailbox_offset`). */
  consumed = 0;
  /** Last assigned mailbox offset. */
  nextOffset = 0;
  readonly mailbox: MailItem[] = [];
  private mailboxHead = 0;
  run: Run | null = null;
  readonly intents = new Map<string, PendingIntent>();
  readonly timers = new Map<number, PendingTimer>();
  nextTimer = 1;
  goals: GoalsState;
  /** Time of the last COMMIT record (`now()` of a continuation after a slice). */
  lastCommitTime = 0;
  /** LSN of the newest durable snapshot (records at or below it are already reflected). */
  snapLsn = 0;
  /**
   * Cycle of the snapshot this instance was restored from. A snapshot taken while inputs
   * wait in the mailbox keeps its `lsn` below the first of them, so COMMIT and INTENT
   * records of cycles it already reflects can lie above `snapLsn`: replay recognises them
   * by cycle (a high-water mark like `mailbox_offset` for inputs) and skips them.
   */
  snapCycle = 0;
  /** LSN of the last record that concerns this instance. */
  lastLsn = 0;
  /** First LSN of a record concerning this instance (for WAL pinning before any snapshot). */
  firstLsn = 0;
  /** Bytes of WAL records and cycles since the last snapshot (snapshot policy). */
  walBytesSinceSnapshot = 0;
  cyclesSinceSnapshot = 0;
  /**
   * Retained snapshots, oldest first: each with the LSN of the first record of this instance
   * after it (null while there is none). The oldest retained one decides how much WAL this
   * instance pins (rules.md [5]).
   */
  readonly marks: { lsn: number; cycle: number; firstAfter: number | null }[] = [];
  /** A snapshot of this instance is being written. */
  snapshotting = false;
  /**
   * Lazy recovery (rules.md [36]): WAL records of this instance not yet replayed, in LSN
   * order; `Engine.ensure` replays them on first use. null once replayed.
   */
  tail: TailRecord[] | null = null;
  /** Hash of the program whose types this instance's state and frames use (program changes). */
  programHash = "";
  /** Position in the scheduler heap, or -1. */
  heapPos = -1;
  /** Scheduler key of the queued work (valid while heapPos ≥ 0). */
  key: WorkKey | null = null;

  constructor(
    readonly domainIdx: number,
    readonly domain: string,
    readonly id: string,
    state: Rec,
    goals: GoalsState,
  ) {
    this.state = state;
    this.stateHashBytes = stateHash(state);
    this.runHash = initialRunHash(domain, id);
    this.goals = goals;
  }

  get pendingMail(): number {
    return this.mailbox.length - this.mailboxHead;
  }

  mailHead(): MailItem | undefined {
    return this.mailbox[this.mailboxHead];
  }

  pushMail(m: MailItem): void {
    this.mailbox.push(m);
  }

  shiftMail(): MailItem {
    const m = this.mailbox[this.mailboxHead++];
    assert(m !== undefined, "shiftMail on an empty mailbox");
    // Compact occasionally so a long-lived instance does not keep consumed items.
    if (this.mailboxHead > 64 && this.mailboxHead * 2 > this.mailbox.length) {
      this.mailbox.splice(0, this.mailboxHead);
      this.mailboxHead = 0;
    }
    return m;
  }

  *queuedMail(): Generator<MailItem> {
    for (let i = this.mailboxHead; i < this.mailbox.length; i++) yield this.mailbox[i]!;
  }

  get status(): InstanceStatus {
    if (isDegraded(this.goals)) return "DEGRADED";
    return this.run !== null && this.run.kind === "await" ? "SUSPENDED" : "ACTIVE";
  }

  /** The smallest LSN of an input this instance has not consumed yet (mailbox or result), or null. */
  unconsumedMinLsn(): number | null {
    let min: number | null = null;
    const head = this.mailHead();
    if (head) min = head.lsn;
    if (this.run?.result) min = min === null ? this.run.result.lsn : Math.min(min, this.run.result.lsn);
    return min;
  }
}

/** A raw WAL record kept for lazy replay (the payload is a private copy). */
export type TailRecord = { readonly lsn: number; readonly type: number; readonly time: number; readonly payload: Uint8Array };

/** The next thing an instance can execute. */
export type Work =
  | { readonly k: "mailbox"; readonly item: MailItem }
  | { readonly k: "continue" }
  | { readonly k: "result" };

/** Scheduler order: (priority, logical time, domain, instance, mailbox offset) — rules.md [3]. */
export type WorkKey = { readonly priority: number; readonly time: number; readonly domain: string; readonly instance: string; readonly offset: number; readonly lsn: number };

export function compareKeys(a: WorkKey, b: WorkKey): number {
  return (
    a.priority - b.priority ||
    a.time - b.time ||
    (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0) ||
    (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0) ||
    a.offset - b.offset
  );
}

/** What one step produced, beyond the instance's own changes. */
export type StepResult = {
  readonly commit: CommitRec;
  /** Records the live runtime appends after the COMMIT, in this order (replay ignores them). */
  readonly derived: AnyRec[];
  /** Set when the transition (or reconcile/tick) ended with this cycle. */
  readonly ended: { readonly started: StartInfo; readonly outcome: CommitOutcome; readonly transition: string; readonly transitionIdx: number } | null;
  readonly goalSuspended: { goal: string; code: string; message: string } | null;
  readonly segment: SegmentResult | null;
};

const NO_SENDS: never[] = [];
const NO_INTENTS: never[] = [];

export class DivergenceError extends Error {
  override name = "DivergenceError";
  constructor(
    message: string,
    readonly report: Record<string, unknown>,
  ) {
    super(message);
  }
}

function ikey(cycle: number, index: number): string {
  return `${cycle}/${index}`;
}

export function instanceKey(domain: string, id: string): string {
  return `${domain}\u0000${id}`;
}

export class Engine {
  readonly instances = new Map<string, Instance>();

  constructor(public program: Program) {}

  /** Switches to another program; every instance's state must fit it (checked by `migrateState`). */
  setProgram(p: Program): void {
    this.program = p;
  }

  get module(): Module {
    return this.program.module;
  }

  /** Called after a lazily recovered instance has been replayed (the runtime schedules it). */
  onReplayed: ((x: Instance) => void) | null = null;
  /** Cycles re-executed by lazy replay. */
  lazyCycles = 0;

  /** The instance (replayed first if recovery left it lazy), or undefined. */
  get(domain: string, id: string): Instance | undefined {
    const x = this.instances.get(instanceKey(domain, id));
    if (x !== undefined && x.tail !== null) this.ensure(x);
    return x;
  }

  /** The instance as it is, without replaying a lazy tail (recovery's scan). */
  peek(domain: string, id: string): Instance | undefined {
    return this.instances.get(instanceKey(domain, id));
  }

  /**
   * Replays the WAL records recovery left for this instance (decode, apply, re-execute
   * COMMITs checking run hashes). Synchronous; a divergence throws DivergenceError.
   */
  ensure(x: Instance): void {
    const t = x.tail;
    if (t === null) return;
    x.tail = null;
    const tt = this.program.vm.types;
    try {
      for (const r of t) {
        const rec = decodeRecord(r.type, r.payload, tt);
        if (rec.t === RecordType.COMMIT) {
          if (this.replayCommit(rec.r, r.lsn, r.time) !== null) this.lazyCycles++;
        } else this.applyRecord(rec, r.lsn, r.time, r.payload.length, x);
      }
    } catch (e) {
      // A divergence or an undecodable record found late: the node must stop (it was
      // accepted at start because recovery was lazy); the caller's operation fails too.
      this.onLazyError?.(e);
      throw e;
    }
    this.onReplayed?.(x);
  }

  /** Called when lazy replay fails (the runtime stops). */
  onLazyError: ((e: unknown) => void) | null = null;

  /** The instance, created with its default state when first addressed. */
  getOrCreate(domain: string, id: string): Instance {
    const k = instanceKey(domain, id);
    let x = this.instances.get(k);
    if (x) {
      if (x.tail !== null) this.ensure(x);
      return x;
    }
    const di = this.program.domainIdx.get(domain);
    assert(di !== undefined, () => `unknown domain ${domain}`);
    const d = this.module.domains[di]!;
    x = new Instance(di, domain, id, this.program.vm.initState(di, id), initialGoals(d));
    x.programHash = this.program.hash;
    this.instances.set(k, x);
    return x;
  }

  /** Adds a restored instance (from a snapshot). */
  restore(x: Instance): void {
    this.instances.set(instanceKey(x.domain, x.id), x);
  }

  touch(x: Instance, lsn: number, bytes: number): void {
    if (x.firstLsn === 0) x.firstLsn = lsn;
    if (lsn > x.lastLsn) x.lastLsn = lsn;
    x.walBytesSinceSnapshot += bytes;
    for (let i = x.marks.length - 1; i >= 0; i--) {
      const m = x.marks[i]!;
      if (m.firstAfter !== null) break;
      if (m.lsn < lsn) m.firstAfter = lsn;
    }
  }

  /**
   * The smallest LSN this instance still needs in the WAL: the first record after its K-th
   * newest snapshot (or its first record when it has fewer than K), Infinity when none.
   */
  pinLsn(x: Instance, keep: number): number {
    // Records waiting for lazy replay are needed whatever the snapshots say.
    const lazy = x.tail !== null && x.tail.length > 0 ? x.tail[0]!.lsn : Infinity;
    if (x.marks.length < keep) return Math.min(lazy, x.firstLsn === 0 ? Infinity : x.firstLsn);
    return Math.min(lazy, x.marks[x.marks.length - keep]!.firstAfter ?? Infinity);
  }

  /**
   * Applies a durable (or about-to-be-appended) record. In replay, COMMIT records go through
   * `replayCommit` instead. `bytes` is the record's payload size (snapshot policy). With
   * `only`, just the part concerning that instance is applied (lazy replay).
   */
  applyRecord(rec: AnyRec, lsn: number, time: number, bytes: number, only?: Instance): void {
    if (only !== undefined && rec.t !== RecordType.PROGRAM) {
      const r = rec.r as { domain: string; instance: string };
      const mine = r.domain === only.domain && r.instance === only.id;
      if (rec.t === RecordType.INPUT && rec.r.source.k === "timer" && !mine) {
        // The firing of a timer `only` owns: only the owner's part.
        if (rec.r.source.domain === only.domain && rec.r.source.instance === only.id && lsn > only.snapLsn) {
          only.timers.delete(rec.r.source.timer);
          this.touch(only, lsn, 0);
        }
        return;
      }
      if (!mine) return;
      if (rec.t === RecordType.INPUT && rec.r.source.k === "timer") {
        // `only` is the target: the target's part, and the owner's when it fired its own timer.
        this.applyInputTarget(rec.r, only, lsn, bytes);
        if (rec.r.source.domain === only.domain && rec.r.source.instance === only.id && lsn > only.snapLsn) only.timers.delete(rec.r.source.timer);
        return;
      }
    }
    switch (rec.t) {
      case RecordType.PROGRAM:
      case RecordType.COMMIT:
        return;
      case RecordType.INPUT: {
        const r = rec.r;
        const target = this.program.domainIdx.has(r.domain) ? this.getOrCreate(r.domain, r.instance) : null;
        if (target) this.applyInputTarget(r, target, lsn, bytes);
        if (r.source.k === "timer") {
          const owner = this.get(r.source.domain, r.source.instance);
          if (owner && lsn > owner.snapLsn) {
            owner.timers.delete(r.source.timer);
            this.touch(owner, lsn, 0);
          }
        }
        return;
      }
      case RecordType.INTENT: {
        const r = rec.r;
        const x = this.get(r.domain, r.instance);
        if (!x || lsn <= x.snapLsn || r.cycle <= x.snapCycle) return;
        this.touch(x, lsn, bytes);
        x.intents.set(ikey(r.cycle, r.index), { rec: r, lsn });
        return;
      }
      case RecordType.RESULT: {
        const r = rec.r;
        const x = this.get(r.domain, r.instance);
        if (!x || lsn <= x.snapLsn) return;
        this.touch(x, lsn, bytes);
        const k = ikey(r.cycle, r.index);
        const it = x.intents.get(k);
        if (it && it.rec.kind === "emit") {
          x.intents.delete(k);
          return;
        }
        if (x.run && x.run.kind === "await" && x.run.awaiting && x.run.awaiting.cycle === r.cycle && x.run.awaiting.index === r.index && x.run.result === null) {
          x.run.result = { rec: r, lsn, time };
        }
        return;
      }
      case RecordType.TIMER: {
        const r = rec.r;
        const x = this.get(r.domain, r.instance);
        if (!x || lsn <= x.snapLsn) return;
        this.touch(x, lsn, bytes);
        x.timers.set(r.timer, { rec: r, lsn });
        if (r.timer >= x.nextTimer) x.nextTimer = r.timer + 1;
        return;
      }
    }
  }

  private applyInputTarget(r: InputRec, target: Instance, lsn: number, bytes: number): void {
    if (lsn <= target.snapLsn) return;
    this.touch(target, lsn, bytes);
    if (r.offset > target.consumed) {
      const last = target.mailbox[target.mailbox.length - 1];
      assert(last === undefined || last.rec.offset < r.offset, () => `mailbox offsets of ${r.domain}[${r.instance}] increase (${last?.rec.offset} then ${r.offset})`);
      target.pushMail({ rec: r, lsn, time: r.time });
    }
    if (r.offset > target.nextOffset) target.nextOffset = r.offset;
    if (r.source.k === "tick") target.timers.delete(r.source.timer);
  }

  /** The next work of an instance, or null when it has nothing it can run now. */
  nextWork(x: Instance): Work | null {
    if (x.run !== null) {
      if (x.run.kind === "slice") return { k: "continue" };
      return x.run.result !== null ? { k: "result" } : null;
    }
    const head = x.mailHead();
    return head ? { k: "mailbox", item: head } : null;
  }

  /** Scheduler key and the LSN that must be durable before the work may run. */
  workKey(x: Instance, w: Work): WorkKey {
    if (w.k === "mailbox") {
      const r = w.item.rec;
      return { priority: r.priority, time: w.item.time, domain: x.domain, instance: x.id, offset: r.offset, lsn: w.item.lsn };
    }
    const run = x.run!;
    const lsn = w.k === "result" ? run.result!.lsn : 0;
    return { priority: run.started.priority, time: run.started.time, domain: x.domain, instance: x.id, offset: run.started.offset, lsn };
  }

  /**
   * Executes one work item: one segment, committed as one cycle. `live` produces the derived
   * records (sends as mailbox inputs, intents, timers, goal inputs) for the runtime to append.
   */
  step(x: Instance, w: Work, live: boolean): StepResult {
    const vm = this.program.vm;
    const d = this.module.domains[x.domainIdx]!;
    // Hex state hashes feed only goal bookkeeping: skip them for domains without goals.
    const hasGoals = d.goals.length > 0;
    const hashBefore = hasGoals ? toHex0x(x.stateHashBytes) : "";
    let consumed: Consumed;
    let input: InputForDigest;
    let seg: SegmentResult | null = null;
    let started: StartInfo;
    let transitionIdx = -1;
    let noop: { goal: number; kind: "reconcile" | "tick"; timer: number } | null = null;
    let failure: { code: string; message: string } | null = null;

    if (w.k === "mailbox") {
      const item = x.shiftMail();
      assert(item === w.item, "the mailbox head is the work item");
      const r = item.rec;
      assert(r.offset === x.consumed + 1, () => `mailbox of ${x.domain}[${x.id}] consumes offset ${x.consumed + 1}, found ${r.offset}`);
      x.consumed = r.offset;
      consumed = { k: "mailbox", offset: r.offset };
      started = { offset: r.offset, lsn: item.lsn, time: item.time, source: r.source, priority: r.priority, hashAtStart: hashBefore };
      const env = { instance: x.id, now: item.time, seed: x.runHash, cycle: x.cycle + 1 };
      if (r.source.k === "reconcile" || r.source.k === "tick") {
        const goal = d.goals.findIndex((g) => g.name === (r.source as { goal: string }).goal);
        input = { k: "reconcile", offset: r.offset, time: item.time, goal: r.source.goal, transition: r.transition };
        if (goal < 0) {
          noop = { goal: -1, kind: r.source.k, timer: r.source.k === "tick" ? r.source.timer : 0 };
        } else if (r.source.k === "tick") {
          noop = { goal, kind: "tick", timer: r.source.timer };
        } else {
          // A reconcile input re-checks its goal first: a no-op when the goal now holds (rules.md [2]).
          const h = vm.evalGoal(x.domainIdx, goal, x.state, x.id);
          transitionIdx = d.transitions.findIndex((t) => t.name === r.transition);
          if ((h.ok && h.value) || transitionIdx < 0) noop = { goal, kind: "reconcile", timer: 0 };
          else seg = vm.start(x.domainIdx, transitionIdx, [], x.state, env);
        }
      } else {
        input = { k: "message", offset: r.offset, time: item.time, transition: r.transition, args: r.args };
        transitionIdx = d.transitions.findIndex((t) => t.name === r.transition);
        if (transitionIdx < 0 || d.transitions[transitionIdx]!.params.length !== r.args.length) {
          failure = { code: "LX-VM", message: `domain ${d.name} has no transition ${r.transition} with ${r.args.length} parameters (program changed?)` };
        } else {
          seg = vm.start(x.domainIdx, transitionIdx, r.args, x.state, env);
        }
      }
    } else {
      const run = x.run;
      assert(run !== null, "continue/result work needs a running transition");
      started = run.started;
      transitionIdx = run.transition;
      if (w.k === "continue") {
        consumed = { k: "continue" };
        // A transition keeps its logical time across slices and awaits (records.ts header).
        input = { k: "continue", time: run.started.time };
        seg = vm.resume(x.domainIdx, run.frame, x.state, Machine.NO_VALUE, { instance: x.id, now: run.started.time, seed: x.runHash, cycle: x.cycle + 1 });
      } else {
        const res = run.result!;
        assert(res !== null && run.awaiting !== null, "result work needs an arrived result");
        consumed = { k: "result", cycle: res.rec.cycle, index: res.rec.index };
        const intent = x.intents.get(ikey(res.rec.cycle, res.rec.index));
        input = { k: "result", intentCycle: res.rec.cycle, time: run.started.time, key: intent?.rec.key ?? "", result: res.rec.result };
        x.intents.delete(ikey(res.rec.cycle, res.rec.index));
        seg = vm.resume(x.domainIdx, run.frame, x.state, res.rec.result, { instance: x.id, now: run.started.time, seed: x.runHash, cycle: x.cycle + 1 });
      }
    }

    const time = started!.time;
    const derived: AnyRec[] = [];
    const cycle = x.cycle + 1;
    let outcome: CommitOutcome;
    // Most segments send nothing and intend nothing: allocate these only when needed.
    let sendsForDigest: { domain: string; instance: string; transition: string; args: readonly Value[]; delayMs: number | null }[] = NO_SENDS;
    let intentsForDigest: { effect: string; kind: "await" | "emit"; key: string; args: readonly Value[] }[] = NO_INTENTS;

    if (seg !== null) {
      if (seg.kind === "failed") failure = { code: seg.trap.code, message: seg.trap.message };
      else {
        x.state = seg.state;
        for (const s of seg.out.sends) {
          const td = this.module.domains[s.domain]!;
          const tt = td.transitions[s.transition]!;
          if (sendsForDigest === NO_SENDS) sendsForDigest = [];
          sendsForDigest.push({ domain: td.name, instance: s.instance, transition: tt.name, args: s.args, delayMs: s.delayMs });
          if (s.delayMs === null || s.delayMs <= 0) {
            if (live) {
              const target = this.getOrCreate(td.name, s.instance);
              const offset = ++target.nextOffset;
              derived.push({ t: RecordType.INPUT, r: { domain: td.name, instance: s.instance, offset, priority: tt.priority, time, transition: tt.name, args: s.args, source: { k: "send", domain: x.domain, instance: x.id, cycle, index: sendsForDigest.length - 1 } } });
            }
          } else {
            const timer = x.nextTimer++;
            derived.push({ t: RecordType.TIMER, r: { domain: x.domain, instance: x.id, timer, due: time + s.delayMs, kind: "send", target: { domain: td.name, instance: s.instance, priority: tt.priority, transition: tt.name, args: s.args } } });
          }
        }
        seg.out.intents.forEach((it, index) => {
          const eff = this.module.effects[it.effect]!;
          if (intentsForDigest === NO_INTENTS) intentsForDigest = [];
          intentsForDigest.push({ effect: eff.name, kind: it.kind, key: it.key, args: it.args });
          derived.push({ t: RecordType.INTENT, r: { domain: x.domain, instance: x.id, cycle, index, kind: it.kind, effect: eff.name, key: it.key, args: it.args } });
        });
      }
    }

    // Run status after this segment.
    let ended = false;
    if (failure !== null) {
      outcome = { k: "failed", code: failure.code, message: failure.message };
      x.run = null;
      ended = true;
    } else if (seg === null) {
      outcome = { k: "done", reply: null };
      x.run = null;
      ended = true;
    } else if (seg.kind === "done") {
      outcome = { k: "done", reply: seg.reply };
      x.run = null;
      ended = true;
    } else if (seg.kind === "slice") {
      outcome = { k: "slice" };
      if (x.run) {
        x.run.frame = seg.frame;
        x.run.kind = "slice";
        x.run.awaiting = null;
        x.run.result = null;
      } else x.run = { transition: transitionIdx, frame: seg.frame, kind: "slice", started, awaiting: null, result: null };
    } else {
      assert(seg.kind === "await", "segment kinds");
      outcome = { k: "await" };
      const awaiting = { cycle, index: seg.out.intents.length - 1 };
      if (x.run) {
        x.run.frame = seg.frame;
        x.run.kind = "await";
        x.run.awaiting = awaiting;
        x.run.result = null;
      } else x.run = { transition: transitionIdx, frame: seg.frame, kind: "await", started, awaiting, result: null };
    }

    x.cycle = cycle;
    x.stateHashBytes = stateHash(x.state);
    const hashAfter = hasGoals ? toHex0x(x.stateHashBytes) : "";

    // Goals: after every transition ends, and after reconcile no-ops and ticks (rules.md [2]).
    let goalSuspended: StepResult["goalSuspended"] = null;
    if (ended && d.goals.length > 0) {
      const changed = hashAfter !== started.hashAtStart;
      let ev: GoalEvent;
      if (noop !== null && noop.kind === "tick") ev = { k: "tick", goal: Math.max(0, noop.goal), timer: noop.timer };
      else if (started.source.k === "reconcile") {
        const gi = d.goals.findIndex((g) => g.name === (started.source as { goal: string }).goal);
        ev = { k: "reconcile", goal: Math.max(0, gi), changed, noop: noop !== null };
      } else ev = { k: "external", changed };
      if (noop !== null && noop.goal < 0) ev = { k: "external", changed: false };
      const action: GoalAction = onGoalEvent(d, x.goals, ev, hashAfter, (gi) => {
        const r = vm.evalGoal(x.domainIdx, gi, x.state, x.id);
        return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.trap.code, message: r.trap.message };
      });
      switch (action.k) {
        case "reconcile": {
          if (live) {
            const offset = ++x.nextOffset;
            const tr = d.transitions[action.transition]!;
            derived.push({ t: RecordType.INPUT, r: { domain: x.domain, instance: x.id, offset, priority: action.priority, time, transition: tr.name, args: [], source: { k: "reconcile", goal: d.goals[action.goal]!.name } } });
          }
          break;
        }
        case "park": {
          const timer = x.nextTimer++;
          x.goals.books[action.goal]!.tick = timer;
          derived.push({ t: RecordType.TIMER, r: { domain: x.domain, instance: x.id, timer, due: time + action.delayMs, kind: "tick", goal: d.goals[action.goal]!.name, priority: action.priority } });
          break;
        }
        case "suspend":
          goalSuspended = { goal: d.goals[action.goal]!.name, code: action.code, message: action.message };
          break;
      }
    }

    const od = outputsDigest({
      sends: sendsForDigest,
      intents: intentsForDigest,
      outcome: outcome.k === "done" ? { k: "reply", value: outcome.reply } : outcome.k === "failed" ? { k: "error", code: outcome.code, message: outcome.message } : { k: "continue" },
      goalsDigest: goalsDigest(x.goals),
    });
    x.runHash = nextRunHash(x.runHash, inputDigest(input!), od, x.stateHashBytes);
    x.cyclesSinceSnapshot++;
    const trName = transitionIdx >= 0 ? d.transitions[transitionIdx]!.name : w.k === "mailbox" ? w.item.rec.transition : "";
    const commit: CommitRec = { domain: x.domain, instance: x.id, cycle, consumed: consumed!, runHash: x.runHash, stateHash: x.stateHashBytes, outcome, transition: trName };
    return { commit, derived, ended: ended ? { started, outcome, transition: trName, transitionIdx } : null, goalSuspended, segment: seg };
  }

  /**
   * Replays a recorded COMMIT: finds the work it consumed, re-executes it and checks the run
   * hash. Throws DivergenceError naming the first differing cycle.
   */
  replayCommit(c: CommitRec, lsn: number, time: number): StepResult | null {
    const x = this.get(c.domain, c.instance);
    if (!x) throw new DivergenceError(`the WAL commits cycle ${c.cycle} of ${c.domain}[${c.instance}], which has no inputs`, { domain: c.domain, instance: c.instance, cycle: c.cycle });
    // Already reflected by the snapshot (its lsn may lie below cycles it covers: see snapCycle).
    if (lsn <= x.snapLsn || c.cycle <= x.snapCycle) return null;
    if (c.cycle !== x.cycle + 1) {
      throw new DivergenceError(`the WAL commits cycle ${c.cycle} of ${c.domain}[${c.instance}] but the instance is at cycle ${x.cycle}`, { domain: c.domain, instance: c.instance, cycle: c.cycle, expectedCycle: x.cycle + 1 });
    }
    const w = this.nextWork(x);
    const matches =
      w !== null &&
      ((c.consumed.k === "mailbox" && w.k === "mailbox" && w.item.rec.offset === c.consumed.offset) ||
        (c.consumed.k === "continue" && w.k === "continue") ||
        (c.consumed.k === "result" && w.k === "result" && x.run!.result!.rec.cycle === c.consumed.cycle && x.run!.result!.rec.index === c.consumed.index));
    if (!matches) {
      throw new DivergenceError(`cycle ${c.cycle} of ${c.domain}[${c.instance}] consumed ${JSON.stringify(c.consumed)}, which is not the instance's next input`, { domain: c.domain, instance: c.instance, cycle: c.cycle, consumed: c.consumed, next: w?.k ?? null });
    }
    const before = { state: x.state, runHash: x.runHash };
    const r = this.step(x, w!, false);
    x.lastCommitTime = time;
    this.touch(x, lsn, 0);
    if (!bytesEqual(r.commit.runHash, c.runHash)) {
      throw new DivergenceError(`replay diverged at cycle ${c.cycle} of ${c.domain}[${c.instance}]`, {
        domain: c.domain,
        instance: c.instance,
        cycle: c.cycle,
        lsn,
        input: c.consumed,
        recorded: { run_hash: toHex0x(c.runHash), state_hash: toHex0x(c.stateHash), outcome: c.outcome.k, transition: c.transition },
        replayed: { run_hash: toHex0x(r.commit.runHash), state_hash: toHex0x(r.commit.stateHash), outcome: r.commit.outcome.k, transition: r.commit.transition },
        stateBefore: before.state,
        stateAfter: x.state,
        segment: r.segment,
      });
    }
    return r;
  }
}
