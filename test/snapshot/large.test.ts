/**
 * A large state is streamed without stalling the event loop, and its header is read without
 * reading the state.
 */
import { describe, expect, it } from "vitest";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";
import { SnapshotDamage, SnapshotStore } from "../../src/snapshot/index.ts";
import { SNAPSHOT_SYNC_EVERY_BYTES } from "../../src/snapshot/store.ts";
import { DATA, header, memStore } from "./helpers.ts";

const MB = 1024 * 1024;
/** Generous: the writer yields about every millisecond of work; CI machines are slow. */
const MAX_GAP_MS = 200;

/** Counts setImmediate ticks and the longest gap between two of them, until stopped. */
function ticker(): { stop: () => { ticks: number; maxGapMs: number } } {
  let ticks = 0;
  let maxGapMs = 0;
  let last = performance.now();
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return { ticks, maxGapMs };
    },
  };
}

/** ~`totalBytes` of state text as {"items":["xxx…","xxx…",…]} in chunks of `chunkChars`. */
function* bigState(totalBytes: number, chunkChars: number): Generator<string> {
  const item = JSON.stringify("x".repeat(chunkChars - 1 - 2)); // `,` + quotes
  yield '{"items":[' + item;
  for (let n = chunkChars; n < totalBytes; n += chunkChars) yield "," + item;
  yield "]}";
}

describe("large snapshots", () => {
  it("streams 50 MB of chunks while the event loop keeps ticking", async () => {
    const { disk, store } = await memStore();
    const t = ticker();
    const started = performance.now();
    const w = await store.write(header({ cycle: 7, lsn: 70, timers: [{ due: 1, t: "T" }] }), bigState(50 * MB, 64 * 1024));
    const elapsed = performance.now() - started;
    const { ticks, maxGapMs } = t.stop();
    expect(w.bytes).toBeGreaterThan(50 * MB);
    expect(maxGapMs).toBeLessThan(MAX_GAP_MS);
    expect(ticks).toBeGreaterThanOrEqual(45); // about one per MB written
    console.log(`50 MB snapshot: ${elapsed.toFixed(0)} ms, ${ticks} ticks, max gap ${maxGapMs.toFixed(1)} ms`);

    // readHeader reads a few KiB, not the state.
    const before = disk.bytesRead;
    const h = await store.readHeader(w.path);
    expect(h).not.toBeInstanceOf(SnapshotDamage);
    expect(h).toEqual({ ...header({ cycle: 7, lsn: 70, timers: [{ due: 1, t: "T" }] }), path: w.path });
    expect(disk.bytesRead - before).toBeLessThan(128 * 1024);

    // And the full read verifies all of it.
    const r = await store.read(w.path);
    if (r instanceof SnapshotDamage) throw new Error(r.reason);
    expect((r.state.items as string[]).length).toBe(Math.ceil((50 * MB) / (64 * 1024)));
  });

  it("slices one huge chunk so even a single 30 MB string does not stall", async () => {
    const { store } = await memStore();
    const text = JSON.stringify({ blob: "é".repeat(15 * MB) }); // 30 MB of UTF-8
    const t = ticker();
    const w = await store.write(header(), [text]);
    const { ticks, maxGapMs } = t.stop();
    expect(maxGapMs).toBeLessThan(MAX_GAP_MS);
    expect(ticks).toBeGreaterThan(20);
    const r = await store.read(w.path);
    expect(r).not.toBeInstanceOf(SnapshotDamage);
  });

  it("readHeader finds a header larger than its first read and rejects a missing trailer cheaply", async () => {
    const { disk, store } = await memStore();
    const timers = [...Array(20_000).keys()].map((i) => ({ due: i, transition: "Tick", args: { i } })); // ~0.8 MB header
    const w = await store.write(header({ timers }), bigState(4 * MB, 4096));
    const h = await store.readHeader(w.path);
    if (h instanceof SnapshotDamage) throw new Error(h.reason);
    expect(h.timers).toEqual(timers);

    const b = disk.peek(w.path)!;
    disk.poke(w.path, b.subarray(0, b.length - 40)); // torn at the end
    const before = disk.bytesRead;
    const d = await store.readHeader(w.path);
    expect(d).toBeInstanceOf(SnapshotDamage);
    expect((d as SnapshotDamage).reason).toMatch(/trailer/);
    expect(disk.bytesRead - before).toBeLessThan(1024);
  });

  it("readHeader reports damage in the header prefix and never throws", async () => {
    const { disk, store } = await memStore();
    const w = await store.write(header(), ['{"a":1}']);
    const good = disk.peek(w.path)!;
    const text = new TextDecoder().decode(good);
    const cases: [string, RegExp][] = [
      [text.replace('"cycle":1', '"cycle":-1'), /cycle is not a non-negative int/],
      [text.replace('\n"state":', '\n"stat":'), /no state field/],
      [text.replace('"lsn":10,\n', ""), /missing field lsn|out of order/],
      [text.replace('"domain":"Order"', '"domain":"Order2"'), /file name says domain/],
      [text.replace('"goals":[]', '"goals":[}'), /header is not valid JSON/],
    ];
    for (const [bad, reason] of cases) {
      disk.poke(w.path, new TextEncoder().encode(bad));
      const d = await store.readHeader(w.path);
      expect(d, bad).toBeInstanceOf(SnapshotDamage);
      expect((d as SnapshotDamage).reason).toMatch(reason);
    }
    expect(DATA).toBe("/data");
  });

  it("fdatasyncs a large snapshot every 8 MiB while writing it, and a failed sync on the way loses nothing", async () => {
    const disk = new SimDisk({ rng: seededRng(5) });
    await disk.mkdirp(DATA);
    const store = new SnapshotStore({ disk, dataDir: DATA });
    const first = await store.write(header({ cycle: 1, lsn: 10 }), ['{"n":1}']);
    // 20 MB: two syncs on the way (at 8 and 16 MiB) and the final one.
    const before = disk.stats.syncs;
    const w = await store.write(header({ cycle: 2, lsn: 20 }), bigState(20 * MB, 64 * 1024));
    expect(w.bytes).toBeGreaterThan(2 * SNAPSHOT_SYNC_EVERY_BYTES);
    expect(disk.stats.syncs - before).toBe(Math.floor(w.bytes / SNAPSHOT_SYNC_EVERY_BYTES) + 1);
    // The first incremental sync fails: the write fails, no snapshot appears, no temp stays,
    // and the snapshots before it are untouched.
    disk.failNextSync("EIO");
    await expect(store.write(header({ cycle: 3, lsn: 30 }), bigState(10 * MB, 64 * 1024))).rejects.toThrow(/sync|EIO/);
    const { domain, instance } = header();
    const names = await disk.list(store.instanceDir(domain, instance));
    expect(names.filter((n) => n.includes(".tmp"))).toEqual([]);
    expect((await store.list(domain, instance)).map((r) => r.cycle)).toEqual([2, 1]);
    expect(first.cycle).toBe(1);
  });
});
