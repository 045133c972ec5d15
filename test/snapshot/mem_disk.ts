/**
 * A minimal in-memory `Disk` for the snapshot tests, modelling exactly the durability
 * contract of src/base/disk.ts:
 * - file data is durable only up to the last `sync()` of that file;
 * - names (creations, renames, deletions, new directories) in a directory are durable only
 *   after `syncDir()` of that directory.
 *
 * `crash()` simulates power loss: the old handle dies (every later call, including on open
 * files, throws `SimulatedCrash`) and a new handle sees what survived. Modes:
 * - "lose-unsynced": everything not synced is lost (the worst case; renames undone);
 * - "keep-all": nothing is lost (a process crash with the OS still running);
 * - "random": each directory entry independently keeps its synced or its current binding,
 *   each file keeps its synced content, its current content, or a torn prefix of it.
 * `beforeOp` lets a test crash or fail (errno) right before any operation.
 */
import type { Disk, DiskFile, OpenMode } from "../../src/base/disk.ts";
import { DiskError } from "../../src/base/disk.ts";

export class SimulatedCrash extends Error {
  override name = "SimulatedCrash";
}

class FileNode {
  readonly kind = "file" as const;
  data = new Uint8Array(0);
  size = 0;
  /** Content as of the last sync; null when never synced (empty after a crash). */
  durable: Uint8Array | null = null;

  content(): Uint8Array {
    return this.data.subarray(0, this.size);
  }
  setContent(b: Uint8Array): void {
    this.data = new Uint8Array(b);
    this.size = b.length;
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let cap = Math.max(64, this.data.length * 2);
    while (cap < n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.data.subarray(0, this.size));
    this.data = next;
  }
}

class DirNode {
  readonly kind = "dir" as const;
  entries = new Map<string, Node>();
  durable = new Map<string, Node>();
}

type Node = FileNode | DirNode;

export type CrashMode = "lose-unsynced" | "keep-all" | "random";

export interface OpRecord {
  readonly op: string;
  readonly path: string;
  readonly to?: string;
}

/** What `beforeOp` may ask for: nothing, a crash right now, or an errno for this call. */
export type OpVerdict = void | "crash" | { errno: string };

/** The shared state that survives crashes. */
export class MemFs {
  readonly root = new DirNode();
}

function splitPath(path: string): string[] {
  return path.split("/").filter((p) => p.length > 0 && p !== ".");
}

/** Small seeded PRNG (mulberry32) so random crashes replay from their seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A disk on which `dir` (the data directory) already exists durably, as the runtime leaves it. */
export async function diskWithDir(dir: string): Promise<MemDisk> {
  const disk = new MemDisk();
  await disk.mkdirp(dir);
  const parts = dir.split("/").filter((p) => p.length > 0);
  for (let i = 0; i < parts.length; i++) await disk.syncDir("/" + parts.slice(0, i).join("/"));
  disk.ops.length = 0;
  return disk;
}

export class MemDisk implements Disk {
  readonly ops: OpRecord[] = [];
  beforeOp: ((op: string, path: string, to?: string) => OpVerdict) | null = null;
  /** Set when this handle crashed: the handle that sees the surviving state. */
  rebooted: MemDisk | null = null;
  private alive = true;
  bytesRead = 0;
  bytesWritten = 0;

  constructor(readonly fs: MemFs = new MemFs()) {}

