/**
 * Payloads of the runtime's WAL records (the WAL frames them; docs/formats.md "Runtime
 * records" documents these layouts). Each record concerns one instance (an INPUT also names
 * the timer it fires, so it concerns the timer's owner too).
 *
 * Logical time (rules.md [16]): the WAL frame stamps every record with the node clock; an
 * INPUT also carries its *logical* time — what `now()` returns while the transition it starts
 * runs. External inputs get the node clock at append; a send inherits its sender's logical
 * time; a timer firing and a goal tick get their due time; a goal reconcile the time of the
 * transition that scheduled it. Slices after the first and resumptions after an `await` keep
 * the transition's logical time. So every logical time is a function of the external inputs'
 * times, and a replay — or a re-run of the same inputs after a crash — reproduces the same
 * run hashes whatever the timing of fsyncs, effects and restarts.
 *
 * Strings are uvarint-length-prefixed UTF-8; values use the binary value codec
 * (src/vm/values/binary.ts); hashes are 32 raw bytes.
 *
 *   PROGRAM  str(program hash) uvar(RECORDS_FORMAT_VERSION)
 *   INPUT    str(domain) str(instance) uvar(offset) u8(priority) u64(logical time) str(transition)
 *            u8(source) source fields… uvar(n) value×n   (the source precedes the arguments so
 *            recovery can read who an input concerns without decoding its values)
 *              source 0 external: str(dedup key or "")
 *              source 1 send:     str(from domain) str(from instance) uvar(cycle) uvar(index)
 *              source 2 timer:    str(owner domain) str(owner instance) uvar(timer id)
 *              source 3 reconcile: str(goal)
 *              source 4 tick:     str(goal) str(owner domain)=domain str(owner instance)=instance uvar(timer id)
 *   COMMIT   str(domain) str(instance) uvar(cycle) u8(consumed) consumed fields… hash(run) hash(state)
 *            u8(outcome) outcome fields… str(transition)
 *              consumed 0 mailbox: uvar(offset); 1 result: uvar(intent cycle) uvar(index); 2 continue
 *              outcome 0 slice; 1 await; 2 done: value(reply); 3 failed: str(code) str(message)
 *   INTENT   str(domain) str(instance) uvar(cycle) uvar(index) u8(kind 0 await, 1 emit) str(effect)
 *            str(key) uvar(n) value×n
 *   RESULT   str(domain) str(instance) uvar(cycle) uvar(index) value(result) uvar(attempts)
 *   TIMER    str(owner domain) str(owner instance) uvar(timer id) u64(due) u8(kind 0 send, 1 tick)
 *            kind 0: str(domain) str(instance) u8(priority) str(transition) uvar(n) value×n
 *            kind 1: str(goal) u8(priority)
 */
import { assert } from "../base/assert.ts";
import { ByteReader, ByteWriter } from "../base/bytes.ts";
import type { Priority } from "../bytecode/module.ts";
import { readValue, writeValue, type TypeTable, type Value } from "../vm/values/index.ts";

/**
 * Version of the payload layouts in this file. Every PROGRAM record carries it (the first
 * record of every journal is one), so a journal written by another layout is refused with a
 * clear message instead of being misread. Bump it with any layout change.
 */
export const RECORDS_FORMAT_VERSION = 1;

export const RecordType = {
  PROGRAM: 1,
  INPUT: 2,
  COMMIT: 3,
  INTENT: 4,
  RESULT: 5,
  TIMER: 6,
} as const;

export const RECORD_TYPE_NAMES: Record<number, string> = {
  1: "PROGRAM",
  2: "INPUT",
  3: "COMMIT",
  4: "INTENT",
  5: "RESULT",
  6: "TIMER",
};

export type InputSource =
  | { readonly k: "external"; readonly key: string }
  | { readonly k: "send"; readonly domain: string; readonly instance: string; readonly cycle: number; readonly index: number }
  | { readonly k: "timer"; readonly domain: string; readonly instance: string; readonly timer: number }
  | { readonly k: "reconcile"; readonly goal: string }
  | { readonly k: "tick"; readonly goal: string; readonly timer: number };

