/**
 * `lexum run` as a process: graceful shutdown on SIGTERM (stop accepting, drain, snapshot,
 * exit 0), and the CLI clients `lexum send --url | --data` and `lexum state --url`.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.ts";
import { compile } from "../../src/compiler/compile.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { EXAMPLES, REPO, sleep, spawnRun } from "./child.ts";

const COUNTER = path.join(EXAMPLES, "counter.lex");
const JOBS = path.join(REPO, "test/ingress/fixtures/jobs.lex");
const JOBS_ADAPTERS = path.join(REPO, "test/ingress/fixtures/jobs_adapters.ts");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-ingress-proc-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dataDir = () => path.join(tmp, `d${n++}`);

/** Runs the CLI in this process and captures what it prints. */
async function lexum(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "lexum", ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("SIGTERM", () => {
  test("stops accepting, runs every acknowledged input, writes final snapshots and exits 0", async () => {
    const d = dataDir();
    const child = spawnRun([COUNTER, "--data", d], { LEXUM_LOG_LEVEL: "info" });
    const url = await child.ready;
    const outcomes: (number | "refused")[] = [];
    let acked = 0;
    const posts = Array.from({ length: 300 }, async () => {
      try {
        const res = await fetch(`${url}/v1/domains/Counter/c/Increment`, { method: "POST", body: '{"by": 1}', headers: { "content-type": "application/json" } });
        await res.text();
        outcomes.push(res.status);
        if (res.status === 202 && ++acked === 100) child.proc.kill("SIGTERM");
      } catch {
        outcomes.push("refused");
      }
    });
    await Promise.all(posts);
    // Keep knocking after the signal: once refused (503 or no connection), never accepted again.
    const after: (number | "refused")[] = [];
    let alive = true;
    void child.exited.then(() => (alive = false));
    while (alive) {
      try {
        const res = await fetch(`${url}/v1/domains/Counter/c/Increment`, { method: "POST", body: '{"by": 1}', headers: { "content-type": "application/json", connection: "close" } });
        await res.text();
        after.push(res.status);
        if (res.status === 202) acked++;
      } catch {
        after.push("refused");
      }
    }
    const firstRefusal = after.findIndex((o) => o !== 202);
    expect(firstRefusal).toBeGreaterThanOrEqual(0);
    expect(after.slice(firstRefusal).every((o) => o !== 202)).toBe(true);
    const exit = await child.exited;
    expect(exit.code, child.stderr() + child.stdout()).toBe(0);
    expect(acked).toBeGreaterThanOrEqual(100);
    // After the signal: accepted (drained) or refused — never lost, never an error.
    for (const o of outcomes) expect([202, 503, "refused"]).toContain(o);
    expect(child.stdout()).toContain("stopped cleanly");

    // Every acknowledged input ran before the exit, and the final snapshot covers it.
    const st = await lexum("state", "Counter", "c", "--data", d);
    expect(st.code, st.err).toBe(0);
    expect(JSON.parse(st.out)).toMatchObject({ cycle: acked, mailbox_offset: acked, state: { count: acked } });
    const snap = await lexum("snapshot", "show", "Counter", "c", "--data", d);
    expect(snap.code, snap.err).toBe(0);
    expect(JSON.parse(snap.out)).toMatchObject({ cycle: acked, mailbox_offset: acked, state: { count: acked } });

    // A restart replays nothing: the shutdown left no tail to recover.
    const again = spawnRun([COUNTER, "--data", d]);
    const url2 = await again.ready;
    const health = (await (await fetch(`${url2}/v1/health`)).json()) as { recovery: { replayed_cycles: number } };
    expect(health.recovery.replayed_cycles).toBe(0);
    again.proc.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
  });

  test("a ?wait=1 request in flight is answered 202 at once, the process exits 0 promptly, and the work resumes after a restart", async () => {
    const d = dataDir();
    const child = spawnRun([JOBS, "--data", d, "--adapters", JOBS_ADAPTERS]);
    const url = await child.ready;
    const waiting = fetch(`${url}/v1/domains/Job/j1/Run?wait=1`, { method: "POST", body: '{"ms": 600000}' }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    // The intent is out when the instance is suspended on it.
    for (;;) {
      const st = (await (await fetch(`${url}/v1/domains/Job/j1`)).json().catch(() => null)) as { status?: string } | null;
      if (st?.status === "SUSPENDED") break;
      await sleep(20);
    }
    const t0 = performance.now();
    child.proc.kill("SIGTERM");
    const w = await waiting;
    expect(w.status).toBe(202);
    expect(w.body).toMatchObject({ accepted: true, mailbox_offset: 1 });
    const exit = await child.exited;
    expect(exit.code, child.stderr()).toBe(0);
    expect(performance.now() - t0).toBeLessThan(10_000);

    // After a restart the pending effect is dispatched again (here answered quickly).
    const fast = path.join(tmp, "fast_adapters.ts");
    fs.writeFileSync(fast, `export default { "Slow.op": async () => 7 };\n`);
    const again = spawnRun([JOBS, "--data", d, "--adapters", fast]);
    const url2 = await again.ready;
    for (;;) {
      const st = (await (await fetch(`${url2}/v1/domains/Job/j1`)).json()) as { status: string; state: { done: number } };
      if (st.status === "ACTIVE") {
        expect(st.state.done).toBe(7);
        break;
      }
      await sleep(20);
    }
    again.proc.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
  });
});

describe("lexum send / state --url", () => {
  test("against a running server with a token", async () => {
    const d = dataDir();
    const child = spawnRun([COUNTER, "--data", d, "--token", "t0k"]);
    const url = await child.ready;
    try {
      const tok = ["--url", url, "--token", "t0k"];
      const a = await lexum("send", "Counter", "c1", "Increment", '{"by": 2}', ...tok);
      expect(a.code, a.err).toBe(0);
      expect(JSON.parse(a.out)).toMatchObject({ accepted: true, mailbox_offset: 1 });

      const b = await lexum("send", "Counter", "c1", "Increment", '{"by": 3}', ...tok, "--wait");
      expect(b.code, b.err).toBe(0);
      expect(JSON.parse(b.out)).toEqual({ cycle: 2, result: 5 });

      const k1 = await lexum("send", "Counter", "c1", "Increment", '{"by": 10}', ...tok, "--key", "once");
      const k2 = await lexum("send", "Counter", "c1", "Increment", '{"by": 10}', ...tok, "--key", "once");
      expect(k2.out).toBe(k1.out);

      const f = await lexum("send", "Counter", "c1", "Increment", '{"by": -1}', ...tok, "--wait");
      expect(f.code).toBe(1);
      expect(f.err).toContain("409");
      expect(f.err).toContain("LX-ASSERT");

      const bad = await lexum("send", "Counter", "c1", "Increment", '{"by": "x"}', ...tok);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain("422");
      expect(bad.err).toContain("/by");

      const s = await lexum("state", "Counter", "c1", ...tok);
      expect(s.code, s.err).toBe(0);
      const env = JSON.parse(s.out);
      expect(env).toMatchObject({ domain: "Counter", instance: "c1", state: { count: 15 }, mailbox_offset: 4, status: "ACTIVE" });
      expect(env.run_hash).toMatch(/^0x[0-9a-f]{64}$/);

      const none = await lexum("state", "Counter", "nobody", ...tok);
      expect(none.code).toBe(1);
      expect(none.err).toContain("404");

      const noToken = await lexum("send", "Counter", "c1", "Increment", '{"by": 1}', "--url", url);
      expect(noToken.code).toBe(1);
      expect(noToken.err).toContain("401");
      const wrongToken = await lexum("state", "Counter", "c1", "--url", url, "--token", "nope");
      expect(wrongToken.code).toBe(1);
    } finally {
      child.proc.kill("SIGTERM");
      expect((await child.exited).code).toBe(0);
    }
  });

  test("an unreachable server is one clear sentence and exit 1", async () => {
    // A port nobody listens on: bind one, then close it.
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const r = await lexum("send", "Counter", "c1", "Increment", "{}", "--url", `http://127.0.0.1:${port}`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`lexum: cannot reach http://127.0.0.1:${port}/v1/domains/Counter/c1/Increment (ECONNREFUSED): is \`lexum run\` running there?`);
    const s = await lexum("state", "Counter", "c1", "--url", `http://127.0.0.1:${port}/`);
    expect(s.code).toBe(1);
    expect(s.err).toContain("ECONNREFUSED");
  });

  test("ids and names are percent-encoded on the way", async () => {
    const d = dataDir();
    const child = spawnRun([COUNTER, "--data", d]);
    const url = await child.ready;
    try {
      const id = "a b/c?d#é";
      expect((await lexum("send", "Counter", id, "Increment", '{"by": 1}', "--url", url, "--wait")).code).toBe(0);
      const s = await lexum("state", "Counter", id, "--url", url);
      expect(JSON.parse(s.out)).toMatchObject({ instance: id, state: { count: 1 } });
    } finally {
      child.proc.kill("SIGTERM");
      await child.exited;
    }
  });
});

describe("lexum send --data", () => {
  test("journals and runs one message in a data directory (with --adapters for its effects)", async () => {
    const d = dataDir();
    const rt = await Runtime.open({ program: compile({ [JOBS]: fs.readFileSync(JOBS, "utf8") }), dataDir: d, adapters: { "Slow.op": () => 1 } });
    await rt.close();

    const a = await lexum("send", "Job", "j", "Bump", '{"by": 2}', "--data", d);
    expect(a.code, a.err).toBe(0);
    expect(JSON.parse(a.out)).toMatchObject({ accepted: true, mailbox_offset: 1 });
    const b = await lexum("send", "Job", "j", "Bump", '{"by": 3}', "--data", d, "--wait");
    expect(b.code, b.err).toBe(0);
    expect(JSON.parse(b.out)).toEqual({ cycle: 2, result: 5 });
    const c = await lexum("send", "Job", "j", "Run", '{"ms": 1}', "--data", d, "--wait", "--adapters", JOBS_ADAPTERS);
    expect(c.code, c.err).toBe(0);
    expect(JSON.parse(c.out)).toEqual({ cycle: 4, result: 6 });
    const f = await lexum("send", "Job", "j", "Bump", '{"by": 0}', "--data", d, "--wait");
    expect(f.code).toBe(1);
    expect(JSON.parse(f.out)).toEqual({ error: { code: "LX-ASSERT", message: "by must be positive" } });
    const bad = await lexum("send", "Job", "j", "Nope", "{}", "--data", d);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('no transition "Nope"');

    const s = await lexum("state", "Job", "j", "--data", d);
    expect(JSON.parse(s.out)).toMatchObject({ cycle: 5, mailbox_offset: 4, state: { done: 6 } });
  });

  test("refuses a data directory a running server holds, naming its pid", async () => {
    const d = dataDir();
    const child = spawnRun([COUNTER, "--data", d]);
    await child.ready;
    try {
      const r = await lexum("send", "Counter", "c", "Increment", '{"by": 1}', "--data", d);
      expect(r.code).toBe(1);
      expect(r.err).toContain(String(child.pid));
    } finally {
      child.proc.kill("SIGTERM");
      await child.exited;
    }
  });
});
