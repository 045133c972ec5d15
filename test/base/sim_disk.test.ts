/** The SimDisk crash model (src/base/sim_disk.ts header), one property at a time. */
import { describe, expect, it } from "vitest";
import { DiskError } from "../../src/base/disk.ts";
import { CRASH_MODES, SimDisk, seededRng } from "../../src/base/sim_disk.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function fileWith(disk: SimDisk, path: string, text: string, opts: { sync?: boolean; syncDir?: boolean } = {}) {
  const f = await disk.open(path, "create");
  await f.write(enc(text), 0);
  if (opts.sync ?? true) await f.sync();
  await f.close();
  if (opts.syncDir ?? true) await disk.syncDir(path.slice(0, path.lastIndexOf("/")) || "/");
}

describe("SimDisk", () => {
  it("synced data and synced names survive every crash mode", async () => {
    for (const mode of CRASH_MODES) {
      const disk = new SimDisk({ rng: seededRng(1) });
      await disk.mkdirp("/d");
      await fileWith(disk, "/d/f", "durable");
      const after = disk.crash(mode);
      expect(dec(await after.readFile("/d/f")), mode).toBe("durable");
    }
  });

  it("drop-all loses unsynced writes; keep-all keeps them", async () => {
    const disk = new SimDisk({ rng: seededRng(2) });
    await disk.mkdirp("/d");
    await fileWith(disk, "/d/f", "old");
    const f = await disk.open("/d/f", "rw");
    await f.write(enc("new"), 0);
    expect(dec(await disk.readFile("/d/f"))).toBe("new"); // reads see it at once
    const c = disk.clone();
    expect(dec(await disk.crash("drop-all").readFile("/d/f"))).toBe("old");
    expect(dec(await c.crash("keep-all").readFile("/d/f"))).toBe("new");
  });

  it("a created file whose directory was not synced can vanish even if its data was synced", async () => {
    const disk = new SimDisk({ rng: seededRng(3) });
    await disk.mkdirp("/d");
    await fileWith(disk, "/d/f", "data", { syncDir: false });
    const after = disk.crash("drop-all");
    expect(await after.list("/d")).toEqual([]);
  });

  it("unlink and rename are durable only after syncDir", async () => {
    const disk = new SimDisk({ rng: seededRng(4) });
    await disk.mkdirp("/d");
    await fileWith(disk, "/d/a", "A");
    await fileWith(disk, "/d/b", "B");
    await disk.unlink("/d/a");
    await disk.rename("/d/b", "/d/c");
    const lost = disk.clone().crash("drop-all");
    expect(await lost.list("/d")).toEqual(["a", "b"]);
    await disk.syncDir("/d");
    const kept = disk.crash("drop-all");
    expect(await kept.list("/d")).toEqual(["c"]);
    expect(dec(await kept.readFile("/d/c"))).toBe("B");
  });

  it("a cross-directory rename is atomic: the file is in one place or the other, never lost", async () => {
    for (let seed = 0; seed < 50; seed++) {
      const disk = new SimDisk({ rng: seededRng(seed) });
      await disk.mkdirp("/d/aside");
      await fileWith(disk, "/d/x", "X");
      await disk.rename("/d/x", "/d/aside/x");
      const after = disk.crash("random");
      const here = (await after.list("/d")).includes("x");
      const there = (await after.list("/d/aside")).includes("x");
      expect(here !== there).toBe(true);
    }
  });

  it("torn writes persist a sector-aligned prefix; later sectors hold old bytes or garbage, never new data", async () => {
    let tornSeen = 0;
    for (let seed = 0; seed < 200; seed++) {
      const disk = new SimDisk({ rng: seededRng(seed) });
      await disk.mkdirp("/d");
      const f = await disk.open("/d/f", "create");
      await f.write(new Uint8Array(2048).fill(0xaa), 0);
      await f.sync();
      await disk.syncDir("/d");
      await f.write(new Uint8Array(2048 - 100).fill(0xbb), 100); // spans sectors 0..3
      const after = disk.crash("torn");
      const b = await after.readFile("/d/f");
      expect(b.length).toBe(2048);
      expect([...b.subarray(0, 100)].every((x) => x === 0xaa)).toBe(true);
      // Find the cut: new data up to a boundary (100 = the write's start, or a multiple of 512).
      let cut = 100;
      while (cut < 2048 && b[cut] === 0xbb) cut++;
      if (cut === 2048) continue; // the write landed whole
      tornSeen++;
      expect(cut === 100 || cut % 512 === 0, `cut at ${cut}`).toBe(true);
      for (let s = Math.floor(cut / 512) * 512; s < 2048; s += 512) {
        const sector = b.subarray(Math.max(s, cut), s + 512);
        const allOld = sector.every((x) => x === 0xaa);
        const hasNew = sector.length > 16 && sector.every((x) => x === 0xbb);
        expect(hasNew, `sector ${s} holds new data after the cut`).toBe(false);
        if (!allOld) expect(sector.some((x) => x !== 0xbb)).toBe(true); // garbage
      }
    }
    expect(tornSeen).toBeGreaterThan(20);
  });

  it("prefix and subset modes keep whole writes only", async () => {
    for (const mode of ["prefix", "subset"] as const) {
      for (let seed = 0; seed < 30; seed++) {
        const disk = new SimDisk({ rng: seededRng(seed) });
        await disk.mkdirp("/d");
        await fileWith(disk, "/d/f", "........");
        const f = await disk.open("/d/f", "rw");
        for (let i = 0; i < 8; i++) await f.write(enc(String(i)), i);
        const text = dec(await disk.crash(mode).readFile("/d/f"));
        for (let i = 0; i < 8; i++) expect([".", String(i)]).toContain(text[i]);
        if (mode === "prefix") expect(/^[0-9]*\.*$/.test(text), text).toBe(true);
      }
    }
  });

  it("flipBit corrupts durable data (and what reads see)", async () => {
    const disk = new SimDisk({ rng: seededRng(5) });
    await disk.mkdirp("/d");
    await fileWith(disk, "/d/f", "A");
    disk.flipBit("/d/f", 0, 1); // 'A' 0x41 → 0x43 'C'
    expect(dec(await disk.readFile("/d/f"))).toBe("C");
    expect(dec(await disk.crash("drop-all").readFile("/d/f"))).toBe("C");
  });

  it("failNextSync: the sync throws, some queued writes are lost while reads still show them (fsyncgate)", async () => {
    let lostSeen = false;
    for (let seed = 0; seed < 20; seed++) {
      const disk = new SimDisk({ rng: seededRng(seed) });
      await disk.mkdirp("/d");
      await fileWith(disk, "/d/f", "....");
      const f = await disk.open("/d/f", "rw");
      for (let i = 0; i < 4; i++) await f.write(enc("x"), i);
      disk.failNextSync("EIO");
      await expect(f.sync()).rejects.toMatchObject({ code: "EIO" });
      expect(dec(await disk.readFile("/d/f"))).toBe("xxxx");
      await f.sync(); // "succeeds" — and writes nothing: the failed data is gone from the queue
      const text = dec(await disk.crash("drop-all").readFile("/d/f"));
      if (text !== "xxxx") lostSeen = true;
    }
    expect(lostSeen).toBe(true);
  });

  it("capacity: a write past it throws ENOSPC and is not applied; writes inside the file are fine", async () => {
    const disk = new SimDisk({ rng: seededRng(6), capacityBytes: 100 });
    await disk.mkdirp("/d");
    const f = await disk.open("/d/f", "create");
    await f.write(new Uint8Array(80), 0);
    await expect(f.write(new Uint8Array(30), 80)).rejects.toMatchObject({ code: "ENOSPC" });
    expect(await f.size()).toBe(80);
    await f.write(new Uint8Array(50), 10); // overwrites inside the file need no space
    disk.setCapacity(null);
    await f.write(new Uint8Array(30), 80);
    expect(disk.usedBytes()).toBe(110);
  });

  it("failNextWrite applies a prefix and throws; faultHook fails any op by name", async () => {
    const disk = new SimDisk({ rng: seededRng(7) });
    await disk.mkdirp("/d");
    const f = await disk.open("/d/f", "create");
    disk.failNextWrite("ENOSPC", 2);
    await expect(f.write(enc("abcdef"), 0)).rejects.toMatchObject({ code: "ENOSPC" });
    expect(dec(await disk.readFile("/d/f"))).toBe("ab");
    disk.faultHook = (op) => (op === "syncDir" ? "EIO" : null);
    await expect(disk.syncDir("/d")).rejects.toBeInstanceOf(DiskError);
  });

  it("after crash() the old disk and its open files are dead", async () => {
    const disk = new SimDisk({ rng: seededRng(8) });
    await disk.mkdirp("/d");
    const f = await disk.open("/d/f", "create");
    disk.crash("keep-all");
    await expect(f.write(enc("zombie"), 0)).rejects.toMatchObject({ code: "EIO" });
    await expect(disk.list("/d")).rejects.toMatchObject({ code: "EIO" });
    expect(() => disk.crash()).toThrow(DiskError);
  });

  it("an op in flight when the crash comes applies nothing", async () => {
    const disk = new SimDisk({ rng: seededRng(9), delay: () => Promise.resolve() });
    await disk.mkdirp("/d");
    await fileWith(disk, "/d/f", "old");
    const f = await disk.open("/d/f", "rw");
    const w = f.write(enc("new"), 0).catch((e) => e);
    const after = disk.crash("keep-all");
    expect(await w).toBeInstanceOf(DiskError);
    expect(dec(await after.readFile("/d/f"))).toBe("old");
  });

  it("is deterministic: the same seed and operations give the same state", async () => {
    async function run(seed: number) {
      const disk = new SimDisk({ rng: seededRng(seed) });
      await disk.mkdirp("/d");
      for (let i = 0; i < 5; i++) await fileWith(disk, `/d/f${i}`, `content ${i}`, { sync: i % 2 === 0, syncDir: i % 3 !== 0 });
      const f = await disk.open("/d/f1", "rw");
      await f.write(new Uint8Array(3000).fill(7), 5);
      return disk.crash("random").snapshotState();
    }
    expect(await run(42)).toEqual(await run(42));
  });

  it("snapshotState shows live and durable views and counts queued ops", async () => {
    const disk = new SimDisk({ rng: seededRng(10) });
    await disk.mkdirp("/d");
    const f = await disk.open("/d/f", "create");
    await f.write(enc("x"), 0);
    const s = disk.snapshotState();
    expect(s.live["/d/f"]).toEqual(enc("x"));
    expect(s.durable["/d/f"]).toBeUndefined();
    expect(s.pendingOps).toBe(2); // the write and the directory entry
    expect(s.dirs).toContain("/d");
  });
});