export type InputRec = {
  readonly domain: string;
  readonly instance: string;
  readonly offset: number;
  readonly priority: Priority;
  /** Logical time (epoch ms): `now()` of the transition this input starts. */
  readonly time: number;
  /** "" for a goal tick (no transition runs). */
  readonly transition: string;
  readonly args: readonly Value[];
  readonly source: InputSource;
};

export type Consumed = { readonly k: "mailbox"; readonly offset: number } | { readonly k: "result"; readonly cycle: number; readonly index: number } | { readonly k: "continue" };

export type CommitOutcome =
  | { readonly k: "slice" }
  | { readonly k: "await" }
  | { readonly k: "done"; readonly reply: Value }
  | { readonly k: "failed"; readonly code: string; readonly message: string };

export type CommitRec = {
  readonly domain: string;
  readonly instance: string;
  readonly cycle: number;
  readonly consumed: Consumed;
  readonly runHash: Uint8Array;
  readonly stateHash: Uint8Array;
  readonly outcome: CommitOutcome;
  readonly transition: string;
};

export type IntentRec = {
  readonly domain: string;
  readonly instance: string;
  readonly cycle: number;
  readonly index: number;
  readonly kind: "await" | "emit";
  readonly effect: string;
  readonly key: string;
  readonly args: readonly Value[];
};

export type ResultRec = {
  readonly domain: string;
  readonly instance: string;
  readonly cycle: number;
  readonly index: number;
  readonly result: Value;
  readonly attempts: number;
};

export type TimerRec = {
  readonly domain: string;
  readonly instance: string;
  readonly timer: number;
  readonly due: number;
} & (
  | { readonly kind: "send"; readonly target: { domain: string; instance: string; priority: Priority; transition: string; args: readonly Value[] } }
  | { readonly kind: "tick"; readonly goal: string; readonly priority: Priority }
);

export type AnyRec =
  | { readonly t: typeof RecordType.PROGRAM; readonly programHash: string }
  | { readonly t: typeof RecordType.INPUT; readonly r: InputRec }
  | { readonly t: typeof RecordType.COMMIT; readonly r: CommitRec }
  | { readonly t: typeof RecordType.INTENT; readonly r: IntentRec }
  | { readonly t: typeof RecordType.RESULT; readonly r: ResultRec }
  | { readonly t: typeof RecordType.TIMER; readonly r: TimerRec };

/**
 * The runtime's hot path encodes into one scratch writer and hands the WAL a view, which the
 * WAL copies into its batch at once; `encodeRecordView`'s bytes are valid until its next call.
 */
const SCRATCH = new ByteWriter(4096);

export function encodeRecordView(rec: AnyRec): { type: number; payload: Uint8Array } {
  const w = SCRATCH.reset();
  switch (rec.t) {
    case RecordType.PROGRAM:
      w.str(rec.programHash).uvar(RECORDS_FORMAT_VERSION);
      break;
    case RecordType.INPUT:
      writeInput(w, rec.r);
      break;
    case RecordType.COMMIT:
      writeCommit(w, rec.r);
      break;
    case RecordType.INTENT:
      writeIntent(w, rec.r);
      break;
    case RecordType.RESULT:
      writeResult(w, rec.r);
      break;
    case RecordType.TIMER:
      writeTimer(w, rec.r);
      break;
  }
  return { type: rec.t, payload: w.view_() };
}

function values(w: ByteWriter, vs: readonly Value[]): void {
  w.uvar(vs.length);
  for (const v of vs) writeValue(w, v);
}

function readValues(r: ByteReader, tt: TypeTable): Value[] {
  const n = r.uvar();
  if (n > r.remaining) throw new RangeError(`value count ${n} exceeds the payload`);
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(readValue(r, tt));
  return out;
}

export function encodeProgram(programHash: string): Uint8Array {
  return new ByteWriter(80).str(programHash).finish();
}

export function encodeInput(x: InputRec): Uint8Array {
  const w = new ByteWriter(64);
  writeInput(w, x);
  return w.finish();
}

function writeInput(w: ByteWriter, x: InputRec): void {
  w.str(x.domain).str(x.instance).uvar(x.offset).u8(x.priority).u64(x.time).str(x.transition);
  const s = x.source;
  switch (s.k) {
    case "external":
      w.u8(0).str(s.key);
      break;
    case "send":
      w.u8(1).str(s.domain).str(s.instance).uvar(s.cycle).uvar(s.index);
      break;
    case "timer":
      w.u8(2).str(s.domain).str(s.instance).uvar(s.timer);
      break;
    case "reconcile":
      w.u8(3).str(s.goal);
      break;
    case "tick":
      w.u8(4).str(s.goal).uvar(s.timer);
      break;
  }
  values(w, x.args);
}

