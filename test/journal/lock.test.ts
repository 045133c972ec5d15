/** The data directory's writer lock (rules.md [42]). Uses the real file system. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WalError, acquireLock } from "../../src/journal/index.ts";

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-lock-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("acquireLock", () => {
  it("writes LOCK with our pid and removes it on release", async () => {
    const lock = await acquireLock(dir);
    expect(lock.note).toBeNull();
    expect(fs.readFileSync(path.join(dir, "LOCK"), "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
    expect(fs.existsSync(path.join(dir, "LOCK"))).toBe(false);
    await lock.release(); // idempotent
  });

  it("a second writer fails with LOCK_HELD (exit 1) naming the holding pid", async () => {
    const lock = await acquireLock(dir, { pid: 4242, isAlive: () => true });
    const e = await acquireLock(dir, { pid: 777, isAlive: () => true }).then(
      () => null,
      (x) => x,
    );
    expect(e).toBeInstanceOf(WalError);
    expect(e).toMatchObject({ code: "LOCK_HELD", exitCode: 1, details: { pid: 4242 } });
    expect((e as Error).message).toContain("process 4242");
    // The refused writer did not disturb the lock.
    expect(fs.readFileSync(lock.path, "utf8")).toBe("4242\n");
  });

  it("the same process locking twice is refused too (a bug, not a takeover)", async () => {
    await acquireLock(dir);
    await expect(acquireLock(dir)).rejects.toMatchObject({ code: "LOCK_HELD" });
  });

  it("takes over a stale lock whose process is gone, with a note", async () => {
    // A real pid that has exited: kill(pid, 0) throws ESRCH.
    const child = spawnSync(process.execPath, ["-e", ""]);
    const dead = child.pid!;
    fs.writeFileSync(path.join(dir, "LOCK"), `${dead}\n`);
    const lock = await acquireLock(dir);
    expect(lock.note).toContain(`left by process ${dead}`);
    expect(fs.readFileSync(lock.path, "utf8")).toBe(`${process.pid}\n`);
    expect(fs.readdirSync(dir)).toEqual(["LOCK"]);
  });

  it("takes over an unreadable lock (a crash while writing it)", async () => {
    fs.writeFileSync(path.join(dir, "LOCK"), "");
    const lock = await acquireLock(dir, { pid: 99 });
    expect(lock.note).toContain("unreadable");
    expect(fs.readFileSync(lock.path, "utf8")).toBe("99\n");
  });

  it("release leaves a lock that is no longer ours alone", async () => {
    const lock = await acquireLock(dir, { pid: 1234 });
    fs.writeFileSync(lock.path, "5678\n");
    await lock.release();
    expect(fs.readFileSync(lock.path, "utf8")).toBe("5678\n");
  });
});
