/**
 * The durability contract at the effect boundary (runtime.md §6, rules.md [26]):
 *
 * - the output gate: an intent is dispatched only once the cycle that produced it is durable;
 * - a result is journaled before the waiting slice resumes; a crash between the adapter's
 *   answer and that journal write re-dispatches the intent with the same idempotency key,
 *   attempt numbers starting again at 1;
 * - `emit` completions are journaled (non-input records), so a restart does not repeat them;
 * - recovered intents wait for their adapter to be registered;
 * - a program whose effects have no adapter does not start (`lexum run` without --adapters).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Disk, DiskFile, OpenMode } from "../../src/base/disk.ts";
import { LexumError } from "../../src/base/errors.ts";
import { NodeDisk } from "../../src/base/node_disk.ts";
import { SimClock } from "../../src/base/sim_clock.ts";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";
import { compile } from "../../src/compiler/compile.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { EXAMPLES, REPO, runLexum } from "../ingress/child.ts";
import { T0, drive, driven, recording, settle, tempDir, walRecords, RecordType } from "./sim.ts";

const PROGRAM = compile(`
type Receipt { id: string, amount: int }

effect Pay.charge(amount: int) -> Receipt {
  retries 3 backoff 100ms..1s
  timeout 5s
}

effect Mail.send(to: string) -> bool {
  retries 1 backoff 100ms..100ms
}

domain Shop {
  state { last: string = "", mails: int = 0 }

  transition Charge(amount: int) {
    let r = await Pay.charge(amount: amount, key: "charge-{self.id}-{amount}")
    match r {
      Ok(v) => { last = "ok {v.id} {v.amount}" }
      Err(e) => { last = "err {e.code} {e.attempts}" }
    }
    return last
  }

  transition Notify() {
    emit Mail.send(to: "a@example.com")
    emit Mail.send(to: "b@example.com")
    mails += 2
    return "sent"
  }
}
`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function dir(): string {
  const d = tempDir("boundary");
  dirs.push(d);
  return d;
}

/** A payment service in memory: one receipt per idempotency key, charged once. */
function bank() {
  const charges = new Map<string, number>();
  return {
    charges,
    charge(key: string, amount: number) {
      charges.set(key, (charges.get(key) ?? 0) + (charges.has(key) ? 0 : 1));
      return { id: `rcpt-${key}`, amount };
    },
  };
}

type Rec = { type: number; rec: { r: Record<string, unknown> } };
async function records(rt: Runtime, type: number): Promise<Record<string, unknown>[]> {
  return ((await walRecords(rt)) as unknown as Rec[]).filter((r) => r.type === type).map((r) => r.rec.r);
}

/** NodeDisk whose WAL fdatasyncs can be held back: shows nothing leaves before it is durable. */
class GatedDisk implements Disk {
  private readonly inner = new NodeDisk();
  holding = false;
  private held: (() => void)[] = [];
  walSyncs = 0;

  release(): void {
    const h = this.held.splice(0);
    h.forEach((f) => f());
  }

  get waiting(): number {
    return this.held.length;
  }

  async open(p: string, mode: OpenMode): Promise<DiskFile> {
    const f = await this.inner.open(p, mode);
    const isWal = p.includes(`${path.sep}wal${path.sep}`);
    const sync = async () => {
      if (isWal && this.holding) await new Promise<void>((r) => this.held.push(r));
      await f.sync();
      if (isWal) this.walSyncs++;
    };
    return { path: f.path, read: (...a) => f.read(...a), write: (...a) => f.write(...a), sync, truncate: (n) => f.truncate(n), size: () => f.size(), close: () => f.close() };
  }
  readFile = (p: string) => this.inner.readFile(p);
  list = (d: string) => this.inner.list(d);
  mkdirp = (d: string) => this.inner.mkdirp(d);
  rename = (a: string, b: string) => this.inner.rename(a, b);
  unlink = (p: string) => this.inner.unlink(p);
  stat = (p: string) => this.inner.stat(p);
  syncDir = (d: string) => this.inner.syncDir(d);
}

