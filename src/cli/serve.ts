/** `lexum run` (the server) and `lexum send --data`. */
import pino from "pino";
import { fixedTimeClock } from "../base/clock.ts";
import { LexumError, errorMessage } from "../base/errors.ts";
import { HTTP_BODY_BYTES_DEFAULT, HTTP_PORT_DEFAULT } from "../base/limits.ts";
import type { Module } from "../bytecode/module.ts";
import { checkAdapters, loadAdapters } from "../effects/index.ts";
import { buildServer } from "../ingress/index.ts";
import { Runtime, TransitionError } from "../runtime/runtime.ts";
import { openReadOnly } from "./durable.ts";
import type { Io } from "./main.ts";

export type RunOptions = {
  data: string;
  port: number;
  host: string;
  adapters?: string;
  token?: string;
  durability: "fsync" | "none";
  bodyLimit: number;
  waitTimeoutMs: number;
  /** Testing only (`--logical-time`): every record gets this time, so reruns give equal run hashes. */
  logicalTime?: number;
};

/** Runs until SIGTERM/SIGINT: stop accepting, drain, snapshot, exit 0. */
export async function runServer(module: Module, o: RunOptions, io: Io): Promise<number> {
  const log = pino({ name: "lexum", level: process.env["LEXUM_LOG_LEVEL"] ?? "info" });
  const adapters = await loadAdapters(o.adapters);
  checkAdapters(module, [...Object.keys(adapters), "Http.request", "Log.write"], o.adapters);
  const t0 = Date.now();
  if (o.logicalTime !== undefined) log.warn({ logical_time: o.logicalTime }, "--logical-time: every record gets one fixed time (testing only); durable timers never come due");
  const clock = o.logicalTime !== undefined ? fixedTimeClock(o.logicalTime) : undefined;
  const rt = await Runtime.open({ program: module, dataDir: o.data, durability: o.durability, adapters, log: log as never, clock });
  const app = await buildServer(rt, { token: o.token, bodyLimit: o.bodyLimit, waitTimeoutMs: o.waitTimeoutMs, logger: log.child({ component: "http" }, { level: "warn" }) });
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await rt.close({ snapshot: false });
    throw new LexumError("LISTEN", `cannot listen on ${o.host}:${o.port}: ${errorMessage(e)}`, 1);
  }
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : o.port;
  log.info({ url: `http://${o.host}:${port}`, data: o.data, program: module.programHash, recovery_ms: Date.now() - t0, instances: rt.engine.instances.size, auth: o.token ? "bearer" : "none" }, "lexum is listening");
  io.err(`lexum: listening on http://${o.host}:${port} (data ${o.data})`);
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down: no new requests, draining, writing snapshots");
      try {
        await app.close();
        await rt.close();
        log.info("stopped cleanly");
        resolve(0);
      } catch (e) {
        log.error({ err: errorMessage(e) }, "shutdown failed");
        resolve(1);
      }
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
  });
}

export async function sendToData(dataDir: string, domain: string, id: string, transition: string, args: unknown, o: { wait?: boolean; key?: string; adapters?: string }, io: Io): Promise<number> {
  const ro = await openReadOnly(dataDir, io);
  await ro.wal.close();
  const module = ro.program.module;
  const adapters = await loadAdapters(o.adapters);
  const rt = await Runtime.open({ program: module, dataDir, adapters: o.adapters ? adapters : undefined });
  try {
    if (o.wait) {
      try {
        const r = await rt.callDetailed(domain, id, transition, args, { idempotencyKey: o.key });
        io.out(JSON.stringify({ cycle: r.cycle, result: r.reply }));
      } catch (e) {
        if (e instanceof TransitionError) {
          io.out(JSON.stringify({ error: { code: e.code, message: e.message } }));
          return 1;
        }
        throw e;
      }
    } else {
      const ack = await rt.send(domain, id, transition, args, { idempotencyKey: o.key });
      io.out(JSON.stringify({ accepted: true, lsn: ack.lsn, mailbox_offset: ack.mailbox_offset }));
      await rt.quiescent();
    }
  } finally {
    await rt.close();
  }
  return 0;
}

export const RUN_DEFAULTS = { port: HTTP_PORT_DEFAULT, host: "127.0.0.1", bodyLimit: HTTP_BODY_BYTES_DEFAULT, waitTimeoutMs: 30_000 };
