/**
 * The `lexum` command line (interface.md). Exit codes: 0 success, 1 user error
 * (diagnostics, bad input, failed transition), 2 usage, 3 data directory damaged.
 * Errors are one clear sentence on stderr.
 */
import * as fs from "node:fs";
import { Command, CommanderError } from "commander";
import { LexumError, errorMessage } from "../base/errors.ts";
import { disassemble } from "../bytecode/disasm.ts";
import { encodeModule } from "../bytecode/encode.ts";
import { hasErrors } from "../compiler/diagnostics.ts";
import { diagnosticToJson, renderDiagnostics } from "../compiler/render.ts";
import { evalProgram, parseCall } from "../runtime/eval.ts";
import { compilePaths, loadProgram } from "./sources.ts";
import { execCommand, journalRepair, journalShow, journalVerify, replayCommand, snapshotLs, snapshotShow, stateFromData } from "./durable.ts";
import { sendToUrl, stateFromUrl } from "./remote.ts";
import { RUN_DEFAULTS, runServer, sendToData } from "./serve.ts";

export type Io = { out: (s: string) => void; err: (s: string) => void };

const defaultIo: Io = {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : s + "\n"),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : s + "\n"),
};

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function withProgram(paths: string[], io: Io) {
  const r = loadProgram(paths);
  if ("diagnostics" in r) {
    io.err(renderDiagnostics(r.diagnostics, r.files));
    throw new Exit(1);
  }
  return r.module;
}

