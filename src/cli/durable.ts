/**
 * CLI commands over a data directory: `exec`, `state --data`, `snapshot ls|show`,
 * `journal show|verify|repair`, `replay`. Read-only commands never take the lock and never
 * modify the directory (a torn tail is reported, not truncated: rules.md [35]).
 */
import * as fs from "node:fs";
import { DataDamagedError, LexumError, errorMessage } from "../base/errors.ts";
import { toHex0x } from "../base/hash.ts";
import { fixedTimeClock } from "../base/clock.ts";
import { NodeDisk } from "../base/node_disk.ts";
import type { Module } from "../bytecode/module.ts";
import { formatInspectEntry, inspectWal, openWal, repairWal, type Wal } from "../journal/index.ts";
import { dataPaths, decodeRecord, recordInstance, recover, RECORD_TYPE_NAMES, RecordType, Runtime } from "../runtime/index.ts";
import { RuntimeInputError, validateMessage, type RuntimeEvent } from "../runtime/runtime.ts";
import { makeProgram, type Instance, type Program, type StepResult } from "../runtime/engine.ts";
import type { SegmentResult } from "../vm/machine.ts";
import { SnapshotStore } from "../snapshot/index.ts";
import { toJson, toTagged, TypeTable, type Value } from "../vm/values/index.ts";
import type { Io } from "./main.ts";
import { checkAdapters, loadAdapters } from "../effects/index.ts";

const silent = { info() {}, warn() {}, error() {} };

function progress(io: Io, label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 200 && done < total) return;
    last = now;
    process.stderr.write(`\r${label}: ${done}/${total} (${total > 0 ? Math.floor((100 * done) / total) : 100}%)   ${done >= total ? "\n" : ""}`);
  };
}

export type ReadOnlyView = { engine: import("../runtime/engine.ts").Engine; wal: Wal; notes: string[]; module: Module };

/** Recovers a data directory read-only (no lock, no writes). */
export async function openReadOnly(dataDir: string, io: Io, o: { only?: { domain: string; instance: string; toCycle?: number; history?: boolean }; replayProgram?: Module; onStep?: Parameters<typeof recover>[0]["onStep"] } = {}) {
  const disk = new NodeDisk();
  const paths = dataPaths(dataDir);
  if ((await disk.stat(paths.wal)) === null) throw new LexumError("NO_DATA", `${dataDir} is not a Lexum data directory (no wal/ folder)`, 1);
  const { wal, report } = await openWal(disk, paths.wal, { readOnly: true, dataDir: paths.root, describe: (t, p) => { const i = recordInstance(t, p); return i ? `${i.domain}[${i.instance}]` : null; } });
  const store = new SnapshotStore({ disk, dataDir: paths.root });
  const r = await recover({ disk, paths, wal, store, program: null, keep: 2, log: silent, onProgress: progress(io, "replaying the journal"), only: o.only, replayProgram: o.replayProgram, onStep: o.onStep });
  return { ...r, wal, notes: [...report.notes, ...r.info.notes] };
}

function envelope(x: Instance, module: Module, types: TypeTable) {
  const d = module.domains[x.domainIdx]!;
  return {
    domain: x.domain,
    instance: x.id,
    cycle: x.cycle,
    run_hash: toHex0x(x.runHash),
    state: toJson(types, d.state, x.state),
    mailbox_offset: x.consumed,
    status: x.status,
    goals: (x.goals.books.length > 0 ? { goals: x.goals.books.map((b) => ({ name: b.name, status: b.status, code: b.code })) } : { goals: [] }),
  };
}

export async function stateFromData(dataDir: string, domain: string, id: string, io: Io): Promise<number> {
  const r = await openReadOnly(dataDir, io, { only: { domain, instance: id } });
  for (const n of r.notes) io.err(`note: ${n}`);
  const x = r.engine.get(domain, id);
  await r.wal.close();
  if (!x || (x.cycle === 0 && x.nextOffset === 0)) {
    io.err(`lexum: ${domain}[${id}] was never messaged in ${dataDir}`);
    return 1;
  }
  io.out(JSON.stringify(envelope(x, r.program.module, r.program.vm.types), null, 2));
  return 0;
}

