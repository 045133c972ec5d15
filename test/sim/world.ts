/**
 * The simulated outside world behind the effect adapters: an idempotent endpoint per effect
 * that applies each idempotency key at most once, answering according to a script.
 *
 * The script is a function of (world seed, key, attempt) only — never of timing or history —
 * so a run with crashes and its fault-free reference see the same outcomes: an intent's final
 * result is decided by the first attempt whose behaviour answers, and the value answered is a
 * function of the key (`valueFor`). Behaviours:
 *
 * - `ok`        applies the key (once) and answers at once;
 * - `dup`       the request reaches the endpoint twice (a retransmission): still applied once;
 * - `fail`      refuses without applying (retryable);
 * - `terminal`  refuses for good (`terminal: true`: no retries);
 * - `shape`     applies, then answers a value of the wrong type (`LX-EFFECT-SHAPE`);
 * - `okLost`    applies, then the connection drops before the answer (retryable);
 * - `timeout`   never answers until the attempt is aborted (slow effects only);
 * - `late`      applies and answers after a virtual delay shorter than the timeout (slow only);
 * - `lateLost`  applies and answers after the timeout: the answer arrives at nobody (slow only).
 *
 * "Instant" effects (`Fast*`, and `retries 0`) never use the behaviours that take virtual time,
 * so the domains that await them finish their chains before the clock moves (programs.ts).
 *
 * Answers that arrive after a crash resolve promises of the dead incarnation: its dispatcher
 * may journal them into its dead WAL, which can no longer touch the disk. A dead process makes
 * no new calls (`Incarnation.dead`).
 */
import type { Adapter, AdapterContext } from "../../src/effects/index.ts";
import type { Module, TypeIdx } from "../../src/bytecode/module.ts";
import type { SimClock } from "../../src/base/sim_clock.ts";
import { unitHash } from "./rng.ts";

export type Behavior = "ok" | "dup" | "fail" | "terminal" | "shape" | "okLost" | "timeout" | "late" | "lateLost";

const INSTANT: readonly (readonly [number, Behavior])[] = [
  [10, "ok"],
  [2, "dup"],
  [2, "fail"],
  [0.6, "terminal"],
  [0.4, "shape"],
  [1.5, "okLost"],
];
const SLOW: readonly (readonly [number, Behavior])[] = [...INSTANT, [1.5, "timeout"], [2, "late"], [1, "lateLost"]];

/** What a live runtime tells the world at each call (for the output-gate check). */
export interface WorldCaller {
  readonly n: number;
  readonly dead: boolean;
  /** Null when the call is legitimate; else why not (e.g. its intent is not durable yet). */
  checkCall(ctx: AdapterContext): string | null;
  trace(line: string): void;
}

export type Applied = { readonly key: string; readonly effect: string; readonly value: unknown; requests: number };

export class World {
  /** Keys applied, with how many requests reached the endpoint for each. */
  readonly applied = new Map<string, Applied>();
  calls = 0;
  /** Calls the output-gate check rejected. */
  readonly violations: string[] = [];
  /** Called after each call reached the endpoint (the simulator's crash point). */
  afterCall: (() => void) | null = null;

  constructor(
    readonly seed: number,
    readonly module: Module,
    private readonly clock: SimClock,
  ) {}

  /** Instant effects: `Fast*` or effects without retries that the program must see answered at once. */
  isInstant(effect: string): boolean {
    return effect.startsWith("Fast") || effect === "Log.write";
  }

  behavior(effect: string, key: string, attempt: number): Behavior {
    const table = this.isInstant(effect) ? INSTANT : SLOW;
    let total = 0;
    for (const [w] of table) total += w;
    let x = unitHash(`${this.seed}/behavior/${key}/${attempt}`) * total;
    for (const [w, b] of table) {
      if (x < w) return b;
      x -= w;
    }
    return "ok";
  }

  private apply(effect: string, key: string): unknown {
    let a = this.applied.get(key);
    if (!a) {
      a = { key, effect, value: this.valueFor(effect, key), requests: 0 };
      this.applied.set(key, a);
    }
    a.requests++;
    return a.value;
  }

  /** The answer for a key: a value of the effect's declared result type, a function of the key. */
  valueFor(effect: string, key: string): unknown {
    const d = this.module.effects.find((e) => e.name === effect);
    if (!d) return null;
    return this.valueOfType(d.result, `${this.seed}/value/${key}`, 0);
  }

