/**
 * bench/durable — the durable core measured against baselines in the same run (ratios, not
 * absolute times: the machine is shared and noisy).
 *
 *   1. The disk's fdatasync rate (the physical limit for one-transaction-per-input systems).
 *   2. Durable inputs/s with fsync on, for a simple transition over 1, 100 and 10,000
 *      instances, versus SQLite (better-sqlite3, WAL mode, synchronous=FULL, one transaction
 *      per input); p50/p99 acknowledgement latency of both.
 *   3. Recovery time to the first executed input after 10k, 100k and 1M inputs of history,
 *      versus a replay-everything baseline (same VM, no snapshots).
 *   4. p99 latency of small inputs while a ~100 MB state is being snapshotted, versus without.
 *
 * Run: `npm run bench:durable` (after `bench/install-sqlite.sh`). Options: `--quick` (smaller
 * sizes), `--only throughput|recovery|snapshot`. Writes bench/results/durable.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { compile } from "../../src/compiler/compile.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { fmt, pct, table } from "../report.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const ROOT = fs.mkdtempSync(path.join(process.env["LEXUM_BENCH_DIR"] ?? os.tmpdir(), "lexum-bench-"));

const PROGRAM = compile(`
domain Acc {
  state { n: int = 0, sum: int = 0 }
  transition Add(v: int) { n += 1; sum += v }
}
domain Big {
  state { rows: list<string> = [] }
  transition Fill(count: int, pad: string) { for i in 0..count { rows.push(pad) } }
}
`);

const results: Record<string, unknown> = { date: new Date().toISOString(), host: os.hostname(), cpus: os.cpus().length, node: process.version, quick };

// ---------------------------------------------------------------- 1. fsync rate
function fsyncRate(seconds: number): number {
  const f = path.join(ROOT, "fsync-probe");
  const fd = fs.openSync(f, "w");
  const buf = Buffer.alloc(4096, 1);
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    fs.writeSync(fd, buf, 0, buf.length, (n % 64) * 4096);
    fs.fdatasyncSync(fd);
    n++;
  }
  fs.closeSync(fd);
  fs.rmSync(f);
  return n / seconds;
}

// ---------------------------------------------------------------- 2. throughput
async function lexumThroughput(instances: number, total: number, concurrency: number) {
  const dir = path.join(ROOT, `tp-${instances}`);
  const rt = await Runtime.open({ program: PROGRAM, dataDir: dir, durability: "fsync", maxQueuedInputs: 1_000_000 });
  const lat: number[] = [];
  let sent = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (sent < total) {
      const i = sent++;
      const s = performance.now();
      await rt.send("Acc", `a${i % instances}`, "Add", { v: 1 });
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ackSecs = (performance.now() - t0) / 1000;
  await rt.quiescent();
  const doneSecs = (performance.now() - t0) / 1000;
  const flushes = rt.metrics.flushes;
  await rt.close({ snapshot: false });
  fs.rmSync(dir, { recursive: true, force: true });
  return { instances, total, concurrency, acksPerSec: total / ackSecs, executedPerSec: total / doneSecs, p50: pct(lat, 50), p99: pct(lat, 99), flushes, inputsPerFlush: total / Math.max(1, flushes) };
}

function sqliteThroughput(instances: number, seconds: number) {
  const require = createRequire(import.meta.url);
  let Database: new (f: string) => { pragma(s: string): unknown; prepare(s: string): { run(...a: unknown[]): unknown }; exec(s: string): void; close(): void };
  try {
    Database = require("better-sqlite3");
  } catch {
    return null;
  }
  const file = path.join(ROOT, `sqlite-${instances}.db`);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("create table acc (id text primary key, n integer not null, sum integer not null)");
  const ins = db.prepare("insert into acc (id, n, sum) values (?, 0, 0)");
  db.exec("begin");
  for (let i = 0; i < instances; i++) ins.run(`a${i}`);
  db.exec("commit");
  const upd = db.prepare("update acc set n = n + 1, sum = sum + ? where id = ?");
  const lat: number[] = [];
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const s = performance.now();
    db.exec("begin immediate");
    upd.run(1, `a${n % instances}`);
    db.exec("commit");
    lat.push(performance.now() - s);
    n++;
  }
  const secs = (performance.now() - t0) / 1000;
  db.close();
  for (const sfx of ["", "-wal", "-shm"]) fs.rmSync(file + sfx, { force: true });
  return { instances, total: n, inputsPerSec: n / secs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

// ---------------------------------------------------------------- 3. recovery
async function buildHistory(dir: string, inputs: number, snapshots: boolean): Promise<void> {
  const rt = await Runtime.open({
    program: PROGRAM,
    dataDir: dir,
    durability: "none",
    maxQueuedInputs: 2_000_000,
    ...(snapshots ? {} : { snapshotEveryCycles: Number.MAX_SAFE_INTEGER, snapshotEveryBytes: Number.MAX_SAFE_INTEGER, walTargetBytes: Number.MAX_SAFE_INTEGER, walCeilingBytes: Number.MAX_SAFE_INTEGER }),
  });
  const CHUNK = 20_000;
  for (let i = 0; i < inputs; i += CHUNK) {
    const ps: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(inputs, i + CHUNK); j++) ps.push(rt.send("Acc", `a${j % 100}`, "Add", { v: 1 }));
    await Promise.all(ps);
    await rt.quiescent();
  }
  // Give the checkpointer a chance to truncate, then stop without final snapshots (a crash-like stop).
  if (snapshots) await rt.checkpoint(true);
  await rt.close({ snapshot: false });
}

/**
 * Lexum: open, then the first input (instances recover lazily: only a0 is replayed first);
 * `fullMs` is when every instance is recovered. Baseline: no snapshots, and everything is
 * replayed before the first input runs — the replay-everything design.
 */