  /** Simulates power loss now; returns the handle to use afterwards. */
  crash(mode: CrashMode = "lose-unsynced", seed = 1): MemDisk {
    if (!this.alive) return this.rebooted!;
    this.alive = false;
    const rand = rng(seed);
    const visit = (dir: DirNode, seen: Set<Node>): void => {
      if (mode !== "keep-all") {
        const next = new Map<string, Node>();
        const names = new Set([...dir.entries.keys(), ...dir.durable.keys()]);
        for (const name of [...names].sort()) {
          const keepCurrent = mode === "random" && rand() < 0.5;
          const node = keepCurrent ? dir.entries.get(name) : dir.durable.get(name);
          if (node !== undefined) next.set(name, node);
        }
        dir.entries = next;
      }
      dir.durable = new Map(dir.entries);
      for (const [, node] of [...dir.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (seen.has(node)) continue;
        seen.add(node);
        if (node.kind === "dir") {
          visit(node, seen);
        } else {
          const durable = node.durable ?? new Uint8Array(0);
          if (mode === "lose-unsynced") {
            node.setContent(durable);
          } else if (mode === "random") {
            const r = rand();
            if (r < 1 / 3) node.setContent(durable);
            else if (r < 2 / 3) {
              const cur = node.content();
              const from = Math.min(durable.length, cur.length);
              node.setContent(cur.slice(0, from + Math.floor(rand() * (cur.length - from + 1))));
            }
          }
          node.durable = node.content().slice();
        }
      }
    };
    visit(this.fs.root, new Set());
    this.rebooted = new MemDisk(this.fs);
    return this.rebooted;
  }

  /** Crashes right before the first operation for which `pred` holds. */
  crashBefore(pred: (op: string, path: string, to?: string) => boolean, mode: CrashMode = "lose-unsynced"): void {
    this.beforeOp = (op, path, to) => {
      if (!pred(op, path, to)) return;
      this.crash(mode);
      return "crash";
    };
  }

  // The state as a test sees it, bypassing hooks and the op log.
  peek(path: string): Uint8Array | null {
    const n = this.lookup(path);
    return n !== null && n.kind === "file" ? n.content().slice() : null;
  }
  poke(path: string, data: Uint8Array): void {
    const n = this.lookup(path);
    if (n === null || n.kind !== "file") throw new Error(`poke: no file ${path}`);
    n.setContent(data);
    n.durable = data.slice();
  }

  private check(op: string, path: string, to?: string): void {
    if (!this.alive) throw new SimulatedCrash(`disk handle is dead (crashed) at ${op} ${path}`);
    this.ops.push(to === undefined ? { op, path } : { op, path, to });
    const verdict = this.beforeOp?.(op, path, to);
    if (verdict === "crash") throw new SimulatedCrash(`simulated crash before ${op} ${path}`);
    if (verdict && typeof verdict === "object") throw new DiskError(verdict.errno, `injected ${verdict.errno} at ${op}`, path);
  }

  private lookup(path: string): Node | null {
    let node: Node = this.fs.root;
    for (const part of splitPath(path)) {
      if (node.kind !== "dir") return null;
      const next = node.entries.get(part);
      if (next === undefined) return null;
      node = next;
    }
    return node;
  }

  private parentOf(path: string): { dir: DirNode; name: string } {
    const parts = splitPath(path);
    if (parts.length === 0) throw new DiskError("EINVAL", "no name", path);
    const name = parts.pop()!;
    const dir = this.lookup("/" + parts.join("/"));
    if (dir === null) throw new DiskError("ENOENT", "no such directory", path);
    if (dir.kind !== "dir") throw new DiskError("ENOTDIR", "not a directory", path);
    return { dir, name };
  }

  async open(path: string, mode: OpenMode): Promise<DiskFile> {
    this.check("open", path);
    const { dir, name } = this.parentOf(path);
    let node = dir.entries.get(name);
    if (node !== undefined && node.kind === "dir") throw new DiskError("EISDIR", "is a directory", path);
    if (node === undefined) {
      if (mode === "r" || mode === "rw") throw new DiskError("ENOENT", "no such file", path);
      node = new FileNode();
      dir.entries.set(name, node);
    } else if (mode === "create-new") {
      throw new DiskError("EEXIST", "file exists", path);
    }
    return new MemFile(this, path, node, mode !== "r");
  }

  /** @internal used by MemFile */
  fileOp(op: string, path: string): void {
    this.check(op, path);
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.check("readFile", path);
    const n = this.lookup(path);
    if (n === null) throw new DiskError("ENOENT", "no such file", path);
    if (n.kind === "dir") throw new DiskError("EISDIR", "is a directory", path);
    this.bytesRead += n.size;
    return n.content().slice();
  }

  async list(dir: string): Promise<string[]> {
    this.check("list", dir);
    const n = this.lookup(dir);
    if (n === null) return [];
    if (n.kind !== "dir") throw new DiskError("ENOTDIR", "not a directory", dir);
    return [...n.entries.keys()].sort();
  }

  async mkdirp(dir: string): Promise<void> {
    this.check("mkdirp", dir);
    let node: DirNode = this.fs.root;
    for (const part of splitPath(dir)) {
      let next = node.entries.get(part);
      if (next === undefined) {
        next = new DirNode();
        node.entries.set(part, next);
      }
      if (next.kind !== "dir") throw new DiskError("ENOTDIR", "not a directory", dir);
      node = next;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    this.check("rename", from, to);
    const src = this.parentOf(from);
    const node = src.dir.entries.get(src.name);
    if (node === undefined) throw new DiskError("ENOENT", "no such file", from);
    const dst = this.parentOf(to);
    const existing = dst.dir.entries.get(dst.name);
    if (existing !== undefined && existing.kind === "dir") throw new DiskError("EISDIR", "is a directory", to);
    src.dir.entries.delete(src.name);
    dst.dir.entries.set(dst.name, node);
  }

  async unlink(path: string): Promise<void> {
    this.check("unlink", path);
    const { dir, name } = this.parentOf(path);
    const node = dir.entries.get(name);
    if (node === undefined) throw new DiskError("ENOENT", "no such file", path);
    if (node.kind === "dir") throw new DiskError("EISDIR", "is a directory", path);
    dir.entries.delete(name);
  }

  async stat(path: string): Promise<{ size: number; isDirectory: boolean } | null> {
    this.check("stat", path);
    const n = this.lookup(path);
    if (n === null) return null;
    return n.kind === "dir" ? { size: 0, isDirectory: true } : { size: n.size, isDirectory: false };
  }

  async syncDir(dir: string): Promise<void> {
    this.check("syncDir", dir);
    const n = this.lookup(dir);
    if (n === null) throw new DiskError("ENOENT", "no such directory", dir);
    if (n.kind !== "dir") throw new DiskError("ENOTDIR", "not a directory", dir);
    n.durable = new Map(n.entries);
  }
}

class MemFile implements DiskFile {
  private closed = false;
  constructor(
    private readonly disk: MemDisk,
    readonly path: string,
    private readonly node: FileNode,
    private readonly writable: boolean,
  ) {}

  private op(op: string): void {
    this.disk.fileOp(op, this.path);
    if (this.closed) throw new DiskError("EBADF", "file is closed", this.path);
  }

  async read(buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    this.op("read");
    const n = Math.max(0, Math.min(length, this.node.size - position));
    buf.set(this.node.data.subarray(position, position + n), offset);
    this.disk.bytesRead += n;
    return n;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    this.op("write");
    if (!this.writable) throw new DiskError("EBADF", "file opened read-only", this.path);
    const end = position + data.length;
    this.node.ensure(end);
    if (position > this.node.size) this.node.data.fill(0, this.node.size, position);
    this.node.data.set(data, position);
    this.node.size = Math.max(this.node.size, end);
    this.disk.bytesWritten += data.length;
  }

  async sync(): Promise<void> {
    this.op("sync");
    this.node.durable = this.node.content().slice();
  }

  async truncate(length: number): Promise<void> {
    this.op("truncate");
    if (!this.writable) throw new DiskError("EBADF", "file opened read-only", this.path);
    if (length < this.node.size) this.node.size = length;
    else {
      this.node.ensure(length);
      this.node.data.fill(0, this.node.size, length);
      this.node.size = length;
    }
  }

  async size(): Promise<number> {
    this.op("size");
    return this.node.size;
  }

  async close(): Promise<void> {
    this.op("close");
    this.closed = true;
  }
}
