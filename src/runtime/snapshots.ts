/**
 * Instance ⇄ snapshot content. The snapshot store (src/snapshot) owns the file format; this
 * module decides what an instance's snapshot says (runtime.md §3, rules.md [4], [34]):
 *
 * - `lsn`: every record of the instance with LSN ≤ lsn is reflected. Inputs the instance has
 *   not consumed yet (mailbox items, an arrived effect result) are not part of a snapshot, so
 *   the snapshot's lsn stays below the first of them; without any, it is the WAL's last LSN.
 *   Records above `lsn` may therefore still be reflected: inputs up to `mailbox_offset`, and
 *   the COMMITs and INTENTs of cycles up to `cycle` (replay skips them: Instance.snapCycle).
 * - `suspended`: the running transition's frame (tagged values), what started it and what it
 *   waits for; `timers`: pending timers this instance owns (and the next timer id);
 *   `pending_effects`: intents without a journaled result; `goals`: goal bookkeeping.
 */
import { assert } from "../base/assert.ts";
import { bytesEqual, fromHex0x, toHex0x } from "../base/hash.ts";
import type { Priority } from "../bytecode/module.ts";
import type { SnapshotFile, SnapshotHeader } from "../snapshot/index.ts";
import { fromJson, fromTagged, stateHash, toJsonChunks, toTagged, type Rec, type Value } from "../vm/values/index.ts";
import { Instance, type Program, type Run, type StartInfo } from "./engine.ts";
import { goalsFromJson, goalsToJson } from "./goals.ts";
import type { InputSource, IntentRec, TimerRec } from "./records.ts";

export type SnapshotCapture = {
  readonly header: SnapshotHeader;
  readonly state: Rec;
  readonly stateType: number;
};

function sourceJson(s: InputSource): unknown {
  return { ...s };
}

function startedJson(s: StartInfo): unknown {
  return { offset: s.offset, lsn: s.lsn, time: s.time, source: sourceJson(s.source), priority: s.priority, hash_at_start: s.hashAtStart };
}

function valuesJson(vs: readonly Value[]): unknown[] {
  return vs.map(toTagged);
}

function timerJson(r: TimerRec, lsn: number): unknown {
  const base = { id: r.timer, lsn, due: r.due, kind: r.kind };
  if (r.kind === "send") return { ...base, target: { domain: r.target.domain, instance: r.target.instance, priority: r.target.priority, transition: r.target.transition, args: valuesJson(r.target.args) } };
  return { ...base, goal: r.goal, priority: r.priority };
}

function intentJson(r: IntentRec, lsn: number): unknown {
  return { cycle: r.cycle, index: r.index, lsn, kind: r.kind, effect: r.effect, key: r.key, args: valuesJson(r.args) };
}

/** Captures an instance at a cycle boundary (O(1) in the state size: the state is persistent). */
export function captureSnapshot(x: Instance, p: Program, lsn: number): SnapshotCapture {
  const d = p.module.domains[x.domainIdx]!;
  const run = x.run;
  const suspended =
    run === null
      ? null
      : {
          transition: d.transitions[run.transition]!.name,
          kind: run.kind,
          frame: { fn: run.frame.fn, pc: run.frame.pc, locals: valuesJson(run.frame.locals) },
          started: startedJson(run.started),
          awaiting: run.awaiting,
        };
  const header: SnapshotHeader = {
    domain: x.domain,
    instance: x.id,
    cycle: x.cycle,
    run_hash: toHex0x(x.runHash),
    mailbox_offset: x.consumed,
    format: 1,
    lsn,
    program_hash: p.hash,
    state_hash: toHex0x(x.stateHashBytes),
    goals: goalsToJson(x.goals),
    suspended,
    timers: { next_id: x.nextTimer, last_commit_time: x.lastCommitTime, pending: [...x.timers.values()].sort((a, b) => a.rec.timer - b.rec.timer).map((t) => timerJson(t.rec, t.lsn)) },
    pending_effects: [...x.intents.values()].sort((a, b) => a.rec.cycle - b.rec.cycle || a.rec.index - b.rec.index).map((i) => intentJson(i.rec, i.lsn)),
  };
  return { header, state: x.state, stateType: d.state };
}

/** Characters of state JSON produced between two yields of a snapshot write. */
export const SNAPSHOT_CHUNK_CHARS = 16 * 1024;

export function stateChunks(p: Program, c: SnapshotCapture): Generator<string> {
  return toJsonChunks(p.vm.types, c.stateType, c.state, SNAPSHOT_CHUNK_CHARS);
}

