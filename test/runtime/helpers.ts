/** Shared helpers for the runtime tests (test/runtime). */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimClock } from "../../src/base/sim_clock.ts";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";
import type { Module } from "../../src/bytecode/module.ts";
import { compile } from "../../src/compiler/compile.ts";
import { openWal } from "../../src/journal/index.ts";
import { recover } from "../../src/runtime/recovery.ts";
import { dataPaths } from "../../src/runtime/datadir.ts";
import { Runtime, type RuntimeOptions } from "../../src/runtime/runtime.ts";
import { SnapshotStore } from "../../src/snapshot/index.ts";
import { toJson } from "../../src/vm/values/index.ts";
import { toHex0x } from "../../src/base/hash.ts";

export const REPO = path.resolve(import.meta.dirname, "../..");
export const BIN = path.join(REPO, "bin/lexum.js");
export const FIXTURES = path.join(import.meta.dirname, "fixtures");
/** The spec's sample programs; `examples/` keeps a copy of `../shared/examples` so a clone is self-contained. */
export const EXAMPLES = path.resolve(REPO, "examples");
export const DATA = "/data";
/** The logical time of reproducible runs. */
export const T0 = 1_700_000_000_000;

export function compileSource(src: string): Module {
  return compile(src);
}

export function compileFile(p: string): Module {
  return compile({ [p]: fs.readFileSync(p, "utf8") });
}

