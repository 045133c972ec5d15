/** Shared fixtures for the snapshot tests. */
import { SNAPSHOT_FORMAT, type SnapshotHeader } from "../../src/snapshot/index.ts";
import { SnapshotStore, type SnapshotStoreOptions } from "../../src/snapshot/index.ts";
import { diskWithDir, type MemDisk } from "./mem_disk.ts";

export const DATA = "/data";

export function hash(n: number): string {
  return "0x" + n.toString(16).padStart(64, "0");
}

export function header(over: Partial<SnapshotHeader> = {}): SnapshotHeader {
  return {
    domain: "Order",
    instance: "o-1",
    cycle: 1,
    run_hash: hash(1),
    mailbox_offset: 1,
    format: SNAPSHOT_FORMAT,
    lsn: 10,
    program_hash: hash(2),
    state_hash: hash(3),
    goals: [],
    suspended: null,
    timers: [],
    pending_effects: [],
    ...over,
  };
}

/** Splits `text` into chunks of `size` code units (boundaries may split anything). */
export function* chunksOf(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export function stateChunks(state: object, size = 7): Generator<string> {
  return chunksOf(JSON.stringify(state), size);
}

export async function memStore(opts: Partial<SnapshotStoreOptions> = {}): Promise<{ disk: MemDisk; store: SnapshotStore }> {
  const disk = await diskWithDir(DATA);
  return { disk, store: new SnapshotStore({ disk, dataDir: DATA, ...opts }) };
}

/** Writes snapshots at cycles 1..n (lsn = 10·cycle) with state {n: cycle}. */
export async function writeCycles(store: SnapshotStore, n: number, over: Partial<SnapshotHeader> = {}): Promise<void> {
  for (let c = 1; c <= n; c++) {
    await store.write(header({ cycle: c, lsn: c * 10, ...over }), stateChunks({ n: c }));
  }
}
