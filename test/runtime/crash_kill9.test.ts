/**
 * Crash tests with a real child process and `kill -9` (runtime.md "a crash at any instant…").
 *
 * 1. A reference run: `lexum exec bank.lex --input msgs.ndjson --logical-time T0` on a fresh
 *    directory, uninterrupted (50,000 inputs across 100 Account instances, each Account
 *    sending to its own Ledger partner, slices, an invariant, a goal).
 * 2. A second, independent process on another fresh directory: identical run hashes
 *    (cross-process determinism).
 * 3. Crash runs: the same exec, spawned again and again and SIGKILLed (its process group)
 *    at seeded random moments, then one last exec that finishes — two such runs at once on
 *    two fresh directories (the machine has two cores), ≥ 50 kills in all, `--durability
 *    fsync`. Every instance's state, run_hash and cycle equal the reference; every input was
 *    applied exactly once (the program counts applications per id); `journal verify` exits 0.
 *
 * Kill times are relative to the first WAL write of each spawn (measured by watching the
 * segments' mtime): before it (start-up, recovery), soon after it (journaling the batch, the
 * first cycles, snapshots), or later. Each kill is classified by what the killed process had
 * done: nothing new in the WAL (start-up/recovery), only inputs (journaling), COMMITs
 * (execution); and whether a snapshot or node checkpoint was left half-written (a new
 * `.tmp` file) and whether the WAL ended in a torn batch. The counts are printed.
 *
 * LEXUM_CRASH_SEED=<n> replays a schedule of kill delays (timing itself is not replayable);
 * LEXUM_CRASH_KILLS=<n> changes the number of kills (default 52); LEXUM_CRASH_VERBOSE=1 logs
 * every spawn.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeDisk } from "../../src/base/node_disk.ts";
import { openWal } from "../../src/journal/index.ts";
import { RecordType } from "../../src/runtime/records.ts";
import { encodeModule } from "../../src/bytecode/encode.ts";
import { BIN, cli, compileFile, FIXTURES, readAllStates, REPO, seededRng, T0, tmpDir, type Envelope } from "./helpers.ts";

const INPUTS = 50_000;
const ACCOUNTS = 100;
const KILLS = Number(process.env["LEXUM_CRASH_KILLS"] ?? 52);
const SEED = Number(process.env["LEXUM_CRASH_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const PROGRAM = path.join(FIXTURES, "bank.lex");
const VERBOSE = process.env["LEXUM_CRASH_VERBOSE"] !== undefined;

type Expect = { count: number; ledger: number; ids: Set<string> };

/** The seeded batch: Deposits (with a memo, so the WAL is large enough for mid-run snapshots and the checkpointer), Withdraws (some overdraw: LX-INV), Aims (move the goal). */
function writeInputs(file: string, seed: number): Map<string, Expect> {
  const rng = seededRng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const exp = new Map<string, Expect>();
  const lines: string[] = [];
  for (let i = 0; i < INPUTS; i++) {
    const instance = `a-${int(0, ACCOUNTS - 1)}`;
    const id = `m${i}`;
    const x = rng();
    const memo = "x".repeat(int(200, 600));
    let transition: string;
    let args: Record<string, unknown>;
    if (x < 0.7) [transition, args] = ["Deposit", { id, amount: int(1, 100), memo }];
    else if (x < 0.95) [transition, args] = ["Withdraw", { id, amount: int(1, 150), memo }];
    else [transition, args] = ["Aim", { id, to: int(0, 20) }];
    lines.push(JSON.stringify({ id, domain: "Account", instance, transition, args }));
    const e = exp.get(instance) ?? { count: 0, ledger: 0, ids: new Set<string>() };
    e.count++;
    e.ids.add(id);
    exp.set(instance, e);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return exp;
}

/** The compiled module every run uses (compiled once: spawns start faster). */
let moduleFile = "";

function execArgs(dataDir: string, input: string): string[] {
  return [BIN, "exec", moduleFile, "--data", dataDir, "--input", input, "--logical-time", String(T0), "--durability", "fsync"];
}

function runToEnd(dataDir: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, execArgs(dataDir, input), { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    c.stdout!.on("data", (d) => (stdout += d));
    c.stderr!.on("data", (d) => (stderr += d));
    c.on("error", reject);
    c.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** What the WAL holds now: the last LSN and, from `from` on, how many records of each type. */
async function walFacts(dataDir: string, from: number): Promise<{ lastLsn: number; inputs: number; commits: number; torn: boolean }> {
  const disk = new NodeDisk();
  if ((await disk.stat(path.join(dataDir, "wal"))) === null) return { lastLsn: 0, inputs: 0, commits: 0, torn: false };
  const { wal, report } = await openWal(disk, path.join(dataDir, "wal"), { readOnly: true });
  let inputs = 0;
  let commits = 0;
  try {
    for await (const r of wal.scan(Math.max(from, wal.firstLsn))) {
      if (r.type === RecordType.INPUT) inputs++;
      else if (r.type === RecordType.COMMIT) commits++;
    }
    return { lastLsn: wal.durableLsn, inputs, commits, torn: report.outcome === "torn-tail" || report.outcome === "torn-segment-creation" };
  } finally {
    await wal.close();
  }
}

function tempFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".tmp")) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** Newest modification time of a WAL segment (segments are preallocated: writes change mtime, not size). */
function walMtime(dataDir: string): number {
  const d = path.join(dataDir, "wal");
  if (!fs.existsSync(d)) return 0;
  let m = 0;
  for (const n of fs.readdirSync(d)) {
    try {
      m = Math.max(m, fs.statSync(path.join(d, n)).mtimeMs);
    } catch {
      // deleted by the checkpointer meanwhile
    }
  }
  return m;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function killGroup(c: ChildProcess): void {
  try {
    process.kill(-c.pid!, "SIGKILL");
  } catch {
    c.kill("SIGKILL");
  }
}

describe(`kill -9 crash test (seed ${SEED})`, () => {
  let dir: string;
  let input: string;
  let expected: Map<string, Expect>;
  let reference: Map<string, Envelope>;

  beforeAll(() => {
    dir = tmpDir("crash");
    input = path.join(dir, "msgs.ndjson");
    expected = writeInputs(input, 20240611);
    moduleFile = path.join(dir, "bank.lxm");
    fs.writeFileSync(moduleFile, encodeModule(compileFile(PROGRAM)));
  });

  afterAll(() => {
    if (process.env["LEXUM_KEEP"] === undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reference run, and a second process on a fresh directory gives identical run hashes", async () => {
    // Two independent processes at once (the machine has two cores).
    const [a, b] = await Promise.all([runToEnd(path.join(dir, "ref"), input), runToEnd(path.join(dir, "ref2"), input)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    console.log(`reference exec: ${(a.ms / 1000).toFixed(1)} s; ${a.stdout.trim().split("\n").at(-1)}`);
    const r1 = await readAllStates(path.join(dir, "ref"));
    const r2 = await readAllStates(path.join(dir, "ref2"));
    reference = r1.states;
    expect(reference.size).toBe(2 * ACCOUNTS);
    for (const [k, e] of reference) {
      const o = r2.states.get(k)!;
      expect({ k, run_hash: o.run_hash, cycle: o.cycle }).toEqual({ k, run_hash: e.run_hash, cycle: e.cycle });
    }
    checkExactlyOnce(reference, expected);
    for (const d of ["ref", "ref2"]) {
      const v = cli(["journal", "verify", "--data", path.join(dir, d)]);
      expect(v.code, v.stderr + v.stdout).toBe(0);
    }
  }, 240_000);

  it(`${KILLS} SIGKILLs at random moments lose nothing acknowledged and apply nothing twice`, async () => {
    expect(reference, "the reference run must have succeeded").toBeDefined();
    // Two crash runs at once on two directories (the machine has two cores; each exec is
    // mostly one): half the kills each, seeds SEED and SEED + 1.
    const t0 = performance.now();
    const runs = await Promise.all([0, 1].map((i) => killLoop(path.join(dir, `crash${i}`), input, SEED + i, i === 0 ? Math.ceil(KILLS / 2) : Math.floor(KILLS / 2))));
    const total: Phases = { startup: 0, journaling: 0, execution: 0, snapshotTemp: 0, checkpointTemp: 0, tornTail: 0, exitedBeforeKill: 0, closing: 0 };
    let kills = 0;
    let spawns = 0;
    for (const r of runs) {
      kills += r.kills;
      spawns += r.spawns;
      for (const k of Object.keys(total) as (keyof Phases)[]) total[k] += r.phases[k];
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `crash runs (seeds ${SEED}, ${SEED + 1}): ${kills} kills in ${spawns} spawns, ${secs} s; kills by phase: start-up/recovery ${total.startup}, journaling ${total.journaling}, execution ${total.execution}, ` +
        `rerun of the finished batch ${total.closing}; a snapshot half-written ${total.snapshotTemp}, a node checkpoint half-written ${total.checkpointTemp}, a torn WAL tail ${total.tornTail}; runs that finished before their kill ${total.exitedBeforeKill}`,
    );
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(total.execution).toBeGreaterThan(0);

    for (let i = 0; i < runs.length; i++) {
      const data = path.join(dir, `crash${i}`);
      const got = await readAllStates(data);
      expect(got.states.size).toBe(reference.size);
      for (const [k, e] of reference) {
        const o = got.states.get(k);
        expect(o, `instance ${k} after crash run ${i}`).toBeDefined();
        expect({ k, cycle: o!.cycle, run_hash: o!.run_hash, state: o!.state }).toEqual({ k, cycle: e.cycle, run_hash: e.run_hash, state: e.state });
      }
      checkExactlyOnce(got.states, expected);
    }
    const [v0, v1, s0] = await Promise.all([
      cliAsync(["journal", "verify", "--data", path.join(dir, "crash0")]),
      cliAsync(["journal", "verify", "--data", path.join(dir, "crash1")]),
      cliAsync(["state", "Account", "a-7", "--data", path.join(dir, "crash0")]),
    ]);
    expect(v0.code, v0.stderr + v0.stdout).toBe(0);
    expect(v1.code, v1.stderr + v1.stdout).toBe(0);
    // The CLI's read-only `state` agrees with the in-process recovery.
    expect(s0.code, s0.stderr).toBe(0);
    expect((JSON.parse(s0.stdout) as Envelope).run_hash).toBe(reference.get("Account/a-7")!.run_hash);
  }, 600_000);
});

type Phases = { startup: number; journaling: number; execution: number; closing: number; snapshotTemp: number; checkpointTemp: number; tornTail: number; exitedBeforeKill: number };

/**
 * Spawns `lexum exec` on `data` again and again and SIGKILLs it `kills` times at seeded
 * random moments, then lets one exec finish. Returns what the kills hit.
 */
async function killLoop(data: string, input: string, seed: number, kills: number): Promise<{ kills: number; spawns: number; phases: Phases }> {
  const rng = seededRng(seed);
  const phases: Phases = { startup: 0, journaling: 0, execution: 0, closing: 0, snapshotTemp: 0, checkpointTemp: 0, tornTail: 0, exitedBeforeKill: 0 };
  let done = 0;
  let lastLsn = 0;
  let spawns = 0;
  let executing = false;
  let finished = false;
  // Start-up (process, module, WAL open, recovery, the duplicate check of the batch) grows
  // with the WAL; it is measured as the time to the first WAL write of each spawn. Once the
  // batch has finished, a rerun writes nothing: kills then fall anywhere in its run time.
  let startupMs = 1500;
  let rerunMs = 3000;
  while (done < kills) {
    const u = rng();
    // Kill time relative to the first WAL write: before it (start-up, recovery), soon after
    // it (journaling the batch, the first cycles and snapshots), or later.
    const offset = finished ? 0 : !executing ? rng() * 1200 : u < 0.3 ? -rng() * startupMs : u < 0.85 ? rng() * 300 : 300 + rng() * 1200;
    spawns++;
    const walBefore = walMtime(data);
    const tempsBefore = new Set(tempFiles(data));
    const spawnedAt = performance.now();
    const c = spawn(process.execPath, execArgs(data, input), { cwd: REPO, stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    c.stderr!.on("data", (d) => (stderr += d));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) => c.on("exit", (code) => ((exitCode = code), r())));
    let firstWrite: number | null = null;
    if (finished) {
      await Promise.race([sleep(100 + rng() * rerunMs), exited]);
    } else if (offset < 0) {
      await Promise.race([sleep(Math.max(50, startupMs + offset)), exited]);
    } else {
      const giveUp = spawnedAt + 2 * startupMs + 1000;
      while (exitCode === undefined && firstWrite === null && performance.now() < giveUp) {
        await Promise.race([sleep(10), exited]);
        if (walMtime(data) > walBefore) firstWrite = performance.now();
      }
      if (firstWrite !== null) startupMs = 0.7 * startupMs + 0.3 * (firstWrite - spawnedAt);
      if (exitCode === undefined) await Promise.race([sleep(offset), exited]);
    }
    if (exitCode !== undefined) {
      expect(exitCode, `exec exited by itself: ${stderr}`).toBe(0);
      phases.exitedBeforeKill++;
      finished = true;
      rerunMs = performance.now() - spawnedAt;
      if (VERBOSE) console.log(`${data} spawn ${spawns}: exited by itself after ${(rerunMs / 1000).toFixed(1)} s`);
      continue;
    }
    killGroup(c);
    await exited;
    done++;
    const temps = tempFiles(data).filter((t) => !tempsBefore.has(t));
    const f = await walFacts(data, lastLsn + 1);
    const phase = finished ? "closing" : f.commits > 0 ? "execution" : f.inputs > 0 ? "journaling" : "startup";
    phases[phase]++;
    if (f.commits > 0) executing = true;
    if (temps.some((t) => t.startsWith("snapshots"))) phases.snapshotTemp++;
    if (temps.some((t) => t.startsWith("checkpoints"))) phases.checkpointTemp++;
    if (f.torn) phases.tornTail++;
    if (VERBOSE) console.log(`${data} spawn ${spawns}: kill ${done} at ${((performance.now() - spawnedAt) / 1000).toFixed(2)} s (offset ${(offset / 1000).toFixed(2)} s, first write ${firstWrite === null ? "-" : ((firstWrite - spawnedAt) / 1000).toFixed(2)} s): ${phase}, +${f.inputs} inputs +${f.commits} commits${temps.length > 0 ? `, new temps ${temps.length}` : ""}${f.torn ? ", torn tail" : ""}`);
    lastLsn = f.lastLsn;
  }
  const fin = await runToEnd(data, input);
  expect(fin.code, fin.stderr).toBe(0);
  if (VERBOSE) console.log(`${data} final exec: ${fin.stdout.trim().split("\n").at(-1)}`);
  return { kills: done, spawns, phases };
}

function cliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    c.stdout!.on("data", (d) => (stdout += d));
    c.stderr!.on("data", (d) => (stderr += d));
    c.on("error", reject);
    c.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every input applied once: the Account counted each id once, its Ledger one entry per Deposit/Withdraw that got that far. */
function checkExactlyOnce(states: Map<string, Envelope>, expected: Map<string, Expect>): void {
  for (const [instance, e] of expected) {
    const a = states.get(`Account/${instance}`)!.state as { count: number; dups: number; applied: string[] };
    expect({ instance, count: a.count, dups: a.dups, applied: a.applied.length }).toEqual({ instance, count: e.count, dups: 0, applied: e.count });
    expect(new Set(a.applied)).toEqual(e.ids);
    const l = states.get(`Ledger/${instance}`)!.state as { entries: number; dups: number; seen: string[] };
    expect(l.dups).toBe(0);
    expect(l.entries).toBe(l.seen.length);
  }
}
