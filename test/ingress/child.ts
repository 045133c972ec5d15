/**
 * `lexum run` as a child process for tests that need a real process boundary: kill -9,
 * SIGTERM, the CLI's flags. The child listens on port 0 and we read the port from its
 * "listening on" line, so parallel test files never collide.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const LEXUM_BIN = path.join(REPO, "bin/lexum.js");
/** The spec's sample programs; `examples/` keeps a copy of `../shared/examples` so a clone is self-contained. */
export const EXAMPLES = path.resolve(REPO, "examples");

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type RunChild = {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Resolves with the base URL once the server listens; rejects when the child exits first. */
  readonly ready: Promise<string>;
  readonly exited: Promise<Exit>;
  /** Everything the child wrote to stderr so far (pino logs go to stdout, the listening line to stderr). */
  stderr(): string;
  stdout(): string;
  kill9(): void;
};

export function spawnRun(args: readonly string[], env: Record<string, string> = {}): RunChild {
  const proc = spawn(process.execPath, [LEXUM_BIN, "run", ...args, "--port", "0"], {
    cwd: REPO,
    env: { ...process.env, LEXUM_LOG_LEVEL: process.env["LEXUM_LOG_LEVEL"] ?? "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  let out = "";
  let resolveReady!: (u: string) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<string>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  proc.stderr!.setEncoding("utf8").on("data", (s: string) => {
    err += s;
    const m = /listening on (http:\/\/[^\s]+)/.exec(err);
    if (m) resolveReady(m[1]!);
  });
  proc.stdout!.setEncoding("utf8").on("data", (s: string) => {
    out += s;
  });
  const exited = new Promise<Exit>((res) => {
    proc.on("exit", (code, signal) => {
      rejectReady(new Error(`lexum run exited (code ${code}, signal ${signal}) before listening: ${err.trim()}`));
      res({ code, signal });
    });
  });
  return {
    proc,
    pid: proc.pid!,
    ready,
    exited,
    stderr: () => err,
    stdout: () => out,
    kill9: () => {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, "SIGKILL");
    },
  };
}

/** Runs the `lexum` binary to completion. */
export function runLexum(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [LEXUM_BIN, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    proc.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
    const t = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`lexum ${args.join(" ")} did not finish in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    proc.on("exit", (code) => {
      clearTimeout(t);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}

/** A small seeded PRNG (mulberry32): every random choice in a test comes from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