  private valueOfType(t: TypeIdx, salt: string, depth: number): unknown {
    const desc = this.module.types[t]!;
    const u = unitHash(`${salt}/${depth}`);
    switch (desc.k) {
      case "int":
        return Math.floor(u * 1000);
      case "float":
        return Math.round(u * 1000) / 8;
      case "bool":
        return u < 0.5;
      case "string":
        return `v${Math.floor(u * 1e6).toString(36)}`;
      case "json":
        return { u: Math.floor(u * 100) };
      case "none":
        return null;
      case "list":
      case "set":
        return depth > 3 ? [] : [this.valueOfType(desc.elem, salt, depth + 1)];
      case "map":
        return {};
      case "opt":
        return u < 0.3 ? null : this.valueOfType(desc.inner, salt, depth + 1);
      case "result":
        return null;
      case "record": {
        const o: Record<string, unknown> = {};
        desc.fields.forEach((f, i) => {
          o[f.name] = this.valueOfType(f.type, `${salt}/${f.name}`, depth + 1 + i);
        });
        return o;
      }
      case "enum": {
        const v = desc.variants[Math.floor(u * desc.variants.length)]!;
        const o: Record<string, unknown> = { $tag: v.name };
        for (const f of v.fields) o[f.name] = this.valueOfType(f.type, `${salt}/${f.name}`, depth + 1);
        return o;
      }
    }
  }

  /** A value of the wrong shape for the effect's result type, or null when every value fits. */
  private wrongShape(effect: string): unknown {
    const d = this.module.effects.find((e) => e.name === effect);
    if (!d) return null;
    const k = this.module.types[d.result]!.k;
    return k === "json" || k === "map" || k === "opt" ? null : { $wrong: [1, 2] };
  }

  private timeoutOf(effect: string): number {
    return this.module.effects.find((e) => e.name === effect)?.timeoutMs ?? 30_000;
  }

  /** Adapters for every declared effect, bound to one runtime incarnation. */
  adapters(caller: WorldCaller): Record<string, Adapter> {
    const out: Record<string, Adapter> = {};
    for (const e of this.module.effects) {
      if (e.name === "Http.request" || e.name === "Log.write") continue;
      out[e.name] = (_args, ctx) => this.call(caller, e.name, ctx);
    }
    return out;
  }

  private call(caller: WorldCaller, effect: string, ctx: AdapterContext): Promise<unknown> {
    // A process that died makes no new calls (its answers in flight may still arrive).
    if (caller.dead) return new Promise<never>(() => {});
    const problem = caller.checkCall(ctx);
    if (problem !== null) this.violations.push(problem);
    this.calls++;
    const key = ctx.idempotencyKey;
    let b = this.behavior(effect, key, ctx.attempt);
    if (b === "shape" && this.wrongShape(effect) === null) b = "ok";
    caller.trace(`call ${effect} ${key} #${ctx.attempt} ${b} inc${caller.n}`);
    // Whatever the endpoint did has happened; the simulator may crash the caller right now.
    this.afterCall?.();
    const timeout = this.timeoutOf(effect);
    switch (b) {
      case "ok":
        return Promise.resolve(this.apply(effect, key));
      case "dup":
        this.apply(effect, key);
        return Promise.resolve(this.apply(effect, key));
      case "fail":
        return Promise.reject(new Error(`the world refused ${key} (attempt ${ctx.attempt})`));
      case "terminal":
        return Promise.reject(Object.assign(new Error(`the world rejected ${key} for good`), { terminal: true }));
      case "shape":
        this.apply(effect, key);
        return Promise.resolve(this.wrongShape(effect));
      case "okLost":
        this.apply(effect, key);
        return Promise.reject(new Error(`connection reset after ${key} was applied (attempt ${ctx.attempt})`));
      case "timeout":
        return new Promise<never>((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
      case "late":
      case "lateLost": {
        const v = this.apply(effect, key);
        const u = unitHash(`${this.seed}/delay/${key}/${ctx.attempt}`);
        // late: strictly inside the timeout; lateLost: strictly after it.
        const ms = b === "late" ? Math.max(1, Math.floor(timeout * (0.1 + 0.8 * u))) : timeout + 1 + Math.floor(u * timeout);
        return new Promise((resolve) => {
          this.clock.setTimer(ms, () => resolve(v));
        });
      }
    }
  }
}