/** Verifies `state_hash` against the decoded state; returns a reason or null. */
export function verifySnapshotState(p: Program, s: SnapshotFile): string | null {
  const di = p.domainIdx.get(s.domain);
  if (di === undefined) return `domain ${s.domain} is not in program ${p.hash}`;
  let st: Value;
  try {
    st = fromJson(p.vm.types, p.module.domains[di]!.state, s.state, "/state");
  } catch (e) {
    return `its state does not decode: ${e instanceof Error ? e.message : String(e)}`;
  }
  const h = fromHex0x(s.state_hash);
  if (h === null || !bytesEqual(h, stateHash(st as Rec))) return "its state does not match state_hash";
  return null;
}

function decodeSource(j: Record<string, unknown>): InputSource {
  switch (j["k"]) {
    case "external":
      return { k: "external", key: String(j["key"] ?? "") };
    case "send":
      return { k: "send", domain: String(j["domain"]), instance: String(j["instance"]), cycle: Number(j["cycle"]), index: Number(j["index"]) };
    case "timer":
      return { k: "timer", domain: String(j["domain"]), instance: String(j["instance"]), timer: Number(j["timer"]) };
    case "reconcile":
      return { k: "reconcile", goal: String(j["goal"]) };
    case "tick":
      return { k: "tick", goal: String(j["goal"]), timer: Number(j["timer"]) };
  }
  throw new Error(`unknown input source ${String(j["k"])}`);
}

/** Rebuilds an instance from a verified snapshot (state_hash already checked). */
export function restoreInstance(p: Program, s: SnapshotFile): Instance {
  const di = p.domainIdx.get(s.domain);
  assert(di !== undefined, () => `domain ${s.domain} in program`);
  const d = p.module.domains[di]!;
  const tt = p.vm.types;
  const state = fromJson(tt, d.state, s.state, "/state") as Rec;
  const x = new Instance(di, s.domain, s.instance, state, goalsFromJson(d, s.goals));
  x.programHash = p.hash;
  x.cycle = s.cycle;
  x.runHash = fromHex0x(s.run_hash)!;
  x.consumed = s.mailbox_offset;
  x.nextOffset = s.mailbox_offset;
  x.snapLsn = s.lsn;
  x.snapCycle = s.cycle;
  x.lastLsn = s.lsn;
  const timers = s.timers as { next_id: number; last_commit_time: number; pending: Record<string, unknown>[] };
  x.nextTimer = timers.next_id;
  x.lastCommitTime = timers.last_commit_time;
  for (const t of timers.pending) {
    const base = { domain: s.domain, instance: s.instance, timer: Number(t["id"]), due: Number(t["due"]) };
    let rec: TimerRec;
    if (t["kind"] === "send") {
      const tg = t["target"] as Record<string, unknown>;
      rec = { ...base, kind: "send", target: { domain: String(tg["domain"]), instance: String(tg["instance"]), priority: Number(tg["priority"]) as Priority, transition: String(tg["transition"]), args: (tg["args"] as unknown[]).map((a) => fromTagged(tt, a)) } };
    } else rec = { ...base, kind: "tick", goal: String(t["goal"]), priority: Number(t["priority"]) as Priority };
    x.timers.set(rec.timer, { rec, lsn: Number(t["lsn"]) });
  }
  for (const i of s.pending_effects as Record<string, unknown>[]) {
    const rec: IntentRec = { domain: s.domain, instance: s.instance, cycle: Number(i["cycle"]), index: Number(i["index"]), kind: i["kind"] === "emit" ? "emit" : "await", effect: String(i["effect"]), key: String(i["key"]), args: (i["args"] as unknown[]).map((a) => fromTagged(tt, a)) };
    x.intents.set(`${rec.cycle}/${rec.index}`, { rec, lsn: Number(i["lsn"]) });
  }
  const sus = s.suspended as Record<string, unknown> | null;
  if (sus !== null) {
    const tr = d.transitions.findIndex((t) => t.name === sus["transition"]);
    assert(tr >= 0, () => `suspended transition ${String(sus["transition"])} exists`);
    const fr = sus["frame"] as Record<string, unknown>;
    const st = sus["started"] as Record<string, unknown>;
    const run: Run = {
      transition: tr,
      kind: sus["kind"] === "slice" ? "slice" : "await",
      frame: { fn: Number(fr["fn"]), pc: Number(fr["pc"]), locals: (fr["locals"] as unknown[]).map((a) => fromTagged(tt, a)) },
      started: { offset: Number(st["offset"]), lsn: Number(st["lsn"]), time: Number(st["time"]), source: decodeSource(st["source"] as Record<string, unknown>), priority: Number(st["priority"]) as Priority, hashAtStart: String(st["hash_at_start"]) },
      awaiting: (sus["awaiting"] as { cycle: number; index: number } | null) ?? null,
      result: null,
    };
    x.run = run;
  }
  return x;
}