describe("the output gate", () => {
  test("an intent is dispatched only after the cycle that produced it is durable", async () => {
    const disk = new GatedDisk();
    const clock = new SimClock(T0);
    let seen: { durableLsn: number; walSyncs: number } | null = null;
    let rt: Runtime;
    const pay = recording(clock, (args) => {
      seen = { durableLsn: rt.wal.durableLsn, walSyncs: disk.walSyncs };
      return { id: "r", amount: args["amount"] };
    });
    rt = await Runtime.open({ program: PROGRAM, dataDir: dir(), disk, clock, adapters: { "Pay.charge": pay, "Mail.send": () => true } });
    try {
      disk.holding = true;
      const done = rt.call("Shop", "g1", "Charge", { amount: 5 });
      // 1. The input's own fsync is held: nothing runs, nothing is dispatched.
      await drive(clock, () => disk.waiting > 0);
      for (let i = 0; i < 20; i++) await settle();
      expect(pay.calls).toHaveLength(0);
      // 2. Release it: the slice runs and appends INTENT + COMMIT, whose fsync is held in turn.
      disk.release();
      await drive(clock, () => disk.waiting > 0 && rt.wal.lastLsn > rt.wal.durableLsn);
      // The slice's COMMIT comes first, then the records it derived: the INTENT is the last one.
      const intentLsn = rt.wal.lastLsn;
      expect(intentLsn).toBeGreaterThan(rt.wal.durableLsn);
      for (let i = 0; i < 20; i++) await settle();
      expect(pay.calls, "dispatched before its cycle was durable").toHaveLength(0);
      const syncsBefore = disk.walSyncs;
      // 3. Once that fsync returns, the intent leaves.
      disk.holding = false;
      disk.release();
      expect(await driven(clock, done)).toBe("ok r 5");
      expect(pay.calls).toHaveLength(1);
      expect(seen!.durableLsn).toBeGreaterThanOrEqual(intentLsn);
      expect(seen!.walSyncs).toBeGreaterThan(syncsBefore);
      expect((await walRecords(rt)).find((r) => r.type === RecordType.INTENT)!.lsn).toBe(intentLsn);
    } finally {
      disk.holding = false;
      disk.release();
      await rt.close();
    }
  });
});

/** A SimDisk whose WAL syncs can be held back, so a crash loses whatever was not synced. */
function simDisk(seed: number) {
  const gate = { holding: false, held: [] as (() => void)[] };
  const disk = new SimDisk({
    rng: seededRng(seed),
    delay: (op, p) => (op === "sync" && p.includes("/wal/") && gate.holding ? new Promise<void>((r) => gate.held.push(r)) : undefined),
  });
  return { disk, gate };
}

