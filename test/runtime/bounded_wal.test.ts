/**
 * The bounded journal (runtime.md §5, rules.md [5], [45]).
 *
 * 1. One million inputs on 100 instances, default settings (snapshot every 1,000 cycles or
 *    256 KiB per instance, K = 2, segments of 1 MiB, checkpointer target 32 MiB, ceiling
 *    256 MiB), `durability: "fsync"`, through the TS API in this process. The WAL size is
 *    sampled after every 1,000 acknowledged inputs; its maximum must stay under
 *    WAL_BOUND_BYTES (docs/recovery.md "The WAL bound" explains the number). Afterwards
 *    every instance's newest snapshot has the spec's fields and `lexum journal verify` passes.
 * 2. Cold instances (messaged once, long ago) do not pin the WAL: the checkpointer snapshots
 *    every instance that pins the segments in excess of the target, not only the oldest one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Runtime } from "../../src/runtime/runtime.ts";
import type { SnapshotFile } from "../../src/snapshot/index.ts";
import { cli, compileSource, tmpDir } from "./helpers.ts";

const PROGRAM = `
domain Meter {
  state {
    count: int = 0
    total: int = 0
    last: string = ""
  }
  invariant Counted { count >= 0 }
  transition Add(id: string, by: int) { count += 1; total += by; last = id }
}`;

/** Measured maximum (see docs/recovery.md): ~35–52 MB; the bound leaves room for a slow disk. */
const WAL_BOUND_BYTES = 64 * 1024 * 1024;
const INPUTS = 1_000_000;
const INSTANCES = 100;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe("bounded WAL", () => {
  it(`stays under ${WAL_BOUND_BYTES >> 20} MiB through ${INPUTS} inputs on ${INSTANCES} instances (fsync, defaults)`, async () => {
    const dir = tmpDir("bounded");
    dirs.push(dir);
    const data = path.join(dir, "data");
    const rt = await Runtime.open({ program: compileSource(PROGRAM), dataDir: data, durability: "fsync" });
    const t0 = performance.now();
    let maxWal = 0;
    let maxAt = 0;
    const CHUNK = 1000;
    for (let i = 0; i < INPUTS; i += CHUNK) {
      const acks: Promise<unknown>[] = [];
      for (let j = i; j < i + CHUNK; j++) acks.push(rt.send("Meter", `m-${j % INSTANCES}`, "Add", { id: `i${j}`, by: j % 7 }));
      await Promise.all(acks);
      // Back-pressure like an ingress would apply: keep the backlog small.
      while (rt.queuedInputs > 20_000) await sleep(1);
      const w = rt.walBytes();
      if (w > maxWal) [maxWal, maxAt] = [w, i + CHUNK];
    }
    await rt.quiescent();
    const ms = performance.now() - t0;
    const m = rt.metrics;
    console.log(
      `bounded WAL: ${INPUTS} inputs on ${INSTANCES} instances with fsync in ${(ms / 1000).toFixed(1)} s (${Math.round(INPUTS / (ms / 1000))} inputs/s); ` +
        `WAL max ${(maxWal / 2 ** 20).toFixed(1)} MiB (after ${maxAt} inputs), at the end ${(rt.walBytes() / 2 ** 20).toFixed(1)} MiB in ${rt.wal.segments().length} segment(s); ` +
        `${m.snapshots} snapshots, ${m.segmentsDeleted} segments deleted, ${m.flushes} group commits`,
    );
    expect(maxWal).toBeLessThan(WAL_BOUND_BYTES);
    expect(m.segmentsDeleted).toBeGreaterThan(50);
    const states = await Promise.all(Array.from({ length: INSTANCES }, (_, k) => rt.state("Meter", `m-${k}`)));
    await rt.close();
    for (const s of states) expect((s!.state as { count: number }).count).toBe(INPUTS / INSTANCES);

    // Every instance's newest snapshot carries the spec's fields (rules.md [34]).
    const rt2 = await Runtime.open({ program: compileSource(PROGRAM), dataDir: data, durability: "fsync" });
    expect(rt2.recovery.replayedCycles).toBe(0);
    for (let k = 0; k < INSTANCES; k++) {
      const refs = await rt2.store.list("Meter", `m-${k}`);
      expect(refs.length).toBeGreaterThanOrEqual(1);
      expect(refs.length).toBeLessThanOrEqual(2);
      const f = (await rt2.store.read(refs[0]!.path)) as SnapshotFile;
      checkSnapshotFields(f);
      expect(f.cycle).toBe(INPUTS / INSTANCES);
      expect(f.mailbox_offset).toBe(INPUTS / INSTANCES);
      expect(f.state).toMatchObject({ count: INPUTS / INSTANCES });
    }
    await rt2.close();
    const v = cli(["journal", "verify", "--data", data]);
    expect(v.code, v.stderr).toBe(0);
    console.log(v.stdout.trim());
  }, 600_000);

  it("cold instances do not pin the WAL: the checkpointer snapshots every instance pinning the excess", async () => {
    const dir = tmpDir("cold");
    dirs.push(dir);
    const rt = await Runtime.open({ program: compileSource(PROGRAM), dataDir: path.join(dir, "data"), durability: "none", walSegmentBytes: 4096, walTargetBytes: 32 * 1024 });
    // 200 instances messaged once each, spread over ~100 segments by a hot instance's traffic.
    let lastColdLsn = 0;
    for (let c = 0; c < 200; c++) {
      lastColdLsn = (await rt.send("Meter", `cold-${c}`, "Add", { id: `c${c}`, by: 1 })).lsn;
      await Promise.all(Array.from({ length: 20 }, (_, j) => rt.send("Meter", "hot", "Add", { id: `h${c}-${j}`, by: 1 })));
    }
    await rt.quiescent();
    const segmentsAfterCold = rt.wal.segments().length;
    // Only the hot instance keeps working. The checkpointer runs at most every 500 ms; the
    // cold instances need K = 2 snapshots each before their records may go. Looking only at
    // the oldest segment's pinners, that took two rounds per segment (~100 s here).
    const t0 = performance.now();
    let i = 0;
    while (rt.wal.firstLsn <= lastColdLsn && performance.now() - t0 < 15_000) {
      await Promise.all(Array.from({ length: 20 }, () => rt.send("Meter", "hot", "Add", { id: `t${i++}`, by: 1 })));
      await sleep(2);
    }
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`cold instances: ${segmentsAfterCold} segments after the cold phase; the WAL moved past the last cold record (LSN ${lastColdLsn}) after ${s} s (starts at ${rt.wal.firstLsn}); ${rt.metrics.segmentsDeleted} segments deleted`);
    expect(rt.wal.firstLsn).toBeGreaterThan(lastColdLsn);
    for (let c = 0; c < 200; c++) expect(rt.engine.pinLsn(rt.engine.get("Meter", `cold-${c}`)!, 2)).toBeGreaterThan(lastColdLsn);
    await rt.close();
  }, 60_000);
});

/** rules.md [34]: the fields, their types, and the first five names exactly. */
export function checkSnapshotFields(f: SnapshotFile): void {
  const j = f as unknown as Record<string, unknown>;
  for (const k of ["domain", "instance", "cycle", "run_hash", "state", "mailbox_offset", "lsn", "program_hash", "state_hash", "goals", "suspended", "timers", "pending_effects"]) {
    expect(Object.prototype.hasOwnProperty.call(j, k), `snapshot field ${k}`).toBe(true);
  }
  expect(typeof j["domain"]).toBe("string");
  expect(typeof j["instance"]).toBe("string");
  expect(Number.isSafeInteger(j["cycle"])).toBe(true);
  expect(j["run_hash"]).toMatch(/^0x[0-9a-f]{64}$/);
  expect(typeof j["state"]).toBe("object");
  expect(Number.isSafeInteger(j["mailbox_offset"])).toBe(true);
  expect(Number.isSafeInteger(j["lsn"])).toBe(true);
  expect(j["program_hash"]).toMatch(/^0x[0-9a-f]{64}$/);
  expect(j["state_hash"]).toMatch(/^0x[0-9a-f]{64}$/);
}