// ------------------------------------------------------------------ exec

type ExecLine = { id: string; domain: string; instance: string; transition: string; args: Record<string, unknown> };

export async function execCommand(module: Module, o: { data: string; input: string; adapters?: string; durability?: "fsync" | "none"; logicalTime?: number }, io: Io): Promise<number> {
  // 1. Validate the whole file before journaling anything (rules.md [7]).
  let text: string;
  try {
    text = fs.readFileSync(o.input, "utf8");
  } catch {
    throw new LexumError("NO_INPUT", `cannot read ${o.input}`, 1);
  }
  const program = makeProgram(module);
  const lines: ExecLine[] = [];
  const ids = new Set<string>();
  const rows = text.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i]!.trim();
    if (raw === "") continue;
    const where = `${o.input}:${i + 1}`;
    let j: unknown;
    try {
      j = JSON.parse(raw);
    } catch (e) {
      throw new LexumError("BAD_INPUT", `${where}: malformed JSON (${errorMessage(e)}); nothing was journaled`, 1);
    }
    const m = j as Record<string, unknown>;
    if (m === null || typeof m !== "object" || Array.isArray(m)) throw new LexumError("BAD_INPUT", `${where}: a line must be a JSON object; nothing was journaled`, 1);
    for (const f of ["id", "domain", "instance", "transition"]) {
      if (typeof m[f] !== "string" || (m[f] as string) === "") throw new LexumError("BAD_INPUT", `${where}: "${f}" must be a non-empty string; nothing was journaled`, 1);
    }
    const args = m["args"] === undefined ? {} : m["args"];
    const id = m["id"] as string;
    if (ids.has(id)) throw new LexumError("BAD_INPUT", `${where}: duplicate id ${JSON.stringify(id)}; nothing was journaled`, 1);
    ids.add(id);
    try {
      validateMessage(program, m["domain"] as string, m["instance"] as string, m["transition"] as string, args);
    } catch (e) {
      if (e instanceof RuntimeInputError) throw new LexumError("BAD_INPUT", `${where}: ${e.message}${e.pointer ? ` (at ${e.pointer})` : ""}; nothing was journaled`, 1);
      throw e;
    }
    lines.push({ id, domain: m["domain"] as string, instance: m["instance"] as string, transition: m["transition"] as string, args: args as Record<string, unknown> });
  }

  // 2. Journal and run.
  const adapters = await loadAdapters(o.adapters);
  checkAdapters(module, [...Object.keys(adapters), "Http.request", "Log.write"], o.adapters);
  const events: RuntimeEvent[] = [];
  const rt = await Runtime.open({
    program: module,
    dataDir: o.data,
    durability: o.durability,
    log: { info() {}, warn: (x, m) => io.err(`warning: ${typeof x === "string" ? x : m ?? JSON.stringify(x)}`), error: (x, m) => io.err(`error: ${typeof x === "string" ? x : `${m ?? ""} ${JSON.stringify(x)}`}`) },
    onProgress: progress(io, "recovering"),
    clock: o.logicalTime !== undefined ? fixedTimeClock(o.logicalTime) : undefined,
    // Journal the batch before running it: each instance's mailbox order is then the file's,
    // whatever the timing, crashes and restarts (a rerun reproduces the same run hashes).
    hold: true,
    adapters,
    logSink: (line) => io.out(line),
  });
  rt.onEvent((e) => events.push(e));
  let fresh = 0;
  let skipped = 0;
  const show = progress(io, "journaling inputs");
  try {
    // Batches up to the runtime's queue bound are journaled whole before they run.
    const CHUNK = 100_000;
    for (let i = 0; i < lines.length; i += CHUNK) {
      rt.hold();
      const part = lines.slice(i, i + CHUNK);
      for (let j = 0; j < part.length; j += 5000) {
        const acks = await Promise.all(part.slice(j, j + 5000).map((l) => rt.send(l.domain, l.instance, l.transition, l.args, { idempotencyKey: `exec:${l.id}` })));
        for (const a of acks) (a.duplicate ? skipped++ : fresh++);
        show?.(Math.min(i + j + 5000, lines.length), lines.length);
      }
      rt.release();
      await rt.quiescent();
    }
    rt.release();
    await rt.quiescent();
  } catch (e) {
    await rt.close({ snapshot: false }).catch(() => {});
    throw e;
  }
  const failed = events.filter((e) => e.k === "failed");
  const suspended = events.filter((e) => e.k === "goal-suspended");
  for (const e of failed) if (e.k === "failed") io.out(`failed: ${e.domain}[${e.instance}].${e.transition} ${e.code}: ${e.message}`);
  for (const e of suspended) if (e.k === "goal-suspended") io.out(`goal suspended: ${e.domain}[${e.instance}] ${e.goal} ${e.code}: ${e.message}`);
  const timers = rt.pendingTimers;
  const cycles = rt.metrics.commits;
  await rt.close();
  io.out(`exec: ${lines.length} inputs (${fresh} journaled now, ${skipped} already journaled), ${cycles} cycles, ${failed.length} failed transitions, ${suspended.length} goal suspensions, ${timers} timers pending`);
  return 0;
}

