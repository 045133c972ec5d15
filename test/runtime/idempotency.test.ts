/**
 * Idempotency keys (interface.md "Idempotency-Key"; rules.md [8]): a key seen before is
 * acknowledged with the first acknowledgement and journals nothing; the same key with
 * another route or body is a 422 RuntimeInputError; keys survive restarts, also after the
 * WAL segments holding their inputs were deleted (the node checkpoint carries them), and a
 * retried `call` returns the first outcome.
 */
import { describe, expect, it } from "vitest";
import { RuntimeInputError, TransitionError } from "../../src/runtime/runtime.ts";
import { compileSource, simWorld, transcript } from "./helpers.ts";

const PROGRAM = `
domain Account {
  state { balance: int = 0 }
  transition Deposit(amount: int) { balance += amount; return balance }
  transition Withdraw(amount: int) { assert amount <= balance, "insufficient funds"; balance -= amount; return balance }
}`;
const program = compileSource(PROGRAM);

async function inputCount(w: ReturnType<typeof simWorld>): Promise<number> {
  return (await transcript(w.disk, program)).filter((l) => l.startsWith("INPUT")).length;
}

describe("idempotency keys", () => {
  it("the same key twice is journaled once and acknowledged with the first acknowledgement", async () => {
    const w = simWorld(1);
    const rt = await w.open(program);
    const a = await rt.send("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "k1" });
    const b = await rt.send("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "k1" });
    expect(b).toEqual({ ...a, duplicate: true });
    await rt.quiescent();
    expect((await rt.state("Account", "a"))!.state).toEqual({ balance: 5 });
    await rt.close();
    expect(await inputCount(w)).toBe(1);
  });

  it("the same key with another body or route is a 422 RuntimeInputError; nothing is journaled", async () => {
    const w = simWorld(2);
    const rt = await w.open(program);
    await rt.send("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "k1" });
    for (const [inst, tr, args] of [
      ["a", "Deposit", { amount: 6 }],
      ["b", "Deposit", { amount: 5 }],
      ["a", "Withdraw", { amount: 5 }],
    ] as const) {
      const e = await rt.send("Account", inst, tr, args, { idempotencyKey: "k1" }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RuntimeInputError);
      expect((e as RuntimeInputError).status).toBe(422);
      expect((e as RuntimeInputError).code).toBe("IDEMPOTENCY_MISMATCH");
      expect((e as Error).message).toContain("k1");
    }
    await rt.quiescent();
    await rt.close();
    expect(await inputCount(w)).toBe(1);
  });

  it("a retried call returns the first outcome (reply or TransitionError) without running again", async () => {
    const w = simWorld(3);
    const rt = await w.open(program);
    expect(await rt.call("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "d" })).toBe(5);
    expect(await rt.call("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "d" })).toBe(5);
    const e1 = await rt.call("Account", "a", "Withdraw", { amount: 50 }, { idempotencyKey: "w" }).catch((x: unknown) => x);
    const e2 = await rt.call("Account", "a", "Withdraw", { amount: 50 }, { idempotencyKey: "w" }).catch((x: unknown) => x);
    for (const e of [e1, e2]) {
      expect(e).toBeInstanceOf(TransitionError);
      expect((e as TransitionError).code).toBe("LX-ASSERT");
    }
    expect((await rt.state("Account", "a"))!.cycle).toBe(2);
    await rt.close();
  });

  it("keys survive a restart; a retried call after it returns the first outcome", async () => {
    const w = simWorld(4);
    const rt = await w.open(program);
    expect(await rt.call("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "d" })).toBe(5);
    const bad = await rt.call("Account", "a", "Withdraw", { amount: 50 }, { idempotencyKey: "w" }).catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(TransitionError);
    await rt.close(); // the final snapshot covers both transitions
    for (const restart of ["clean", "crash"] as const) {
      if (restart === "crash") w.crash("drop-all");
      const rt2 = await w.open(program);
      const again = await rt2.send("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "d" });
      expect(again.duplicate).toBe(true);
      const reply = await Promise.race([rt2.call("Account", "a", "Deposit", { amount: 5 }, { idempotencyKey: "d" }), new Promise((r) => setTimeout(() => r("still waiting after 2 s"), 2000))]);
      expect(reply, restart).toBe(5);
      const failed = await Promise.race([rt2.call("Account", "a", "Withdraw", { amount: 50 }, { idempotencyKey: "w" }).catch((x: unknown) => x), new Promise((r) => setTimeout(() => r("still waiting after 2 s"), 2000))]);
      expect(failed, restart).toBeInstanceOf(TransitionError);
      expect((await rt2.state("Account", "a"))!.state).toEqual({ balance: 5 });
      await rt2.close();
    }
    expect(await inputCount(w)).toBe(2);
  });

  it("keys survive a restart after the segments holding their inputs were deleted (node checkpoint)", async () => {
    const w = simWorld(5);
    const opts = { walSegmentBytes: 1024, walTargetBytes: 2048, snapshotEveryCycles: 10 };
    const rt = await w.open(program, opts);
    const first = await rt.send("Account", "a", "Deposit", { amount: 1 }, { idempotencyKey: "early" });
    expect(await rt.call("Account", "a", "Deposit", { amount: 1 }, { idempotencyKey: "early-call" })).toBe(2);
    // Enough traffic (with pauses for the checkpointer, which runs at most every 500 ms) that
    // the segments holding the keyed inputs are deleted.
    for (let round = 0; round < 40 && rt.wal.firstLsn <= first.lsn + 3; round++) {
      for (let i = 0; i < 20; i++) await rt.send("Account", `x${i}`, "Deposit", { amount: 1 });
      w.clock.advance(600);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(rt.wal.firstLsn).toBeGreaterThan(first.lsn + 3);
    await rt.close();
    const rt2 = await w.open(program, opts);
    expect(rt2.wal.firstLsn).toBeGreaterThan(first.lsn + 3);
    const again = await rt2.send("Account", "a", "Deposit", { amount: 1 }, { idempotencyKey: "early" });
    expect(again).toEqual({ ...first, duplicate: true });
    const mismatch = await rt2.send("Account", "a", "Deposit", { amount: 2 }, { idempotencyKey: "early" }).catch((x: unknown) => x);
    expect((mismatch as RuntimeInputError).status).toBe(422);
    const reply = await Promise.race([rt2.call("Account", "a", "Deposit", { amount: 1 }, { idempotencyKey: "early-call" }), new Promise((r) => setTimeout(() => r("still waiting after 2 s"), 2000))]);
    expect(reply).toBe(2);
    expect((await rt2.state("Account", "a"))!.state).toEqual({ balance: 2 });
    await rt2.close();
  });
});
