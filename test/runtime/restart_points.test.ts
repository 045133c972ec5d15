/**
 * Recovery after a crash at every point of a small scripted run (STYLE.md §13), on SimDisk.
 *
 * The script sends keyed inputs one at a time (each runs to quiescence, so mailbox order is
 * fixed), lets 60 s of logical time pass (durable timers fire), and closes. It touches every
 * record kind but effects: slices, sends, a failed slice (LX-INV), goals with reconciles,
 * `send … after`, periodic snapshots, segment roll-over and deletion, node checkpoints.
 *
 * A reference run counts the disk operations. Then, for every operation k, the script runs
 * again and the machine loses power at operation k (the crash mode rotates through
 * drop-all, keep-all, prefix, subset and torn); every third run loses power a second time
 * during the recovery that follows. The recovered runtime then finishes the script —
 * resending every input with its idempotency key (already journaled ones are not journaled
 * again) — and every instance must end with exactly the reference's state, cycle and run
 * hash: nothing acknowledged lost, nothing applied twice, replay deterministic.
 */
import { describe, expect, it } from "vitest";
import { CRASH_MODES, SimDisk, seededRng, type CrashMode } from "../../src/base/sim_disk.ts";
import type { Runtime } from "../../src/runtime/runtime.ts";
import { compileSource, settle, simWorld } from "./helpers.ts";

const PROGRAM = `
domain Account {
  state { balance: int = 0, ops: int = 0 }
  invariant NonNegative { balance >= 0 }
  transition Deposit(n: int) {
    slice add { balance += n; ops += 1 }
    slice tell { send Ledger[self.id].Note(n: n) }
  }
  transition Withdraw(n: int) {
    ops += 1
    balance -= n
    send Ledger[self.id].Note(n: 0 - n)
  }
  transition Remind(n: int) { send Ledger[self.id].Note(n: n) after 30s }
}
domain Ledger {
  state { total: int = 0, notes: list<int> = [] }
  transition Note(n: int) { total += n; notes.push(n) }
}
domain Pool {
  state { desired: int = 0, workers: int = 0 }
  goal Sized { workers == desired } via Up, Down
  transition Up() { if workers < desired { workers += 1 } }
  transition Down() { if workers > desired { workers -= 1 } }
  transition Resize(to: int) { desired = to }
}`;
const program = compileSource(PROGRAM);

type Input = [domain: string, id: string, transition: string, args: Record<string, number>];
const SCRIPT: Input[] = [
  ["Account", "a1", "Deposit", { n: 5 }],
  ["Account", "a2", "Deposit", { n: 7 }],
  ["Pool", "p", "Resize", { to: 3 }],
  ["Account", "a1", "Withdraw", { n: 2 }],
  ["Account", "a2", "Withdraw", { n: 100 }], // LX-INV: discarded, the send with it too
  ["Account", "a1", "Remind", { n: 9 }],
  ["Pool", "p", "Resize", { to: 1 }],
  ["Account", "a1", "Deposit", { n: 4 }],
  ["Account", "a2", "Remind", { n: 3 }],
  ["Account", "a1", "Withdraw", { n: 1 }],
  ["Pool", "p", "Resize", { to: 2 }],
];
const INSTANCES = [
  ["Account", "a1"],
  ["Account", "a2"],
  ["Ledger", "a1"],
  ["Ledger", "a2"],
  ["Pool", "p"],
] as const;
const OPTS = { snapshotEveryCycles: 4, walSegmentBytes: 1024, walTargetBytes: 2048 };

/** Runs `fn`, but gives up when the disk died under it (the runtime may never answer then). */
async function unlessCrashed<T>(crashed: () => boolean, fn: () => Promise<T>): Promise<T | "crashed"> {
  const p = fn();
  for (;;) {
    const r = await Promise.race([p.then((v) => ({ v }), (e: unknown) => ({ e })), new Promise<null>((res) => setTimeout(() => res(null), 1))]);
    if (r !== null) {
      if ("e" in r) {
        if (crashed()) return "crashed";
        throw r.e;
      }
      return r.v;
    }
    if (crashed()) return "crashed";
  }
}