// ------------------------------------------------------------------ snapshots

export async function snapshotLs(dataDir: string, domain: string | undefined, id: string | undefined, io: Io): Promise<number> {
  const store = new SnapshotStore({ disk: new NodeDisk(), dataDir });
  const pairs = (await store.listInstances()).filter((p) => (domain === undefined || p.domain === domain) && (id === undefined || p.instance === id));
  let n = 0;
  for (const p of pairs) {
    for (const s of await store.list(p.domain, p.instance)) {
      io.out(`${p.domain}\t${p.instance}\tcycle=${s.cycle}\tlsn=${s.lsn}\t${s.path}`);
      n++;
    }
  }
  if (n === 0) io.err(`no snapshots in ${dataDir}`);
  return 0;
}

export async function snapshotShow(dataDir: string, target: string[], io: Io): Promise<number> {
  const store = new SnapshotStore({ disk: new NodeDisk(), dataDir });
  let path: string;
  if (target.length === 1) path = target[0]!;
  else if (target.length === 2) {
    const list = await store.list(target[0]!, target[1]!);
    if (list.length === 0) throw new LexumError("NO_SNAPSHOT", `${target[0]}[${target[1]}] has no snapshot in ${dataDir}`, 1);
    path = list[0]!.path;
  } else throw new LexumError("LX-USAGE", "snapshot show takes a snapshot path, or a domain and an instance id", 2);
  const r = await store.read(path);
  if ("kind" in r && r.kind === "damaged") {
    io.err(`lexum: snapshot ${path} is damaged: ${r.reason}`);
    return 3;
  }
  const { path: _p, bytes: _b, ...body } = r as unknown as Record<string, unknown>;
  io.out(JSON.stringify(body, null, 2));
  return 0;
}

// ------------------------------------------------------------------ journal

