/**
 * The store on a real file system: odd ids (including 256-byte ones, which need the split
 * directory names to stay under NAME_MAX), durability calls, retention, quarantine.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SnapshotDamage, SnapshotStore } from "../../src/snapshot/index.ts";
import { header, stateChunks } from "./helpers.ts";
import { NodeFsDisk } from "./node_fs_disk.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-snapshot-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("on a real file system", () => {
  it("writes, lists, reads, prunes and quarantines snapshots with odd ids", async () => {
    const store = new SnapshotStore({ disk: new NodeFsDisk(), dataDir: path.join(tmp, "data") });
    const ids = ["o-1", "a/b", "..", ".", "100%", "Ünïcödé 🎉", "a".repeat(256), "é".repeat(128), "/".repeat(256)];
    for (const id of ids) {
      for (let c = 1; c <= 3; c++) await store.write(header({ instance: id, cycle: c, lsn: c }), stateChunks({ id, c }, 3));
      const refs = await store.list("Order", id);
      expect(refs.map((r) => r.cycle)).toEqual([3, 2]);
      const { snapshot, skipped } = await store.readNewestValid("Order", id);
      expect(skipped).toEqual([]);
      expect(snapshot!.state).toEqual({ id, c: 3 });
      const h = await store.readHeader(refs[1].path);
      expect(h).not.toBeInstanceOf(SnapshotDamage);
    }
    expect((await store.listInstances()).map((x) => x.instance)).toEqual([...ids].sort());
    // No file or directory was created outside the store's tree, and no temp is left.
    expect(fs.readdirSync(path.join(tmp, "data"))).toEqual(["snapshots"]);
    expect(await store.sweepTemps()).toEqual([]);

    // Damage the newest of one instance, fall back, quarantine it.
    const [newest, older] = await store.list("Order", "a/b");
    fs.appendFileSync(newest.path, "x");
    const r = await store.readNewestValid("Order", "a/b");
    expect(r.snapshot!.path).toBe(older.path);
    expect(r.skipped[0].reason).toMatch(/trailer/);
    const moved = await store.quarantine(newest.path);
    expect(fs.existsSync(moved)).toBe(true);
    expect(fs.existsSync(newest.path)).toBe(false);
    expect(moved.startsWith(path.join(tmp, "data", "snapshots", "damaged") + "/")).toBe(true);
  });
});
