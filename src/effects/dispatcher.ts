/**
 * Effect dispatch at the boundary (runtime.md §6, rules.md [25], [26]).
 *
 * The runtime hands over an intent only after the cycle that produced it is durable (the
 * output gate). The dispatcher calls the adapter registered under the effect's name with
 * the idempotency key, the attempt number, a deadline and an abort signal; it retries with
 * exponential backoff (`min(lo·2^(k−1), hi)`) and a per-attempt timeout as declared, checks
 * the result against the declared type, and returns `Ok(value)` or `Err(EffectError)` to the
 * runtime, which journals it before the waiting slice resumes. After a crash, intents
 * without a journaled result are dispatched again with the same key (attempts restart at 1).
 *
 * Back-pressure: at most `maxInFlight` effects run at once; the rest wait in FIFO order.
 */
import { systemClock, type Clock, type TimerHandle } from "../base/clock.ts";
import { errorMessage } from "../base/errors.ts";
import type { EffectDesc, Module } from "../bytecode/module.ts";
import { effectError, err, fromJson, JsonShapeError, ok, toJson, type TypeTable, type Value } from "../vm/values/index.ts";

export type AdapterContext = {
  /** Stable across retries, re-dispatches after a crash, and restarts. */
  readonly idempotencyKey: string;
  /** 1-based; restarts at 1 after recovery. */
  readonly attempt: number;
  /** Epoch ms by which this attempt must finish (the declared per-attempt timeout). */
  readonly deadline: number;
  /** Aborted when the attempt times out or the runtime shuts down. */
  readonly signal: AbortSignal;
  readonly domain: string;
  readonly instance: string;
  readonly effect: string;
};

/** An adapter: arguments by parameter name (JSON values) → the result as JSON. Throw to fail
 * (retryable); throw an error with `terminal: true` to fail without retries. */
export type Adapter = (args: Record<string, unknown>, ctx: AdapterContext) => Promise<unknown> | unknown;

/** An error an adapter may throw; with `terminal: true` the effect fails without retries
 * (any thrown value with a `terminal: true` property works the same). */
export class AdapterError extends Error {
  override name = "AdapterError";
  constructor(
    message: string,
    readonly terminal = false,
  ) {
    super(message);
  }
}

export type DispatchIntent = {
  readonly domain: string;
  readonly instance: string;
  readonly cycle: number;
  readonly index: number;
  readonly kind: "await" | "emit";
  readonly effect: string;
  readonly key: string;
  readonly args: readonly Value[];
};

/** What the dispatcher needs from the runtime. */
export interface EffectHost {
  readonly module: Module;
  readonly types: TypeTable;
  readonly clock: Clock;
  deliverResult(intent: { domain: string; instance: string; cycle: number; index: number }, result: Value, attempts: number): void;
  onEffectCall?(effect: string, outcome: "ok" | "error", ms: number): void;
  log: { warn(obj: object | string, msg?: string): void; error(obj: object | string, msg?: string): void };
}

export class AdapterRegistry {
  private readonly map = new Map<string, Adapter>();
  private listeners: (() => void)[] = [];

  constructor(initial: Readonly<Record<string, Adapter>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.register(k, v);
  }

  register(name: string, fn: Adapter): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`adapter name ${JSON.stringify(name)} must be Namespace.operation`);
    if (typeof fn !== "function") throw new Error(`adapter ${name} must be a function`);
    this.map.set(name, fn);
    for (const l of this.listeners) l();
  }

  get(name: string): Adapter | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  names(): string[] {
    return [...this.map.keys()].sort();
  }

  onRegister(fn: () => void): void {
    this.listeners.push(fn);
  }
}

export type DispatcherOptions = {
  readonly maxInFlight?: number;
  /** With no adapter for an effect: wait this long for one to be registered, then answer Err(LX-EFFECT-NO-ADAPTER). */
  readonly adapterWaitMs?: number;
};

export const EFFECTS_IN_FLIGHT_DEFAULT = 256;

export class EffectDispatcher {
  private readonly queue: DispatchIntent[] = [];
  private queueHead = 0;
  private running = 0;
  private readonly waitingAdapter: { intent: DispatchIntent; since: number }[] = [];
  private readonly controllers = new Set<AbortController>();
  private readonly timers = new Set<TimerHandle>();
  private closed = false;
  private readonly maxInFlight: number;
  private readonly adapterWaitMs: number;
  private adapterWaitTimer: TimerHandle | null = null;
  readonly stats = { calls: 0, attempts: 0, failures: 0, ok: 0 };

  constructor(
    private readonly host: EffectHost,
    readonly adapters: AdapterRegistry,
    o: DispatcherOptions = {},
  ) {
    this.maxInFlight = Math.max(1, o.maxInFlight ?? EFFECTS_IN_FLIGHT_DEFAULT);
    this.adapterWaitMs = o.adapterWaitMs ?? 30_000;
    adapters.onRegister(() => this.retryWaiting());
  }

  /** Effects dispatched or queued without a delivered result. */
  get inFlight(): number {
    return this.running + (this.queue.length - this.queueHead) + this.waitingAdapter.length;
  }

  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  dispatch(intent: DispatchIntent): void {
    if (this.closed) return;
    this.queue.push(intent);
    this.drain();
  }

  private drain(): void {
    while (!this.closed && this.running < this.maxInFlight && this.queueHead < this.queue.length) {
      const it = this.queue[this.queueHead++]!;
      this.running++;
      void this.run(it).finally(() => {
        this.running--;
        this.drain();
      });
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private retryWaiting(): void {
    const ws = this.waitingAdapter.splice(0);
    for (const w of ws) this.dispatch(w.intent);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const h = this.host.clock.setTimer(ms, () => {
        this.timers.delete(h);
        resolve();
      });
      this.timers.add(h);
    });
  }

