/**
 * Effect failures reach the program as the declared `Err(EffectError)` (rules.md [25], [26]):
 * exactly `retries + 1` attempts, backoff `min(lo·2^(k−1), hi)` between them, a per-attempt
 * timeout, terminal errors without retries, results checked against the declared type — and
 * the runtime stays up. Time is a SimClock, so backoffs and timeouts cost no real time and
 * each attempt's virtual start time is checked to the millisecond; adapters count attempts.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { AdapterError, httpRequest, type Adapter } from "../../src/effects/index.ts";
import type { Runtime } from "../../src/runtime/runtime.ts";
import { drive, driven, openSim, recording, settle, simDelay, walRecords, RecordType, type SimRuntime } from "./sim.ts";

const PROGRAM = `
type Receipt { id: string, amount: int }

effect Pay.charge(amount: int) -> Receipt {
  retries 3 backoff 100ms..250ms
  timeout 2s
}

effect Pay.once(amount: int) -> Receipt

effect Api.call(method: string, url: string, headers: map<string, string>, body: string) -> HttpResponse {
  capability network.egress
  retries 2 backoff 50ms..1s
  timeout 1s
}

domain Shop {
  capability network.egress
  state { last: string = "", charges: int = 0 }

  transition Charge(amount: int) {
    let r = await Pay.charge(amount: amount)
    match r {
      Ok(v) => { charges += 1; last = "ok {v.id} {v.amount}" }
      Err(e) => { last = "err {e.code} {e.attempts} {e.message}" }
    }
    return last
  }

  transition Once(amount: int) {
    let r = await Pay.once(amount: amount)
    match r {
      Ok(v) => { last = "ok {v.id} {v.amount}" }
      Err(e) => { last = "err {e.code} {e.attempts} {e.message}" }
    }
    return last
  }

  transition Call(url: string) {
    let r = await Api.call(method: "POST", url: url, headers: {"x-test": "1"}, body: "hi")
    match r {
      Ok(resp) => { last = "ok {resp.status} {resp.body}" }
      Err(e) => { last = "err {e.code} {e.attempts} {e.message}" }
    }
    return last
  }

  transition Get(url: string) {
    let r = await Http.request(method: "GET", url: url, headers: {}, body: "")
    match r {
      Ok(resp) => { last = "ok {resp.status} {resp.body}" }
      Err(e) => { last = "err {e.code} {e.attempts} {e.message}" }
    }
    return last
  }
}
`;

const open: SimRuntime[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    // The runtime stayed up through every failure: no fatal error, and it still takes work.
    expect(s.rt.failure).toBeNull();
    await s.rt.close();
  }
});

async function boot(adapters: Record<string, Adapter>, extra: Parameters<typeof openSim>[1] = {}): Promise<SimRuntime> {
  const s = await openSim(PROGRAM, { adapters: { "Pay.charge": () => ({ id: "x", amount: 0 }), "Pay.once": () => ({ id: "x", amount: 0 }), "Api.call": httpRequest, ...adapters }, ...extra });
  open.push(s);
  return s;
}

/** The single RESULT record of an instance's await, as journaled. */
async function resultRecords(rt: Runtime, instance: string) {
  return (await walRecords(rt)).filter((r) => r.type === RecordType.RESULT && r.rec && "r" in r.rec && (r.rec.r as { instance: string }).instance === instance).map((r) => (r.rec as { r: { attempts: number } }).r);
}

async function stillServes(s: SimRuntime): Promise<void> {
  const reply = await driven(s.clock, s.rt.call("Shop", "after", "Once", { amount: 1 }));
  expect(reply).toBe("ok x 0");
}

