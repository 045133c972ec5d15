/**
 * Prometheus metrics (prom-client): inputs, commits, fsync latency, effect calls and
 * failures, WAL bytes, snapshot durations, recovery time, queue depth. Counters mirror the
 * runtime's own counters at scrape time; latencies are histograms fed by runtime observers.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Runtime } from "../runtime/runtime.ts";

export class Metrics {
  readonly registry = new Registry();
  private last: Record<string, number> = {};

  constructor(private readonly rt: Runtime) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: "lexum_" });
    const mirror = (name: string, help: string, get: () => number) => {
      const c = new Counter({ name, help, registers: [r] });
      this.last[name] = 0;
      return { c, sync: () => {
        const v = get();
        const d = v - (this.last[name] ?? 0);
        if (d > 0) c.inc(d);
        this.last[name] = v;
      } };
    };
    const counters = [
      mirror("lexum_inputs_total", "Inputs journaled (messages from outside)", () => rt.metrics.inputs),
      mirror("lexum_commits_total", "Cycles committed", () => rt.metrics.commits),
      mirror("lexum_wal_flushes_total", "Group commits (one write + fdatasync each)", () => rt.metrics.flushes),
      mirror("lexum_effect_calls_total", "Effect intents dispatched to adapters", () => rt.metrics.effectCalls),
      mirror("lexum_effect_failures_total", "Failed effect attempts", () => rt.metrics.effectFailures),
      mirror("lexum_snapshots_total", "Snapshots written", () => rt.metrics.snapshots),
      mirror("lexum_wal_segments_deleted_total", "WAL segments deleted behind snapshots", () => rt.metrics.segmentsDeleted),
    ];
    const gauge = (name: string, help: string, get: () => number) => new Gauge({ name, help, registers: [r], collect() { this.set(get()); } });
    gauge("lexum_wal_bytes", "Bytes of WAL segments on disk", () => rt.walBytes());
    gauge("lexum_queued_inputs", "Inputs accepted and not yet executed", () => rt.queuedInputs);
    gauge("lexum_instances", "Instances in memory", () => rt.engine.instances.size);
    gauge("lexum_recovery_seconds", "Time the last start-up took to recover", () => rt.metrics.recoveryMs / 1000);
    gauge("lexum_durable_lsn", "Highest durable LSN", () => rt.wal.durableLsn);
    const fsync = new Histogram({ name: "lexum_fsync_seconds", help: "Group commit latency (write + fdatasync)", registers: [r], buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1] });
    const snap = new Histogram({ name: "lexum_snapshot_seconds", help: "Snapshot write duration", registers: [r], buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30] });
    const eff = new Histogram({ name: "lexum_effect_seconds", help: "Effect attempt duration", labelNames: ["effect", "outcome"], registers: [r], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30] });
    rt.observe({
      fsync: (ms) => fsync.observe(ms / 1000),
      snapshot: (ms) => snap.observe(ms / 1000),
      effect: (effect, outcome, ms) => eff.observe({ effect, outcome }, ms / 1000),
    });
    this.syncAll = () => counters.forEach((c) => c.sync());
  }

  private syncAll: () => void;

  get contentType(): string {
    return this.registry.contentType;
  }

  async text(): Promise<string> {
    this.syncAll();
    return this.registry.metrics();
  }
}
