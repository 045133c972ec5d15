/**
 * End-to-end crash test of the effect boundary (runtime.md §6): payment_sync.lex runs under
 * `lexum run` in a child process, its `Payments.charge` adapter calls a real local HTTP
 * service standing in for a payment API, work arrives over HTTP, and the runtime is killed
 * with SIGKILL again and again:
 *
 * - at random moments chosen by the test (during start-up and recovery too), and
 * - by the payment service itself, right after a response left it: the window between "the
 *   service answered" and "the runtime journaled the result". After each such kill the test
 *   reads the WAL the killed process left and counts the kills where the answered call has
 *   no journaled result (the window was hit).
 *
 * Then it lets the runtime finish and shows: every request acknowledged with 202 is in the
 * journal exactly once at the LSN and mailbox offset it was acknowledged with; the service
 * charged each key exactly once (re-dispatches after a crash reuse the idempotency key);
 * every instance ends with `status == "success"`; and the run hash, cycle and state of every
 * instance equal those of a crash-free run of the same inputs (both runs use
 * `--logical-time`, so record timestamps — which the run hash covers — are equal).
 *
 * Seeded: LEXUM_CRASH_SEED=<n> replays a run's choices (kill moments and modes, pacing);
 * process scheduling still varies, the properties must hold for every interleaving.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EXAMPLES, REPO, prng, sleep, spawnRun, type RunChild } from "../ingress/child.ts";
import { PaymentService } from "./payment_service.ts";
import { inputsByKey, intents, walLines } from "./wal_view.ts";

const SEED = Number(process.env["LEXUM_CRASH_SEED"] ?? 0x5eed_2024);
const INSTANCES = 12;
const SYNCS = 8;
const KILLS = 30;
const LOGICAL_TIME = 1_700_000_000_000;
const PROGRAM = path.join(EXAMPLES, "payment_sync.lex");
const ADAPTERS = path.join(REPO, "test/effects/fixtures/payment_adapters.ts");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-crash-e2e-"));
afterAll(() => {
  if (process.env["LEXUM_KEEP_TMP"]) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
});

type Ack = { lsn: number; mailbox_offset: number };
type Envelope = { cycle: number; run_hash: string; state: { status: string; attempts: number; receipt_id: string | null }; mailbox_offset: number; status: string };
type KillReport = { round: number; by: "service" | "timer"; key?: string; windowHit?: boolean; requestsAtKill?: number; beforeReady: boolean };

const ids = Array.from({ length: INSTANCES }, (_, i) => `acct-${i}`);

async function post(url: string, id: string, n: number): Promise<Ack | null> {
  let res: Response;
  try {
    res = await fetch(`${url}/v1/domains/PaymentSync/${id}/Sync`, { method: "POST", headers: { "idempotency-key": `sync/${id}/${n}` }, signal: AbortSignal.timeout(15_000) });
  } catch {
    return null; // the runtime died under us: retried with the same key after the restart
  }
  const text = await res.text();
  if (res.status === 503) return null; // shutting down (never expected here, but not an answer)
  if (res.status !== 202) throw new Error(`unexpected ${res.status} ${text}`);
  const a = JSON.parse(text) as Ack & { accepted: boolean };
  if (a.accepted !== true) throw new Error(`202 without accepted: ${text}`);
  return { lsn: a.lsn, mailbox_offset: a.mailbox_offset };
}

async function getState(url: string, id: string): Promise<Envelope | null> {
  try {
    const res = await fetch(`${url}/v1/domains/PaymentSync/${id}`, { signal: AbortSignal.timeout(5_000) });
    if (res.status !== 200) return null;
    return (await res.json()) as Envelope;
  } catch {
    return null;
  }
}

function finished(e: Envelope | null): boolean {
  return e !== null && e.status === "ACTIVE" && e.mailbox_offset === SYNCS && e.state.attempts === SYNCS && e.state.status === "success";
}

type Campaign = { acks: Map<string, Ack>; states: Map<string, Envelope>; kills: KillReport[]; service: PaymentService; rounds: number; sigtermExit: number | null };

/** Drives the whole workload against `lexum run` on `dataDir`, with `killsWanted` SIGKILLs on the way. */
async function campaign(dataDir: string, seed: number, killsWanted: number): Promise<Campaign> {
  const rng = prng(seed);
  const service = new PaymentService();
  const payUrl = await service.start();
  service.delayMs = () => Math.floor(rng() * 40);
  const acks = new Map<string, Ack>();
  /** Sent and not (yet) acknowledged: the runtime died first; retried with the same key. */
  const unacked = new Set<string>();
  const kills: KillReport[] = [];
  let round = 0;
  try {
    for (;;) {
      round++;
      const killing = kills.length < killsWanted;
      const child: RunChild = spawnRun([PROGRAM, "--data", dataDir, "--adapters", ADAPTERS, "--logical-time", String(LOGICAL_TIME)], { LEXUM_TEST_PAY_URL: payUrl });
      let ready = false;
      let killedBy: KillReport | null = null;
      const timers: NodeJS.Timeout[] = [];
      if (killing) {
        if (rng() < 0.5) {
          // The service kills the runtime right after its k-th response of this round.
          let left = 1 + Math.floor(rng() * 4);
          service.afterResponse = (info) => {
            if (info.pid !== child.pid || killedBy !== null || --left > 0) return;
            killedBy = { round, by: "service", key: info.key, requestsAtKill: service.byKey.get(info.key)!.requests, beforeReady: !ready };
            child.kill9();
          };
          // Nothing left to charge: fall back to a timed kill.
          timers.push(setTimeout(() => {
            if (killedBy !== null) return;
            killedBy = { round, by: "timer", beforeReady: !ready };
            child.kill9();
          }, 3_000));
        } else {
          // A kill at a random moment since spawn: start-up, recovery, or mid-work.
          const at = 100 + Math.floor(rng() * 1_400);
          timers.push(setTimeout(() => {
            if (killedBy !== null) return;
            killedBy = { round, by: "timer", beforeReady: !ready };
            child.kill9();
          }, at));
        }
      } else service.afterResponse = null;

      let url: string | null = null;
      try {
        url = await child.ready;
        ready = true;
      } catch {
        // killed (or failed) before it listened
      }
      if (url !== null) {
        const u = url;
        // One sender per instance, each in mailbox order. While killing, a round adds at most
        // one new message to a seeded third of the instances (plus retries of unacknowledged
        // ones), so the work spreads over the kills instead of finishing in the first rounds.
        const quota = ids.map(() => (killing ? (rng() < 0.35 ? 1 : 0) : SYNCS));
        const pause = ids.map(() => Math.floor(rng() * 300));
        const senders = ids.map(async (id, i) => {
          await sleep(pause[i]!);
          let fresh = 0;
          for (let n = 1; n <= SYNCS; n++) {
            const key = `sync/${id}/${n}`;
            if (acks.has(key)) continue;
            if (fresh++ >= quota[i]! + (unacked.has(key) ? 1 : 0)) return;
            unacked.add(key);
            const ack = await post(u, id, n);
            if (ack === null) return;
            unacked.delete(key);
            acks.set(key, ack);
          }
        });
        const exit = child.exited.then(() => "exited" as const);
        await Promise.race([Promise.all(senders), exit]);
        // Wait for the work to finish or for the process to die.
        while (killedBy === null && child.proc.exitCode === null && child.proc.signalCode === null) {
          const states = await Promise.all(ids.map((id) => getState(u, id)));
          if (!killing && acks.size === ids.length * SYNCS && states.every(finished)) break;
          await sleep(killing ? 20 : 100);
        }
      }
      if (child.proc.exitCode === null && child.proc.signalCode === null && killedBy === null) {
        // The work is done: a graceful stop must exit 0 after its final snapshots.
        const states = new Map<string, Envelope>();
        for (const id of ids) states.set(id, (await getState(url!, id))!);
        child.proc.kill("SIGTERM");
        const ex = await child.exited;
        timers.forEach(clearTimeout);
        return { acks, states, kills, service, rounds: round, sigtermExit: ex.code };
      }
      const ex = await child.exited;
      timers.forEach(clearTimeout);
      if (ex.signal !== "SIGKILL") {
        // Keep the evidence: the data directory as the failed start found it.
        const kept = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-crash-failure-"));
        fs.cpSync(dataDir, kept, { recursive: true });
        expect.fail(`round ${round} (seed ${seed}): the runtime died by itself (exit ${ex.code}); data kept in ${kept}: ${child.stderr()}`);
      }
      const k: KillReport = killedBy ?? { round, by: "timer", beforeReady: !ready };
      if (k.by === "service") {
        // The window: the service answered `key`; has the killed runtime journaled that result?
        // Each instance awaits one charge at a time, so an intent without a result for the
        // answered account is exactly the answered call.
        const account = service.byKey.get(k.key!)!.account;
        const open = intents(await walLines(dataDir)).filter((it) => it.instance === account && it.resultLsn === null);
        k.windowHit = open.length === 1;
        expect(open.length, "at most one charge of an instance is in flight").toBeLessThanOrEqual(1);
      }
      kills.push(k);
    }
  } finally {
    service.afterResponse = null;
    await service.close();
  }
}

