/**
 * Recovery (runtime.md §4): newest valid snapshot per instance, then the WAL from its start,
 * applying records above each instance's snapshot LSN and re-executing every committed
 * cycle there with the module that produced it, checking the run-hash chain.
 *
 * Decision table (besides the WAL's own, src/journal/recovery.ts):
 *   newest snapshot damaged            → fall back to the previous one and say so
 *   no valid snapshot                  → replay the instance from its first record
 *   a needed WAL record was deleted    → refuse (exit 3): the fallback found a gap (rules.md [5])
 *   a replayed cycle's run hash differs → refuse (exit 3) with a divergence report
 *   a new program                      → migrate states (JSON through the types) and journal it;
 *                                        refuse (exit 1) when a state does not fit or a
 *                                        transition is in flight
 */
import { DataDamagedError, LexumError } from "../base/errors.ts";
import type { Disk } from "../base/disk.ts";
import type { Module } from "../bytecode/module.ts";
import type { RecoveryReport, Wal } from "../journal/index.ts";
import { fallbackReport, type SnapshotStore } from "../snapshot/index.ts";
import { Machine } from "../vm/machine.ts";
import { fromJson, JsonShapeError, stateHash, toJson, TypeTable, type Rec } from "../vm/values/index.ts";
import { loadProgram, readNodeCheckpoint, type DataPaths, type DedupEntry } from "./datadir.ts";
import { DivergenceError, Engine, type TailRecord, makeProgram, type Instance, type Program, type StepResult } from "./engine.ts";
import { initialGoals } from "./goals.ts";
import { decodeRecord, peekRecord, RecordType, type AnyRec } from "./records.ts";
import { restoreInstance, verifySnapshotState } from "./snapshots.ts";
import { argsDigest, type Logger } from "./runtime.ts";

export type RecoveryInfo = {
  /** Instances restored from snapshots / created while replaying. */
  restored: number;
  created: number;
  /** Records read from the WAL and cycles re-executed. */
  records: number;
  replayedCycles: number;
  /** Snapshot fallbacks and other notes for the operator. */
  notes: string[];
  /** Snapshots found damaged (a writable runtime sets them aside: Runtime.open). */
  damagedSnapshots: string[];
  walReport?: RecoveryReport;
};

export type RecoverOptions = {
  readonly disk: Disk;
  readonly paths: DataPaths;
  readonly wal: Wal;
  readonly store: SnapshotStore;
  /** The program to run next; null for read-only tools (keep the journal's own). */
  readonly program: Module | null;
  readonly keep: number;
  readonly log: Logger;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Recover only this instance. With `history` (the replay command) it re-executes as much
   * history as the directory holds, optionally stopping after a cycle; without it (`state
   * --data`) it starts from the newest valid snapshot like a full recovery.
   */
  readonly only?: { domain: string; instance: string; toCycle?: number; history?: boolean };
  /** Use this program for replay instead of the journal's (replay --program): divergences are collected, not thrown. */
  readonly replayProgram?: Module;
  /**
   * Leave each instance's WAL tail unreplayed until its first use (rules.md [36]: the node
   * accepts work before every instance is recovered). The runtime sets it; tools that must
   * check every run hash (`journal verify`, `replay`, `state --data`) do not.
   */
  readonly lazy?: boolean;
  /** Called for every replayed step of `only` (replay command). */
  readonly onStep?: (x: Instance, r: StepResult, lsn: number) => void;
};

export type RecoverResult = {
  program: Program;
  engine: Engine;
  info: RecoveryInfo;
  dedup: DedupEntry[];
  programAt: { lsn: number; hash: string }[];
  needsProgramRecord: boolean;
  divergence: DivergenceError | null;
};

const programCache = new WeakMap<Module, Program>();
function cachedProgram(m: Module): Program {
  let p = programCache.get(m);
  if (!p) {
    p = makeProgram(m, new Machine(m));
    programCache.set(m, p);
  }
  return p;
}

/**
 * Moves every instance's state to another program's types (JSON round trip); throws a clear
 * error when one does not fit. An instance restored from a snapshot the new program wrote is
 * already there and is left alone; each other one is read with its own program (`known`, by
 * hash), not the engine's: states in a newer shape were re-read with the old types.
 */