describe("crashes at the boundary", () => {
  test("crash after the service answered, before the result was journaled: re-dispatched with the same key, attempt 1, one charge", async () => {
    const b = bank();
    const { disk, gate } = simDisk(11);
    const clock1 = new SimClock(T0);
    const pay1 = recording(clock1, (args, ctx) => {
      const r = b.charge(ctx.idempotencyKey, args["amount"] as number);
      gate.holding = true; // the RESULT this answer produces never reaches the disk
      return r;
    });
    const rt1 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk, clock: clock1, lock: false, adapters: { "Pay.charge": pay1, "Mail.send": () => true } });
    const lost = rt1.call("Shop", "c1", "Charge", { amount: 30 });
    lost.catch(() => {});
    await drive(clock1, () => pay1.calls.length === 1 && gate.held.length > 0);
    expect(rt1.wal.lastLsn).toBeGreaterThan(rt1.wal.durableLsn); // the RESULT is appended, not durable
    const disk2 = disk.crash("drop-all");
    gate.holding = false;

    const clock2 = new SimClock(T0 + 60_000);
    const pay2 = recording(clock2, (args, ctx) => b.charge(ctx.idempotencyKey, args["amount"] as number));
    const rt2 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk: disk2, clock: clock2, lock: false, adapters: { "Pay.charge": pay2, "Mail.send": () => true } });
    try {
      await drive(clock2, () => pay2.calls.length === 1);
      await rt2.quiescent();
      expect(pay2.calls[0]!.ctx.idempotencyKey).toBe(pay1.calls[0]!.ctx.idempotencyKey);
      expect(pay2.calls[0]!.ctx.idempotencyKey).toBe("charge-c1-30");
      expect(pay2.calls[0]!.ctx.attempt).toBe(1);
      expect(b.charges.get("charge-c1-30")).toBe(1);
      const st = await rt2.state("Shop", "c1");
      expect(st!.state).toEqual({ last: "ok rcpt-charge-c1-30 30", mails: 0 });
      expect(st!.status).toBe("ACTIVE");
      expect(await records(rt2, RecordType.RESULT)).toMatchObject([{ instance: "c1", attempts: 1 }]);
    } finally {
      await rt2.close();
    }
  });

  test("crash during the backoff of attempt 3: after recovery the attempts start again at 1 with the same key", async () => {
    const { disk } = simDisk(12);
    const clock1 = new SimClock(T0);
    const pay1 = recording(clock1, () => {
      throw new Error("bank unavailable");
    });
    const rt1 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk, clock: clock1, lock: false, adapters: { "Pay.charge": pay1, "Mail.send": () => true } });
    rt1.call("Shop", "c2", "Charge", { amount: 1 }).catch(() => {});
    await drive(clock1, () => pay1.calls.length === 2);
    await settle();
    expect(pay1.calls.map((c) => c.ctx.attempt)).toEqual([1, 2]);
    const disk2 = disk.crash("keep-all");

    const clock2 = new SimClock(T0 + 60_000);
    const pay2 = recording(clock2, (_a, ctx) => {
      if (ctx.attempt === 1) throw new Error("still unavailable");
      return { id: "late", amount: 1 };
    });
    const rt2 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk: disk2, clock: clock2, lock: false, adapters: { "Pay.charge": pay2, "Mail.send": () => true } });
    try {
      await drive(clock2, () => pay2.calls.length === 2);
      await driven(clock2, rt2.quiescent());
      expect(pay2.calls.map((c) => [c.ctx.attempt, c.ctx.idempotencyKey, c.at])).toEqual([
        [1, "charge-c2-1", 60_000],
        [2, "charge-c2-1", 60_100],
      ]);
      expect((await rt2.state("Shop", "c2"))!.state).toEqual({ last: "ok late 1", mails: 0 });
      expect(await records(rt2, RecordType.RESULT)).toMatchObject([{ instance: "c2", attempts: 2 }]);
    } finally {
      await rt2.close();
    }
  });

  test("a clean close with an effect in flight: the reopened runtime re-dispatches it (same key, attempt 1), from its snapshot", async () => {
    const d = dir();
    const clock1 = new SimClock(T0);
    const pay1 = recording(clock1, () => new Promise(() => {}));
    const rt1 = await Runtime.open({ program: PROGRAM, dataDir: d, clock: clock1, adapters: { "Pay.charge": pay1, "Mail.send": () => true } });
    const p = rt1.call("Shop", "c3", "Charge", { amount: 2 });
    p.catch(() => {});
    await drive(clock1, () => pay1.calls.length === 1, () => false);
    await rt1.close(); // final snapshot holds the pending effect
    await expect(p).rejects.toMatchObject({ code: "RUNTIME_CLOSED" });
    expect(pay1.calls[0]!.ctx.signal.aborted).toBe(true);
    const snaps = fs.readdirSync(path.join(d, "snapshots"), { recursive: true }).filter((f) => String(f).endsWith(".snapshot.json"));
    expect(snaps.length).toBeGreaterThan(0);

    const clock2 = new SimClock(T0 + 1_000);
    const pay2 = recording(clock2, (args) => ({ id: "after-restart", amount: args["amount"] }));
    const rt2 = await Runtime.open({ program: PROGRAM, dataDir: d, clock: clock2, adapters: { "Pay.charge": pay2, "Mail.send": () => true } });
    try {
      await driven(clock2, rt2.quiescent());
      expect(pay2.calls.map((c) => [c.ctx.attempt, c.ctx.idempotencyKey])).toEqual([[1, "charge-c3-2"]]);
      expect((await rt2.state("Shop", "c3"))!.state).toEqual({ last: "ok after-restart 2", mails: 0 });
    } finally {
      await rt2.close();
    }
  });

  test("recovered intents wait until their adapter is registered (TS API without `adapters`)", async () => {
    const { disk } = simDisk(13);
    const clock1 = new SimClock(T0);
    const pay1 = recording(clock1, () => new Promise(() => {}));
    const rt1 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk, clock: clock1, lock: false, adapters: { "Pay.charge": pay1, "Mail.send": () => true } });
    rt1.call("Shop", "c4", "Charge", { amount: 4 }).catch(() => {});
    await drive(clock1, () => pay1.calls.length === 1, () => false);
    const disk2 = disk.crash("drop-all");

    const clock2 = new SimClock(T0 + 5_000);
    const rt2 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk: disk2, clock: clock2, lock: false });
    try {
      for (let i = 0; i < 10; i++) await settle();
      // Not failed for want of an adapter: still waiting for its result.
      expect((await rt2.state("Shop", "c4"))!.status).toBe("SUSPENDED");
      expect(await records(rt2, RecordType.RESULT)).toEqual([]);
      const pay2 = recording(clock2, (args, ctx) => ({ id: ctx.idempotencyKey, amount: args["amount"] }));
      rt2.adapters.register("Pay.charge", pay2);
      await driven(clock2, rt2.quiescent(), () => false);
      expect(pay2.calls.map((c) => c.ctx.attempt)).toEqual([1]);
      expect((await rt2.state("Shop", "c4"))!.state).toEqual({ last: "ok charge-c4-4 4", mails: 0 });
    } finally {
      await rt2.close();
    }
  });

  test("an intent whose adapter never appears ends as Err(LX-EFFECT-NO-ADAPTER) after the wait, and the runtime stays up", async () => {
    const clock = new SimClock(T0);
    const rt = await Runtime.open({ program: PROGRAM, dataDir: dir(), clock });
    try {
      const reply = await driven(clock, rt.call("Shop", "c5", "Charge", { amount: 4 }));
      expect(reply).toBe("err LX-EFFECT-NO-ADAPTER 0");
      expect(clock.now() - T0).toBe(30_000);
      expect(rt.failure).toBeNull();
    } finally {
      await rt.close();
    }
  });
});

