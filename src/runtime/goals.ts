/**
 * Goal bookkeeping (language.md §3 `goal`, rules.md [2]) as a pure, deterministic state
 * machine. The engine calls it after every transition ends (committed or failed), after a
 * reconcile no-op and after a backoff tick; it answers with what to schedule next: nothing,
 * one reconcile input, or a backoff tick. Replay runs the same code, so the bookkeeping is
 * reproduced exactly; its digest is part of every cycle's outputs digest (so the run hash
 * covers it) and it is saved in snapshots as the `goals` field.
 */
import { assert } from "../base/assert.ts";
import { GOAL_BACKOFF_MAX_MS, GOAL_BACKOFF_MIN_MS, RECONCILE_STEPS_MAX } from "../base/limits.ts";
import { ByteWriter } from "../base/bytes.ts";
import { sha256, toHex0x } from "../base/hash.ts";
import type { DomainDesc, Priority } from "../bytecode/module.ts";
import { ZERO32 } from "./digest.ts";

export type GoalStatus = "idle" | "reconciling" | "parked" | "suspended";

export type GoalBook = {
  readonly name: string;
  status: GoalStatus;
  /** Index into the goal's `via` list being tried. */
  via: number;
  /** State hashes (hex) seen in the current episode, in order. */
  episode: string[];
  steps: number;
  /** Next parking duration. */
  backoffMs: number;
  /** Id of the pending backoff tick timer (owned by the instance), or null. */
  tick: number | null;
  /** LX-E005, LX-E006, LX-FUEL or another trap code when suspended. */
  code: string | null;
  message: string | null;
};

export type GoalsState = {
  books: GoalBook[];
  /** A reconcile input is queued in the mailbox and not yet consumed. */
  pending: boolean;
};

export type GoalEvent =
  /** A non-reconcile, non-tick transition ended (a message from outside, another domain or a timer). */
  | { readonly k: "external"; readonly changed: boolean }
  /** A reconcile input of goal `goal` ran transition `via` (or was a no-op because the goal held). */
  | { readonly k: "reconcile"; readonly goal: number; readonly changed: boolean; readonly noop: boolean }
  /** A backoff tick of goal `goal` with timer id `timer`. */
  | { readonly k: "tick"; readonly goal: number; readonly timer: number };

export type GoalAction =
  | { readonly k: "none" }
  | { readonly k: "reconcile"; readonly goal: number; readonly transition: number; readonly priority: Priority }
  | { readonly k: "park"; readonly goal: number; readonly delayMs: number; readonly priority: Priority }
  | { readonly k: "suspend"; readonly goal: number; readonly code: string; readonly message: string };

/** Evaluates goal predicate `g` on the current state: true/false, or a trap that suspends the goal. */
export type GoalPredicate = (goal: number) => { ok: true; value: boolean } | { ok: false; code: string; message: string };

export function initialGoals(d: DomainDesc): GoalsState {
  return {
    books: d.goals.map((g) => ({ name: g.name, status: "idle", via: 0, episode: [], steps: 0, backoffMs: GOAL_BACKOFF_MIN_MS, tick: null, code: null, message: null })),
    pending: false,
  };
}

/** Goal indices in evaluation order: priority (most urgent first), then declaration order. */
function order(d: DomainDesc): number[] {
  return d.goals.map((_, i) => i).sort((a, b) => d.goals[a]!.priority - d.goals[b]!.priority || a - b);
}

/**
 * Applies an event and decides what to do next. `stateHash` is the hex state hash after the
 * event. Mutates `gs`. Returns at most one action; a `suspend` is followed by re-evaluation
 * on the next event (the caller re-calls `decide` with a reconcile event only when it ran one).
 */