  private desc(name: string): EffectDesc | undefined {
    return this.host.module.effects.find((e) => e.name === name);
  }

  private fail(it: DispatchIntent, code: string, message: string, attempts: number): void {
    this.stats.failures++;
    this.host.deliverResult(it, err(effectError(code, message, attempts, this.host.types.effectErrorShape)), attempts);
  }

  private async run(it: DispatchIntent): Promise<void> {
    const d = this.desc(it.effect);
    if (!d) {
      this.fail(it, "LX-EFFECT-NO-ADAPTER", `effect ${it.effect} is not declared by the running program`, 0);
      return;
    }
    const adapter = this.adapters.get(it.effect);
    if (!adapter) {
      this.waitingAdapter.push({ intent: it, since: this.host.clock.now() });
      this.armAdapterWait();
      return;
    }
    this.stats.calls++;
    const args: Record<string, unknown> = {};
    d.params.forEach((p, i) => {
      args[p.name] = toJson(this.host.types, p.type, it.args[i]!);
    });
    let lastCode = "LX-EFFECT-RETRIES";
    let lastMessage = "";
    const attemptsMax = d.retries + 1;
    for (let attempt = 1; attempt <= attemptsMax; attempt++) {
      if (this.closed) return;
      this.stats.attempts++;
      const controller = new AbortController();
      this.controllers.add(controller);
      // A frozen clock (`--logical-time`) stamps records with one fixed time but its timers run
      // in real time: the deadline an adapter sees must be on the clock that enforces it.
      const deadline = (this.host.clock.frozen ? systemClock : this.host.clock).now() + d.timeoutMs;
      let timedOut = false;
      let timeoutHandle: TimerHandle | null = null;
      const timeout = new Promise<never>((_, reject) => {
        timeoutHandle = this.host.clock.setTimer(d.timeoutMs, () => {
          timedOut = true;
          controller.abort(new Error(`timed out after ${d.timeoutMs} ms`));
          reject(new Error(`timed out after ${d.timeoutMs} ms`));
        });
      });
      const t0 = this.host.clock.monotonic();
      try {
        const ctx: AdapterContext = { idempotencyKey: it.key, attempt, deadline, signal: controller.signal, domain: it.domain, instance: it.instance, effect: it.effect };
        const raw = await Promise.race([Promise.resolve().then(() => adapter(args, ctx)), timeout]);
        if (this.closed) return;
        let value: Value;
        try {
          value = fromJson(this.host.types, d.result, raw === undefined ? null : raw, "", { dropUnknownFields: true });
        } catch (e) {
          const why = e instanceof JsonShapeError ? `${e.pointer || "/"}: ${e.message}` : errorMessage(e);
          this.host.onEffectCall?.(it.effect, "error", this.host.clock.monotonic() - t0);
          this.fail(it, "LX-EFFECT-SHAPE", `the result of ${it.effect} does not match its declared type (${why})`, attempt);
          return;
        }
        this.stats.ok++;
        this.host.onEffectCall?.(it.effect, "ok", this.host.clock.monotonic() - t0);
        this.host.deliverResult(it, ok(value), attempt);
        return;
      } catch (e) {
        if (this.closed) return;
        this.host.onEffectCall?.(it.effect, "error", this.host.clock.monotonic() - t0);
        if (timedOut) {
          lastCode = "LX-EFFECT-TIMEOUT";
          lastMessage = `${it.effect} timed out after ${d.timeoutMs} ms (attempt ${attempt} of ${attemptsMax})`;
        } else {
          const terminal = (e as { terminal?: unknown })?.terminal === true;
          const msg = thrownMessage(e);
          if (terminal) {
            this.fail(it, "LX-EFFECT-TERMINAL", msg, attempt);
            return;
          }
          lastCode = "LX-EFFECT-RETRIES";
          lastMessage = msg;
        }
        this.host.log.warn({ effect: it.effect, key: it.key, attempt, error: lastMessage }, "effect attempt failed");
      } finally {
        if (timeoutHandle) (timeoutHandle as TimerHandle).cancel();
        this.controllers.delete(controller);
      }
      if (attempt < attemptsMax) {
        const backoff = Math.min(d.backoffMinMs * 2 ** (attempt - 1), d.backoffMaxMs);
        await this.sleep(backoff);
      }
    }
    this.fail(it, lastCode, lastCode === "LX-EFFECT-RETRIES" ? `${it.effect} failed after ${attemptsMax} attempt${attemptsMax === 1 ? "" : "s"}: ${lastMessage}` : lastMessage, attemptsMax);
  }

  private armAdapterWait(): void {
    if (this.adapterWaitTimer !== null || this.waitingAdapter.length === 0) return;
    this.adapterWaitTimer = this.host.clock.setTimer(this.adapterWaitMs, () => {
      this.adapterWaitTimer = null;
      const now = this.host.clock.now();
      const expired = this.waitingAdapter.filter((w) => now - w.since >= this.adapterWaitMs);
      for (const w of expired) {
        this.waitingAdapter.splice(this.waitingAdapter.indexOf(w), 1);
        this.fail(w.intent, "LX-EFFECT-NO-ADAPTER", `no adapter is registered for ${w.intent.effect}`, 0);
      }
      this.armAdapterWait();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.controllers) c.abort(new Error("the runtime is shutting down"));
    for (const t of this.timers) t.cancel();
    this.adapterWaitTimer?.cancel();
    this.timers.clear();
  }
}

/** The message of whatever an adapter threw: an Error, a `{message}` object, a string, or else its JSON. */
function thrownMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === "string") return e;
  const m = (e as { message?: unknown } | null)?.message;
  if (typeof m === "string") return m;
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}