export async function journalShow(dataDir: string, o: { from?: string; limit?: string; json?: boolean; raw?: boolean }, io: Io): Promise<number> {
  const disk = new NodeDisk();
  const paths = dataPaths(dataDir);
  const describe = (t: number, p: Uint8Array) => {
    const i = recordInstance(t, p);
    return `${RECORD_TYPE_NAMES[t] ?? `type ${t}`}${i ? ` ${i.domain}[${i.instance}]` : ""}`;
  };
  if (o.raw) {
    for await (const e of inspectWal(disk, paths.wal)) io.out(formatInspectEntry(e, describe));
    return 0;
  }
  const r = await openReadOnly(dataDir, io);
  const from = o.from ? Number(o.from) : r.wal.firstLsn;
  const limit = o.limit ? Number(o.limit) : Infinity;
  let n = 0;
  // Decode with the program in effect at each record.
  const tt = r.program.vm.types;
  for await (const rec of r.wal.scan(Math.max(from, r.wal.firstLsn))) {
    if (n++ >= limit) break;
    let body: unknown;
    try {
      const d = decodeRecord(rec.type, rec.payload, tt);
      body = JSON.parse(JSON.stringify(d, (k, v) => (v instanceof Uint8Array ? toHex0x(v) : typeof v === "object" && v !== null && "shape" in v ? toTagged(v as never) : v)));
    } catch (e) {
      body = { undecodable: errorMessage(e) };
    }
    const line = { lsn: rec.lsn, type: RECORD_TYPE_NAMES[rec.type] ?? rec.type, time: rec.time, record: body };
    io.out(o.json ? JSON.stringify(line) : `${rec.lsn}\t${line.type}\t${new Date(rec.time).toISOString()}\t${JSON.stringify(body)}`);
  }
  await r.wal.close();
  return 0;
}

export async function journalVerify(dataDir: string, io: Io): Promise<number> {
  try {
    const r = await openReadOnly(dataDir, io);
    for (const n of r.notes) io.out(`note: ${n}`);
    const segs = r.wal.segments();
    io.out(`journal ok: ${segs.length} segment(s), LSN ${r.wal.firstLsn}..${r.wal.durableLsn}, ${r.wal.sizeBytes()} bytes; ${r.info.restored} instance(s) from snapshots, ${r.info.replayedCycles} cycle(s) re-executed with matching run hashes`);
    await r.wal.close();
    return 0;
  } catch (e) {
    if (e instanceof DataDamagedError) {
      io.err(`lexum: ${e.message}`);
      return 3;
    }
    throw e;
  }
}

export async function journalRepair(dataDir: string, io: Io): Promise<number> {
  const paths = dataPaths(dataDir);
  const report = await repairWal(new NodeDisk(), paths.wal, {});
  io.out(JSON.stringify(report, null, 2));
  return 0;
}

// ------------------------------------------------------------------ replay

export async function replayCommand(dataDir: string, domain: string, id: string, o: { toCycle?: number; program?: Module }, io: Io): Promise<number> {
  const r = await openReadOnly(dataDir, io, { only: { domain, instance: id, toCycle: o.toCycle, history: true }, replayProgram: o.program });
  for (const n of r.notes) io.err(`note: ${n}`);
  await r.wal.close();
  if (r.divergence) {
    io.out(JSON.stringify({ divergence: await divergenceReport(dataDir, domain, id, r.divergence.report, r.program, io) }, null, 2));
    return 1;
  }
  const x = r.engine.get(domain, id);
  if (!x) {
    io.err(`lexum: ${domain}[${id}] was never messaged in ${dataDir}`);
    return 1;
  }
  io.out(JSON.stringify(envelope(x, r.program.module, r.program.vm.types), null, 2));
  return 0;
}

/**
 * The divergence report (runtime.md §2): the first differing cycle, its input record, both
 * output sets and a diff of the state after it. The recorded side is recomputed with the
 * journal's own program (its run hashes match the journal, so it is what happened then).
 */
