/**
 * The data directory's writer lock (rules.md [42]): a writing process holds `<dataDir>/LOCK`
 * containing its pid and a newline. A second writer fails with `LOCK_HELD` (exit 1) naming
 * that pid; read-only commands take no lock.
 *
 * A lock whose pid is not running (`process.kill(pid, 0)` throws ESRCH) — or whose content
 * is unreadable (a crash between creating and writing it) — is stale and is taken over with
 * a note. Takeover writes a temp file and renames it over LOCK, then reads LOCK back; two
 * processes taking over the same stale lock at the same instant could both succeed (Node has
 * no flock), a window we accept for a start-up race against a dead process.
 *
 * This module uses node:fs directly: the lock is about real processes, never simulated.
 */
import * as fs from "node:fs/promises";
import { constants as C } from "node:fs";
import * as path from "node:path";
import { WalError } from "./errors.ts";

export interface DataDirLock {
  path: string;
  pid: number;
  /** Set when a stale lock was taken over. */
  note: string | null;
  /** Removes LOCK if it is still ours. Idempotent. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** The pid to record (default process.pid). */
  pid?: number;
  /** Whether a pid is running (default: process.kill(pid, 0), EPERM counts as running). */
  isAlive?: (pid: number) => boolean;
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, C.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeDurably(file: string, text: string, flags: string): Promise<void> {
  const fh = await fs.open(file, flags, 0o644);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function parsePid(text: string): number | null {
  const m = /^\s*(\d{1,10})\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/** Takes the writer lock of `dataDir` (created if missing). Throws `WalError` `LOCK_HELD`. */
export async function acquireLock(dataDir: string, opts: LockOptions = {}): Promise<DataDirLock> {
  const pid = opts.pid ?? process.pid;
  const isAlive = opts.isAlive ?? pidIsAlive;
  const lockPath = path.join(dataDir, "LOCK");
  await fs.mkdir(dataDir, { recursive: true });
  const make = (note: string | null): DataDirLock => ({
    path: lockPath,
    pid,
    note,
    release: async () => {
      const text = await fs.readFile(lockPath, "utf8").catch(() => null);
      if (text === null || parsePid(text) !== pid) return;
      await fs.unlink(lockPath).catch(() => {});
      await syncDir(dataDir).catch(() => {});
    },
  });

  try {
    await writeDurably(lockPath, `${pid}\n`, "wx");
    await syncDir(dataDir);
    return make(null);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }

  const text = await fs.readFile(lockPath, "utf8").catch(() => "");
  const holder = parsePid(text);
  if (holder !== null && isAlive(holder)) {
    const who = holder === pid ? `process ${holder} (this process)` : `process ${holder}`;
    throw new WalError("LOCK_HELD", `the data directory ${dataDir} is in use by ${who}: ${lockPath} names it; stop that process first`, { pid: holder, lockPath });
  }
  const note =
    holder !== null
      ? `took over a stale lock ${lockPath} left by process ${holder}, which is not running`
      : `took over an unreadable lock ${lockPath} (a crash while it was being written)`;
  const tmp = `${lockPath}.${pid}.tmp`;
  await writeDurably(tmp, `${pid}\n`, "w");
  await fs.rename(tmp, lockPath);
  await syncDir(dataDir);
  const now = parsePid(await fs.readFile(lockPath, "utf8").catch(() => ""));
  if (now !== pid) {
    throw new WalError("LOCK_HELD", `the data directory ${dataDir} was taken by process ${now} while this process took over its stale lock`, { pid: now, lockPath });
  }
  return make(note);
}
