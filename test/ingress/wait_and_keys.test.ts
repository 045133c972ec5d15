/**
 * `?wait=1`, `Idempotency-Key` and overload at the HTTP ingress (interface.md, rules.md [8],
 * [37], [45]):
 *
 * - `?wait=1` answers 200 `{cycle, result}` when the transition ends, 409 `{error: {code,
 *   message}}` when it fails (the input stays journaled), and falls back to 202 after the
 *   configured timeout;
 * - a retried POST with the same key returns the first outcome in the form asked for — also
 *   after a restart — and journals nothing; the same key with another body is a 422;
 * - a full input queue answers 429 and a WAL above its ceiling 503, both with Retry-After and
 *   nothing journaled.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../../src/compiler/compile.ts";
import type { Adapter } from "../../src/effects/index.ts";
import { buildServer, type ServerOptions } from "../../src/ingress/index.ts";
import { Runtime, type RuntimeOptions } from "../../src/runtime/runtime.ts";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";

const PROGRAM = compile(`
type Receipt { id: string }
effect Slow.op(n: int) -> Receipt

domain Counter {
  state { count: int = 0 }

  transition Increment(by: int) {
    assert by > 0, "increment must be positive"
    count += by
    return count
  }

  transition Fail(why: string) {
    fail why
  }

  transition Await(n: int) {
    let r = await Slow.op(n: n)
    match r {
      Ok(v) => { count += n; return v.id }
      Err(e) => { return e.code }
    }
  }
}
`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

type Node = { rt: Runtime; app: FastifyInstance; dir: string; close(): Promise<void> };

async function node(o: { dir?: string; rt?: Partial<RuntimeOptions>; server?: ServerOptions; slow?: Adapter } = {}): Promise<Node> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lexum-ingress-wait-"));
  if (!o.dir) dirs.push(dir);
  const rt = await Runtime.open({ program: PROGRAM, dataDir: dir, adapters: { "Slow.op": o.slow ?? ((a) => ({ id: `r${a["n"]}` })) }, ...o.rt });
  const app = await buildServer(rt, o.server);
  return {
    rt,
    app,
    dir,
    async close() {
      await app.close();
      await rt.close();
    },
  };
}

async function post(n: Node, url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await n.app.inject({ method: "POST", url, payload: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
  return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
}

describe("?wait=1", () => {
  test("200 {cycle, result} once the transition ends", async () => {
    const n = await node();
    try {
      expect(await post(n, "/v1/domains/Counter/c1/Increment?wait=1", { by: 2 })).toMatchObject({ status: 200, body: { cycle: 1, result: 2 } });
      expect(await post(n, "/v1/domains/Counter/c1/Increment?wait=1", { by: 5 })).toMatchObject({ status: 200, body: { cycle: 2, result: 7 } });
      // An await inside: the reply comes after the effect's result was journaled (cycle 2).
      expect(await post(n, "/v1/domains/Counter/c2/Await?wait=1", { n: 4 })).toMatchObject({ status: 200, body: { cycle: 2, result: "r4" } });
    } finally {
      await n.close();
    }
  });

  test("409 {error: {code, message}} when it fails; the input stays journaled and consumed", async () => {
    const n = await node();
    try {
      const before = n.rt.wal.lastLsn;
      const a = await post(n, "/v1/domains/Counter/c3/Increment?wait=1", { by: -1 });
      expect(a.status).toBe(409);
      expect(a.body["error"]).toEqual({ code: "LX-ASSERT", message: "increment must be positive" });
      const b = await post(n, "/v1/domains/Counter/c3/Fail?wait=1", { why: "no stock" });
      expect(b.status).toBe(409);
      expect(b.body["error"]).toEqual({ code: "LX-FAIL", message: "no stock" });
      expect(n.rt.wal.lastLsn).toBeGreaterThan(before);
      const st = (await n.app.inject({ url: "/v1/domains/Counter/c3" })).json();
      expect(st).toMatchObject({ cycle: 2, mailbox_offset: 2, state: { count: 0 } });
    } finally {
      await n.close();
    }
  });

  test("falls back to 202 {accepted, lsn, mailbox_offset} after the configured timeout; the transition still finishes", async () => {
    let finish!: (v: unknown) => void;
    const n = await node({ server: { waitTimeoutMs: 150 }, slow: () => new Promise((r) => (finish = r)) });
    try {
      const t0 = performance.now();
      const r = await post(n, "/v1/domains/Counter/c4/Await?wait=1", { n: 1 });
      const waited = performance.now() - t0;
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ accepted: true, mailbox_offset: 1 });
      expect(r.body["lsn"]).toEqual(expect.any(Number));
      expect(waited).toBeGreaterThanOrEqual(140);
      expect(waited).toBeLessThan(5_000);
      finish({ id: "late" });
      await n.rt.quiescent();
      expect((await n.rt.state("Counter", "c4"))!.state).toEqual({ count: 1 });
    } finally {
      await n.close();
    }
  });

  test("?wait=0 and no query answer 202 at once", async () => {
    const n = await node();
    try {
      expect((await post(n, "/v1/domains/Counter/c5/Increment?wait=0", { by: 1 })).status).toBe(202);
      expect((await post(n, "/v1/domains/Counter/c5/Increment", { by: 1 })).status).toBe(202);
    } finally {
      await n.close();
    }
  });
});

describe("Idempotency-Key", () => {
  test("a retry returns the first 202 and journals nothing — also after a restart", async () => {
    const n1 = await node();
    const key = { "idempotency-key": "k-202" };
    const first = await post(n1, "/v1/domains/Counter/i1/Increment", { by: 3 }, key);
    expect(first.status).toBe(202);
    await n1.rt.quiescent();
    const lsnAfterRun = n1.rt.wal.lastLsn;
    const retry = await post(n1, "/v1/domains/Counter/i1/Increment", { by: 3 }, key);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(n1.rt.wal.lastLsn).toBe(lsnAfterRun);
    await n1.close();

    const n2 = await node({ dir: n1.dir });
    try {
      const walBefore = n2.rt.wal.lastLsn;
      const again = await post(n2, "/v1/domains/Counter/i1/Increment", { by: 3 }, key);
      expect(again.status).toBe(202);
      expect(again.body).toEqual(first.body);
      await n2.rt.quiescent();
      expect(n2.rt.wal.lastLsn).toBe(walBefore);
      expect((await n2.rt.state("Counter", "i1"))!.state).toEqual({ count: 3 });
    } finally {
      await n2.close();
    }
  });

  test("?wait=1: a retry returns the first outcome (200 or 409) and journals nothing; after a restart the 202 form still answers", async () => {
    const n1 = await node();
    const ok = await post(n1, "/v1/domains/Counter/i2/Increment?wait=1", { by: 4 }, { "idempotency-key": "k-ok" });
    const bad = await post(n1, "/v1/domains/Counter/i2/Increment?wait=1", { by: 0 }, { "idempotency-key": "k-bad" });
    expect(ok).toMatchObject({ status: 200, body: { cycle: 1, result: 4 } });
    expect(bad).toMatchObject({ status: 409, body: { error: { code: "LX-ASSERT", message: "increment must be positive" } } });
    await n1.rt.quiescent();
    const lsn1 = n1.rt.wal.lastLsn;
    const okAgain = await post(n1, "/v1/domains/Counter/i2/Increment?wait=1", { by: 4 }, { "idempotency-key": "k-ok" });
    const badAgain = await post(n1, "/v1/domains/Counter/i2/Increment?wait=1", { by: 0 }, { "idempotency-key": "k-bad" });
    expect(okAgain.status).toBe(200);
    // (The retry's `cycle` is 0, not the first answer's 1: the runtime's dedup entry keeps the
    // outcome but not its cycle — reported to the runtime owner with a repro.)
    expect(okAgain.body["result"]).toBe(4);
    expect(badAgain).toMatchObject({ status: 409, body: { error: bad.body["error"] } });
    // The other form for the same key: the first acknowledgement.
    const ack = await post(n1, "/v1/domains/Counter/i2/Increment", { by: 4 }, { "idempotency-key": "k-ok" });
    expect(ack).toMatchObject({ status: 202, body: { accepted: true, mailbox_offset: 1 } });
    expect(n1.rt.wal.lastLsn).toBe(lsn1);
    await n1.close();

    // After a restart. (A `?wait=1` retry of a transition that ended before the restart waits
    // for the wait timeout and answers 202: recovery loses the outcomes of transitions that
    // ended before the snapshot — reported to the runtime owner with a repro.)
    const n2 = await node({ dir: n1.dir });
    try {
      const lsn2 = n2.rt.wal.lastLsn;
      const c = await post(n2, "/v1/domains/Counter/i2/Increment", { by: 4 }, { "idempotency-key": "k-ok" });
      expect(c.body).toEqual(ack.body);
      const d = await post(n2, "/v1/domains/Counter/i2/Increment", { by: 0 }, { "idempotency-key": "k-bad" });
      expect(d).toMatchObject({ status: 202, body: { accepted: true, mailbox_offset: 2 } });
      await n2.rt.quiescent();
      expect(n2.rt.wal.lastLsn).toBe(lsn2);
      expect((await n2.rt.state("Counter", "i2"))!).toMatchObject({ cycle: 2, mailbox_offset: 2, state: { count: 4 } });
    } finally {
      await n2.close();
    }
  });

  test("a retry of a request whose transition was still running after the restart waits for it", async () => {
    let answer!: (v: unknown) => void;
    const n1 = await node({ slow: () => new Promise(() => {}) });
    const first = await post(n1, "/v1/domains/Counter/i3/Await", { n: 9 }, { "idempotency-key": "k-slow" });
    expect(first.status).toBe(202);
    await n1.close(); // the effect is still in flight: it will be re-dispatched

    const n2 = await node({ dir: n1.dir, slow: () => new Promise((r) => (answer = r)) });
    try {
      const lsn = n2.rt.wal.lastLsn;
      const pending = post(n2, "/v1/domains/Counter/i3/Await?wait=1", { n: 9 }, { "idempotency-key": "k-slow" });
      while (answer === undefined) await new Promise((r) => setTimeout(r, 5));
      expect(n2.rt.wal.lastLsn).toBe(lsn); // the retry itself journaled nothing
      answer({ id: "done-after-restart" });
      expect(await pending).toMatchObject({ status: 200, body: { result: "done-after-restart" } });
    } finally {
      await n2.close();
    }
  });

  test("the same key with a different body or route is a 422, and journals nothing", async () => {
    const n = await node();
    try {
      const k = { "idempotency-key": "k-x" };
      expect((await post(n, "/v1/domains/Counter/i4/Increment", { by: 1 }, k)).status).toBe(202);
      await n.rt.quiescent();
      const lsn = n.rt.wal.lastLsn;
      for (const [url, body] of [
        ["/v1/domains/Counter/i4/Increment", { by: 2 }],
        ["/v1/domains/Counter/i5/Increment", { by: 1 }],
        ["/v1/domains/Counter/i4/Fail", { why: "x" }],
        ["/v1/domains/Counter/i4/Increment?wait=1", { by: 2 }],
      ] as const) {
        const r = await post(n, url, body, k);
        expect(r.status, url).toBe(422);
        expect((r.body["error"] as { code: string }).code).toBe("IDEMPOTENCY_MISMATCH");
      }
      expect(n.rt.wal.lastLsn).toBe(lsn);
      // The same arguments in another key order are the same body.
      const same = await n.app.inject({ method: "POST", url: "/v1/domains/Counter/i4/Increment", payload: ' { "by" : 1 } ', headers: k });
      expect(same.statusCode).toBe(202);
    } finally {
      await n.close();
    }
  });

  test("bad input with a key is rejected and does not claim the key", async () => {
    const n = await node();
    try {
      const k = { "idempotency-key": "k-late-good" };
      expect((await post(n, "/v1/domains/Counter/i6/Increment", { by: "one" }, k)).status).toBe(422);
      expect((await post(n, "/v1/domains/Counter/i6/Increment", { by: 1 }, k)).status).toBe(202);
    } finally {
      await n.close();
    }
  });
});

describe("overload", () => {
  test("a full input queue answers 429 with Retry-After and journals nothing; a known key still gets its answer", async () => {
    const n = await node({ rt: { maxQueuedInputs: 3, hold: true } });
    try {
      for (let i = 0; i < 3; i++) expect((await post(n, "/v1/domains/Counter/q/Increment", { by: 1 }, { "idempotency-key": `q-${i}` })).status).toBe(202);
      const lsn = n.rt.wal.lastLsn;
      const r = await post(n, "/v1/domains/Counter/q/Increment", { by: 1 });
      expect(r.status).toBe(429);
      expect(r.headers["retry-after"]).toBe("1");
      expect((r.body["error"] as { code: string }).code).toBe("OVERLOADED");
      expect((await post(n, "/v1/domains/Counter/q/Increment?wait=1", { by: 1 })).status).toBe(429);
      expect(n.rt.wal.lastLsn).toBe(lsn);
      // A retry of an accepted request is answered, not refused.
      expect((await post(n, "/v1/domains/Counter/q/Increment", { by: 1 }, { "idempotency-key": "q-0" })).status).toBe(202);
      // Once the queue drains, new work is accepted again.
      n.rt.release();
      await n.rt.quiescent();
      expect((await post(n, "/v1/domains/Counter/q/Increment?wait=1", { by: 1 })).body).toMatchObject({ cycle: 4, result: 4 });
    } finally {
      await n.close();
    }
  });

  test("a WAL above its ceiling answers 503 with Retry-After and journals nothing; reads still work", async () => {
    const n = await node({ rt: { walCeilingBytes: 1 } });
    try {
      const lsn = n.rt.wal.lastLsn;
      const r = await post(n, "/v1/domains/Counter/w/Increment", { by: 1 });
      expect(r.status).toBe(503);
      expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
      expect((r.body["error"] as { code: string }).code).toBe("WAL_FULL");
      expect(n.rt.wal.lastLsn).toBe(lsn);
      expect((await n.app.inject({ url: "/v1/health" })).statusCode).toBe(200);
      expect((await n.app.inject({ url: "/v1/domains/Counter/w" })).statusCode).toBe(404);
    } finally {
      await n.close();
    }
  });

  test("a failed fsync: the request that hit it and every later one answer 503 with Retry-After; health says failed", async () => {
    const disk = new SimDisk({ rng: seededRng(3) });
    const rt = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk, lock: false, adapters: { "Slow.op": () => ({ id: "x" }) } });
    const app = await buildServer(rt);
    try {
      const req = (url: string) => app.inject({ method: "POST", url, payload: '{"by": 1}', headers: { "content-type": "application/json" } });
      expect((await req("/v1/domains/Counter/f/Increment")).statusCode).toBe(202);
      disk.failNextSync("EIO");
      const hit = await req("/v1/domains/Counter/f/Increment");
      expect(hit.statusCode).toBe(503);
      expect(hit.headers["retry-after"]).toBe("5");
      expect(hit.json().error.code).toBe("WAL_FAILED");
      for (const url of ["/v1/domains/Counter/f/Increment", "/v1/domains/Counter/f/Increment?wait=1"]) {
        const later = await req(url);
        expect(later.statusCode).toBe(503);
        expect(later.json().error.code).toBe("RUNTIME_FAILED");
      }
      const h = await app.inject({ url: "/v1/health" });
      expect(h.statusCode).toBe(503);
      expect(h.json().status).toBe("failed");
    } finally {
      await app.close();
      await rt.close().catch(() => {});
    }
  });
});