export function buildCli(io: Io): Command {
  const program = new Command();
  program
    .name("lexum")
    .description("Lexum: a deterministic, crash-proof runtime for long-lived state machines")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) })
    .showHelpAfterError(false);

  program
    .command("check")
    .description("compile only; exit 0 when clean, 1 with errors (warnings never fail)")
    .argument("<paths...>", ".lex files or directories")
    .option("--json", "print diagnostics as JSON")
    .action((paths: string[], o: { json?: boolean }) => {
      const r = compilePaths(paths);
      if (o.json) io.out(JSON.stringify({ ok: !hasErrors(r.diagnostics), diagnostics: r.diagnostics.map((d) => diagnosticToJson(d, r.files)) }, null, 2));
      else if (r.diagnostics.length > 0) io.err(renderDiagnostics(r.diagnostics, r.files));
      if (hasErrors(r.diagnostics)) throw new Exit(1);
    });

  program
    .command("build")
    .description("compile to a bytecode module")
    .argument("<paths...>", ".lex files or directories")
    .requiredOption("-o, --output <file>", "the .lxm file to write")
    .action((paths: string[], o: { output: string }) => {
      const r = compilePaths(paths);
      if (r.diagnostics.length > 0) io.err(renderDiagnostics(r.diagnostics, r.files));
      if (r.module === null) throw new Exit(1);
      const bytes = encodeModule(r.module);
      fs.writeFileSync(o.output, bytes);
      io.out(`wrote ${o.output} (${bytes.length} bytes, program ${r.module.programHash})`);
    });

  program
    .command("disasm")
    .description("human-readable bytecode listing of a .lxm module or of sources")
    .argument("<paths...>", "an app.lxm or .lex files/directories")
    .action((paths: string[]) => {
      io.out(disassemble(withProgram(paths, io)));
    });

  program
    .command("eval")
    .description("run calls in memory (no journal) and print the resulting states and outputs as JSON")
    .argument("<paths...>", ".lex files, directories or an app.lxm")
    .option("--call <call>", "Domain[id].Transition(args) with args as a JSON object or name: json pairs; repeatable", collect, [])
    .option("--effect <stub>", "Effect.name=<json of result<T>> answers the next await of that effect; repeatable", collect, [])
    .option("--now <ms>", "logical time of the first input (epoch ms)")
    .action((paths: string[], o: { call: string[]; effect: string[]; now?: string }) => {
      const module = withProgram(paths, io);
      const effects: Record<string, unknown[]> = {};
      for (const s of o.effect) {
        const i = s.indexOf("=");
        if (i <= 0) throw new LexumError("LX-USAGE", `--effect ${JSON.stringify(s)}: expected Effect.name=<json>`, 2);
        let v: unknown;
        try {
          v = JSON.parse(s.slice(i + 1));
        } catch {
          throw new LexumError("LX-USAGE", `--effect ${JSON.stringify(s)}: the result is not JSON`, 2);
        }
        (effects[s.slice(0, i)] ??= []).push(v);
      }
      const now = o.now === undefined ? undefined : Number(o.now);
      if (now !== undefined && !Number.isSafeInteger(now)) throw new LexumError("LX-USAGE", "--now must be an integer (epoch ms)", 2);
      const report = evalProgram(module, o.call.map(parseCall), { effects, now });
      io.out(JSON.stringify(report, null, 2));
      if (report.calls.some((c) => c.outcome === "failed")) throw new Exit(1);
    });

  program
    .command("run")
    .description("start the runtime with HTTP ingress (SIGTERM: stop accepting, drain, snapshot, exit 0)")
    .argument("<paths...>", ".lex files, directories or an app.lxm")
    .option("--data <dir>", "data directory", "./.lexum")
    .option("--port <n>", "TCP port", String(RUN_DEFAULTS.port))
    .option("--host <h>", "address to listen on", RUN_DEFAULTS.host)
    .option("--adapters <module>", "TypeScript/JavaScript module whose default export maps effect names to adapters")
    .option("--token <token>", "require `Authorization: Bearer <token>` (also LEXUM_TOKEN)")
    .option("--durability <mode>", "fsync (default) or none (tests and benchmarks only)", "fsync")
    .option("--body-limit <bytes>", "largest request body", String(RUN_DEFAULTS.bodyLimit))
    .option("--wait-timeout <ms>", "how long ?wait=1 waits before answering 202", String(RUN_DEFAULTS.waitTimeoutMs))
    .option("--logical-time <ms>", "testing only: stamp every record with this time (epoch ms) instead of the clock, so a rerun of the same inputs gives identical run hashes; durable timers never come due")
    .action(async (paths: string[], o: { data: string; port: string; host: string; adapters?: string; token?: string; durability: string; bodyLimit: string; waitTimeout: string; logicalTime?: string }) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LexumError("LX-USAGE", "--port must be 0..65535", 2);
      if (o.durability !== "fsync" && o.durability !== "none") throw new LexumError("LX-USAGE", "--durability must be fsync or none", 2);
      const bodyLimit = Number(o.bodyLimit);
      const waitTimeoutMs = Number(o.waitTimeout);
      if (!(bodyLimit > 0) || !(waitTimeoutMs >= 0)) throw new LexumError("LX-USAGE", "--body-limit and --wait-timeout must be positive numbers", 2);
      const logicalTime = o.logicalTime === undefined ? undefined : Number(o.logicalTime);
      if (logicalTime !== undefined && !(Number.isSafeInteger(logicalTime) && logicalTime >= 0)) throw new LexumError("LX-USAGE", "--logical-time must be a non-negative integer (epoch ms)", 2);
      const module = withProgram(paths, io);
      const code = await runServer(module, { data: o.data, port, host: o.host, adapters: o.adapters, token: o.token ?? process.env["LEXUM_TOKEN"], durability: o.durability, bodyLimit, waitTimeoutMs, logicalTime }, io);
      if (code !== 0) throw new Exit(code);
    });

  program
    .command("send")
    .description("send one message to a running server (--url) or straight into a data directory (--data, default ./.lexum)")
    .argument("<domain>")
    .argument("<id>")
    .argument("<transition>")
    .argument("[args]", "JSON object of arguments", "{}")
    .option("--url <url>", "a running `lexum run` server")
    .option("--data <dir>", "data directory (when no --url)", "./.lexum")
    .option("--wait", "wait for the transition's result")
    .option("--token <token>", "bearer token for --url (also LEXUM_TOKEN)")
    .option("--key <key>", "Idempotency-Key")
    .option("--adapters <module>", "adapters module (with --data, for effects the message triggers)")
    .action(async (domain: string, id: string, transition: string, rawArgs: string, o: { url?: string; data: string; wait?: boolean; token?: string; key?: string; adapters?: string }) => {
      let args: unknown;
      try {
        args = JSON.parse(rawArgs);
      } catch {
        throw new LexumError("LX-USAGE", `the arguments are not JSON: ${rawArgs}`, 2);
      }
      const code = o.url
        ? await sendToUrl(o.url, domain, id, transition, args, { wait: o.wait, token: o.token ?? process.env["LEXUM_TOKEN"], key: o.key }, io)
        : await sendToData(o.data, domain, id, transition, args, { wait: o.wait, key: o.key, adapters: o.adapters }, io);
      if (code !== 0) throw new Exit(code);
    });

  program
    .command("exec")
    .description("durably process a batch of inputs (one JSON object per line) without a server, then exit; rerunning after a crash resumes")
    .argument("<paths...>", ".lex files, directories or an app.lxm")
    .requiredOption("--input <file>", "msgs.ndjson: {\"id\", \"domain\", \"instance\", \"transition\", \"args\"} per line")
    .option("--data <dir>", "data directory", "./.lexum")
    .option("--adapters <module>", "TypeScript/JavaScript module whose default export maps effect names to adapters")
    .option("--durability <mode>", "fsync (default) or none (tests and benchmarks only)", "fsync")
    .option("--logical-time <ms>", "stamp every record with this time (epoch ms) instead of the clock: reruns give identical run hashes; timers never come due")
    .action(async (paths: string[], o: { input: string; data: string; adapters?: string; durability: string; logicalTime?: string }) => {
      if (o.durability !== "fsync" && o.durability !== "none") throw new LexumError("LX-USAGE", "--durability must be fsync or none", 2);
      const logicalTime = o.logicalTime === undefined ? undefined : Number(o.logicalTime);
      if (logicalTime !== undefined && !(Number.isSafeInteger(logicalTime) && logicalTime >= 0)) throw new LexumError("LX-USAGE", "--logical-time must be a non-negative integer (epoch ms)", 2);
      const module = withProgram(paths, io);
      const code = await execCommand(module, { data: o.data, input: o.input, adapters: o.adapters, durability: o.durability, logicalTime }, io);
      if (code !== 0) throw new Exit(code);
    });

  program
    .command("state")
    .description("print an instance's current state as JSON (--data recovers read-only from disk)")
    .argument("<domain>")
    .argument("<id>")
    .option("--data <dir>", "data directory (default ./.lexum)")
    .option("--url <url>", "a running `lexum run` server")
    .option("--token <token>", "bearer token for --url")
    .action(async (domain: string, id: string, o: { data?: string; url?: string; token?: string }) => {
      const code = o.url ? await stateFromUrl(o.url, domain, id, o.token, io) : await stateFromData(o.data ?? "./.lexum", domain, id, io);
      if (code !== 0) throw new Exit(code);
    });

  const snap = program.command("snapshot").description("list and print snapshots");
  snap
    .command("ls")
    .description("list snapshots (newest first per instance)")
    .argument("[domain]")
    .argument("[id]")
    .option("--data <dir>", "data directory", "./.lexum")
    .action(async (domain: string | undefined, id: string | undefined, o: { data: string }) => {
      const code = await snapshotLs(o.data, domain, id, io);
      if (code !== 0) throw new Exit(code);
    });
  snap
    .command("show")
    .description("print a snapshot (a path, or the newest of Domain id), verified")
    .argument("<target...>", "a .snapshot.json path, or a domain and an instance id")
    .option("--data <dir>", "data directory", "./.lexum")
    .action(async (target: string[], o: { data: string }) => {
      const code = await snapshotShow(o.data, target, io);
      if (code !== 0) throw new Exit(code);
    });

  const journal = program.command("journal").description("inspect and verify the write-ahead journal");
  journal
    .command("show")
    .description("print WAL records (decoded), or the raw segment layout with --raw")
    .option("--data <dir>", "data directory", "./.lexum")
    .option("--from <lsn>", "first LSN to print")
    .option("--limit <n>", "print at most n records")
    .option("--json", "one JSON object per record")
    .option("--raw", "segments, records, commit markers and byte offsets as stored")
    .action(async (o: { data: string; from?: string; limit?: string; json?: boolean; raw?: boolean }) => {
      const code = await journalShow(o.data, o, io);
      if (code !== 0) throw new Exit(code);
    });
  journal
    .command("verify")
    .description("verify checksums and re-execute the journal checking the run-hash chain (exit 3 when damaged)")
    .option("--data <dir>", "data directory", "./.lexum")
    .action(async (o: { data: string }) => {
      const code = await journalVerify(o.data, io);
      if (code !== 0) throw new Exit(code);
    });
  journal
    .command("repair")
    .description("set damaged WAL segments aside (damaged/) and truncate at the last good batch — loses the damaged records")
    .option("--data <dir>", "data directory", "./.lexum")
    .action(async (o: { data: string }) => {
      const code = await journalRepair(o.data, io);
      if (code !== 0) throw new Exit(code);
    });

  program
    .command("replay")
    .description("recompute an instance from snapshot + WAL (optionally with other code) and print its state or a divergence report")
    .argument("<domain>")
    .argument("<id>")
    .option("--data <dir>", "data directory", "./.lexum")
    .option("--to-cycle <n>", "stop after this cycle")
    .option("--program <paths...>", "replay with this code instead of the journal's")
    .action(async (domain: string, id: string, o: { data: string; toCycle?: string; program?: string[] }) => {
      const toCycle = o.toCycle === undefined ? undefined : Number(o.toCycle);
      if (toCycle !== undefined && !(Number.isSafeInteger(toCycle) && toCycle >= 0)) throw new LexumError("LX-USAGE", "--to-cycle must be a non-negative integer", 2);
      const other = o.program ? withProgram(o.program, io) : undefined;
      const code = await replayCommand(o.data, domain, id, { toCycle, program: other }, io);
      if (code !== 0) throw new Exit(code);
    });

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting (tests call it in-process). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const program = buildCli(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return 0;
      return 2;
    }
    if (e instanceof LexumError) {
      io.err(`lexum: ${e.message}`);
      return e.exitCode;
    }
    io.err(`lexum: internal error: ${errorMessage(e)}`);
    if (e instanceof Error && e.stack) io.err(e.stack);
    return 70;
  }
}