export function encodeCommit(x: CommitRec): Uint8Array {
  const w = new ByteWriter(64);
  writeCommit(w, x);
  return w.finish();
}

function writeCommit(w: ByteWriter, x: CommitRec): void {
  assert(x.runHash.length === 32 && x.stateHash.length === 32, "commit hashes are 32 bytes");
  w.str(x.domain).str(x.instance).uvar(x.cycle);
  const c = x.consumed;
  if (c.k === "mailbox") w.u8(0).uvar(c.offset);
  else if (c.k === "result") w.u8(1).uvar(c.cycle).uvar(c.index);
  else w.u8(2);
  w.bytes(x.runHash).bytes(x.stateHash);
  const o = x.outcome;
  switch (o.k) {
    case "slice":
      w.u8(0);
      break;
    case "await":
      w.u8(1);
      break;
    case "done":
      w.u8(2);
      writeValue(w, o.reply);
      break;
    case "failed":
      w.u8(3).str(o.code).str(o.message);
      break;
  }
  w.str(x.transition);
}

export function encodeIntent(x: IntentRec): Uint8Array {
  const w = new ByteWriter(64);
  writeIntent(w, x);
  return w.finish();
}

function writeIntent(w: ByteWriter, x: IntentRec): void {
  w.str(x.domain).str(x.instance).uvar(x.cycle).uvar(x.index).u8(x.kind === "await" ? 0 : 1).str(x.effect).str(x.key);
  values(w, x.args);
}

export function encodeResult(x: ResultRec): Uint8Array {
  const w = new ByteWriter(64);
  writeResult(w, x);
  return w.finish();
}

function writeResult(w: ByteWriter, x: ResultRec): void {
  w.str(x.domain).str(x.instance).uvar(x.cycle).uvar(x.index);
  writeValue(w, x.result);
  w.uvar(x.attempts);
}

export function encodeTimer(x: TimerRec): Uint8Array {
  const w = new ByteWriter(64);
  writeTimer(w, x);
  return w.finish();
}

function writeTimer(w: ByteWriter, x: TimerRec): void {
  w.str(x.domain).str(x.instance).uvar(x.timer).u64(x.due);
  if (x.kind === "send") {
    const t = x.target;
    w.u8(0).str(t.domain).str(t.instance).u8(t.priority).str(t.transition);
    values(w, t.args);
  } else {
    w.u8(1).str(x.goal).u8(x.priority);
  }
}

function readSource(r: ByteReader): InputSource {
  const k = r.u8();
  if (k === 0) return { k: "external", key: r.str() };
  if (k === 1) return { k: "send", domain: r.str(), instance: r.str(), cycle: r.uvar(), index: r.uvar() };
  if (k === 2) return { k: "timer", domain: r.str(), instance: r.str(), timer: r.uvar() };
  if (k === 3) return { k: "reconcile", goal: r.str() };
  if (k === 4) return { k: "tick", goal: r.str(), timer: r.uvar() };
  throw new RangeError(`unknown input source ${k}`);
}

/** Who a record concerns and, for an INPUT, its source — without decoding any value. */
export function peekRecord(type: number, payload: Uint8Array): { domain: string; instance: string; source: InputSource | null; cycle: number } | null {
  if (type === RecordType.PROGRAM) return null;
  const r = new ByteReader(payload);
  const domain = r.str();
  const instance = r.str();
  if (type === RecordType.INPUT) {
    r.uvar();
    r.u8();
    r.u64();
    r.str();
    return { domain, instance, source: readSource(r), cycle: 0 };
  }
  if (type === RecordType.COMMIT || type === RecordType.INTENT || type === RecordType.RESULT) return { domain, instance, source: null, cycle: r.uvar() };
  return { domain, instance, source: null, cycle: 0 };
}

function priority(r: ByteReader): Priority {
  const p = r.u8();
  if (p > 4) throw new RangeError(`priority ${p} out of range`);
  return p as Priority;
}