/** A SimDisk + SimClock world; `open` opens the runtime on it (no lock file). */
export function simWorld(seed = 1, t0 = T0) {
  const w = {
    disk: new SimDisk({ rng: seededRng(seed) }),
    clock: new SimClock(t0),
    open(program: Module, o: Partial<RuntimeOptions> = {}): Promise<Runtime> {
      return Runtime.open({ program, dataDir: DATA, disk: w.disk, clock: w.clock, lock: false, ...o });
    },
    /** Simulates a power cut: the runtime object is abandoned, the disk keeps what the mode keeps. */
    crash(mode: Parameters<SimDisk["crash"]>[0] = "drop-all"): SimDisk {
      w.disk = w.disk.crash(mode);
      return w.disk;
    },
  };
  return w;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lexum-${prefix}-`));
}

/** Runs the CLI in a child process (the real `bin/lexum.js`). */
export function cli(args: string[], o: { cwd?: string; timeoutMs?: number } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: o.cwd ?? REPO, encoding: "utf8", timeout: o.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export type Envelope = { domain: string; instance: string; cycle: number; run_hash: string; state: unknown; mailbox_offset: number; status: string };

/**
 * Recovers a real data directory read-only in this process (no lock, no writes) and returns
 * every instance's envelope, keyed `Domain/id`, plus the recovery notes.
 */
export async function readAllStates(dataDir: string, disk = undefined as import("../../src/base/disk.ts").Disk | undefined): Promise<{ states: Map<string, Envelope>; notes: string[]; replayedCycles: number }> {
  const { NodeDisk } = await import("../../src/base/node_disk.ts");
  const d = disk ?? new NodeDisk();
  const paths = dataPaths(dataDir);
  const { wal, report } = await openWal(d, paths.wal, { readOnly: true, dataDir: paths.root });
  try {
    const store = new SnapshotStore({ disk: d, dataDir: paths.root });
    const silent = { info() {}, warn() {}, error() {} };
    const r = await recover({ disk: d, paths, wal, store, program: null, keep: 2, log: silent });
    const states = new Map<string, Envelope>();
    for (const x of r.engine.instances.values()) {
      if (x.cycle === 0 && x.nextOffset === 0) continue;
      const dd = r.program.module.domains[x.domainIdx]!;
      states.set(`${x.domain}/${x.id}`, {
        domain: x.domain,
        instance: x.id,
        cycle: x.cycle,
        run_hash: toHex0x(x.runHash),
        state: toJson(r.program.vm.types, dd.state, x.state),
        mailbox_offset: x.consumed,
        status: x.status,
      });
    }
    return { states, notes: [...report.notes, ...r.info.notes], replayedCycles: r.info.replayedCycles };
  } finally {
    await wal.close();
  }
}

/** Every file under `dir` with its size, mtime and SHA-256 (to prove a command changed nothing). */
export function fileTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) {
        out[rel + "/"] = "dir";
        walk(p);
      } else {
        const st = fs.statSync(p);
        const h = createHash("sha256").update(fs.readFileSync(p)).digest("hex");
        out[rel] = `${st.size} ${st.mtimeMs} ${h}`;
      }
    }
  };
  walk(dir);
  return out;
}

/** Files of a SimDisk as a reader sees them now, path → bytes. */
export function simFiles(disk: SimDisk): Record<string, Uint8Array> {
  return disk.snapshotState().live;
}

export { seededRng, SimDisk, SimClock, Runtime };

/**
 * The WAL of a data directory as one line per record (transcript tests): type, instance,
 * and what the record says, with times relative to `t0`.
 */
export async function transcript(disk: import("../../src/base/disk.ts").Disk, program: Module, dataDir = DATA, t0 = T0): Promise<string[]> {
  const { decodeRecord, RecordType } = await import("../../src/runtime/records.ts");
  const { makeProgram } = await import("../../src/runtime/engine.ts");
  const { toTagged } = await import("../../src/vm/values/index.ts");
  const p = makeProgram(program);
  const { wal } = await openWal(disk, `${dataDir}/wal`, { readOnly: true });
  const out: string[] = [];
  const vals = (vs: readonly unknown[]) => vs.map((v) => JSON.stringify(toTagged(v as never))).join(", ");
  try {
    for await (const r of wal.scan()) {
      const d = decodeRecord(r.type, r.payload, p.vm.types);
      switch (d.t) {
        case RecordType.PROGRAM:
          out.push("PROGRAM");
          break;
        case RecordType.INPUT: {
          const s = d.r.source;
          const from = s.k === "external" ? `external${s.key ? ` key=${s.key}` : ""}` : s.k === "send" ? `send from ${s.domain}[${s.instance}] cycle ${s.cycle}` : s.k === "timer" ? `timer ${s.timer} of ${s.domain}[${s.instance}]` : s.k === "reconcile" ? `reconcile ${s.goal}` : `tick ${s.goal} timer ${s.timer}`;
          out.push(`INPUT ${d.r.domain}[${d.r.instance}] #${d.r.offset} ${d.r.transition}(${vals(d.r.args)}) ${from}`);
          break;
        }
        case RecordType.COMMIT: {
          const c = d.r.consumed;
          const what = c.k === "mailbox" ? `#${c.offset}` : c.k === "result" ? `result ${c.cycle}/${c.index}` : "continue";
          const o = d.r.outcome;
          const res = o.k === "done" ? `done ${JSON.stringify(toTagged(o.reply))}` : o.k === "failed" ? `failed ${o.code}` : o.k;
          out.push(`COMMIT ${d.r.domain}[${d.r.instance}] cycle ${d.r.cycle} ${what} ${d.r.transition} ${res}`);
          break;
        }
        case RecordType.TIMER:
          out.push(`TIMER ${d.r.domain}[${d.r.instance}] ${d.r.timer} due +${d.r.due - t0} ${d.r.kind === "send" ? `${d.r.target.domain}[${d.r.target.instance}].${d.r.target.transition}(${vals(d.r.target.args)})` : `tick ${d.r.goal}`}`);
          break;
        case RecordType.INTENT:
          out.push(`INTENT ${d.r.domain}[${d.r.instance}] ${d.r.cycle}/${d.r.index} ${d.r.kind} ${d.r.effect}(${vals(d.r.args)}) key=${d.r.key}`);
          break;
        case RecordType.RESULT:
          out.push(`RESULT ${d.r.domain}[${d.r.instance}] ${d.r.cycle}/${d.r.index} ${JSON.stringify(toTagged(d.r.result))}`);
          break;
      }
    }
  } finally {
    await wal.close();
  }
  return out;
}

/** Lets queued I/O and setImmediate work run (SimDisk operations are promises). */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