/** The script from its first input not yet acknowledged (inputs are keyed: resending is safe). */
async function runScript(w: ReturnType<typeof simWorld>, rt: Runtime, crashed: () => boolean, t0: number): Promise<"done" | "crashed"> {
  for (let i = 0; i < SCRIPT.length; i++) {
    const [d, id, tr, args] = SCRIPT[i]!;
    const sent = await unlessCrashed(crashed, () => rt.send(d, id, tr, args, { idempotencyKey: `k${i}` }).catch((e: { name?: string }) => (e.name === "TransitionError" ? null : Promise.reject(e))));
    if (sent === "crashed") return "crashed";
    if ((await unlessCrashed(crashed, () => rt.quiescent())) === "crashed") return "crashed";
  }
  // 60 s of logical time: both reminders come due (timers fire at their due time, so when
  // exactly the clock passes them does not matter).
  if (w.clock.now() < t0 + 60_000) w.clock.advanceTo(t0 + 60_000);
  else w.clock.runDue();
  for (let i = 0; i < 3; i++) {
    await settle();
    if ((await unlessCrashed(crashed, () => rt.quiescent())) === "crashed") return "crashed";
  }
  if ((await unlessCrashed(crashed, () => rt.close())) === "crashed") return "crashed";
  return "done";
}

async function finalStates(w: ReturnType<typeof simWorld>): Promise<unknown[]> {
  const rt = await w.open(program, OPTS);
  const out = await Promise.all(INSTANCES.map(([d, id]) => rt.state(d, id)));
  await rt.close();
  return out;
}

describe("recovery after a crash at every disk operation of a scripted run", () => {
  it("ends in the reference state, cycle and run hash every time", async () => {
    // Reference: count the operations.
    let ops = 0;
    const ref = simWorld(1);
    ref.disk = new SimDisk({ rng: seededRng(1), delay: () => void ops++ });
    const t0 = ref.clock.now();
    const rt = await ref.open(program, OPTS);
    expect(await runScript(ref, rt, () => false, t0)).toBe("done");
    const total = ops;
    const reference = await finalStates(ref);
    expect((reference[4] as { state: unknown }).state).toEqual({ desired: 2, workers: 2 });
    expect((reference[2] as { state: unknown }).state).toEqual({ total: 5 - 2 + 9 + 4 - 1, notes: [5, -2, 4, -1, 9] });

    const modes = CRASH_MODES as readonly CrashMode[];
    const tally: Record<string, number> = {};
    for (let k = 1; k <= total; k++) {
      const mode = modes[k % modes.length]!;
      const w = simWorld(k);
      let n = 0;
      let crashAt = k;
      let crashes = 0;
      const makeDisk = (rng: () => number): SimDisk =>
        new SimDisk({
          rng,
          delay: () => {
            if (++n === crashAt) {
              crashes++;
              w.disk = w.disk.crash(mode);
            }
          },
        });
      w.disk = makeDisk(seededRng(k));
      const what = `crash ${crashes + 1} at op ${k}/${total} (${mode})`;
      let r: Runtime | "crashed" = await unlessCrashed(() => crashes > 0, () => w.open(program, OPTS));
      let outcome = r === "crashed" ? "crashed" : await runScript(w, r, () => crashes > 0, t0);
      // Recover (crashing once more during every third recovery) and finish the script.
      let attempts = 0;
      while (outcome === "crashed") {
        expect(attempts++, what).toBeLessThan(3);
        const before = crashes;
        crashAt = k % 3 === 0 && crashes === 1 ? n + 1 + (k % 17) : Number.POSITIVE_INFINITY;
        r = await unlessCrashed(() => crashes > before, () => w.open(program, OPTS));
        outcome = r === "crashed" ? "crashed" : await runScript(w, r, () => crashes > before, t0);
      }
      tally[`${crashes} crash${crashes > 1 ? "es" : ""}`] = (tally[`${crashes} crash${crashes > 1 ? "es" : ""}`] ?? 0) + 1;
      crashAt = Number.POSITIVE_INFINITY;
      expect(await finalStates(w), what).toEqual(reference);
    }
    console.log(`restart points: ${total} disk operations, one run per operation: ${JSON.stringify(tally)}`);
  }, 240_000);
});