export function migrateStates(engine: Engine, to: Program, known: ReadonlyMap<string, Program> = new Map()): void {
  if (engine.program.hash === to.hash && [...engine.instances.values()].every((x) => x.programHash === to.hash)) return;
  for (const x of engine.instances.values()) {
    if (x.programHash === to.hash) continue;
    // A lazily recovered instance is replayed (with the program it ran) before it migrates.
    if (x.tail !== null) engine.ensure(x);
    const from = known.get(x.programHash) ?? engine.program;
    const di = to.domainIdx.get(x.domain);
    if (di === undefined) throw new LexumError("PROGRAM_CHANGE", `program ${to.hash} has no domain ${x.domain}, but instance ${x.domain}[${x.id}] exists`, 1);
    if (x.run !== null) throw new LexumError("PROGRAM_CHANGE", `instance ${x.domain}[${x.id}] has a transition in flight; finish it with the old program before changing code`, 1);
    const fd = from.module.domains[x.domainIdx]!;
    const json = toJson(from.vm.types, fd.state, x.state) as Record<string, unknown>;
    // State fields the new program adds start at their declared defaults (top-level fields;
    // a removed field or a changed type does not fit and is refused below).
    const defaults = toJson(to.vm.types, to.module.domains[di]!.state, to.vm.initState(di, x.id)) as Record<string, unknown>;
    try {
      x.state = fromJson(to.vm.types, to.module.domains[di]!.state, { ...defaults, ...json }, "/state") as Rec;
      x.stateHashBytes = stateHash(x.state);
    } catch (e) {
      const why = e instanceof JsonShapeError ? `${e.pointer}: ${e.message}` : String(e);
      throw new LexumError("PROGRAM_CHANGE", `the state of ${x.domain}[${x.id}] does not fit the new program (${why}); the new code cannot take over this data directory`, 1);
    }
    (x as { domainIdx: number }).domainIdx = di;
    x.programHash = to.hash;
    const goalsBefore = x.goals;
    const gd = to.module.domains[di]!;
    const ng = initialGoals(gd);
    for (const b of ng.books) {
      const old = goalsBefore.books.find((o) => o.name === b.name);
      if (old) Object.assign(b, old);
    }
    x.goals = ng;
  }
  engine.setProgram(to);
}

/** The program hash of a PROGRAM record; a record of another format is refused (exit 3). */
function programRecordHash(payload: Uint8Array, lsn: number): string {
  try {
    const rec = decodeRecord(RecordType.PROGRAM, payload, TypeTable.empty);
    return (rec as { programHash: string }).programHash;
  } catch (e) {
    throw new DataDamagedError("WAL_FORMAT", `WAL record LSN ${lsn} (PROGRAM): ${e instanceof Error ? e.message : String(e)}`, { lsn });
  }
}