async function timeToFirstInput(dir: string, snapshots: boolean): Promise<{ ms: number; fullMs: number; replayed: number; walBytes: number }> {
  const t0 = performance.now();
  const rt = await Runtime.open({
    program: PROGRAM,
    dataDir: dir,
    durability: "fsync",
    ...(snapshots ? {} : { snapshotEveryCycles: Number.MAX_SAFE_INTEGER, snapshotEveryBytes: Number.MAX_SAFE_INTEGER, walTargetBytes: Number.MAX_SAFE_INTEGER, walCeilingBytes: Number.MAX_SAFE_INTEGER }),
  });
  if (!snapshots) rt.ensureAll();
  await rt.call("Acc", "a0", "Add", { v: 1 });
  const ms = performance.now() - t0;
  rt.ensureAll();
  const fullMs = performance.now() - t0;
  const replayed = rt.recovery.replayedCycles;
  const walBytes = rt.walBytes();
  await rt.close({ snapshot: false });
  return { ms, fullMs, replayed, walBytes };
}

// ---------------------------------------------------------------- 4. snapshot stall
async function snapshotStall(bigMb: number) {
  const dir = path.join(ROOT, "stall");
  const rt = await Runtime.open({ program: PROGRAM, dataDir: dir, durability: "fsync", snapshotEveryCycles: Number.MAX_SAFE_INTEGER, snapshotEveryBytes: Number.MAX_SAFE_INTEGER, walTargetBytes: Number.MAX_SAFE_INTEGER });
  const pad = "x".repeat(1000);
  const rows = Math.ceil((bigMb * 1024 * 1024) / 1003);
  for (let i = 0; i < rows; i += 5000) await rt.call("Big", "b", "Fill", { count: Math.min(5000, rows - i), pad });
  const big = rt.engine.get("Big", "b")!;
  const measure = async (ms: number, during: Promise<unknown> | null) => {
    const lat: number[] = [];
    let stop = false;
    // With a promise to wait for, run until it settles; else for `ms`.
    const end = during ? Infinity : performance.now() + ms;
    let i = 0;
    const worker = async () => {
      while (!stop && performance.now() < end) {
        const s = performance.now();
        await rt.send("Acc", `s${i++ % 50}`, "Add", { v: 1 });
        lat.push(performance.now() - s);
        // ~ a steady small load, not a saturating one
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const ws = Array.from({ length: 8 }, worker);
    if (during) await during;
    else await new Promise((r) => setTimeout(r, ms));
    stop = true;
    await Promise.all(ws);
    return lat;
  };
  const base = await measure(3000, null);
  const t0 = performance.now();
  let snapMs = 0;
  const snap = rt.snapshot(big).then(() => {
    snapMs = performance.now() - t0;
  });
  const during = await measure(0, snap);
  const files = await rt.store.list("Big", "b");
  const bytes = files[0] ? fs.statSync(files[0].path).size : 0;
  await rt.close({ snapshot: false });
  fs.rmSync(dir, { recursive: true, force: true });
  return { stateMb: bytes / 1024 / 1024, snapshotMs: snapMs, base: { n: base.length, p50: pct(base, 50), p99: pct(base, 99) }, during: { n: during.length, p50: pct(during, 50), p99: pct(during, 99) } };
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  console.log(`bench/durable — ${new Date().toISOString()} — ${os.cpus().length} CPUs, Node ${process.version}, dir ${ROOT}${quick ? " (quick)" : ""}`);
  const rate = fsyncRate(2);
  results["fsyncPerSec"] = rate;
  console.log(`disk fdatasync rate: ${fmt(rate)}/s (4 KiB write + fdatasync, one at a time): the limit for one-fsync-per-input systems`);

  if (!only || only === "throughput") {
    const rows: (string | number)[][] = [];
    const out: unknown[] = [];
    for (const n of [1, 100, 10_000]) {
      const lx = await lexumThroughput(n, quick ? 50_000 : 200_000, 2_000);
      const sq = sqliteThroughput(n, quick ? 2 : 4);
      out.push({ lexum: lx, sqlite: sq });
      rows.push([
        `${fmt(n)} instances`,
        fmt(lx.acksPerSec),
        fmt(lx.executedPerSec),
        `${fmt(lx.p50, 1)} / ${fmt(lx.p99, 1)}`,
        fmt(lx.inputsPerFlush),
        sq ? fmt(sq.inputsPerSec) : "not installed",
        sq ? `${fmt(sq.p50, 2)} / ${fmt(sq.p99, 2)}` : "-",
        sq ? `${fmt(lx.acksPerSec / sq.inputsPerSec, 1)}×` : "-",
      ]);
    }
    results["throughput"] = out;
    table("durable inputs/s, fsync on (Lexum: 2,000 concurrent senders; SQLite: one transaction per input)", ["", "Lexum acks/s", "executed/s", "ack ms p50/p99", "inputs/fsync", "SQLite/s", "SQLite ms p50/p99", "ratio"], rows);
  }

  if (!only || only === "recovery") {
    const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    const rows: (string | number)[][] = [];
    const out: unknown[] = [];
    for (const h of sizes) {
      const a = path.join(ROOT, `rec-snap-${h}`);
      const b = path.join(ROOT, `rec-full-${h}`);
      await buildHistory(a, h, true);
      await buildHistory(b, h, false);
      const withSnap = await timeToFirstInput(a, true);
      const full = await timeToFirstInput(b, false);
      out.push({ history: h, snapshots: withSnap, replayEverything: full });
      rows.push([fmt(h), fmt(withSnap.ms, 1), fmt(withSnap.fullMs, 1), fmt(withSnap.replayed), fmt(withSnap.walBytes / 1024), fmt(full.ms, 1), fmt(full.replayed), `${fmt(full.ms / withSnap.ms, 1)}×`]);
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
    results["recovery"] = out;
    table("recovery: time to first executed input (100 instances; Lexum recovers instances lazily)", ["history", "first input ms", "all recovered ms", "replayed", "WAL KiB", "replay-all ms", "replayed", "speed-up"], rows);
    const ms = out.map((r) => (r as { snapshots: { ms: number } }).snapshots.ms);
    console.log(`  flatness (max/min with snapshots): ${fmt(Math.max(...ms) / Math.min(...ms), 2)}× (target ≤ 1.5×)`);
  }

  if (!only || only === "snapshot") {
    const r = await snapshotStall(quick ? 20 : 100);
    results["snapshotStall"] = r;
    table(`small-input latency while a ${fmt(r.stateMb, 0)} MB state is snapshotted (${fmt(r.snapshotMs)} ms)`, ["", "inputs", "ack ms p50", "ack ms p99"], [
      ["without a snapshot", r.base.n, fmt(r.base.p50, 2), fmt(r.base.p99, 2)],
      ["during the snapshot", r.during.n, fmt(r.during.p50, 2), fmt(r.during.p99, 2)],
      ["ratio", "", `${fmt(r.during.p50 / r.base.p50, 2)}×`, `${fmt(r.during.p99 / r.base.p99, 2)}× (target ≤ 2×)`],
    ]);
  }

  fs.mkdirSync(path.join(path.dirname(new URL(import.meta.url).pathname), "..", "results"), { recursive: true });
  const outFile = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "results", "durable.json");
  fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
  console.log(`\nwrote ${outFile}`);
  fs.rmSync(ROOT, { recursive: true, force: true });
}

await main();
