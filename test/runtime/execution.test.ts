/**
 * Execution semantics through the live runtime (rules.md [9], [15], [33], [43]; language.md
 * §3 invariant): slices commit one cycle each and are never rolled back (saga), an invariant
 * violation discards only its slice (LX-INV), `call` rejects with a TransitionError {code,
 * message}, and `state()` returns the GET envelope. Transcripts pin the journal records.
 */
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../src/runtime/runtime.ts";
import { compileSource, simWorld, transcript } from "./helpers.ts";

const SAGA = `
domain Order {
  state { step: int = 0, log: list<string> = [], total: int = 0 }
  invariant TotalNeverNegative { total >= 0 }
  transition Run(failAt: int) {
    slice one {
      step = 1
      log.push("one")
      send Audit[self.id].Note(what: "one")
    }
    slice two {
      step = 2
      log.push("two")
      send Audit[self.id].Note(what: "two")
      assert failAt != 2, "slice two failed"
    }
    return step
  }
  transition Spend(amount: int) {
    slice reserve { log.push("reserve {amount}") }
    slice take { total -= amount; log.push("take {amount}") }
  }
  transition Earn(amount: int) { total += amount }
  transition Divide(by: int) { total = total / by }
  transition Refuse() { fail "no, thanks" }
}
domain Audit {
  state { notes: list<string> = [] }
  transition Note(what: string) { notes.push(what) }
}`;

async function rejection(p: Promise<unknown>): Promise<TransitionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TransitionError);
    return e as TransitionError;
  }
  throw new Error("expected the call to reject");
}

describe("slices (saga semantics)", () => {
  it("a failure in slice 2 keeps slice 1's state and its sends; the caller gets the error", async () => {
    const program = compileSource(SAGA);
    const w = simWorld(1);
    const rt = await w.open(program);
    const e = await rejection(rt.call("Order", "o", "Run", { failAt: 2 }));
    expect({ code: e.code, message: e.message }).toEqual({ code: "LX-ASSERT", message: "slice two failed" });
    await rt.quiescent();
    const o = (await rt.state("Order", "o"))!;
    expect(o.state).toMatchObject({ step: 1, log: ["one"] });
    expect(o.cycle).toBe(2); // slice one committed, then the failed slice two (state unchanged)
    expect((await rt.state("Audit", "o"))!.state).toEqual({ notes: ["one"] }); // slice two's send was discarded
    await rt.close();
    expect(await transcript(w.disk, program)).toEqual([
      "PROGRAM",
      "INPUT Order[o] #1 Run(2) external",
      "COMMIT Order[o] cycle 1 #1 Run slice",
      "INPUT Audit[o] #1 Note(\"one\") send from Order[o] cycle 1",
      "COMMIT Order[o] cycle 2 continue Run failed LX-ASSERT",
      "COMMIT Audit[o] cycle 1 #1 Note done null",
    ]);
  });

  it("without a failure each slice and the end are commit points", async () => {
    const program = compileSource(SAGA);
    const w = simWorld(2);
    const rt = await w.open(program);
    expect(await rt.call("Order", "o", "Run", { failAt: 0 })).toBe(2);
    await rt.quiescent();
    expect((await rt.state("Order", "o"))!.cycle).toBe(3); // slice one, slice two, and `return step` after them
    expect((await rt.state("Audit", "o"))!.state).toEqual({ notes: ["one", "two"] });
    await rt.close();
  });

  it("a crash between two slices resumes at the first uncommitted slice, never from the start", async () => {
    const program = compileSource(SAGA);
    for (const mode of ["drop-all", "prefix", "torn", "keep-all"] as const) {
      for (let seed = 1; seed <= 10; seed++) {
        const w = simWorld(seed);
        const rt = await w.open(program);
        await rt.send("Order", "o", "Run", { failAt: 0 });
        w.crash(mode);
        const rt2 = await w.open(program);
        await rt2.quiescent();
        const o = (await rt2.state("Order", "o"))!;
        // Slice one ran exactly once and slice two ran exactly once, whatever the crash kept.
        expect(o.state, `${mode} seed ${seed}`).toMatchObject({ step: 2, log: ["one", "two"] });
        expect((await rt2.state("Audit", "o"))!.state, `${mode} seed ${seed}`).toEqual({ notes: ["one", "two"] });
        await rt2.close();
      }
    }
  });
});

