/**
 * HTTP ingress on Fastify: exactly the routes of interface.md, with the checks of rules.md
 * [37] in order 401 → 404 → 413 → 400 → 422. A POST is answered 202 only after its input is
 * durable; bad input never reaches the journal. Overload answers 429/503 with Retry-After
 * instead of queueing without bound.
 *
 *   POST /v1/domains/{Domain}/{id}/{Transition}[?wait=1]
 *   GET  /v1/domains/{Domain}/{id}
 *   GET  /v1/health            (no token needed)
 *   GET  /metrics              (Prometheus text)
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";
import { HTTP_BODY_BYTES_DEFAULT } from "../base/limits.ts";
import { errorMessage, LexumError } from "../base/errors.ts";
import { OverloadedError, RuntimeInputError, TransitionError, type Runtime } from "../runtime/runtime.ts";
import { Metrics } from "./metrics.ts";

export type ServerOptions = {
  readonly token?: string;
  readonly bodyLimit?: number;
  /** How long `?wait=1` waits before falling back to 202 (ms). */
  readonly waitTimeoutMs?: number;
  /** A pino logger instance or `false`. */
  readonly logger?: unknown;
};

type Params = { domain: string; id: string; transition?: string };

/** Longest path segment the router accepts (an instance id of 256 bytes percent-encodes to at most 768). */
const PARAM_CHARS_MAX = 4096;

function errorBody(code: string, message: string, pointer?: string | null): unknown {
  return { error: pointer !== undefined && pointer !== null ? { code, message, pointer } : { code, message } };
}

function tokenOk(header: string | undefined, token: string): boolean {
  if (!header || !header.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export async function buildServer(rt: Runtime, o: ServerOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = o.bodyLimit ?? HTTP_BODY_BYTES_DEFAULT;
  const waitTimeoutMs = o.waitTimeoutMs ?? 30_000;
  // Per-request logs are info level; the HTTP logger runs at warn so only problems are logged.
  const app = Fastify({
    ...(o.logger ? { loggerInstance: o.logger as never } : { logger: false }),
    bodyLimit,
    return503OnClosing: true,
    // Fastify's default (100 characters) would answer 414 for valid instance ids: ids are up
    // to 256 UTF-8 bytes (rules.md [46]), i.e. up to 768 characters percent-encoded. Longer
    // ids reach validation and get the 422 they deserve.
    routerOptions: { maxParamLength: PARAM_CHARS_MAX },
    // Errors the router raises before any hook runs (a malformed percent-encoding, an
    // absurdly long segment) answer in our error shape, still after the token check.
    frameworkErrors: (err: { code?: string }, req: FastifyRequest, reply: FastifyReply) => {
      if (o.token !== undefined && !tokenOk(req.headers.authorization, o.token)) {
        return reply.header("www-authenticate", "Bearer").code(401).send(errorBody("UNAUTHORIZED", "a valid bearer token is required"));
      }
      if (err.code === "FST_ERR_MAX_PARAM_LENGTH") return reply.code(414).send(errorBody("URI_TOO_LONG", `a path segment is longer than ${PARAM_CHARS_MAX} characters`));
      return reply.code(400).send(errorBody("BAD_URL", `the URL ${JSON.stringify(req.url)} is not valid percent-encoded UTF-8`));
    },
  }) as unknown as FastifyInstance;
  const metrics = new Metrics(rt);

  // Graceful shutdown: `app.close()` stops accepting, then waits for requests in flight. A
  // `?wait=1` request must not hold that up for its whole wait (the input is durable: it is
  // answered 202 at once), and a response sent while closing says `Connection: close`, or a
  // keep-alive client would hold the server open for its idle timeout (72 s) after the answer.
  let closing = false;
  let startClosing!: () => void;
  const closed = new Promise<"closing">((resolve) => (startClosing = () => resolve("closing")));
  app.addHook("preClose", async () => {
    closing = true;
    startClosing();
  });
  app.addHook("onSend", async (_req, reply) => {
    if (closing) reply.header("connection", "close");
  });

  // Bodies are JSON whatever the content type says; an empty body means {} (rules.md [37]).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === "") return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new Error(`malformed JSON body: ${errorMessage(e)}`) as Error & { statusCode: number; code: string };
      err.statusCode = 400;
      err.code = "BAD_JSON";
      done(err, undefined);
    }
  });

  // 401 and 404 are decided before the body is read (so they win over 413/400).
  app.addHook("onRequest", async (req, reply) => {
    const url = req.url.split("?")[0]!;
    if (url === "/v1/health") return;
    if (o.token !== undefined && !tokenOk(req.headers.authorization, o.token)) {
      reply.header("www-authenticate", "Bearer").code(401).send(errorBody("UNAUTHORIZED", "a valid bearer token is required"));
      return reply;
    }
    // An unknown route is a 404 before its body is read: otherwise the not-found route would
    // parse the body first and a malformed or oversized one would answer 400/413 (rules.md [37]).
    if (req.is404) return reply.code(404).send(errorBody("NOT_FOUND", `no route ${req.method} ${url}`));
    const m = /^\/v1\/domains\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url);
    if (m && req.method === "POST") {
      const domain = decodeURIComponent(m[1]!);
      const transition = decodeURIComponent(m[3]!);
      const d = rt.program.module.domains.find((x) => x.name === domain);
      if (!d) return reply.code(404).send(errorBody("NOT_FOUND", `unknown domain ${JSON.stringify(domain)}`));
      if (!d.transitions.some((t) => t.name === transition)) return reply.code(404).send(errorBody("NOT_FOUND", `domain ${domain} has no transition ${JSON.stringify(transition)}`));
    }
    return;
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.code(413).send(errorBody("BODY_TOO_LARGE", `the body is larger than ${bodyLimit} bytes`));
    if (err.statusCode === 400 || err.code === "BAD_JSON" || err.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || err.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") {
      return reply.code(400).send(errorBody("BAD_JSON", err.message));
    }
    return sendRuntimeError(reply, err);
  });

  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody("NOT_FOUND", `no route ${req.method} ${req.url.split("?")[0]}`)));

  app.post<{ Params: Params; Querystring: { wait?: string } }>("/v1/domains/:domain/:id/:transition", async (req, reply) => {
    const { domain, id, transition } = req.params;
    const wait = req.query.wait === "1" || req.query.wait === "true";
    const keyHeader = req.headers["idempotency-key"];
    const key = typeof keyHeader === "string" && keyHeader !== "" ? keyHeader : undefined;
    // Fastify skips the parser for an empty body without a content type: that is `{}` too.
    const body = req.body === undefined ? {} : req.body;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return reply.code(422).send(errorBody("BAD_ARGS", "the body must be a JSON object of arguments", ""));
    }
    try {
      if (!wait) {
        const ack = await rt.send(domain, id, transition!, body, { idempotencyKey: key });
        return reply.code(202).send({ accepted: true, lsn: ack.lsn, mailbox_offset: ack.mailbox_offset });
      }
      const ack = await rt.send(domain, id, transition!, body, { idempotencyKey: key });
      const entry = key !== undefined ? rt.dedupEntry(key) : undefined;
      if (entry && ack.duplicate && entry.outcome) return replyOutcome(reply, entry.outcome, entry.outcome.cycle ?? 0);
      const done = rt.waitFor(domain, id, ack.mailbox_offset);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), waitTimeoutMs);
      });
      try {
        const r = await Promise.race([done, timeout, closed]);
        if (r === "timeout") return reply.code(202).send({ accepted: true, lsn: ack.lsn, mailbox_offset: ack.mailbox_offset, waited_ms: waitTimeoutMs });
        if (r === "closing") return reply.code(202).send({ accepted: true, lsn: ack.lsn, mailbox_offset: ack.mailbox_offset, shutting_down: true });
        return reply.code(200).send({ cycle: r.cycle, result: r.reply });
      } catch (e) {
        if (e instanceof TransitionError) return reply.code(409).send({ error: { code: e.code, message: e.message }, cycle: e.cycle });
        throw e;
      } finally {
        clearTimeout(timer);
        done.catch(() => {});
      }
    } catch (e) {
      return sendRuntimeError(reply, e);
    }
  });

  app.get<{ Params: Params }>("/v1/domains/:domain/:id", async (req, reply) => {
    const { domain, id } = req.params;
    if (!rt.program.domainIdx.has(domain)) return reply.code(404).send(errorBody("NOT_FOUND", `unknown domain ${JSON.stringify(domain)}`));
    const env = await rt.state(domain, id);
    if (env === null) return reply.code(404).send(errorBody("NOT_FOUND", `${domain}[${id}] was never messaged`));
    return reply.code(200).send(env);
  });

  app.get("/v1/health", async (_req, reply) => {
    const failed = rt.failure !== null;
    return reply.code(failed ? 503 : 200).send({
      status: failed ? "failed" : rt.isClosed ? "closed" : "ok",
      program: rt.program.hash,
      instances: rt.engine.instances.size,
      queued_inputs: rt.queuedInputs,
      wal_bytes: rt.walBytes(),
      recovery: { ms: Math.round(rt.metrics.recoveryMs), restored: rt.recovery.restored, replayed_cycles: rt.recovery.replayedCycles, notes: rt.recovery.notes },
      ...(failed ? { error: errorMessage(rt.failure) } : {}),
    });
  });

  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", metrics.contentType);
    return reply.send(await metrics.text());
  });

  return app;
}

