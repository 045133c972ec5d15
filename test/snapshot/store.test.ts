import { describe, expect, it } from "vitest";
import { AssertionFailure } from "../../src/base/assert.ts";
import { LexumError } from "../../src/base/errors.ts";
import { sha256Hex } from "../../src/base/hash.ts";
import {
  fallbackReport,
  SnapshotDamage,
  SnapshotStore,
  type SnapshotFile,
  type SnapshotHeaderAt,
} from "../../src/snapshot/index.ts";
import { chunksOf, DATA, hash, header, memStore, stateChunks, writeCycles } from "./helpers.ts";
import { diskWithDir, MemDisk } from "./mem_disk.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function asFile(x: SnapshotFile | SnapshotDamage): SnapshotFile {
  if (x instanceof SnapshotDamage) throw new Error(`unexpected damage: ${x.path}: ${x.reason}`);
  return x;
}
function asDamage(x: SnapshotFile | SnapshotHeaderAt | SnapshotDamage): SnapshotDamage {
  if (!(x instanceof SnapshotDamage)) throw new Error(`expected damage, got a snapshot at ${x.path}`);
  return x;
}

describe("write and read", () => {
  it("round-trips header and state", async () => {
    const { disk, store } = await memStore();
    const state = { status: { $tag: "Active" }, nodes: 12, names: ["a", "é", "🎉"], m: [[1, "x"]], f: 0.5 };
    const h = header({
      domain: "MetricsAggregator",
      instance: "eu-1",
      cycle: 4092,
      lsn: 981233,
      mailbox_offset: 142,
      goals: [{ name: "g", parked: false, backoff_ms: 1000 }],
      suspended: { frame: [1, 2, 3] },
      timers: [{ due: 1700000000000, transition: "Tick" }],
      pending_effects: [{ key: "MetricsAggregator/eu-1/4092/0", effect: "Http.request" }],
    });
    const w = await store.write(h, stateChunks(state, 5));
    expect(w.path).toBe(`${DATA}/snapshots/MetricsAggregator/eu-1/00000000000000004092-00000000000000981233.snapshot.json`);
    expect(w.pruned).toEqual([]);
    const bytes = disk.peek(w.path)!;
    expect(w.bytes).toBe(bytes.length);
    expect(w.file_hash).toBe(sha256Hex(bytes.subarray(0, bytes.length - 83)));

    const text = dec.decode(bytes);
    expect(text.startsWith('{"domain":"MetricsAggregator",\n"instance":"eu-1",\n"cycle":4092,\n"run_hash":')).toBe(true);
    expect(text.endsWith(`,"file_hash":"${w.file_hash}"}\n`)).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([
      "domain", "instance", "cycle", "run_hash", "mailbox_offset", "format", "lsn", "program_hash",
      "state_hash", "goals", "suspended", "timers", "pending_effects", "state", "file_hash",
    ]);

    const r = asFile(await store.read(w.path));
    expect(r).toEqual({ ...h, state, path: w.path, bytes: bytes.length });
    const hh = await store.readHeader(w.path);
    expect(hh).toEqual({ ...h, path: w.path });
    expect(await store.list("MetricsAggregator", "eu-1")).toEqual([
      { path: w.path, domain: "MetricsAggregator", instance: "eu-1", cycle: 4092, lsn: 981233 },
    ]);
    expect(await store.has("MetricsAggregator", "eu-1", 4092, 981233)).toBe(true);
    expect(await store.has("MetricsAggregator", "eu-1", 4092, 981234)).toBe(false);
  });

  it("accepts async iterables, empty chunks and surrogate pairs split across chunks", async () => {
    const { store } = await memStore();
    const state = { s: "🎉".repeat(10) + "x" };
    const text = JSON.stringify(state);
    async function* gen(): AsyncGenerator<string> {
      yield "";
      for (const c of chunksOf(text, 1)) {
        yield c; // every surrogate pair is split
        yield "";
      }
    }
    const w = await store.write(header(), gen());
    expect(asFile(await store.read(w.path)).state).toEqual(state);
  });

  it("handles weird instance ids", async () => {
    const { store } = await memStore();
    const ids = ["a/b", "100%", "..", ".", ".x", "Ünïcödé", "🎉", "a".repeat(256), "é".repeat(128), "/".repeat(256), "x y+z", "%2F"];
    for (const [i, id] of ids.entries()) {
      const w = await store.write(header({ instance: id, cycle: 1, lsn: i }), stateChunks({ id }));
      const r = asFile(await store.read(w.path));
      expect(r.instance).toBe(id);
      expect(r.state).toEqual({ id });
      expect((await store.list("Order", id)).map((x) => x.path)).toEqual([w.path]);
      for (const part of w.path.split("/")) expect(part.length).toBeLessThanOrEqual(200);
    }
    await store.write(header({ domain: "damaged", instance: "d" }), stateChunks({}));
    await store.write(header({ domain: "Alpha", instance: "z" }), stateChunks({}));
    const all = await store.listInstances();
    expect(all).toEqual([
      { domain: "Alpha", instance: "z" },
      ...[...ids].sort().map((instance) => ({ domain: "Order", instance })),
      { domain: "damaged", instance: "d" },
    ]);
  });

  it("lists newest first by cycle then lsn and ignores temps and strays", async () => {
    const { disk, store } = await memStore({ keep: 10 });
    await store.write(header({ cycle: 1, lsn: 5 }), stateChunks({}));
    await store.write(header({ cycle: 2, lsn: 3 }), stateChunks({}));
    await store.write(header({ cycle: 2, lsn: 9 }), stateChunks({}));
    await store.write(header({ cycle: 10, lsn: 10 }), stateChunks({}));
    const dir = store.instanceDir("Order", "o-1");
    for (const stray of ["notes.txt", "00000000000000000099-00000000000000000099.snapshot.json.tmp", "1-1.snapshot.json"]) {
      await (await disk.open(`${dir}/${stray}`, "create")).close();
    }
    await disk.mkdirp(`${DATA}/snapshots/Order/${"bad%zz"}`);
    await disk.mkdirp(`${DATA}/snapshots/not-a-domain/x`);
    expect((await store.list("Order", "o-1")).map((r) => [r.cycle, r.lsn])).toEqual([
      [10, 10],
      [2, 9],
      [2, 3],
      [1, 5],
    ]);
    expect(await store.listInstances()).toEqual([{ domain: "Order", instance: "o-1" }]);
    expect(await store.list("Order", "never")).toEqual([]);
    expect(await new SnapshotStore({ disk, dataDir: "/empty" }).listInstances()).toEqual([]);
  });

  it("never rewrites a name and refuses a snapshot older than the newest (assertions)", async () => {
    const { store } = await memStore();
    await store.write(header({ cycle: 5, lsn: 50 }), stateChunks({}));
    await expect(store.write(header({ cycle: 5, lsn: 50 }), stateChunks({}))).rejects.toThrow(/already exists/);
    await expect(store.write(header({ cycle: 4, lsn: 60 }), stateChunks({}))).rejects.toThrow(AssertionFailure);
    await expect(store.write(header({ cycle: 5, lsn: 49 }), stateChunks({}))).rejects.toThrow(/not newer/);
    await store.write(header({ cycle: 5, lsn: 51 }), stateChunks({}));
  });

  it("asserts the header and the state text before anything durable exists", async () => {
    const { disk, store } = await memStore();
    const bad = [
      header({ run_hash: "0x12" }),
      header({ state_hash: hash(1).toUpperCase() }),
      header({ program_hash: "" }),
      header({ cycle: -1 }),
      header({ cycle: 1.5 }),
      header({ mailbox_offset: -1 }),
      header({ lsn: Number.MAX_SAFE_INTEGER + 1 }),
      header({ instance: "" }),
      header({ instance: "a\nb" }),
      header({ domain: "not-an-identifier" }),
      header({ goals: undefined }),
      header({ timers: [NaN] }),
      header({ pending_effects: [new Date(0)] }),
      header({ suspended: { f: () => 1 } }),
      { ...header(), format: 2 as 1 },
    ];
    for (const h of bad) await expect(store.write(h, stateChunks({}))).rejects.toThrow(AssertionFailure);
    for (const text of ["", "[]", "{", '{"a":1}x', '{"a":"\ud800"}', "null"]) {
      await expect(store.write(header(), [text])).rejects.toThrow(/not one JSON object/);
    }
    await expect(store.write(header(), [1 as unknown as string])).rejects.toThrow(/must be strings/);
    // The failed writes left nothing behind: no snapshot, no temp.
    expect(await disk.list(store.instanceDir("Order", "o-1"))).toEqual([]);
  });

  it("passes a producer's error through and removes the temp", async () => {
    const { disk, store } = await memStore();
    function* failing(): Generator<string> {
      yield '{"a":';
      throw new Error("producer broke");
    }
    await expect(store.write(header(), failing())).rejects.toThrow("producer broke");
    expect(await disk.list(store.instanceDir("Order", "o-1"))).toEqual([]);
  });

  it("wraps disk errors with a stable code and the failing step", async () => {
    for (const [op, step] of [
      ["write", "write"],
      ["sync", "sync"],
      ["rename", "rename"],
      ["syncDir", "sync-dir"],
    ] as const) {
      const disk = await diskWithDir(DATA);
      const store = new SnapshotStore({ disk, dataDir: DATA });
      await store.write(header({ cycle: 1 }), stateChunks({}));
      disk.beforeOp = (o, p) => (o === op && !p.endsWith("/snapshots") ? { errno: op === "write" ? "ENOSPC" : "EIO" } : undefined);
      const err = await store.write(header({ cycle: 2, lsn: 20 }), stateChunks({})).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LexumError);
      expect((err as LexumError).code).toBe("SNAPSHOT_WRITE_FAILED");
      expect((err as LexumError).details.step).toBe(step);
      disk.beforeOp = null;
      // The previous snapshot is intact and still the newest valid one (unless the failure
      // came after the rename, in which case the new file is complete too).
      const { snapshot, skipped } = await store.readNewestValid("Order", "o-1");
      expect(skipped).toEqual([]);
      expect(snapshot!.cycle).toBe(op === "syncDir" ? 2 : 1);
    }
  });
});