describe("invariants", () => {
  it("a violation traps LX-INV and discards only the violating slice", async () => {
    const program = compileSource(SAGA);
    const w = simWorld(3);
    const rt = await w.open(program);
    await rt.call("Order", "o", "Earn", { amount: 5 });
    const e = await rejection(rt.call("Order", "o", "Spend", { amount: 8 }));
    expect(e.code).toBe("LX-INV");
    expect(e.message).toContain("TotalNeverNegative");
    const o = (await rt.state("Order", "o"))!;
    expect(o.state).toMatchObject({ total: 5, log: ["reserve 8"] });
    expect(o.cycle).toBe(3);
    await rt.call("Order", "o", "Spend", { amount: 5 });
    expect((await rt.state("Order", "o"))!.state).toMatchObject({ total: 0, log: ["reserve 8", "reserve 5", "take 5"] });
    await rt.close();
  });
});

describe("call and state()", () => {
  it("call rejects with TransitionError {code, message} for fail, assert, invariants and traps; the input stays journaled", async () => {
    const program = compileSource(SAGA);
    const w = simWorld(4);
    const rt = await w.open(program);
    const refused = await rejection(rt.call("Order", "o", "Refuse", {}));
    expect({ name: refused.name, code: refused.code, message: refused.message }).toEqual({ name: "TransitionError", code: "LX-FAIL", message: "no, thanks" });
    const div0 = await rejection(rt.call("Order", "o", "Divide", { by: 0 }));
    expect(div0.code).toBe("LX-DIV0");
    expect(div0.cycle).toBe(2);
    const events = rt.events.filter((e) => e.k === "failed").map((e) => (e.k === "failed" ? `${e.transition} ${e.code}` : ""));
    expect(events).toEqual(["Refuse LX-FAIL", "Divide LX-DIV0"]);
    await rt.close();
    const t = await transcript(w.disk, program);
    expect(t.filter((l) => l.startsWith("INPUT"))).toEqual(["INPUT Order[o] #1 Refuse() external", "INPUT Order[o] #2 Divide(0) external"]);
  });

  it("state() returns the GET envelope, null for an instance never messaged", async () => {
    const program = compileSource(SAGA);
    const w = simWorld(5);
    const rt = await w.open(program);
    expect(await rt.state("Order", "nobody")).toBeNull();
    const ack = await rt.send("Order", "o", "Earn", { amount: 3 });
    expect(ack).toEqual({ lsn: 2, mailbox_offset: 1 });
    await rt.quiescent();
    const e = (await rt.state("Order", "o"))!;
    expect(Object.keys(e)).toEqual(["domain", "instance", "cycle", "run_hash", "state", "mailbox_offset", "status", "goals"]);
    expect(e).toMatchObject({ domain: "Order", instance: "o", cycle: 1, mailbox_offset: 1, status: "ACTIVE", state: { step: 0, log: [], total: 3 } });
    expect(e.run_hash).toMatch(/^0x[0-9a-f]{64}$/);
    await rt.close();
  });

  it("bad input is refused before the journal (RuntimeInputError with an HTTP status and a JSON pointer)", async () => {
    const program = compileSource(SAGA);
    const w = simWorld(6);
    const rt = await w.open(program);
    const cases: [string, string, string, unknown, number, string | null][] = [
      ["Nope", "o", "Earn", { amount: 1 }, 404, null],
      ["Order", "o", "Nope", {}, 404, null],
      ["Order", "o", "Earn", { amount: "1" }, 422, "/amount"],
      ["Order", "o", "Earn", {}, 422, "/amount"],
      ["Order", "o", "Earn", { amount: 1, x: 1 }, 422, "/x"],
      ["Order", "", "Earn", { amount: 1 }, 422, ""],
    ];
    for (const [d, i, t, a, status, pointer] of cases) {
      const err = await rt.send(d, i, t, a).then(
        () => null,
        (e: unknown) => e as { status?: number; pointer?: string | null; name?: string },
      );
      expect(err?.name, `${d}.${t}`).toBe("RuntimeInputError");
      expect(err?.status, `${d}.${t}`).toBe(status);
      if (pointer !== null) expect(err?.pointer, `${d}.${t}`).toBe(pointer);
    }
    expect(rt.wal.lastLsn).toBe(1); // only the PROGRAM record
    await rt.close();
  });
});