describe("emit", () => {
  test("emit completions are journaled (no new cycle) and not repeated after a restart", async () => {
    const d = dir();
    const clock = new SimClock(T0);
    const mail = recording(clock, () => true);
    const rt1 = await Runtime.open({ program: PROGRAM, dataDir: d, clock, adapters: { "Pay.charge": () => ({ id: "x", amount: 0 }), "Mail.send": mail } });
    expect(await driven(clock, rt1.call("Shop", "e1", "Notify", {}))).toBe("sent");
    await driven(clock, rt1.quiescent());
    expect(mail.calls.map((c) => [c.args["to"], c.ctx.idempotencyKey])).toEqual([
      ["a@example.com", "Shop/e1/1/0"],
      ["b@example.com", "Shop/e1/1/1"],
    ]);
    const intents = await records(rt1, RecordType.INTENT);
    const results = await records(rt1, RecordType.RESULT);
    expect(intents.map((r) => [r["kind"], r["cycle"], r["index"]])).toEqual([
      ["emit", 1, 0],
      ["emit", 1, 1],
    ]);
    expect(results.map((r) => [r["cycle"], r["index"], r["attempts"]]).sort()).toEqual([
      [1, 0, 1],
      [1, 1, 1],
    ]);
    expect((await rt1.state("Shop", "e1"))!.cycle).toBe(1); // completions are not inputs
    await rt1.close();

    const mail2 = recording(clock, () => true);
    const rt2 = await Runtime.open({ program: PROGRAM, dataDir: d, clock, adapters: { "Pay.charge": () => ({ id: "x", amount: 0 }), "Mail.send": mail2 } });
    try {
      await driven(clock, rt2.quiescent());
      expect(mail2.calls).toHaveLength(0);
    } finally {
      await rt2.close();
    }
  });

  test("an emit without a journaled completion is re-dispatched after a crash with the same key", async () => {
    const { disk } = simDisk(14);
    const clock1 = new SimClock(T0);
    const mail1 = recording(clock1, (args) => (args["to"] === "a@example.com" ? true : new Promise(() => {})));
    const rt1 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk, clock: clock1, lock: false, adapters: { "Pay.charge": () => ({ id: "x", amount: 0 }), "Mail.send": mail1 } });
    await driven(clock1, rt1.call("Shop", "e2", "Notify", {}), () => false);
    await drive(clock1, () => rt1.wal.durableLsn === rt1.wal.lastLsn && mail1.calls.length === 2, () => false);
    const disk2 = disk.crash("drop-all");

    const clock2 = new SimClock(T0 + 1_000);
    const mail2 = recording(clock2, () => true);
    const rt2 = await Runtime.open({ program: PROGRAM, dataDir: "/data", disk: disk2, clock: clock2, lock: false, adapters: { "Pay.charge": () => ({ id: "x", amount: 0 }), "Mail.send": mail2 } });
    try {
      await driven(clock2, rt2.quiescent());
      expect(mail2.calls.map((c) => [c.args["to"], c.ctx.idempotencyKey, c.ctx.attempt])).toEqual([["b@example.com", "Shop/e2/1/1", 1]]);
      expect((await records(rt2, RecordType.RESULT)).length).toBe(2);
    } finally {
      await rt2.close();
    }
  });
});