export async function recover(o: RecoverOptions): Promise<RecoverResult> {
  const { disk, paths, wal, store, log } = o;
  const notes: string[] = [];
  const info: RecoveryInfo = { restored: 0, created: 0, records: 0, replayedCycles: 0, notes, damagedSnapshots: [] };

  const cp = await readNodeCheckpoint(disk, paths);
  notes.push(...cp.notes);
  const dedup: DedupEntry[] = cp.checkpoint ? [...cp.checkpoint.dedup] : [];
  const dedupByKey = new Map(dedup.map((e) => [e.key, e]));
  // Keyed inputs by (instance, mailbox offset), and the offset of the transition each
  // instance has in flight: the COMMIT that ends a transition gives its key's outcome, also
  // when a snapshot already covers that COMMIT (else a retried call waited for ever).
  const inputKey = (domain: string, instance: string, offset: number) => `${domain}\u0000${instance}\u0000${offset}`;
  const dedupAt = new Map<string, DedupEntry>();
  // Instances with keyed inputs whose outcome is still unknown: their COMMITs are read even
  // when a snapshot covers them (all other covered records are skipped undecoded).
  const pendingOutcome = new Set<string>();
  for (const e of dedup) {
    const domain = e.route.slice(0, e.route.indexOf("/"));
    const instance = e.route.slice(domain.length + 1, e.route.lastIndexOf("/"));
    dedupAt.set(inputKey(domain, instance, e.offset), e);
    if (e.outcome === null) pendingOutcome.add(`${domain}\u0000${instance}`);
  }
  const startedAt = new Map<string, number>();
  const programAt: { lsn: number; hash: string }[] = [];

  // Which program was in effect where the WAL starts.
  let startHash: string | null = cp.checkpoint?.program_hash ?? null;
  if (startHash === null) {
    for await (const r of wal.scan(wal.firstLsn)) {
      if (r.type === RecordType.PROGRAM) startHash = programRecordHash(r.payload, r.lsn);
      break;
    }
  }
  const modules = new Map<string, Module>();
  const moduleFor = async (hash: string): Promise<Module> => {
    if (o.program && hash === o.program.programHash) return o.program;
    let m = modules.get(hash);
    if (!m) {
      m = await loadProgram(disk, paths, hash);
      modules.set(hash, m);
    }
    return m;
  };
  const fresh = startHash === null;
  // Every program met so far, by hash (migrateStates reads each instance with its own).
  const known = new Map<string, Program>();
  const prog = (m: Module): Program => {
    const p = cachedProgram(m);
    known.set(p.hash, p);
    return p;
  };
  let current = prog(o.replayProgram ?? (startHash !== null ? await moduleFor(startHash) : o.program!));
  if (startHash !== null) programAt.push({ lsn: Math.max(0, wal.firstLsn - 1), hash: startHash });
  const engine = new Engine(current);

  async function loadSnapshot(domain: string, instance: string) {
    const verify = async (s: import("../snapshot/index.ts").SnapshotFile): Promise<string | null> => {
      try {
        const p = o.replayProgram ? prog(o.replayProgram) : prog(await moduleFor(s.program_hash));
        return verifySnapshotState(p, s);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    };
    let res: { snapshot: import("../snapshot/index.ts").SnapshotFile | null; skipped: readonly import("../snapshot/index.ts").SnapshotDamage[] };
    if (o.only?.history) {
      // The replay command re-executes as much history as the directory holds: from the
      // default state when the WAL was never truncated, else from the oldest retained
      // snapshot (at or before --to-cycle).
      res = { snapshot: null, skipped: [] };
      if (wal.firstLsn > 1) {
        const refs = (await store.list(domain, instance)).filter((r) => o.only!.toCycle === undefined || r.cycle <= o.only!.toCycle).reverse();
        for (const ref of refs) {
          const f = await store.read(ref.path);
          if ("kind" in f && (f as { kind: string }).kind === "damaged") continue;
          const sf = f as import("../snapshot/index.ts").SnapshotFile;
          if ((await verify(sf)) === null) {
            res = { snapshot: sf, skipped: [] };
            break;
          }
        }
        if (res.snapshot === null) throw new DataDamagedError("SNAPSHOT_GAP", `no usable snapshot of ${domain}[${instance}]${o.only.toCycle !== undefined ? ` at or before cycle ${o.only.toCycle}` : ""}, and the WAL no longer starts at LSN 1`, { domain, instance });
      }
    } else res = await store.readNewestValid(domain, instance, verify);
    const refs = res.snapshot ? await store.list(domain, instance) : [];
    return { res, refs };
  }

  // Snapshots.
  const pairs = (await store.listInstances()).filter(({ domain, instance }) => !(o.only && (o.only.domain !== domain || o.only.instance !== instance)));
  // Snapshot files are read and verified concurrently (I/O-bound); instances are then
  // restored one by one in a fixed order.
  const loaded = await mapConcurrent(pairs, 16, ({ domain, instance }) => loadSnapshot(domain, instance));
  for (let pi = 0; pi < pairs.length; pi++) {
    const { domain, instance } = pairs[pi]!;
    const { res, refs } = loaded[pi]!;
    // A damaged newer snapshot was skipped: say so, with what is used instead (runtime.md §3).
    for (const line of fallbackReport(res)) {
      notes.push(line);
      log.warn(line);
    }
    for (const d of res.skipped) if (store.isKnownDamaged(d.path)) info.damagedSnapshots.push(d.path);
    if (!res.snapshot) {
      // Every snapshot of the instance is damaged. Replaying it from its default state needs
      // all its records; once segments were deleted they may be gone, and replaying what is
      // left would silently drop its history (rules.md [5]: a fallback that finds a gap exits 3).
      if (res.skipped.length > 0 && wal.firstLsn > 1) {
        throw new DataDamagedError("SNAPSHOT_GAP", `every snapshot of ${domain}[${instance}] is damaged (${res.skipped.map((d) => `${d.path}: ${d.reason}`).join("; ")}) and the WAL no longer starts at LSN 1 (it starts at ${wal.firstLsn}), so its history cannot be replayed; restore the instance from a backup or run \`lexum snapshot ls\` to inspect`, { domain, instance });
      }
      continue;
    }
    const p = o.replayProgram ? prog(o.replayProgram) : prog(await moduleFor(res.snapshot.program_hash));
    const x = restoreInstance(p, res.snapshot);
    // The snapshot covers records ≤ lsn; the WAL must still hold what follows it (rules.md [5]).
    if (res.snapshot.lsn + 1 < wal.firstLsn && wal.lastLsn >= wal.firstLsn) {
      // Records of this instance between its snapshot and the WAL start could be gone. The
      // checkpointer never deletes them, so this means a fallback past a deleted segment.
      if (res.skipped.length > 0) {
        throw new DataDamagedError("SNAPSHOT_GAP", `the newest snapshot of ${domain}[${instance}] is damaged and the WAL no longer holds the records after the previous one (LSN ${res.snapshot.lsn + 1}..${wal.firstLsn - 1} were deleted); restore the instance from a backup or run \`lexum snapshot ls\` to inspect`, { domain, instance });
      }
    }
    // A damaged snapshot is no fallback: it does not count among the K retained (rules.md [5]).
    const retained = refs.filter((r) => !store.isKnownDamaged(r.path)).slice(0, o.keep).reverse();
    for (const r of retained) x.marks.push({ lsn: r.lsn, cycle: r.cycle, firstAfter: r.lsn === res.snapshot.lsn ? null : r.lsn + 1 });
    engine.restore(x);
    if (x.run !== null) startedAt.set(`${domain}\u0000${instance}`, x.run.started.offset);
    info.restored++;
  }

  // The WAL.
  const decodeAt = (r: { lsn: number; type: number; payload: Uint8Array }): AnyRec => {
    try {
      return decodeRecord(r.type, r.payload, engine.program.vm.types);
    } catch (e) {
      throw new DataDamagedError("WAL_RECORD", `WAL record LSN ${r.lsn} (type ${r.type}) does not decode: ${e instanceof Error ? e.message : String(e)}`, { lsn: r.lsn });
    }
  };
  /** Keyed inputs become deduplication entries; the COMMIT that ends their transition gives the outcome. */
  const dedupBookkeeping = (rec: AnyRec, lsn: number, time: number): void => {
    if (rec.t === RecordType.INPUT && rec.r.source.k === "external" && rec.r.source.key !== "" && !dedupByKey.has(rec.r.source.key)) {
      const e: DedupEntry = { key: rec.r.source.key, route: `${rec.r.domain}/${rec.r.instance}/${rec.r.transition}`, digest: argsDigest(rec.r.args), lsn, offset: rec.r.offset, time, outcome: null };
      dedup.push(e);
      dedupByKey.set(e.key, e);
      dedupAt.set(inputKey(rec.r.domain, rec.r.instance, rec.r.offset), e);
      pendingOutcome.add(`${rec.r.domain}\u0000${rec.r.instance}`);
      return;
    }
    if (rec.t !== RecordType.COMMIT) return;
    const c = rec.r;
    const who = `${c.domain}\u0000${c.instance}`;
    if (c.consumed.k === "mailbox") startedAt.set(who, c.consumed.offset);
    if (c.outcome.k === "done" || c.outcome.k === "failed") {
      const offset = startedAt.get(who);
      startedAt.delete(who);
      const de = offset === undefined ? undefined : dedupAt.get(inputKey(c.domain, c.instance, offset));
      if (de && de.outcome === null) {
        const oc = c.outcome;
        const tr = engine.program.module.domains.find((d) => d.name === c.domain)?.transitions.find((t) => t.name === c.transition);
        de.outcome = oc.k === "failed" ? { k: "failed", code: oc.code, message: oc.message, cycle: c.cycle } : { k: "done", reply: tr ? toJson(engine.program.vm.types, tr.reply, oc.reply) : null, cycle: c.cycle };
      }
    }
  };
  const total = Math.max(0, wal.durableLsn - wal.firstLsn + 1);
  let divergence: DivergenceError | null = null;
  let done = 0;
  const onlyKey = o.only ? `${o.only.domain}\u0000${o.only.instance}` : null;
  try {
    for await (const r of wal.scan(wal.firstLsn)) {
      done++;
      info.records++;
      if (o.onProgress && done % 10_000 === 0) o.onProgress(done, total);
      if (r.type === RecordType.PROGRAM) {
        const hash = programRecordHash(r.payload, r.lsn);
        programAt.push({ lsn: r.lsn, hash });
        if (!o.replayProgram && hash !== engine.program.hash) migrateStates(engine, prog(await moduleFor(hash)), known);
        continue;
      }
      // Fast path: a record its instance's snapshot already covers changes nothing — skip it
      // without decoding values, unless the deduplication index or a timer's owner needs it.
      if (onlyKey === null) {
        let peek: ReturnType<typeof peekRecord>;
        try {
          peek = peekRecord(r.type, r.payload);
        } catch (e) {
          throw new DataDamagedError("WAL_RECORD", `WAL record LSN ${r.lsn} (type ${r.type}) does not decode: ${e instanceof Error ? e.message : String(e)}`, { lsn: r.lsn });
        }
        if (peek !== null) {
          const x = engine.peek(peek.domain, peek.instance);
          const src = peek.source;
          const who = `${peek.domain}\u0000${peek.instance}`;
          if (x !== undefined && r.lsn <= x.snapLsn) {
            const needed =
              (src !== null && src.k === "timer") ||
              (src !== null && src.k === "external" && src.key !== "" && !dedupByKey.has(src.key)) ||
              (r.type === RecordType.COMMIT && pendingOutcome.has(who));
            if (!needed) continue;
          }
          if (o.lazy) {
            // Lazy recovery: keep the record for the instance's first use; decode now only
            // what the deduplication index needs.
            if ((src !== null && src.k === "external" && src.key !== "" && !dedupByKey.has(src.key)) || (r.type === RecordType.COMMIT && pendingOutcome.has(who))) {
              dedupBookkeeping(decodeAt(r), r.lsn, r.time);
            }
            const tailRec: TailRecord = { lsn: r.lsn, type: r.type, time: r.time, payload: r.payload.slice() };
            let target = x;
            if (target === undefined && engine.program.domainIdx.has(peek.domain)) {
              target = engine.getOrCreate(peek.domain, peek.instance);
              info.created++;
            }
            if (target !== undefined && r.lsn > target.snapLsn) (target.tail ??= []).push(tailRec);
            if (src !== null && src.k === "timer") {
              const owner = engine.peek(src.domain, src.instance);
              if (owner !== undefined && owner !== target && r.lsn > owner.snapLsn) (owner.tail ??= []).push(tailRec);
            }
            continue;
          }
        }
      }
      const rec = decodeAt(r);
      if (onlyKey !== null) {
        const who = rec.t === RecordType.PROGRAM ? null : (rec.r as { domain: string; instance: string });
        const concerns = who !== null && `${who.domain}\u0000${who.instance}` === onlyKey;
        const timerOwner = rec.t === RecordType.INPUT && rec.r.source.k === "timer" && `${rec.r.source.domain}\u0000${rec.r.source.instance}` === onlyKey;
        if (!concerns && !timerOwner) continue;
      }
      if (rec.t === RecordType.COMMIT && o.only?.toCycle !== undefined && rec.r.cycle > o.only.toCycle) continue;
      dedupBookkeeping(rec, r.lsn, r.time);
      if (rec.t === RecordType.COMMIT) {
        const c = rec.r;
        let step: StepResult | null;
        try {
          step = engine.replayCommit(c, r.lsn, r.time);
        } catch (e) {
          if (e instanceof DivergenceError && o.replayProgram) {
            divergence = e;
            break;
          }
          throw e;
        }
        if (step) {
          info.replayedCycles++;
          const x = engine.get(c.domain, c.instance)!;
          o.onStep?.(x, step, r.lsn);
        }
        continue;
      }
      const before = engine.instances.size;
      engine.applyRecord(rec, r.lsn, r.time, r.payload.length);
      info.created += engine.instances.size - before;
    }
  } catch (e) {
    if (e instanceof DivergenceError) {
      throw new DataDamagedError("REPLAY_DIVERGED", `${e.message}: the journal and the code disagree (run \`lexum replay ${e.report["domain"]} ${e.report["instance"]} --data ${paths.root}\` for the report)`, e.report);
    }
    throw e;
  }
  if (o.onProgress && total > 0) o.onProgress(total, total);

  // The program to run next.
  let needsProgramRecord = fresh;
  if (o.program && !o.replayProgram && o.program.programHash !== engine.program.hash) {
    migrateStates(engine, prog(o.program), known);
    needsProgramRecord = true;
  }
  // Instances restored from snapshots an older program wrote (their records after the
  // program change may be gone from the WAL) move to the program in effect too.
  if (!o.replayProgram) migrateStates(engine, o.program && !fresh ? prog(o.program) : engine.program, known);
  if (o.program && fresh) current = prog(o.program);
  if (o.program && !o.replayProgram) current = prog(o.program);
  else current = engine.program;
  if (engine.program !== current) engine.setProgram(current);
  return { program: current, engine, info, dedup, programAt, needsProgramRecord, divergence };
}

/** Maps with at most `limit` calls in flight; results in input order. */
async function mapConcurrent<T, R>(xs: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await f(xs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}
