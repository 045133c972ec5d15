/**
 * `/metrics` (Prometheus text): inputs, commits, fsync latency, effect calls and failures,
 * WAL bytes, snapshot durations, recovery time — each present and moved by real work.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../../src/compiler/compile.ts";
import { buildServer } from "../../src/ingress/index.ts";
import { Runtime } from "../../src/runtime/runtime.ts";

const PROGRAM = compile(`
effect Pay.charge(amount: int) -> int {
  retries 1 backoff 1ms..1ms
}
domain Acct {
  state { total: int = 0 }
  transition Charge(amount: int) {
    let r = await Pay.charge(amount: amount)
    match r {
      Ok(v) => { total += v }
      Err(e) => { fail e.message }
    }
    return total
  }
}
`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-metrics-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Parses the Prometheus text format into `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

test("every metric of the issue is exposed and counts the work done", async () => {
  // First life: some history, so the second start has something to recover.
  const rt0 = await Runtime.open({ program: PROGRAM, dataDir: dir, adapters: { "Pay.charge": (a) => a["amount"] } });
  for (let i = 0; i < 20; i++) await rt0.call("Acct", `a${i % 4}`, "Charge", { amount: 1 });
  await rt0.close({ snapshot: false });

  let calls = 0;
  const rt = await Runtime.open({
    program: PROGRAM,
    dataDir: dir,
    snapshotEveryCycles: 2,
    adapters: {
      "Pay.charge": (a) => {
        // Every third call fails once (retried), so failures and successes both show.
        if (++calls % 3 === 0) throw new Error("flaky");
        return a["amount"];
      },
    },
  });
  const app = await buildServer(rt, { token: "t" });
  try {
    for (let i = 0; i < 12; i++) {
      const r = await app.inject({ method: "POST", url: `/v1/domains/Acct/b${i % 3}/Charge?wait=1`, payload: { amount: 2 }, headers: { authorization: "Bearer t" } });
      expect(r.statusCode).toBe(200);
    }
    await rt.quiescent();
    const res = await app.inject({ url: "/metrics", headers: { authorization: "Bearer t" } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parse(res.body);
    const v = (k: string) => {
      expect(m.has(k), `${k} is exposed`).toBe(true);
      return m.get(k)!;
    };
    expect(v("lexum_inputs_total")).toBe(12);
    expect(v("lexum_commits_total")).toBeGreaterThanOrEqual(24); // an await and an end per input
    expect(v("lexum_wal_flushes_total")).toBeGreaterThan(0);
    expect(v("lexum_fsync_seconds_count")).toBeGreaterThan(0);
    expect(v("lexum_fsync_seconds_sum")).toBeGreaterThan(0);
    expect(v('lexum_fsync_seconds_bucket{le="+Inf"}')).toBe(v("lexum_fsync_seconds_count"));
    expect(v("lexum_effect_calls_total")).toBe(12);
    expect(v("lexum_effect_failures_total")).toBe(Math.floor(calls / 3));
    expect(v('lexum_effect_seconds_count{effect="Pay.charge",outcome="ok"}')).toBe(12);
    expect(v('lexum_effect_seconds_count{effect="Pay.charge",outcome="error"}')).toBe(Math.floor(calls / 3));
    expect(v("lexum_wal_bytes")).toBe(rt.walBytes());
    expect(v("lexum_wal_bytes")).toBeGreaterThan(0);
    expect(v("lexum_snapshots_total")).toBeGreaterThan(0);
    expect(v("lexum_snapshot_seconds_count")).toBe(v("lexum_snapshots_total"));
    expect(v("lexum_recovery_seconds")).toBeGreaterThan(0);
    expect(v("lexum_recovery_seconds")).toBeCloseTo(rt.metrics.recoveryMs / 1000, 6);
    expect(v("lexum_queued_inputs")).toBe(0);
    expect(v("lexum_instances")).toBe(7);
    expect(v("lexum_durable_lsn")).toBe(rt.wal.durableLsn);

    // Counters only go up between scrapes.
    await app.inject({ method: "POST", url: "/v1/domains/Acct/b0/Charge?wait=1", payload: { amount: 1 }, headers: { authorization: "Bearer t" } });
    const m2 = parse((await app.inject({ url: "/metrics", headers: { authorization: "Bearer t" } })).body);
    expect(m2.get("lexum_inputs_total")).toBe(13);
    expect(m2.get("lexum_commits_total")!).toBeGreaterThan(v("lexum_commits_total"));
  } finally {
    await app.close();
    await rt.close();
  }
});