describe("payment_sync under lexum run, killed with SIGKILL again and again", () => {
  test(`${KILLS} kills (seed ${SEED}): nothing acknowledged is lost, each key is charged once, run hashes equal a crash-free run`, async () => {
    const crashed = await campaign(path.join(tmp, "crashed"), SEED, KILLS);
    const clean = await campaign(path.join(tmp, "clean"), SEED, 0);

    const hits = crashed.kills.filter((k) => k.windowHit === true);
    const byService = crashed.kills.filter((k) => k.by === "service");
    const beforeReady = crashed.kills.filter((k) => k.beforeReady);
    const perKey = [...crashed.service.byKey.values()];
    const summary = {
      seed: SEED,
      kills: crashed.kills.length,
      rounds: crashed.rounds,
      killedByService: byService.length,
      answeredButNotJournaled: hits.length,
      killedBeforeListening: beforeReady.length,
      chargeRequests: crashed.service.requests,
      chargeRequestsCleanRun: clean.service.requests,
      chargesPerKey: [...new Set(perKey.map((s) => s.charges))],
      keys: perKey.length,
    };
    console.log(`crash e2e: ${JSON.stringify(summary)}`);

    expect(crashed.kills.length).toBe(KILLS);
    expect(crashed.sigtermExit, "SIGTERM after the work: exit 0").toBe(0);
    expect(clean.sigtermExit).toBe(0);
    // The window was really exercised (several times per run, not by luck once).
    expect(hits.length).toBeGreaterThanOrEqual(3);

    // 1. No acknowledged request lost, none applied twice: every key is in the journal once,
    //    at the LSN and mailbox offset its 202 named.
    const lines = await walLines(path.join(tmp, "crashed"));
    const inputs = inputsByKey(lines);
    expect(crashed.acks.size).toBe(INSTANCES * SYNCS);
    for (const [key, ack] of crashed.acks) {
      const found = inputs.get(key);
      expect(found, `acknowledged ${key} is journaled`).toBeDefined();
      expect(found!.length, `${key} journaled once`).toBe(1);
      expect({ lsn: found![0]!.lsn, mailbox_offset: found![0]!.offset }).toEqual(ack);
    }
    expect([...inputs.keys()].length).toBe(INSTANCES * SYNCS);

    // 2. One charge per key at the service, however many requests the re-dispatches made;
    //    after every window hit the runtime asked again with the same key and got the receipt.
    expect(crashed.service.byKey.size).toBe(INSTANCES);
    for (const [key, s] of crashed.service.byKey) {
      expect(s.charges, key).toBe(1);
      expect(s.receipt.id).toBe(`rcpt-${key}`);
    }
    for (const h of hits) expect(crashed.service.byKey.get(h.key!)!.requests, `re-dispatch of ${h.key}`).toBeGreaterThan(h.requestsAtKill!);
    expect(crashed.service.requests).toBeGreaterThan(clean.service.requests);
    expect(clean.service.requests).toBe(INSTANCES * SYNCS);
    // Every journaled result is the service's receipt; no intent is left without a result.
    const its = intents(lines);
    expect(its.length).toBe(INSTANCES * SYNCS);
    for (const it of its) {
      expect(it.key).toBe(`charge-${it.instance}`);
      // (journal show prints values in their tagged form: Ok(Receipt { id, amount }))
      expect(it.result).toEqual({ $v: "result", t: "Ok", f: [{ $r: "Receipt", f: [`rcpt-charge-${it.instance}`, 100] }] });
    }

    // 3. Every instance succeeded, and its history is the crash-free one.
    for (const id of ids) {
      const a = crashed.states.get(id)!;
      const b = clean.states.get(id)!;
      expect(a.state).toEqual({ status: "success", attempts: SYNCS, receipt_id: `rcpt-charge-${id}` });
      expect({ cycle: a.cycle, run_hash: a.run_hash, state: a.state, mailbox_offset: a.mailbox_offset }).toEqual({ cycle: b.cycle, run_hash: b.run_hash, state: b.state, mailbox_offset: b.mailbox_offset });
    }
  }, 240_000);
});
