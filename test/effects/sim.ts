/**
 * In-process runtimes on a SimClock for effect tests: retries, backoff and timeouts cost no
 * real time, and every attempt's (virtual) start time is exact, so a test can check the
 * declared backoff to the millisecond. The WAL is real (NodeDisk in a temp dir, or a SimDisk
 * for crash tests), so durability is real too.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../src/compiler/compile.ts";
import { SimClock } from "../../src/base/sim_clock.ts";
import type { Disk } from "../../src/base/disk.ts";
import type { Module } from "../../src/bytecode/module.ts";
import type { Adapter, AdapterContext } from "../../src/effects/index.ts";
import { Runtime, type RuntimeOptions } from "../../src/runtime/runtime.ts";
import { RecordType, decodeRecord } from "../../src/runtime/records.ts";

export const T0 = 1_700_000_000_000;

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lexum-${prefix}-`));
}

export type Call = { at: number; args: Record<string, unknown>; ctx: AdapterContext };

/** Wraps an adapter: records every call (virtual time, arguments, context) and how many run at once. */
export function recording(clock: SimClock, fn: Adapter): Adapter & { calls: Call[]; running: number; maxRunning: number } {
  const w = (async (args: Record<string, unknown>, ctx: AdapterContext) => {
    w.calls.push({ at: clock.now() - T0, args, ctx });
    w.running++;
    w.maxRunning = Math.max(w.maxRunning, w.running);
    try {
      return await fn(args, ctx);
    } finally {
      w.running--;
    }
  }) as Adapter & { calls: Call[]; running: number; maxRunning: number };
  w.calls = [];
  w.running = 0;
  w.maxRunning = 0;
  return w;
}

/** A promise that resolves after `ms` of virtual time. */
export function simDelay<T>(clock: SimClock, ms: number, value: T): Promise<T> {
  return new Promise((r) => clock.setTimer(ms, () => r(value)));
}

/** Lets real I/O (fsyncs, sockets) and promise chains run for a moment. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

/**
 * Runs the system until `done()`: lets real work settle, and when nothing else can happen
 * moves virtual time to the next timer (a backoff, a timeout). `mayAdvance` keeps time still
 * while real work is in flight (an HTTP request an adapter made), so a virtual timeout never
 * overtakes a real answer.
 */
export async function drive(clock: SimClock, done: () => boolean, mayAdvance: () => boolean = () => true, maxSteps = 5_000): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (done()) return;
    await settle();
    if (done()) return;
    if (mayAdvance() && clock.nextDueAt() !== null) clock.runNext();
  }
  throw new Error("drive: the condition never held");
}

/** Resolves `p` while driving the clock. */
export async function driven<T>(clock: SimClock, p: Promise<T>, mayAdvance?: () => boolean): Promise<T> {
  let state: { k: "ok"; v: T } | { k: "err"; e: unknown } | null = null;
  p.then(
    (v) => (state = { k: "ok", v }),
    (e) => (state = { k: "err", e }),
  );
  await drive(clock, () => state !== null, mayAdvance);
  const s = state as unknown as { k: "ok"; v: T } | { k: "err"; e: unknown };
  if (s.k === "err") throw s.e;
  return s.v;
}

export type SimRuntime = { rt: Runtime; clock: SimClock; dir: string };

export async function openSim(program: Module | string, o: Partial<RuntimeOptions> & { dir?: string; clock?: SimClock } = {}): Promise<SimRuntime> {
  const module = typeof program === "string" ? compile(program) : program;
  const clock = o.clock ?? new SimClock(T0);
  const dir = o.dir ?? tempDir("effects");
  const rt = await Runtime.open({ ...o, program: module, dataDir: dir, clock });
  return { rt, clock, dir };
}

export type WalRec = { lsn: number; type: number; rec: ReturnType<typeof decodeRecord> | null };

/** Every record of a runtime's WAL, decoded (read through the runtime's own WAL handle). */
export async function walRecords(rt: Runtime): Promise<WalRec[]> {
  const out: WalRec[] = [];
  for await (const r of rt.wal.scan(rt.wal.firstLsn)) {
    out.push({ lsn: r.lsn, type: r.type, rec: r.type === RecordType.PROGRAM ? null : decodeRecord(r.type, r.payload, rt.program.vm.types) });
  }
  return out;
}

/** Reads WAL records straight from a disk (another runtime's directory, read-only). */
export { RecordType };
export type { Disk };