describe("start-up without an adapter for a declared effect", () => {
  test("Runtime.open with adapters fails with a clear LexumError naming the effect", async () => {
    const err = await Runtime.open({ program: PROGRAM, dataDir: dir(), adapters: { "Mail.send": () => true } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LexumError);
    expect((err as LexumError).code).toBe("NO_ADAPTER");
    expect((err as Error).message).toContain("Pay.charge");
  });

  test("`lexum run payment_sync.lex` without --adapters exits 1 and says which effect and how to fix it", async () => {
    const d = dir();
    const r = await runLexum(["run", path.join(EXAMPLES, "payment_sync.lex"), "--data", d, "--port", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("lexum: the program declares effect Payments.charge but no adapter provides it; pass --adapters mod.ts whose default export maps each effect name to a function");
    // Nothing was started: no journal written.
    expect(fs.existsSync(path.join(d, "wal"))).toBe(false);
  });

  test("`lexum run --adapters` with a module lacking the effect names what it did load", async () => {
    const d = dir();
    const mod = path.join(d, "other_adapters.ts");
    fs.writeFileSync(mod, `export default { "Payments.refund": async () => ({}) };\n`);
    const r = await runLexum(["run", path.join(EXAMPLES, "payment_sync.lex"), "--data", path.join(d, "data"), "--port", "0", "--adapters", mod]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Payments.charge");
    expect(r.stderr).toContain("Payments.refund");
  });

  test("the payment adapter module used by the crash test loads and covers payment_sync.lex", async () => {
    const { loadAdapters, missingAdapters } = await import("../../src/effects/index.ts");
    const a = await loadAdapters(path.join(REPO, "test/effects/fixtures/payment_adapters.ts"));
    const m = compile({ "payment_sync.lex": fs.readFileSync(path.join(EXAMPLES, "payment_sync.lex"), "utf8") });
    expect(missingAdapters(m, [...Object.keys(a), "Http.request", "Log.write"])).toEqual([]);
  });
});