describe("retryable failures", () => {
  test("a thrown error is retried: Err(LX-EFFECT-RETRIES) after retries+1 attempts, backoff 100, 200, 250 (capped)", async () => {
    let n = 0;
    const s = await boot({});
    const pay = recording(s.clock, () => {
      n++;
      throw new Error(`card network down (${n})`);
    });
    s.rt.adapters.register("Pay.charge", pay);
    const reply = await driven(s.clock, s.rt.call("Shop", "s1", "Charge", { amount: 7 }));
    expect(reply).toBe("err LX-EFFECT-RETRIES 4 Pay.charge failed after 4 attempts: card network down (4)");
    expect(pay.calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3, 4]);
    // Attempt k+1 starts min(100·2^(k−1), 250) ms after attempt k failed (failures are instant here).
    expect(pay.calls.map((c) => c.at)).toEqual([0, 100, 300, 550]);
    expect(new Set(pay.calls.map((c) => c.ctx.idempotencyKey))).toEqual(new Set(["Shop/s1/1/0"]));
    expect(pay.calls.map((c) => c.ctx.deadline - c.at)).toEqual(pay.calls.map(() => 1_700_000_000_000 + 2_000));
    expect(pay.calls[0]!.args).toEqual({ amount: 7 });
    expect(pay.calls[0]!.ctx).toMatchObject({ domain: "Shop", instance: "s1", effect: "Pay.charge" });
    expect(await resultRecords(s.rt, "s1")).toMatchObject([{ attempts: 4 }]);
    await stillServes(s);
  });

  test("a failure then a success: Ok, with the attempt count journaled", async () => {
    const s = await boot({});
    const pay = recording(s.clock, (args, ctx) => {
      if (ctx.attempt < 3) throw new Error("flaky");
      return { id: `r-${ctx.idempotencyKey}`, amount: args["amount"] };
    });
    s.rt.adapters.register("Pay.charge", pay);
    expect(await driven(s.clock, s.rt.call("Shop", "s2", "Charge", { amount: 9 }))).toBe("ok r-Shop/s2/1/0 9");
    expect(pay.calls.map((c) => [c.ctx.attempt, c.at])).toEqual([
      [1, 0],
      [2, 100],
      [3, 300],
    ]);
    expect(await resultRecords(s.rt, "s2")).toMatchObject([{ attempts: 3 }]);
    expect((await s.rt.state("Shop", "s2"))!.state).toEqual({ last: "ok r-Shop/s2/1/0 9", charges: 1 });
  });

  test("timeouts: each attempt is aborted at its deadline; Err(LX-EFFECT-TIMEOUT) after 4 attempts", async () => {
    const s = await boot({});
    const signals: AbortSignal[] = [];
    // Never answers: only the declared 2 s timeout ends an attempt.
    const pay = recording(s.clock, (_a, ctx) => {
      signals.push(ctx.signal);
      return new Promise(() => {});
    });
    s.rt.adapters.register("Pay.charge", pay);
    const reply = await driven(s.clock, s.rt.call("Shop", "s3", "Charge", { amount: 1 }));
    expect(reply).toBe("err LX-EFFECT-TIMEOUT 4 Pay.charge timed out after 2000 ms (attempt 4 of 4)");
    // 2000 ms timeout + backoff 100, 200, 250 between attempts.
    expect(pay.calls.map((c) => c.at)).toEqual([0, 2_100, 4_300, 6_550]);
    expect(signals.every((sg) => sg.aborted)).toBe(true);
    await stillServes(s);
  });

  test("an answer after the deadline is ignored: the attempt already timed out and the retry's answer wins", async () => {
    const s = await boot({});
    const pay = recording(s.clock, (_a, ctx) => (ctx.attempt === 1 ? simDelay(s.clock, 2_500, { id: "late", amount: 1 }) : { id: "in-time", amount: 2 }));
    s.rt.adapters.register("Pay.charge", pay);
    expect(await driven(s.clock, s.rt.call("Shop", "s4", "Charge", { amount: 1 }))).toBe("ok in-time 2");
    await drive(s.clock, () => s.clock.nextDueAt() === null); // let the late answer arrive
    await settle();
    expect(await resultRecords(s.rt, "s4")).toMatchObject([{ attempts: 2 }]);
    expect((await s.rt.state("Shop", "s4"))!.state).toEqual({ last: "ok in-time 2", charges: 1 });
  });

  test("defaults: no retries clause means one attempt (retries 0)", async () => {
    const s = await boot({});
    const once = recording(s.clock, () => {
      throw new Error("nope");
    });
    s.rt.adapters.register("Pay.once", once);
    expect(await driven(s.clock, s.rt.call("Shop", "s5", "Once", { amount: 1 }))).toBe("err LX-EFFECT-RETRIES 1 Pay.once failed after 1 attempt: nope");
    expect(once.calls).toHaveLength(1);
  });
});

