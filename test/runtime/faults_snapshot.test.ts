/**
 * Snapshot faults (docs/recovery.md, rows S1–S3).
 *
 * S1 the newest snapshot is damaged (a flipped bit, truncated, its trailer deleted): recovery
 *    falls back to the previous one, says so (recovery notes, `lexum state` on stderr), replays
 *    the WAL after it and reaches the same state; the damaged file is left where it is.
 * S2 both retained snapshots damaged while the WAL still starts at LSN 1: the instance is
 *    replayed from its first record.
 * S3 a crash between a snapshot's rename and the fsync of its directory (SimDisk): the
 *    rename may be lost; the previous snapshot is used, the tail replayed, the state correct.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRAILER_BYTES } from "../../src/snapshot/format.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { cli, compileSource, DATA, seededRng, SimDisk, simWorld, tmpDir } from "./helpers.ts";

const COUNTER = `
domain Counter {
  state { count: int = 0, seen: list<int> = [] }
  transition Add(by: int) { count += by; seen.push(by) }
}`;
const program = compileSource(COUNTER);

let root: string;
let source: string;
let expected: unknown;
beforeAll(async () => {
  root = tmpDir("faults-snap");
  source = path.join(root, "src");
  // Periodic snapshots every 5 cycles (one is skipped while the previous is still being
  // written) and one at close (cycle 12); K = 2 keeps the newest two.
  const rt = await Runtime.open({ program, dataDir: source, durability: "none", snapshotEveryCycles: 5 });
  for (let i = 1; i <= 12; i++) await rt.call("Counter", "c", "Add", { by: i });
  expected = await rt.state("Counter", "c");
  await rt.close();
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function snapshotFiles(data: string): string[] {
  const dir = path.join(data, "snapshots", "Counter", "c");
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".snapshot.json"))
    .sort()
    .reverse()
    .map((n) => path.join(dir, n));
}

function copy(name: string): string {
  const to = path.join(root, name);
  fs.cpSync(source, to, { recursive: true });
  return to;
}

const damages: [string, (file: string) => void][] = [
  [
    "a flipped bit in the state",
    (f) => {
      const b = fs.readFileSync(f);
      const at = b.indexOf('"seen"') + 10;
      b[at]! ^= 0x01;
      fs.writeFileSync(f, b);
    },
  ],
  ["truncated", (f) => fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2))],
  ["its trailer deleted", (f) => fs.truncateSync(f, fs.statSync(f).size - TRAILER_BYTES)],
];

describe("S1 a damaged newest snapshot", () => {
  it("the source directory has two retained snapshots, the newest at cycle 12", () => {
    const cycles = snapshotFiles(source).map((f) => Number(path.basename(f).split("-")[0]));
    expect(cycles.length).toBe(2);
    expect(cycles[0]).toBe(12);
  });

  for (const [what, damage] of damages) {
    it(`${what}: falls back to the previous snapshot, says so, and recovers the same state`, async () => {
      const data = copy(`s1-${what.replace(/\W+/g, "-")}`);
      const [newest, previous] = snapshotFiles(data);
      damage(newest!);

      // Read-only (the CLI): the note on stderr, the right state on stdout.
      const s = cli(["state", "Counter", "c", "--data", data]);
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toContain(`snapshot ${newest} is damaged`);
      expect(s.stderr).toContain(`using ${previous}`);
      expect(JSON.parse(s.stdout)).toMatchObject({ cycle: 12, run_hash: (expected as { run_hash: string }).run_hash, state: (expected as { state: unknown }).state });
      const v = cli(["journal", "verify", "--data", data]);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toContain(`snapshot ${newest} is damaged`);

      // Writable: the same, through Runtime.open.
      const warnings: string[] = [];
      const rt = await Runtime.open({ program, dataDir: data, durability: "none", log: { info() {}, warn: (m, x) => warnings.push(typeof m === "string" ? m : String(x)), error() {} } });
      expect(rt.recovery.notes.join("\n")).toContain(`snapshot ${newest} is damaged`);
      expect(warnings.join("\n")).toContain(`snapshot ${newest} is damaged`);
      expect(rt.recovery.replayedCycles).toBe(12 - Number(path.basename(previous!).split("-")[0])); // the cycles after the previous snapshot
      expect(await rt.state("Counter", "c")).toEqual(expected);
      await rt.call("Counter", "c", "Add", { by: 100 });
      await rt.close();
      // The damaged file is never deleted (STYLE.md §10): it stays, or is set aside under snapshots/damaged/.
      const aside = path.join(data, "snapshots", "damaged", "Counter", "c", path.basename(newest!));
      expect(fs.existsSync(newest!) || fs.existsSync(aside)).toBe(true);
    });
  }
});

describe("S2 every retained snapshot damaged", () => {
  it("replays the instance from its first record while the WAL still starts at LSN 1", async () => {
    const data = copy("s2");
    for (const f of snapshotFiles(data)) fs.truncateSync(f, 10);
    const rt = await Runtime.open({ program, dataDir: data, durability: "none" });
    expect(rt.wal.firstLsn).toBe(1);
    expect(rt.recovery.notes.filter((n) => n.includes("is damaged")).length).toBe(2);
    expect(rt.recovery.replayedCycles).toBe(12);
    expect(await rt.state("Counter", "c")).toEqual(expected);
    await rt.close();
  });
});

describe("S3 a crash between a snapshot's rename and the fsync of its directory", () => {
  for (const mode of ["drop-all", "prefix", "keep-all"] as const) {
    it(`(${mode}) uses the previous snapshot or the renamed one, replays the tail, and the state is right`, async () => {
      const w = simWorld(11);
      let armed = false;
      let crashed = false;
      // Crash the moment the store asks to fsync the instance directory after its rename.
      w.disk = new SimDisk({
        rng: seededRng(11),
        delay: (op, p) => {
          if (armed && !crashed && op === "syncDir" && p.endsWith("/snapshots/Counter/c")) {
            crashed = true;
            w.disk = w.disk.crash(mode);
          }
        },
      });
      const rt = await w.open(program, { snapshotEveryCycles: 5 });
      for (let i = 1; i <= 5; i++) await rt.call("Counter", "c", "Add", { by: i });
      await rt.store.idle();
      await new Promise((r) => setTimeout(r, 10)); // the first snapshot (cycle 5) is durable
      armed = true;
      for (let i = 6; i <= 10; i++) await rt.call("Counter", "c", "Add", { by: i }); // cycle 10 snapshots: crash
      for (let k = 0; k < 50 && !crashed; k++) await new Promise((r) => setTimeout(r, 5));
      expect(crashed).toBe(true);
      const names = (await w.disk.list(`${DATA}/snapshots/Counter/c`)).filter((n) => n.endsWith(".snapshot.json"));
      const rt2 = await w.open(program);
      const x = await rt2.state("Counter", "c");
      expect(x!.cycle).toBe(10);
      expect((x!.state as { count: number }).count).toBe(55);
      if (!names.some((n) => n.startsWith("00000000000000000010-"))) expect(rt2.recovery.replayedCycles).toBe(5);
      await rt2.close();
      console.log(`S3 ${mode}: snapshots after the crash: ${names.join(", ") || "none"}; ${rt2.recovery.replayedCycles} cycle(s) replayed`);
    });
  }
});

describe("S4 a process kill before a snapshot's directory fsync, then a power cut after the WAL was truncated", () => {
  it("the restored snapshot's directory is synced before any segment is deleted on its strength", async () => {
    // Seed 90 of the simulator: the predecessor is killed (page cache survives) between the
    // rename of A's only snapshot and the fsync of A's directory. The next process restores A
    // from that snapshot, A pins nothing, B's traffic lets the checkpointer delete the
    // segments that held A's records, and a power cut then drops the unsynced rename: A's
    // history would be gone from both the snapshots and the WAL.
    const w = simWorld(21);
    let armed = false;
    let killed = false;
    w.disk = new SimDisk({
      rng: seededRng(21),
      delay: (op, p) => {
        if (armed && !killed && op === "syncDir" && p.endsWith("/snapshots/Counter/a")) {
          killed = true;
          w.disk = w.disk.processCrash();
        }
      },
    });
    const small = { walSegmentBytes: 512, walTargetBytes: 1024, snapshotEveryCycles: 1000 };
    const rt = await w.open(program, small);
    for (let i = 1; i <= 4; i++) await rt.call("Counter", "a", "Add", { by: i });
    armed = true;
    await rt.close().catch(() => {}); // snapshots A at close: killed at its directory fsync
    expect(killed).toBe(true);

    const rt2 = await w.open(program, small);
    expect(rt2.recovery.restored).toBe(1);
    const startBefore = rt2.wal.firstLsn;
    for (let i = 1; i <= 60; i++) await rt2.call("Counter", "b", "Add", { by: i });
    await rt2.checkpoint(true);
    await rt2.store.idle();
    await rt2.checkpoint(true);
    expect(rt2.wal.firstLsn).toBeGreaterThan(startBefore); // A's records are gone from the WAL
    w.crash("drop-all"); // the power cut: only what was synced survives

    const rt3 = await w.open(program, small);
    const a = await rt3.state("Counter", "a");
    expect(a!.cycle).toBe(4);
    expect((a!.state as { count: number }).count).toBe(10);
    const b = await rt3.state("Counter", "b");
    expect(b!.cycle).toBe(60);
    await rt3.close();
  });
});

describe("S5 temp files of writes a crash interrupted", () => {
  it("are removed at start; snapshots and checkpoints are untouched", async () => {
    const data = copy("s5");
    const dir = path.join(data, "snapshots", "Counter", "c");
    const snaps = snapshotFiles(data);
    const stale = [path.join(dir, "00000000000000000099-00000000000000000999.snapshot.json.tmp"), path.join(data, "checkpoints", "00000000000000000777.node.json.tmp")];
    fs.mkdirSync(path.join(data, "checkpoints"), { recursive: true });
    for (const f of stale) fs.writeFileSync(f, "half a write");
    // Read-only commands leave them alone.
    expect(cli(["state", "Counter", "c", "--data", data]).code).toBe(0);
    for (const f of stale) expect(fs.existsSync(f)).toBe(true);
    const rt = await Runtime.open({ program, dataDir: data, durability: "none" });
    for (const f of stale) expect(fs.existsSync(f), f).toBe(false);
    for (const f of snaps) expect(fs.existsSync(f), f).toBe(true);
    expect(await rt.state("Counter", "c")).toEqual(expected);
    await rt.close();
  });
});
