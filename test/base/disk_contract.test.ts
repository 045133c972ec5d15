/**
 * The Disk contract (src/base/disk.ts) checked against both implementations: what NodeDisk
 * does on a real file system, SimDisk must do in memory, or simulator results mean nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiskError, type Disk } from "../../src/base/disk.ts";
import { NodeDisk } from "../../src/base/node_disk.ts";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";

const tmpRoots: string[] = [];
afterAll(() => {
  for (const d of tmpRoots) fs.rmSync(d, { recursive: true, force: true });
});

const impls: [string, () => { disk: Disk; root: string }][] = [
  ["NodeDisk", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-disk-"));
    tmpRoots.push(root);
    return { disk: new NodeDisk(), root };
  }],
  ["SimDisk", () => ({ disk: new SimDisk({ rng: seededRng(1) }), root: "/sim" })],
];

const enc = (s: string) => new TextEncoder().encode(s);

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(DiskError);
  return (e as DiskError).code;
}

for (const [name, make] of impls) {
  describe(`Disk contract: ${name}`, () => {
    it("writes, reads at positions, extends with zeros, truncates, reports size", async () => {
      const { disk, root } = make();
      await disk.mkdirp(`${root}/a/b`);
      const f = await disk.open(`${root}/a/b/file`, "create-new");
      await f.write(enc("hello"), 0);
      await f.write(enc("XY"), 10);
      expect(await f.size()).toBe(12);
      const buf = new Uint8Array(12);
      expect(await f.read(buf, 0, 12, 0)).toBe(12);
      expect([...buf]).toEqual([...enc("hello"), 0, 0, 0, 0, 0, ...enc("XY")]);
      expect(await f.read(buf, 0, 4, 20)).toBe(0);
      expect(await f.read(buf, 2, 4, 9)).toBe(3);
      await f.truncate(3);
      await f.sync();
      expect(await f.size()).toBe(3);
      await f.close();
      expect(await disk.readFile(`${root}/a/b/file`)).toEqual(enc("hel"));
      expect(await disk.stat(`${root}/a/b/file`)).toEqual({ size: 3, isDirectory: false });
      expect(await disk.stat(`${root}/a/b`)).toMatchObject({ isDirectory: true });
      expect(await disk.stat(`${root}/nope`)).toBeNull();
    });

    it("open modes: r/rw need the file, create keeps content, create-new refuses an existing file", async () => {
      const { disk, root } = make();
      await disk.mkdirp(root);
      expect(await code(disk.open(`${root}/x`, "r"))).toBe("ENOENT");
      expect(await code(disk.open(`${root}/x`, "rw"))).toBe("ENOENT");
      const f = await disk.open(`${root}/x`, "create");
      await f.write(enc("abc"), 0);
      await f.close();
      const g = await disk.open(`${root}/x`, "create");
      expect(await g.size()).toBe(3);
      await g.close();
      expect(await code(disk.open(`${root}/x`, "create-new"))).toBe("EEXIST");
      const r = await disk.open(`${root}/x`, "r");
      expect(await code(r.write(enc("z"), 0))).toBe("EBADF");
      await r.close();
      expect(await code(disk.open(`${root}/missing-dir/x`, "create"))).toBe("ENOENT");
    });

    it("errors carry the errno code and the path", async () => {
      const { disk, root } = make();
      const e = await disk.readFile(`${root}/absent`).then(
        () => null,
        (x) => x as DiskError,
      );
      expect(e?.code).toBe("ENOENT");
      expect(e?.path).toBe(`${root}/absent`);
      expect(e?.message).toContain(`${root}/absent`);
    });

    it("list is sorted by code unit and empty for a missing directory; rename and unlink work", async () => {
      const { disk, root } = make();
      await disk.mkdirp(`${root}/d/sub`);
      for (const n of ["b", "a", "C", "aa", "_"]) {
        const f = await disk.open(`${root}/d/${n}`, "create-new");
        await f.close();
      }
      expect(await disk.list(`${root}/d`)).toEqual(["C", "_", "a", "aa", "b", "sub"]);
      expect(await disk.list(`${root}/none`)).toEqual([]);
      await disk.rename(`${root}/d/a`, `${root}/d/sub/z`);
      await disk.unlink(`${root}/d/b`);
      await disk.syncDir(`${root}/d`);
      await disk.syncDir(`${root}/d/sub`);
      expect(await disk.list(`${root}/d`)).toEqual(["C", "_", "aa", "sub"]);
      expect(await disk.list(`${root}/d/sub`)).toEqual(["z"]);
      expect(await code(disk.unlink(`${root}/d/b`))).toBe("ENOENT");
      expect(await code(disk.rename(`${root}/d/b`, `${root}/d/c`))).toBe("ENOENT");
    });
  });
}