describe("terminal failures", () => {
  test("AdapterError(msg, terminal) fails at once: Err(LX-EFFECT-TERMINAL), attempts 1, no retries", async () => {
    const s = await boot({});
    const pay = recording(s.clock, () => {
      throw new AdapterError("card declined", true);
    });
    s.rt.adapters.register("Pay.charge", pay);
    expect(await driven(s.clock, s.rt.call("Shop", "t1", "Charge", { amount: 1 }))).toBe("err LX-EFFECT-TERMINAL 1 card declined");
    expect(pay.calls).toHaveLength(1);
    await stillServes(s);
  });

  test("any thrown value with terminal: true is terminal, and its message reaches the program", async () => {
    const s = await boot({});
    const pay = recording(s.clock, (_a, ctx) => {
      if (ctx.attempt === 1) throw new Error("timeout talking to the bank");
      throw { terminal: true, message: "account closed" };
    });
    s.rt.adapters.register("Pay.charge", pay);
    expect(await driven(s.clock, s.rt.call("Shop", "t2", "Charge", { amount: 1 }))).toBe("err LX-EFFECT-TERMINAL 2 account closed");
    expect(pay.calls.map((c) => c.at)).toEqual([0, 100]);
  });

  test("a rejected promise is the same as a throw; terminal: false stays retryable", async () => {
    const s = await boot({});
    const pay = recording(s.clock, () => Promise.reject(Object.assign(new Error("busy"), { terminal: false })));
    s.rt.adapters.register("Pay.charge", pay);
    expect(await driven(s.clock, s.rt.call("Shop", "t3", "Charge", { amount: 1 }))).toBe("err LX-EFFECT-RETRIES 4 Pay.charge failed after 4 attempts: busy");
  });
});