async function divergenceReport(dataDir: string, domain: string, id: string, rep: Record<string, unknown>, replay: Program, io: Io): Promise<Record<string, unknown>> {
  const cycle = rep["cycle"] as number;
  let recorded: { step: StepResult; state: Value } | null = null;
  let input: unknown = rep["input"];
  let journal: Program | null = null;
  try {
    const o = await openReadOnly(dataDir, { out: () => {}, err: () => {} }, {
      only: { domain, instance: id, toCycle: cycle, history: true },
      onStep: (x, step) => {
        if (step.commit.cycle === cycle) recorded = { step, state: x.state };
      },
    });
    journal = o.program;
    const consumed = rep["input"] as { k: string; offset?: number } | undefined;
    if (consumed?.k === "mailbox") {
      for await (const w of o.wal.scan(o.wal.firstLsn)) {
        if (w.type !== RecordType.INPUT) continue;
        const rec = decodeRecord(w.type, w.payload, journal.vm.types);
        if (rec.t !== RecordType.INPUT || rec.r.domain !== domain || rec.r.instance !== id || rec.r.offset !== consumed.offset) continue;
        input = { consumed, lsn: w.lsn, time: rec.r.time, transition: rec.r.transition, args: argsJson(journal, domain, rec.r.transition, rec.r.args), source: rec.r.source };
        break;
      }
    } else input = { consumed };
    await o.wal.close();
  } catch (e) {
    io.err(`note: the journal's own program could not recompute cycle ${cycle} (${errorMessage(e)}); the report shows the replayed side only`);
  }
  const rec = recorded as { step: StepResult; state: Value } | null;
  const stateOf = (p: Program | null, v: unknown): unknown => {
    const d = p?.module.domains.find((x) => x.name === domain);
    return p && d && v ? toJson(p.vm.types, d.state, v as Value) : null;
  };
  const replayedAfter = stateOf(replay, rep["stateAfter"]);
  const recordedAfter = rec ? stateOf(journal, rec.state) : null;
  const before = stateOf(replay, rep["stateBefore"]);
  const diff = rec
    ? diffJson(recordedAfter, replayedAfter).map((x) => ({ path: x.path, recorded: x.before, replayed: x.after }))
    : diffJson(before, replayedAfter).map((x) => ({ path: x.path, before: x.before, replayed: x.after }));
  return {
    domain,
    instance: id,
    cycle,
    lsn: rep["lsn"],
    input,
    recorded: { ...(rep["recorded"] as object), outputs: rec && journal ? outputsJson(journal, domain, rec.step.segment) : null },
    replayed: { ...(rep["replayed"] as object), outputs: outputsJson(replay, domain, rep["segment"] as SegmentResult | null) },
    state_before: before,
    state_after: { recorded: recordedAfter, replayed: replayedAfter },
    state_diff: diff,
  };
}

/** A transition's arguments as JSON objects (by parameter name), or tagged values when the program lacks it. */
function argsJson(p: Program, domain: string, transition: string, args: readonly Value[]): unknown {
  const tr = p.module.domains.find((d) => d.name === domain)?.transitions.find((t) => t.name === transition);
  if (!tr || tr.params.length !== args.length) return args.map(toTagged);
  return Object.fromEntries(tr.params.map((pa, i) => [pa.name, toJson(p.vm.types, pa.type, args[i]!)]));
}

/** What a segment produced: its reply or error, the messages it sent and the effects it asked for. */
function outputsJson(p: Program, domain: string, seg: SegmentResult | null): unknown {
  if (!seg) return null;
  const m = p.module;
  const sends = seg.out.sends.map((x) => {
    const td = m.domains[x.domain]!;
    const tt = td.transitions[x.transition]!;
    return { to: `${td.name}[${x.instance}].${tt.name}`, args: argsJson(p, td.name, tt.name, x.args), after_ms: x.delayMs };
  });
  const intents = seg.out.intents.map((x) => ({ effect: m.effects[x.effect]!.name, kind: x.kind, key: x.key, args: x.args.map(toTagged) }));
  const result = seg.kind === "failed" ? { error: { code: seg.trap.code, message: seg.trap.message } } : seg.kind === "done" ? { reply: toTagged(seg.reply) } : { continues: seg.kind };
  return { ...result, sends, intents };
}

/** A flat list of JSON-pointer paths whose values differ. */
export function diffJson(a: unknown, b: unknown, path = ""): { path: string; before: unknown; after: unknown }[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => diffJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return [{ path: path || "/", before: a, after: b }];
}