describe("damage and fallback", () => {
  async function twoSnapshots(): Promise<{ disk: MemDisk; store: SnapshotStore; older: string; newer: string }> {
    const { disk, store } = await memStore();
    const a = await store.write(header({ cycle: 1, lsn: 10 }), stateChunks({ n: 1, pad: "x".repeat(100) }));
    const b = await store.write(header({ cycle: 2, lsn: 20 }), stateChunks({ n: 2, pad: "y".repeat(100) }));
    return { disk, store, older: a.path, newer: b.path };
  }

  function flipBit(disk: MemDisk, path: string, at: (b: Uint8Array) => number): void {
    const b = disk.peek(path)!;
    b[at(b)] ^= 0x04;
    disk.poke(path, b);
  }

  const cases: [string, (disk: MemDisk, path: string) => void, RegExp][] = [
    ["a bit flip in the state", (d, p) => flipBit(d, p, (b) => dec.decode(b).indexOf("yyyy") + 1), /file_hash mismatch/],
    ["a bit flip in the header", (d, p) => flipBit(d, p, () => 15), /file_hash mismatch/],
    ["a bit flip in the file_hash", (d, p) => flipBit(d, p, (b) => b.length - 10), /file_hash mismatch|malformed file_hash/],
    ["a truncated file", (d, p) => d.poke(p, d.peek(p)!.subarray(0, 200)), /malformed file_hash trailer/],
    ["a file truncated to nothing", (d, p) => d.poke(p, new Uint8Array(0)), /truncated: the file has only 0 bytes/],
    [
      "a missing file_hash",
      (d, p) => {
        const t = dec.decode(d.peek(p)!);
        d.poke(p, enc.encode(t.slice(0, t.lastIndexOf(',"file_hash"')) + "}\n"));
      },
      /missing or malformed file_hash trailer/,
    ],
    [
      "a valid hash over a wrong field type",
      (d, p) => {
        const t = dec.decode(d.peek(p)!);
        const body = t.slice(0, t.lastIndexOf(',"file_hash"')).replace('"cycle":2', '"cycle":"2"');
        d.poke(p, enc.encode(body + `,"file_hash":"${sha256Hex(body)}"}\n`));
      },
      /cycle is not a non-negative int/,
    ],
    [
      "a valid hash over another instance's content",
      (d, p) => {
        const t = dec.decode(d.peek(p)!);
        const body = t.slice(0, t.lastIndexOf(',"file_hash"')).replace('"instance":"o-1"', '"instance":"o-2"');
        d.poke(p, enc.encode(body + `,"file_hash":"${sha256Hex(body)}"}\n`));
      },
      /the file name says instance "o-1" but the file says "o-2"/,
    ],
  ];

  it.each(cases)("falls back past %s and reports why", async (_what, damage, reason) => {
    const { disk, store, older, newer } = await twoSnapshots();
    damage(disk, newer);
    const d = asDamage(await store.read(newer));
    expect(d.reason).toMatch(reason);
    const result = await store.readNewestValid("Order", "o-1");
    expect(result.snapshot!.path).toBe(older);
    expect(result.snapshot!.state).toEqual({ n: 1, pad: "x".repeat(100) });
    expect(result.skipped.map((s) => s.path)).toEqual([newer]);
    expect(result.skipped[0].reason).toMatch(reason);
    expect(fallbackReport(result)).toEqual([`snapshot ${newer} is damaged (${result.skipped[0].reason}); using ${older}`]);
    // Damaged data is never deleted by the store on its own.
    expect(disk.peek(newer)).not.toBeNull();
    expect(store.isKnownDamaged(newer)).toBe(true);
  });

  it("detects a flip of every single bit of a small snapshot", async () => {
    const { disk, store } = await memStore();
    const w = await store.write(header(), stateChunks({ a: [1, "b", null] }));
    const good = disk.peek(w.path)!;
    for (let i = 0; i < good.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = good.slice();
        b[i] ^= 1 << bit;
        disk.poke(w.path, b);
        expect(await store.read(w.path), `byte ${i} bit ${bit}`).toBeInstanceOf(SnapshotDamage);
      }
    }
  });

  it("uses extraVerify (e.g. state_hash) as another reason to fall back", async () => {
    const { store, older, newer } = await twoSnapshots();
    const result = await store.readNewestValid("Order", "o-1", async (s) => (s.cycle === 2 ? "state_hash does not match the state" : null));
    expect(result.snapshot!.path).toBe(older);
    expect(fallbackReport(result)).toEqual([`snapshot ${newer} is damaged (state_hash does not match the state); using ${older}`]);
  });

  it("returns null when every snapshot is damaged, or none exist", async () => {
    const { disk, store, older, newer } = await twoSnapshots();
    disk.poke(older, new Uint8Array(3));
    disk.poke(newer, new Uint8Array(3));
    const result = await store.readNewestValid("Order", "o-1");
    expect(result.snapshot).toBeNull();
    expect(result.skipped.map((s) => s.path)).toEqual([newer, older]);
    expect(fallbackReport(result)[1]).toMatch(/using none \(replaying the instance's whole journal\)$/);
    expect(await store.readNewestValid("Order", "nobody")).toEqual({ snapshot: null, skipped: [] });
  });

  it("reports a missing file and a read error as damage without throwing", async () => {
    const { disk, store, newer } = await twoSnapshots();
    expect(asDamage(await store.read(`${newer}.nope`)).reason).toBe("file missing");
    disk.beforeOp = (op) => (op === "readFile" || op === "open" ? { errno: "EIO" } : undefined);
    expect(asDamage(await store.read(newer)).reason).toMatch(/read failed \(EIO/);
    expect(asDamage(await store.readHeader(newer)).reason).toMatch(/read failed \(EIO/);
  });

  it("quarantines only when asked, into snapshots/damaged/, never deleting", async () => {
    const { disk, store, older, newer } = await twoSnapshots();
    disk.poke(newer, new Uint8Array(5));
    const { skipped } = await store.readNewestValid("Order", "o-1");
    expect(disk.peek(newer)).not.toBeNull();
    const moved = await store.quarantine(skipped[0].path);
    expect(moved).toBe(`${DATA}/snapshots/damaged/Order/o-1/00000000000000000002-00000000000000000020.snapshot.json`);
    expect(disk.peek(moved)).toEqual(new Uint8Array(5));
    expect(disk.peek(newer)).toBeNull();
    expect((await store.list("Order", "o-1")).map((r) => r.path)).toEqual([older]);
    // The quarantine folder is not an instance and not a domain.
    expect(await store.listInstances()).toEqual([{ domain: "Order", instance: "o-1" }]);
    // Quarantining the same name again keeps both.
    await store.write(header({ cycle: 2, lsn: 20 }), stateChunks({}));
    expect(await store.quarantine(newer)).toBe(moved + ".1");
    await expect(store.quarantine("/elsewhere/x.snapshot.json")).rejects.toThrow(AssertionFailure);
  });
});

describe("retention", () => {
  it("keeps exactly K after each write", async () => {
    for (const keep of [1, 2, 3]) {
      const { store } = await memStore({ keep });
      for (let c = 1; c <= 6; c++) {
        const w = await store.write(header({ cycle: c, lsn: c * 10 }), stateChunks({ c }));
        const list = await store.list("Order", "o-1");
        expect(list.map((r) => r.cycle)).toEqual([...Array(Math.min(c, keep)).keys()].map((k) => c - k));
        expect(w.pruned.length).toBe(c > keep ? 1 : 0);
        const oldest = await store.oldestRetained("Order", "o-1");
        expect(oldest === null ? null : oldest.cycle).toBe(c >= keep ? c - keep + 1 : null);
      }
    }
  });

  it("deletes nothing before the new snapshot is durable (operation order)", async () => {
    const { disk, store } = await memStore();
    await writeCycles(store, 5);
    const ops = disk.ops;
    const renames = ops.flatMap((o, i) => (o.op === "rename" ? [i] : []));
    const unlinks = ops.flatMap((o, i) => (o.op === "unlink" ? [i] : []));
    expect(renames.length).toBe(5);
    expect(unlinks.length).toBe(3);
    for (const u of unlinks) {
      const lastRename = Math.max(...renames.filter((r) => r < u));
      const syncs = ops.slice(lastRename, u).filter((o) => o.op === "syncDir");
      expect(syncs.length).toBeGreaterThanOrEqual(1); // the dir fsync that made the rename durable
      expect(ops.slice(lastRename, u).filter((o) => o.op === "sync").length).toBe(0);
      // And the file was fsynced before its rename.
      const before = ops.slice(0, lastRename).reverse();
      expect(before.find((o) => o.op === "sync" || o.op === "write")!.op).toBe("sync");
    }
    // The directory is fsynced after the deletions too.
    expect(ops[ops.length - 1].op).toBe("syncDir");
  });

  it("leaves snapshots found damaged alone and does not count them", async () => {
    const { disk, store } = await memStore();
    await writeCycles(store, 2);
    const [newest, older] = await store.list("Order", "o-1");
    disk.poke(newest.path, new Uint8Array(1));
    await store.readNewestValid("Order", "o-1"); // learns that `newest` is damaged
    expect((await store.oldestRetained("Order", "o-1"))).toBeNull(); // only one valid left
    const w = await store.write(header({ cycle: 3, lsn: 30 }), stateChunks({}));
    expect(w.pruned).toEqual([]);
    expect((await store.list("Order", "o-1")).map((r) => r.path)).toEqual([w.path, newest.path, older.path]);
    expect((await store.oldestRetained("Order", "o-1"))!.path).toBe(older.path);
    const w4 = await store.write(header({ cycle: 4, lsn: 40 }), stateChunks({}));
    expect(w4.pruned).toEqual([older.path]);
    expect(disk.peek(newest.path)).not.toBeNull();
  });

  it("prune() re-applies retention (after a crash that skipped it)", async () => {
    const { store } = await memStore({ keep: 5 });
    await writeCycles(store, 4);
    const narrow = new SnapshotStore({ disk: store.disk, dataDir: DATA, keep: 2 });
    expect((await narrow.prune("Order", "o-1")).length).toBe(2);
    expect((await narrow.list("Order", "o-1")).map((r) => r.cycle)).toEqual([4, 3]);
  });
});

describe("temp files", () => {
  it("sweepTemps removes only stale <name>.tmp files", async () => {
    const { disk, store } = await memStore();
    await store.write(header({ instance: "a/b" }), stateChunks({}));
    const dir = store.instanceDir("Order", "a/b");
    const stale = `${dir}/00000000000000000009-00000000000000000090.snapshot.json.tmp`;
    await (await disk.open(stale, "create")).close();
    await (await disk.open(`${dir}/keep.tmp`, "create")).close();
    const long = store.instanceDir("Order", "é".repeat(128));
    await disk.mkdirp(long);
    const stale2 = `${long}/00000000000000000001-00000000000000000001.snapshot.json.tmp`;
    await (await disk.open(stale2, "create")).close();
    expect(await store.sweepTemps()).toEqual([stale, stale2].sort());
    expect(await disk.list(dir)).toEqual(["00000000000000000001-00000000000000000010.snapshot.json", "keep.tmp"]);
  });

  it("a stale temp with the same name as a new snapshot is overwritten, not appended to", async () => {
    const { disk, store } = await memStore();
    const dir = store.instanceDir("Order", "o-1");
    await disk.mkdirp(dir);
    const f = await disk.open(`${dir}/00000000000000000001-00000000000000000010.snapshot.json.tmp`, "create");
    await f.write(enc.encode("garbage".repeat(1000)), 0);
    await f.close();
    const w = await store.write(header(), stateChunks({ ok: true }));
    expect(asFile(await store.read(w.path)).state).toEqual({ ok: true });
  });
});

describe("concurrency", () => {
  it("runs at most maxConcurrentWrites at once and exposes the queue length", async () => {
    const { store } = await memStore({ maxConcurrentWrites: 2 });
    let open = 0;
    let maxOpen = 0;
    const gates: (() => void)[] = [];
    async function* gated(i: number): AsyncGenerator<string> {
      open++;
      maxOpen = Math.max(maxOpen, open);
      yield `{"i":${i}`;
      await new Promise<void>((r) => gates.push(r));
      yield "}";
      open--;
    }
    const writes = [...Array(6).keys()].map((i) => store.write(header({ instance: `i-${i}` }), gated(i)));
    expect(store.queueLength).toBe(6);
    while (gates.length < 2) await new Promise((r) => setImmediate(r));
    expect(store.activeWrites).toBe(2);
    expect(store.queueLength).toBe(4);
    let finished = false;
    const all = Promise.all(writes).finally(() => (finished = true));
    while (!finished) {
      expect(store.activeWrites).toBeLessThanOrEqual(2);
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await all;
    await store.idle();
    expect(maxOpen).toBe(2);
    expect(store.queueLength).toBe(0);
    expect(store.activeWrites).toBe(0);
    expect((await store.listInstances()).length).toBe(6);
  });

  it("serialises writes of one instance in call order", async () => {
    const { store } = await memStore({ maxConcurrentWrites: 4 });
    const ws = [1, 2, 3, 4].map((c) => store.write(header({ cycle: c, lsn: c }), stateChunks({ c }, 1)));
    const done = await Promise.all(ws);
    expect(done.map((w) => w.pruned.length)).toEqual([0, 0, 1, 1]);
    expect((await store.list("Order", "o-1")).map((r) => r.cycle)).toEqual([4, 3]);
  });
});