describe("result shape (LX-EFFECT-SHAPE)", () => {
  test.each([
    ["a field of the wrong type", { id: 5, amount: 1 }, "/id"],
    ["a missing field", { id: "a" }, "/amount"],
    ["a non-integral int", { id: "a", amount: 1.5 }, "/amount"],
    ["no result at all", undefined, "/"],
    ["a string instead of a record", "ok", "/"],
  ])("%s is a terminal Err naming the field", async (_name, result, pointer) => {
    const s = await boot({});
    const pay = recording(s.clock, () => result);
    s.rt.adapters.register("Pay.charge", pay);
    const reply = (await driven(s.clock, s.rt.call("Shop", "sh", "Charge", { amount: 1 }))) as string;
    expect(reply).toMatch(/^err LX-EFFECT-SHAPE 1 the result of Pay\.charge does not match its declared type \(/);
    expect(reply).toContain(`(${pointer}`);
    expect(pay.calls).toHaveLength(1); // a shape error is not retried
    await stillServes(s);
  });

  test("extra fields are dropped, not an error", async () => {
    const s = await boot({ "Pay.charge": () => ({ id: "a", amount: 3, currency: "EUR", nested: { x: 1 } }) });
    expect(await driven(s.clock, s.rt.call("Shop", "sx", "Charge", { amount: 1 }))).toBe("ok a 3");
  });
});

/** The built-in HTTP adapter, counting the calls still in progress (time stands still while one is). */
function trackedHttp() {
  const a = (async (args: Record<string, unknown>, ctx: Parameters<Adapter>[1]) => {
    a.busy++;
    a.calls++;
    try {
      return await httpRequest(args, ctx);
    } finally {
      a.busy--;
    }
  }) as Adapter & { busy: number; calls: number };
  a.busy = 0;
  a.calls = 0;
  return a;
}

/** A local HTTP service whose behaviour each test sets. */
async function httpService(handler: http.RequestListener) {
  const requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let inFlight = 0;
  const server = http.createServer(async (req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    let body = "";
    for await (const c of req) body += c;
    requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    get inFlight() {
      return inFlight;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe("the built-in HTTP adapter", () => {
  test("5xx answers are retried with the same Idempotency-Key; Err(LX-EFFECT-RETRIES) after the declared attempts", async () => {
    const svc = await httpService((_q, res) => res.writeHead(503).end("down"));
    try {
      const api = trackedHttp();
      const s = await boot({ "Api.call": api });
      const reply = await driven(s.clock, s.rt.call("Shop", "h1", "Call", { url: `${svc.url}/pay` }), () => api.busy === 0);
      expect(reply).toBe(`err LX-EFFECT-RETRIES 3 Api.call failed after 3 attempts: Http.request POST ${svc.url}/pay: HTTP 503`);
      expect(svc.requests).toHaveLength(3);
      expect(new Set(svc.requests.map((r) => r.headers["idempotency-key"]))).toEqual(new Set(["Shop/h1/1/0"]));
      expect(svc.requests[0]).toMatchObject({ method: "POST", url: "/pay", body: "hi" });
      expect(svc.requests[0]!.headers["x-test"]).toBe("1");
      await stillServes(s);
    } finally {
      await svc.close();
    }
  });

  test("a 5xx then a 200: Ok with the response; a 4xx is an answer, not a failure", async () => {
    let n = 0;
    const svc = await httpService((req, res) => {
      if (req.url === "/missing") return void res.writeHead(404).end("no such thing");
      n++;
      if (n === 1) return void res.writeHead(500).end("oops");
      res.writeHead(200, { "x-receipt": "r1" }).end("charged");
    });
    try {
      const api = trackedHttp();
      const s = await boot({ "Api.call": api });
      expect(await driven(s.clock, s.rt.call("Shop", "h2", "Call", { url: `${svc.url}/pay` }), () => api.busy === 0)).toBe("ok 200 charged");
      expect(await driven(s.clock, s.rt.call("Shop", "h3", "Call", { url: `${svc.url}/missing` }), () => api.busy === 0)).toBe("ok 404 no such thing");
      expect(svc.requests.filter((r) => r.url === "/missing")).toHaveLength(1);
    } finally {
      await svc.close();
    }
  });

  test("connection refused is retried, then Err(LX-EFFECT-RETRIES) naming ECONNREFUSED", async () => {
    const svc = await httpService(() => {});
    const url = svc.url;
    await svc.close(); // nothing listens there any more
    const api = trackedHttp();
    const s = await boot({ "Api.call": api });
    const reply = await driven(s.clock, s.rt.call("Shop", "h4", "Call", { url: `${url}/pay` }), () => api.busy === 0);
    expect(api.calls).toBe(3);
    expect(reply).toBe(`err LX-EFFECT-RETRIES 3 Api.call failed after 3 attempts: Http.request POST ${url}/pay: ECONNREFUSED`);
    await stillServes(s);
  });

  test("a server that never answers: the attempt is aborted at the timeout (the request is cancelled)", async () => {
    const svc = await httpService(() => {}); // holds every request open
    try {
      const api = trackedHttp();
      const s = await boot({ "Api.call": api });
      // Move time only once the request reached the server: then only the timeout can end it.
      const reply = await driven(s.clock, s.rt.call("Shop", "h5", "Call", { url: `${svc.url}/slow` }), () => api.busy === 0 || svc.requests.length === api.calls);
      expect(reply).toBe("err LX-EFFECT-TIMEOUT 3 Api.call timed out after 1000 ms (attempt 3 of 3)");
      expect(svc.requests).toHaveLength(3);
      await drive(s.clock, () => svc.inFlight === 0); // aborting closed each request
    } finally {
      await svc.close();
    }
  });

  test("Http.request itself (prelude: retries 0, timeout 30 s): one attempt, 5xx → Err", async () => {
    const svc = await httpService((_q, res) => res.writeHead(502).end());
    try {
      const s = await boot({});
      let busy = 0;
      s.rt.adapters.register("Http.request", async (a, c) => {
        busy++;
        try {
          return await httpRequest(a, c);
        } finally {
          busy--;
        }
      });
      expect(await driven(s.clock, s.rt.call("Shop", "h6", "Get", { url: `${svc.url}/x` }), () => busy === 0)).toBe(`err LX-EFFECT-RETRIES 1 Http.request failed after 1 attempt: Http.request GET ${svc.url}/x: HTTP 502`);
      expect(svc.requests).toHaveLength(1);
      expect(svc.requests[0]!.headers["idempotency-key"]).toBe("Shop/h6/1/0");
      expect(await driven(s.clock, s.rt.call("Shop", "h7", "Get", { url: "ftp://example.com/x" }))).toBe("err LX-EFFECT-TERMINAL 1 Http.request: only http and https URLs are supported, not ftp:");
    } finally {
      await svc.close();
    }
  });
});

describe("back-pressure", () => {
  test("maxEffectsInFlight 3 with 40 slow intents: never more than 3 adapters run at once, all finish", async () => {
    const s = await boot({}, { maxEffectsInFlight: 3 });
    const pay = recording(s.clock, (args) => simDelay(s.clock, 1_000, { id: "slow", amount: args["amount"] }));
    s.rt.adapters.register("Pay.charge", pay);
    const calls = Array.from({ length: 40 }, (_, i) => s.rt.call("Shop", `bp-${String(i).padStart(2, "0")}`, "Charge", { amount: i }));
    const replies = await driven(s.clock, Promise.all(calls));
    expect(replies).toEqual(Array.from({ length: 40 }, (_, i) => `ok slow ${i}`));
    expect(pay.calls).toHaveLength(40);
    expect(pay.maxRunning).toBe(3);
    // Three at a time, one second each: 14 waves (the last one of one intent).
    expect(Math.max(...pay.calls.map((c) => c.at))).toBe(13_000);
    // FIFO: the intents start in the order their cycles committed (the scheduler runs the
    // ready instances in (priority, time, domain, instance) order: here the padded ids).
    expect(pay.calls.map((c) => c.args["amount"])).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await stillServes(s);
  });

  test("a failing adapter under back-pressure frees its slot for the next intent", async () => {
    const s = await boot({}, { maxEffectsInFlight: 2 });
    const pay = recording(s.clock, (args) => {
      if ((args["amount"] as number) % 2 === 0) throw new AdapterError("even amounts are declined", true);
      return simDelay(s.clock, 500, { id: "odd", amount: args["amount"] });
    });
    s.rt.adapters.register("Pay.charge", pay);
    const replies = await driven(s.clock, Promise.all(Array.from({ length: 10 }, (_, i) => s.rt.call("Shop", `bf-${i}`, "Charge", { amount: i }))));
    expect(replies).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? "err LX-EFFECT-TERMINAL 1 even amounts are declined" : `ok odd ${i}`)));
    expect(pay.maxRunning).toBeLessThanOrEqual(2);
  });
});

describe("Http.request details (the adapter called directly)", () => {
  const ctx = (key = "Shop/x/1/0") => ({ idempotencyKey: key, attempt: 1, deadline: Date.now() + 5_000, signal: new AbortController().signal, domain: "Shop", instance: "x", effect: "Http.request" });

  test("method, body, headers (case-insensitive, program's Idempotency-Key wins), multi-valued answers, UTF-8 body", async () => {
    const svc = await httpService((req, res) => {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(201, { "x-one": "1" }).end("\uFEFFhé");
    });
    try {
      const r = (await httpRequest({ method: "put", url: `${svc.url}/p?q=1`, headers: { "X-Thing": "a", "x-thing": "b", "Idempotency-Key": "mine" }, body: "payload" }, ctx())) as { status: number; headers: Record<string, string>; body: string };
      expect(r).toEqual({ status: 201, headers: expect.objectContaining({ "x-one": "1", "set-cookie": "a=1, b=2" }), body: "hé" });
      const got = svc.requests[0]!;
      expect(got).toMatchObject({ method: "PUT", url: "/p?q=1", body: "payload" });
      expect(got.headers["x-thing"]).toBe("b");
      expect(got.headers["idempotency-key"]).toBe("mine");
      expect(got.headers["content-type"]).toBe("text/plain;charset=UTF-8");
      await httpRequest({ method: "GET", url: `${svc.url}/g`, headers: {}, body: "ignored" }, ctx("k2"));
      expect(svc.requests[1]).toMatchObject({ method: "GET", body: "" });
      expect(svc.requests[1]!.headers["idempotency-key"]).toBe("k2");
    } finally {
      await svc.close();
    }
  });

  test("redirects: 302 after a POST becomes a GET, 307 keeps method and body, a loop ends terminally", async () => {
    const svc = await httpService((req, res) => {
      if (req.url === "/old") return void res.writeHead(302, { location: "/new" }).end();
      if (req.url === "/keep") return void res.writeHead(307, { location: "new" }).end();
      if (req.url === "/loop") return void res.writeHead(301, { location: "/loop" }).end();
      res.writeHead(200).end(`${req.method} ${req.url}`);
    });
    try {
      expect(await httpRequest({ method: "POST", url: `${svc.url}/old`, headers: {}, body: "b" }, ctx())).toMatchObject({ status: 200, body: "GET /new" });
      expect(await httpRequest({ method: "POST", url: `${svc.url}/keep`, headers: {}, body: "b" }, ctx())).toMatchObject({ status: 200, body: "POST /new" });
      expect(svc.requests.filter((r) => r.url === "/new").map((r) => [r.method, r.body])).toEqual([
        ["GET", ""],
        ["POST", "b"],
      ]);
      const e = await Promise.resolve(httpRequest({ method: "GET", url: `${svc.url}/loop`, headers: {}, body: "" }, ctx())).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AdapterError);
      expect((e as AdapterError).terminal).toBe(true);
      expect((e as Error).message).toMatch(/more than 20 redirects/);
    } finally {
      await svc.close();
    }
  });

  test("credentials are not sent to another origin after a redirect", async () => {
    const other = await httpService((_q, res) => res.writeHead(200).end("there"));
    const svc = await httpService((_q, res) => res.writeHead(302, { location: `${other.url}/land` }).end());
    try {
      expect(await httpRequest({ method: "GET", url: `${svc.url}/go`, headers: { authorization: "Bearer s", "x-keep": "1" }, body: "" }, ctx())).toMatchObject({ body: "there" });
      expect(svc.requests[0]!.headers["authorization"]).toBe("Bearer s");
      expect(other.requests[0]!.headers["authorization"]).toBeUndefined();
      expect(other.requests[0]!.headers["x-keep"]).toBe("1");
    } finally {
      await svc.close();
      await other.close();
    }
  });

  test("a bad header value or URL is terminal; an abort ends the request", async () => {
    const svc = await httpService(() => {});
    try {
      for (const a of [
        { method: "GET", url: `${svc.url}/`, headers: { "x-bad": "a\nb" }, body: "" },
        { method: "GET", url: "not a url", headers: {}, body: "" },
      ]) {
        const e = await Promise.resolve(httpRequest(a, ctx())).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(AdapterError);
        expect((e as AdapterError).terminal).toBe(true);
      }
      const ac = new AbortController();
      const p = Promise.resolve(httpRequest({ method: "GET", url: `${svc.url}/hang`, headers: {}, body: "" }, { ...ctx(), signal: ac.signal })).catch((x: unknown) => x);
      while (svc.requests.length === 0) await new Promise((r) => setTimeout(r, 2));
      ac.abort(new Error("timed out"));
      const e = await p;
      expect(e).toBeInstanceOf(AdapterError);
      expect((e as AdapterError).terminal).toBe(false);
    } finally {
      await svc.close();
    }
  });
});