function replyOutcome(reply: FastifyReply, o: { k: "done"; reply: unknown } | { k: "failed"; code: string; message: string }, cycle: number) {
  if (o.k === "failed") return reply.code(409).send({ error: { code: o.code, message: o.message } });
  return reply.code(200).send({ cycle, result: o.reply });
}

const UNAVAILABLE_CODES = new Set(["WAL_NO_SPACE", "WAL_FAILED", "WAL_CLOSED", "RUNTIME_FAILED"]);

function sendRuntimeError(reply: FastifyReply, e: unknown) {
  if (e instanceof RuntimeInputError) return reply.code(e.status).send(errorBody(e.code, e.message, e.pointer));
  if (e instanceof OverloadedError) return reply.code(e.status).header("retry-after", String(e.retryAfterSeconds)).send(errorBody(e.code, e.message));
  // The node cannot take input now (disk full, the WAL or the runtime stopped after an error
  // and waits for a restart): 503 tells a client to retry later or elsewhere; it is not a bug
  // in the request (4xx) nor an unexplained failure (500).
  if (e instanceof LexumError && UNAVAILABLE_CODES.has(e.code)) {
    (reply.request as FastifyRequest).log?.error?.({ err: e.message, code: e.code }, "input refused: the node is unavailable");
    return reply.code(503).header("retry-after", "5").send(errorBody(e.code, e.message));
  }
  const msg = errorMessage(e);
  (reply.request as FastifyRequest).log?.error?.({ err: msg }, "request failed");
  return reply.code(500).send(errorBody("INTERNAL", msg));
}
