/**
 * What the interpreter (machine.ts) and the compiled tier (js_tier.ts) share: the segment
 * context they both work on, and the implementations of the rarer instructions, written once
 * so the two execution paths cannot drift apart. Hot arithmetic stays inline in each.
 */
import { defaultIdempotencyKey, instanceIdProblem } from "../base/ids.ts";
import type { DomainDesc } from "../bytecode/module.ts";
import { Prng } from "./prng.ts";
import { TrapSignal } from "./trap.ts";
import { Json, type Value } from "./values/index.ts";

export type SendOut = {
  readonly domain: number;
  readonly transition: number;
  readonly instance: string;
  /** Arguments in the transition's parameter order. */
  readonly args: readonly Value[];
  /** null: deliver now; else milliseconds after `now()` (≤ 0 means now). */
  readonly delayMs: number | null;
};

export type IntentOut = {
  readonly effect: number;
  readonly args: readonly Value[];
  readonly key: string;
  /** `await`: the frame waits for the result; `emit`: fire and forget. */
  readonly kind: "await" | "emit";
};

/** How a run of a function stopped (the interpreter and the compiled tier build the same). */
export type Exit =
  | { kind: "ret"; value: Value }
  | { kind: "reply"; value: Value }
  | { kind: "slice"; pc: number; locals: Value[] }
  | { kind: "await"; pc: number; locals: Value[] };

/** Mutable context of one segment. */
export type Seg = {
  domain: DomainDesc;
  domainIdx: number;
  instance: string;
  /** The state fields the segment works on (a copy; the caller's state is never touched). */
  fields: Value[];
  /** The fields the segment started from, to undo a compiled run that bailed out. */
  base: readonly Value[];
  dirty: boolean;
  now: number;
  seed: Uint8Array;
  prng: Prng | null;
  cycle: number;
  sends: SendOut[];
  intents: IntentOut[];
  fuel: number;
  /** The budget this segment started with. */
  budget: number;
};

/** The segment's random stream, created on first use (most segments never draw). */
export function prngOf(seg: Seg): Prng {
  if (seg.prng === null) seg.prng = new Prng(seg.seed);
  return seg.prng;
}

/** JGET: a member of a json object. */
export function jsonMember(json: Json, name: string): Json {
  const j = json.v;
  if (j === null || typeof j !== "object" || Array.isArray(j) || !Object.prototype.hasOwnProperty.call(j, name)) {
    throw new TrapSignal("LX-CAST", `json has no member ${JSON.stringify(name)}`);
  }
  return Json.from((j as Record<string, unknown>)[name] as never);
}

/** JINDEX: json[int] (array element) or json[string] (member). */
export function jsonIndex(json: Json, k: Value): Json {
  const j = json.v;
  let r: unknown;
  if (typeof k === "number") {
    if (!Array.isArray(j) || !(k >= 0 && k < j.length)) throw new TrapSignal("LX-CAST", `json has no element ${k}`);
    r = j[k];
  } else {
    if (j === null || typeof j !== "object" || Array.isArray(j) || !Object.prototype.hasOwnProperty.call(j, k as string)) throw new TrapSignal("LX-CAST", `json has no member ${JSON.stringify(k)}`);
    r = (j as Record<string, unknown>)[k as string];
  }
  return Json.from(r as never);
}

/** RANDOM_INT. */
export function randomInt(seg: Seg, lo: number, hi: number): number {
  if (lo > hi) throw new TrapSignal("LX-INDEX", `random_int(${lo}, ${hi}): the lower bound is above the upper bound`);
  return prngOf(seg).randomInt(lo, hi);
}

/** SEND: records a durable message (after checking the target id). */
export function pushSend(seg: Seg, domain: number, transition: number, instance: string, args: readonly Value[], delayMs: number | null): void {
  const problem = instanceIdProblem(instance);
  if (problem) throw new TrapSignal("LX-ID", problem);
  seg.sends.push({ domain, transition, instance, args, delayMs });
}

/** EMIT / AWAIT: records an effect intent; `key` null takes the default idempotency key. */
export function pushIntent(seg: Seg, effect: number, args: readonly Value[], key: string | null, isAwait: boolean): void {
  const k = key ?? defaultIdempotencyKey(seg.domain.name, seg.instance, seg.cycle, seg.intents.length);
  seg.intents.push({ effect, args, key: k, kind: isAwait ? "await" : "emit" });
}
