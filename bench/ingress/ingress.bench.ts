/**
 * bench/ingress — the durable HTTP ingress end to end, against `lexum run` in a child process
 * on loopback with fsync on (the real thing: Fastify, the runtime loop, group commit).
 *
 *   1. The disk's fdatasync rate and latency (the physical limit), measured in the same run.
 *   2. Durable requests/s and p50/p99 latency with autocannon for a simple transition over
 *      1,000 instances, at several concurrency levels; from /metrics: inputs per fsync
 *      (group commit at work) and the mean fsync time.
 *   3. A 3-step workflow: one transition with three awaited `Http.request`s against a local
 *      stub service, each step journaled (fsync) before it goes on; end-to-end latency with
 *      `?wait=1`, measured per request with performance.now() (autocannon's histogram has a
 *      1 ms resolution, too coarse here) at concurrency 1 and 8. Beside it, the floors it is
 *      made of, measured in the same run: the three stub calls made directly, one `?wait=1`
 *      of a trivial transition, and the fsyncs on the critical path (from /metrics).
 *
 * Run: `npx tsx bench/ingress/ingress.bench.ts [--quick]`. Writes bench/results/ingress.json.
 * The box is shared and noisy: compare numbers measured in the same run, not across runs.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import autocannon from "autocannon";
import { compile } from "../../src/compiler/compile.ts";
import { httpRequest } from "../../src/effects/index.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { fmt, pct, table } from "../report.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const ROOT = fs.mkdtempSync(path.join(process.env["LEXUM_BENCH_DIR"] ?? os.tmpdir(), "lexum-bench-ingress-"));
const SECONDS = quick ? 2 : 5;
const CONCURRENCY = quick ? [1, 32] : [1, 8, 32, 128];
const WORKFLOWS = quick ? 100 : 400;

const PROGRAM = `
// Throughput: one small input per request.
domain Acc {
  state { n: int = 0, sum: int = 0 }
  transition Add(v: int) { n += 1; sum += v; return n }
}

// The 3-step workflow: each await is journaled before the next step runs.
domain Flow {
  capability network.egress
  state { steps: list<int> = [] }
  transition Run(base: string) {
    let a = await Http.request(method: "POST", url: "{base}/reserve", headers: {}, body: "")
    match a { Ok(r) => { push(steps, r.status) }; Err(e) => { fail e.message } }
    let b = await Http.request(method: "POST", url: "{base}/charge", headers: {}, body: "")
    match b { Ok(r) => { push(steps, r.status) }; Err(e) => { fail e.message } }
    let c = await Http.request(method: "POST", url: "{base}/ship", headers: {}, body: "")
    match c { Ok(r) => { push(steps, r.status) }; Err(e) => { fail e.message } }
    return len(steps)
  }
}
`;

// ---------------------------------------------------------------- helpers

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP request on a keep-alive agent; resolves with status and body. */
function request(url: string, method: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {} }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Starts `lexum run` (fsync on) and resolves with its URL once it listens. */
async function startLexum(dataDir: string, durability: "fsync" | "none" = "fsync"): Promise<{ url: string; stop: () => Promise<void> }> {
  const programFile = path.join(ROOT, "bench.lex");
  fs.writeFileSync(programFile, PROGRAM);
  const proc = spawn(process.execPath, [path.join(REPO, "bin/lexum.js"), "run", programFile, "--data", dataDir, "--port", "0", "--durability", durability], { env: { ...process.env, LEXUM_LOG_LEVEL: "warn" }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    proc.stderr!.setEncoding("utf8").on("data", (s: string) => {
      err += s;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    proc.on("exit", (code) => reject(new Error(`lexum run exited ${code}: ${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.on("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}

type Scrape = Record<string, number>;
async function scrape(url: string): Promise<Scrape> {
  const text = (await request(`${url}/metrics`, "GET")).body;
  const out: Scrape = {};
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    const i = line.lastIndexOf(" ");
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}
function delta(a: Scrape, b: Scrape, k: string): number {
  return (b[k] ?? 0) - (a[k] ?? 0);
}

const results: Record<string, unknown> = { date: new Date().toISOString(), host: os.hostname(), cpus: os.cpus().length, node: process.version, quick };

// ---------------------------------------------------------------- 1. the disk

function fdatasync(seconds: number) {
  const f = path.join(ROOT, "fsync-probe");
  const fd = fs.openSync(f, "w");
  const buf = Buffer.alloc(4096, 1);
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    fs.writeSync(fd, buf, 0, buf.length, (lat.length % 64) * 4096);
    fs.fdatasyncSync(fd);
    lat.push(performance.now() - t);
  }
  fs.closeSync(fd);
  fs.rmSync(f);
  return { perSec: lat.length / seconds, p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), meanMs: mean(lat) };
}

// ---------------------------------------------------------------- 2. throughput

async function throughput(url: string) {
  const rows: Record<string, number>[] = [];
  let seq = 0;
  const requests = [{ method: "POST", body: '{"v":1}', headers: { "content-type": "application/json" }, setupRequest: (r: { path?: string }) => ({ ...r, path: `/v1/domains/Acc/a${seq++ % 1000}/Add` }) }];
  await autocannon({ url, connections: 8, duration: 1, requests }); // warm-up
  for (const c of CONCURRENCY) {
    const before = await scrape(url);
    const r = await autocannon({ url, connections: c, duration: SECONDS, requests });
    const after = await scrape(url);
    const inputs = delta(before, after, "lexum_inputs_total");
    const fsyncs = delta(before, after, "lexum_fsync_seconds_count");
    rows.push({
      connections: c,
      reqPerSec: r.requests.average,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      non2xx: r.non2xx + r.errors + r.timeouts,
      inputsPerFsync: inputs / fsyncs,
      fsyncMeanMs: (1000 * delta(before, after, "lexum_fsync_seconds_sum")) / fsyncs,
    });
  }
  return rows;
}

// ---------------------------------------------------------------- 3. the 3-step workflow

/** The stub service the workflow calls: answers every POST at once. */
async function stub(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      calls++;
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls, close: () => new Promise((r) => server.close(() => r())) };
}

async function latencies(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<{ lat: number[]; perSec: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await one(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  return { lat, perSec: n / ((performance.now() - t0) / 1000) };
}

let flowSeq = 0;
async function runFlow(url: string, stubUrl: string): Promise<void> {
  const res = await request(`${url}/v1/domains/Flow/f${flowSeq++}/Run?wait=1`, "POST", JSON.stringify({ base: stubUrl }));
  if (res.status !== 200 || JSON.parse(res.body).result !== 3) throw new Error(`workflow failed: ${res.status} ${res.body}`);
}

async function workflow(url: string, s: { url: string }, n: number, concurrency: number) {
  const before = await scrape(url);
  const r = await latencies(n, concurrency, () => runFlow(url, s.url));
  const after = await scrape(url);
  const fsyncs = delta(before, after, "lexum_fsync_seconds_count");
  return {
    concurrency,
    n,
    perSec: r.perSec,
    p50Ms: pct(r.lat, 50),
    p99Ms: pct(r.lat, 99),
    meanMs: mean(r.lat),
    fsyncsPerWorkflow: fsyncs / n,
    fsyncMeanMs: (1000 * delta(before, after, "lexum_fsync_seconds_sum")) / fsyncs,
    commitsPerWorkflow: delta(before, after, "lexum_commits_total") / n,
  };
}

// ---------------------------------------------------------------- 3b. where the time goes

/**
 * The same workflow on an in-process runtime (no HTTP ingress), one at a time, with a
 * timeline: every WAL flush (write + fdatasync) and every adapter call is timestamped, so
 * each workflow's time splits into fsync, the stub calls, and the rest (the VM, the loop,
 * scheduling). Intervals are clipped to the workflow's window. A second runtime with
 * durability none runs interleaved with it: what the workflow costs without the disk (its
 * WAL writes, without fdatasync, count in "rest").
 */
async function breakdown(stubUrl: string, n: number) {
  type Row = { total: number; fsync: number; effect: number; fsyncs: number };
  const spans: { k: "fsync" | "effect"; t0: number; t1: number }[] = [];
  const adapters = {
    "Http.request": async (a: Record<string, unknown>, c: Parameters<typeof httpRequest>[1]) => {
      const t0 = performance.now();
      try {
        return await httpRequest(a, c);
      } finally {
        spans.push({ k: "effect", t0, t1: performance.now() });
      }
    },
  };
  const program = compile(PROGRAM);
  const sides = await Promise.all(
    (["fsync", "none"] as const).map(async (durability) => {
      const rt = await Runtime.open({ program, dataDir: path.join(ROOT, `inproc-${durability}`), durability, adapters });
      rt.observe({ fsync: (ms) => spans.push({ k: "fsync", t0: performance.now() - ms, t1: performance.now() }) });
      return { durability, rt, rows: [] as Row[] };
    }),
  );
  let seq = 0;
  try {
    for (let i = 0; i < n + 20; i++) {
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        spans.length = 0;
        const t0 = performance.now();
        await side.rt.call("Flow", `b${seq++}`, "Run", { base: stubUrl });
        const t1 = performance.now();
        if (i < 20) continue; // warm-up
        const clip = (k: "fsync" | "effect") => spans.filter((x) => x.k === k).reduce((sum, x) => sum + Math.max(0, Math.min(t1, x.t1) - Math.max(t0, x.t0)), 0);
        side.rows.push({ total: t1 - t0, fsync: side.durability === "fsync" ? clip("fsync") : 0, effect: clip("effect"), fsyncs: side.durability === "fsync" ? spans.filter((x) => x.k === "fsync").length : 0 });
      }
    }
  } finally {
    for (const side of sides) await side.rt.close();
  }
  return sides.map(({ durability, rows }) => {
    const med = (f: (r: Row) => number) => pct(rows.map(f), 50);
    return { durability, n: rows.length, totalP50Ms: med((r) => r.total), totalP99Ms: pct(rows.map((r) => r.total), 99), fsyncP50Ms: med((r) => r.fsync), effectP50Ms: med((r) => r.effect), restP50Ms: med((r) => r.total - r.fsync - r.effect), fsyncsPerRun: mean(rows.map((r) => r.fsyncs)) };
  });
}

// ---------------------------------------------------------------- run

async function main(): Promise<void> {
  console.log(`bench/ingress: Node ${process.version}, ${os.cpus().length} CPUs, data under ${ROOT}${quick ? " (quick)" : ""}`);
  const disk = fdatasync(quick ? 1 : 3);
  results["fdatasync"] = disk;
  table("1. The disk (4 KiB write + fdatasync, same file system as the data directory)", ["", "per s", "p50 ms", "p99 ms", "mean ms"], [["fdatasync", fmt(disk.perSec), fmt(disk.p50Ms, 3), fmt(disk.p99Ms, 3), fmt(disk.meanMs, 3)]]);

  const lx = await startLexum(path.join(ROOT, "data"));
  const s = await stub();
  try {
    const tp = await throughput(lx.url);
    results["throughput"] = tp;
    table(
      `2. Durable HTTP requests/s, POST Acc[a0..a999].Add (fsync on, autocannon, ${SECONDS} s per row; latency in whole ms)`,
      ["connections", "req/s", "p50 ms", "p99 ms", "errors", "inputs/fsync", "fsync mean ms"],
      tp.map((r) => [r.connections!, fmt(r.reqPerSec!), fmt(r.p50Ms!), fmt(r.p99Ms!), r.non2xx!, fmt(r.inputsPerFsync!, 1), fmt(r.fsyncMeanMs!, 2)]),
    );

    // The workflow and its floors, interleaved: each round runs every case in a rotating order,
    // so the box's drift (other jobs) hits them alike. All at concurrency 1.
    const nosync = await startLexum(path.join(ROOT, "data-nosync"), "none");
    let accSeq = 0;
    const cases: { name: string; lat: number[]; one: () => Promise<void> }[] = [
      {
        name: "the 3 stub calls made directly (floor)",
        lat: [],
        one: async () => {
          for (const step of ["reserve", "charge", "ship"]) await request(`${s.url}/${step}`, "POST", "");
        },
      },
      {
        name: "one ?wait=1 of Acc.Add (floor per input)",
        lat: [],
        one: async () => {
          const r = await request(`${lx.url}/v1/domains/Acc/w${accSeq++ % 100}/Add?wait=1`, "POST", '{"v":1}');
          if (r.status !== 200) throw new Error(r.body);
        },
      },
      { name: "workflow (fsync)", lat: [], one: () => runFlow(lx.url, s.url) },
      { name: "workflow, --durability none", lat: [], one: () => runFlow(nosync.url, s.url) },
    ];
    let wf1: Awaited<ReturnType<typeof workflow>>;
    let wf8: Awaited<ReturnType<typeof workflow>>;
    try {
      for (const c of cases) for (let i = 0; i < 20; i++) await c.one(); // warm-up
      const rounds = 10;
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < cases.length; k++) {
          const c = cases[(k + r) % cases.length]!;
          for (let i = 0; i < WORKFLOWS / rounds; i++) {
            const t = performance.now();
            await c.one();
            c.lat.push(performance.now() - t);
          }
        }
      }
      // What the runtime did per workflow (fsyncs, commits), from /metrics around dedicated runs.
      wf1 = await workflow(lx.url, s, Math.min(100, WORKFLOWS), 1);
      wf8 = await workflow(lx.url, s, WORKFLOWS, 8);
    } finally {
      await nosync.stop();
    }
    const [direct, single, wf, none] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    const row = (c: (typeof cases)[0], extra: (string | number)[]) => [c.name, fmt(pct(c.lat, 50), 2), fmt(pct(c.lat, 99), 2), fmt(mean(c.lat), 2), ...extra];
    results["workflow"] = {
      interleaved: Object.fromEntries(cases.map((c) => [c.name, { n: c.lat.length, p50Ms: pct(c.lat, 50), p99Ms: pct(c.lat, 99), meanMs: mean(c.lat) }])),
      perWorkflow: { concurrency1: wf1, concurrency8: wf8 },
      restatePublishedMs: 50,
      targetMs: 5,
    };
    table(
      `3. 3-step workflow (3 awaited Http.request to a local stub, ?wait=1), concurrency 1, ${WORKFLOWS} runs per case interleaved in 10 rounds; Restate publishes ~50 ms, the aim is < 5 ms`,
      ["case", "p50 ms", "p99 ms", "mean ms", "fsyncs/run", "fsync mean ms", "commits/run"],
      [row(direct, ["-", "-", "-"]), row(single, ["-", "-", "-"]), row(wf, [fmt(wf1.fsyncsPerWorkflow, 1), fmt(wf1.fsyncMeanMs, 2), fmt(wf1.commitsPerWorkflow, 1)]), row(none, ["0", "-", fmt(wf1.commitsPerWorkflow, 1)])],
    );
    table(`   the workflow at concurrency 8 (${WORKFLOWS} runs)`, ["", "workflows/s", "p50 ms", "p99 ms", "fsyncs/run", "fsync mean ms"], [["workflow (fsync)", fmt(wf8.perSec), fmt(wf8.p50Ms, 2), fmt(wf8.p99Ms, 2), fmt(wf8.fsyncsPerWorkflow, 2), fmt(wf8.fsyncMeanMs, 2)]]);
    const floor = wf1.fsyncsPerWorkflow * wf1.fsyncMeanMs + pct(none.lat, 50);
    console.log(`\n  critical path at concurrency 1: ${fmt(wf1.fsyncsPerWorkflow, 1)} sequential fsyncs × ${fmt(wf1.fsyncMeanMs, 2)} ms (their mean, as the runtime measured them) + ${fmt(pct(none.lat, 50), 2)} ms for everything else (the same workflow without fdatasync) ≈ ${fmt(floor, 2)} ms; measured p50 ${fmt(pct(wf.lat, 50), 2)} ms`);
    console.log(`  fsyncs are ${fmt((100 * (pct(wf.lat, 50) - pct(none.lat, 50))) / pct(wf.lat, 50), 0)}% of the p50; the disk's own fdatasync p50 is ${fmt(disk.p50Ms, 3)} ms, so ${fmt(wf1.fsyncsPerWorkflow, 0)} of them cost at least ${fmt(wf1.fsyncsPerWorkflow * disk.p50Ms, 2)} ms`);
    results["workflow_floor_ms"] = floor;

    const b = await breakdown(s.url, Math.min(200, WORKFLOWS));
    results["workflow_breakdown_inprocess"] = b;
    table(
      `3b. Where the time goes: the workflow on in-process runtimes (no HTTP ingress), ${b[0]!.n} runs each one at a time, interleaved, medians`,
      ["durability", "total p50 ms", "total p99 ms", "in fsync ms", "in stub calls ms", "rest ms", "fsyncs/run"],
      b.map((r) => [r.durability, fmt(r.totalP50Ms, 2), fmt(r.totalP99Ms, 2), fmt(r.fsyncP50Ms, 2), fmt(r.effectP50Ms, 2), fmt(r.restP50Ms, 2), fmt(r.fsyncsPerRun, 1)]),
    );
  } finally {
    await s.close();
    await lx.stop();
    agent.destroy();
  }

  fs.mkdirSync(path.join(REPO, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(REPO, "bench/results/ingress.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwrote bench/results/ingress.json`);
  fs.rmSync(ROOT, { recursive: true, force: true });
}

await main();
