/**
 * The data directory (rules.md [6], [8], [42]):
 *
 *   <data>/LOCK                      pid of the writing process
 *   <data>/wal/<first lsn>.wal       the node-wide WAL (src/journal)
 *   <data>/snapshots/…               instance snapshots (src/snapshot)
 *   <data>/programs/<hash>.lxm       every module this directory has run, by program hash
 *   <data>/checkpoints/<lsn>.node.json   node checkpoint: where the WAL starts, which program
 *                                    was in effect there, and the deduplication index
 *
 * Node checkpoints are immutable files written like snapshots (temp, fsync, rename, fsync
 * of the directory), carry a SHA-256 of their content, and the newest two are kept.
 */
import { assert } from "../base/assert.ts";
import { DataDamagedError } from "../base/errors.ts";
import type { Disk } from "../base/disk.ts";
import { sha256Hex } from "../base/hash.ts";
import { decodeModule } from "../bytecode/decode.ts";
import { encodeModule } from "../bytecode/encode.ts";
import type { Module } from "../bytecode/module.ts";
import { verifyModule } from "../bytecode/verify.ts";

export type DataPaths = {
  readonly root: string;
  readonly wal: string;
  readonly snapshots: string;
  readonly programs: string;
  readonly checkpoints: string;
};

export function dataPaths(root: string): DataPaths {
  const r = root.replace(/\/+$/, "") || ".";
  return { root: r, wal: `${r}/wal`, snapshots: `${r}/snapshots`, programs: `${r}/programs`, checkpoints: `${r}/checkpoints` };
}

async function writeAtomic(disk: Disk, dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await disk.mkdirp(dir);
  const tmp = `${dir}/${name}.tmp`;
  const f = await disk.open(tmp, "create");
  try {
    await f.truncate(0);
    await f.write(bytes, 0);
    await f.sync();
  } finally {
    await f.close();
  }
  await disk.rename(tmp, `${dir}/${name}`);
  await disk.syncDir(dir);
}

export async function storeProgram(disk: Disk, paths: DataPaths, m: Module): Promise<void> {
  const name = `${m.programHash.slice(2)}.lxm`;
  if ((await disk.stat(`${paths.programs}/${name}`)) !== null) return;
  await writeAtomic(disk, paths.programs, name, encodeModule(m));
}

export async function loadProgram(disk: Disk, paths: DataPaths, hash: string): Promise<Module> {
  const path = `${paths.programs}/${hash.slice(2)}.lxm`;
  let bytes: Uint8Array;
  try {
    bytes = await disk.readFile(path);
  } catch {
    throw new DataDamagedError("PROGRAM_MISSING", `the data directory needs program ${hash}, but ${path} is missing`, { hash, path });
  }
  let m: Module;
  try {
    m = decodeModule(bytes);
    verifyModule(m);
  } catch (e) {
    throw new DataDamagedError("PROGRAM_DAMAGED", `${path} is damaged: ${e instanceof Error ? e.message : String(e)}`, { hash, path });
  }
  if (m.programHash !== hash) throw new DataDamagedError("PROGRAM_DAMAGED", `${path} holds program ${m.programHash}, not ${hash}`, { hash, path });
  return m;
}

/** The final outcome of a keyed input's transition and the cycle that ended it (0 when unknown, e.g. from an older checkpoint). */
export type DedupOutcome = { readonly k: "done"; readonly reply: unknown; readonly cycle?: number } | { readonly k: "failed"; readonly code: string; readonly message: string; readonly cycle?: number };

export type DedupEntry = {
  readonly key: string;
  /** `Domain/instance/Transition`. */
  readonly route: string;
  /** `0x…` SHA-256 of the canonical encoding of the arguments. */
  readonly digest: string;
  readonly lsn: number;
  readonly offset: number;
  readonly time: number;
  outcome: DedupOutcome | null;
};

export type NodeCheckpoint = {
  readonly format: 1;
  /** The WAL may be read from here on; records below are covered by snapshots and this file. */
  readonly wal_start_lsn: number;
  /** The program in effect at `wal_start_lsn`. */
  readonly program_hash: string;
  readonly dedup: DedupEntry[];
};

export async function writeNodeCheckpoint(disk: Disk, paths: DataPaths, cp: NodeCheckpoint): Promise<void> {
  const body = JSON.stringify(cp);
  const text = `${body.slice(0, -1)},"checksum":"${sha256Hex(body)}"}\n`;
  const name = `${String(cp.wal_start_lsn).padStart(20, "0")}.node.json`;
  if ((await disk.stat(`${paths.checkpoints}/${name}`)) !== null) return;
  await writeAtomic(disk, paths.checkpoints, name, new TextEncoder().encode(text));
  // Keep the newest two (the older one is a fallback if the newest is damaged).
  const names = (await disk.list(paths.checkpoints)).filter((n) => n.endsWith(".node.json")).sort();
  for (const old of names.slice(0, Math.max(0, names.length - 2))) await disk.unlink(`${paths.checkpoints}/${old}`);
  if (names.length > 2) await disk.syncDir(paths.checkpoints);
}

/** Removes `<name>.node.json.tmp` files (node checkpoint writes a crash interrupted); returns their paths. */
export async function sweepCheckpointTemps(disk: Disk, paths: DataPaths): Promise<string[]> {
  const temps = (await disk.list(paths.checkpoints)).filter((n) => n.endsWith(".node.json.tmp")).map((n) => `${paths.checkpoints}/${n}`);
  for (const p of temps) await disk.unlink(p);
  if (temps.length > 0) await disk.syncDir(paths.checkpoints);
  return temps;
}

/** The newest valid node checkpoint, or null; damaged ones are skipped and reported. */
export async function readNodeCheckpoint(disk: Disk, paths: DataPaths): Promise<{ checkpoint: NodeCheckpoint | null; notes: string[] }> {
  const notes: string[] = [];
  const names = (await disk.list(paths.checkpoints)).filter((n) => n.endsWith(".node.json")).sort().reverse();
  for (const n of names) {
    const path = `${paths.checkpoints}/${n}`;
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(await disk.readFile(path)).trimEnd();
      const m = /,"checksum":"(0x[0-9a-f]{64})"}$/.exec(text);
      if (!m) throw new Error("no checksum");
      const body = `${text.slice(0, m.index)}}`;
      if (sha256Hex(body) !== m[1]) throw new Error("checksum mismatch");
      const cp = JSON.parse(body) as NodeCheckpoint;
      assert(cp.format === 1 && Number.isSafeInteger(cp.wal_start_lsn) && Array.isArray(cp.dedup), "node checkpoint fields");
      return { checkpoint: cp, notes };
    } catch (e) {
      notes.push(`node checkpoint ${path} is damaged (${e instanceof Error ? e.message : String(e)}); trying an older one`);
    }
  }
  return { checkpoint: null, notes };
}