/** Decodes a runtime record; throws RangeError/ByteRangeError/ValueCodecError when malformed. */
export function decodeRecord(type: number, payload: Uint8Array, tt: TypeTable): AnyRec {
  const r = new ByteReader(payload);
  let out: AnyRec;
  switch (type) {
    case RecordType.PROGRAM: {
      const programHash = r.str();
      const version = r.uvar();
      if (version !== RECORDS_FORMAT_VERSION) throw new RangeError(`the journal was written with runtime record format ${version}; this Lexum reads format ${RECORDS_FORMAT_VERSION}`);
      out = { t: RecordType.PROGRAM, programHash };
      break;
    }
    case RecordType.INPUT: {
      const domain = r.str();
      const instance = r.str();
      const offset = r.uvar();
      const prio = priority(r);
      const time = r.u64();
      const transition = r.str();
      const source = readSource(r);
      const args = readValues(r, tt);
      out = { t: RecordType.INPUT, r: { domain, instance, offset, priority: prio, time, transition, args, source } };
      break;
    }
    case RecordType.COMMIT: {
      const domain = r.str();
      const instance = r.str();
      const cycle = r.uvar();
      const ck = r.u8();
      let consumed: Consumed;
      if (ck === 0) consumed = { k: "mailbox", offset: r.uvar() };
      else if (ck === 1) consumed = { k: "result", cycle: r.uvar(), index: r.uvar() };
      else if (ck === 2) consumed = { k: "continue" };
      else throw new RangeError(`unknown consumed kind ${ck}`);
      const runHash = r.bytes(32).slice();
      const stateHash = r.bytes(32).slice();
      const ok = r.u8();
      let outcome: CommitOutcome;
      if (ok === 0) outcome = { k: "slice" };
      else if (ok === 1) outcome = { k: "await" };
      else if (ok === 2) outcome = { k: "done", reply: readValue(r, tt) };
      else if (ok === 3) outcome = { k: "failed", code: r.str(), message: r.str() };
      else throw new RangeError(`unknown outcome ${ok}`);
      const transition = r.str();
      out = { t: RecordType.COMMIT, r: { domain, instance, cycle, consumed, runHash, stateHash, outcome, transition } };
      break;
    }
    case RecordType.INTENT: {
      const domain = r.str();
      const instance = r.str();
      const cycle = r.uvar();
      const index = r.uvar();
      const kind = r.u8() === 0 ? "await" : "emit";
      const effect = r.str();
      const key = r.str();
      const args = readValues(r, tt);
      out = { t: RecordType.INTENT, r: { domain, instance, cycle, index, kind, effect, key, args } };
      break;
    }
    case RecordType.RESULT: {
      const domain = r.str();
      const instance = r.str();
      const cycle = r.uvar();
      const index = r.uvar();
      const result = readValue(r, tt);
      const attempts = r.uvar();
      out = { t: RecordType.RESULT, r: { domain, instance, cycle, index, result, attempts } };
      break;
    }
    case RecordType.TIMER: {
      const domain = r.str();
      const instance = r.str();
      const timer = r.uvar();
      const due = r.u64();
      const kind = r.u8();
      if (kind === 0) {
        const target = { domain: r.str(), instance: r.str(), priority: priority(r), transition: r.str(), args: readValues(r, tt) };
        out = { t: RecordType.TIMER, r: { domain, instance, timer, due, kind: "send", target } };
      } else if (kind === 1) {
        out = { t: RecordType.TIMER, r: { domain, instance, timer, due, kind: "tick", goal: r.str(), priority: priority(r) } };
      } else throw new RangeError(`unknown timer kind ${kind}`);
      break;
    }
    default:
      throw new RangeError(`unknown runtime record type ${type}`);
  }
  if (r.remaining !== 0) throw new RangeError(`${r.remaining} trailing bytes in a ${RECORD_TYPE_NAMES[type]} record`);
  return out;
}

/** The instance a record concerns, cheaply (for damage reports and indexing). */
export function recordInstance(type: number, payload: Uint8Array): { domain: string; instance: string } | null {
  if (type === RecordType.PROGRAM) return null;
  try {
    const r = new ByteReader(payload);
    return { domain: r.str(), instance: r.str() };
  } catch {
    return null;
  }
}