export function onGoalEvent(d: DomainDesc, gs: GoalsState, ev: GoalEvent, stateHash: string, holds: GoalPredicate): GoalAction {
  if (d.goals.length === 0) return { k: "none" };
  switch (ev.k) {
    case "external":
      for (const b of gs.books) {
        // A parked goal waits "until the next input or a backoff tick"; the pending tick goes stale.
        if (b.status === "parked") {
          b.status = "idle";
          b.tick = null;
        }
        if (ev.changed) {
          b.backoffMs = GOAL_BACKOFF_MIN_MS;
          // A suspended goal stays suspended until an external input changes the state.
          if (b.status === "suspended") {
            b.status = "idle";
            b.code = null;
            b.message = null;
          }
        }
        // Every non-reconcile input that leaves a goal unsatisfied starts a new episode.
        if (b.status === "reconciling") b.status = "idle";
      }
      break;
    case "reconcile": {
      gs.pending = false;
      const b = gs.books[ev.goal]!;
      if (b.status !== "reconciling") break;
      b.steps++;
      if (ev.changed) {
        b.backoffMs = GOAL_BACKOFF_MIN_MS;
        const prev = b.episode[b.episode.length - 1];
        if (stateHash !== prev && b.episode.includes(stateHash)) {
          return suspend(b, ev.goal, "LX-E005", `goal ${b.name} oscillates: reconciling revisited an earlier state`);
        }
        b.episode.push(stateHash);
        b.via = 0;
      } else {
        b.via++;
      }
      if (b.steps >= RECONCILE_STEPS_MAX) {
        return suspend(b, ev.goal, "LX-E006", `goal ${b.name} did not converge within ${RECONCILE_STEPS_MAX} reconcile steps`);
      }
      break;
    }
    case "tick": {
      const b = gs.books[ev.goal]!;
      if (b.status !== "parked" || b.tick !== ev.timer) return { k: "none" }; // stale tick
      b.tick = null;
      b.status = "reconciling";
      b.via = 0;
      break;
    }
  }
  if (gs.pending) return { k: "none" };
  for (const gi of order(d)) {
    const b = gs.books[gi]!;
    if (b.status === "suspended" || b.status === "parked") continue;
    const r = holds(gi);
    if (!r.ok) return suspend(b, gi, r.code, r.message);
    if (r.value) {
      b.status = "idle";
      b.episode = [];
      b.steps = 0;
      b.via = 0;
      continue;
    }
    const g = d.goals[gi]!;
    if (b.status === "idle") {
      b.status = "reconciling";
      b.via = 0;
      b.steps = 0;
      b.episode = [stateHash];
    }
    if (b.via >= g.via.length) {
      // The whole list was tried without a change: park with a backoff tick.
      const delayMs = b.backoffMs;
      b.backoffMs = Math.min(b.backoffMs * 2, GOAL_BACKOFF_MAX_MS);
      b.status = "parked";
      b.via = 0;
      return { k: "park", goal: gi, delayMs, priority: g.priority };
    }
    gs.pending = true;
    return { k: "reconcile", goal: gi, transition: g.via[b.via]!, priority: g.priority };
  }
  return { k: "none" };
}

function suspend(b: GoalBook, gi: number, code: string, message: string): GoalAction {
  b.status = "suspended";
  b.code = code;
  b.message = message;
  b.tick = null;
  return { k: "suspend", goal: gi, code, message };
}

export function isDegraded(gs: GoalsState): boolean {
  return gs.books.some((b) => b.status === "suspended");
}

/** SHA-256 of the canonical bookkeeping (zeros for a domain without goals). */
export function goalsDigest(gs: GoalsState): Uint8Array {
  if (gs.books.length === 0) return ZERO32;
  const w = new ByteWriter(128);
  w.u8(gs.pending ? 1 : 0).uvar(gs.books.length);
  for (const b of gs.books) {
    w.str(b.name).str(b.status).uvar(b.via).uvar(b.steps).uvar(b.backoffMs).uvar(b.tick === null ? 0 : b.tick + 1).str(b.code ?? "");
    w.uvar(b.episode.length);
    for (const h of b.episode) w.str(h);
  }
  return sha256(w.view_());
}

/** JSON for snapshots and the GET envelope. */
export function goalsToJson(gs: GoalsState): unknown {
  return {
    pending: gs.pending,
    goals: gs.books.map((b) => ({
      name: b.name,
      status: b.status,
      via: b.via,
      steps: b.steps,
      backoff_ms: b.backoffMs,
      tick: b.tick,
      code: b.code,
      message: b.message,
      episode: [...b.episode],
    })),
  };
}

export function goalsFromJson(d: DomainDesc, j: unknown): GoalsState {
  const gs = initialGoals(d);
  if (j === null || typeof j !== "object") return gs;
  const o = j as { pending?: unknown; goals?: unknown };
  gs.pending = o.pending === true;
  if (Array.isArray(o.goals)) {
    for (const g of o.goals as Record<string, unknown>[]) {
      const b = gs.books.find((x) => x.name === g["name"]);
      if (!b) continue;
      const status = g["status"];
      assert(status === "idle" || status === "reconciling" || status === "parked" || status === "suspended", "goal status in snapshot");
      b.status = status;
      b.via = Number(g["via"]) || 0;
      b.steps = Number(g["steps"]) || 0;
      b.backoffMs = Number(g["backoff_ms"]) || GOAL_BACKOFF_MIN_MS;
      b.tick = typeof g["tick"] === "number" ? (g["tick"] as number) : null;
      b.code = typeof g["code"] === "string" ? (g["code"] as string) : null;
      b.message = typeof g["message"] === "string" ? (g["message"] as string) : null;
      b.episode = Array.isArray(g["episode"]) ? (g["episode"] as string[]).filter((h) => typeof h === "string") : [];
    }
  }
  return gs;
}

export function hashHex(h: Uint8Array): string {
  return toHex0x(h);
}
