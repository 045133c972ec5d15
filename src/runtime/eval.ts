/**
 * In-memory evaluation of calls (`lexum eval`, the language test runner): runs transitions
 * without a journal, delivering sends in FIFO order, answering awaited effects from stubs,
 * and reporting states and outputs as JSON. Deterministic: logical time starts at `now` and
 * advances by 1 ms per input.
 *
 * It shares the VM and the run-hash chain with the durable runtime, so the run hashes it
 * prints for transitions without goals or timers match a durable run of the same inputs.
 */
import { instanceIdProblem } from "../base/ids.ts";
import { LexumError } from "../base/errors.ts";
import type { Module } from "../bytecode/module.ts";
import { Machine, type Frame, type SegmentResult } from "../vm/machine.ts";
import { trapText, type Trap } from "../vm/trap.ts";
import { effectError, err, fromJson, JsonShapeError, ok, stateHash, toJson, toTagged, type Rec, type Value } from "../vm/values/index.ts";
import { initialRunHash, inputDigest, nextRunHash, outputsDigest, ZERO32, type InputForDigest } from "./digest.ts";
import { toHex0x } from "../base/hash.ts";

export type EvalCall = { readonly domain: string; readonly instance: string; readonly transition: string; readonly args: Readonly<Record<string, unknown>> };

export type EvalOptions = {
  /** Logical time of the first input (epoch ms). */
  readonly now?: number;
  /** Results for awaited effects, consumed in order per effect name, as JSON of `result<T>` (`{"$tag":"Ok","value":…}`). */
  readonly effects?: Readonly<Record<string, readonly unknown[]>>;
  /** Upper bound on executed segments (a runaway send loop stops here). */
  readonly maxSegments?: number;
};

export type EvalOutcome =
  | { readonly call: string; readonly outcome: "ok"; readonly reply: unknown; readonly cycle: number }
  | { readonly call: string; readonly outcome: "failed"; readonly error: { code: string; message: string; at: string | null }; readonly cycle: number }
  | { readonly call: string; readonly outcome: "suspended"; readonly waitingFor: string; readonly cycle: number };

export type EvalInstance = {
  domain: string;
  instance: string;
  cycle: number;
  run_hash: string;
  state: unknown;
  mailbox_offset: number;
  status: "ACTIVE" | "SUSPENDED";
};

export type EvalReport = {
  readonly calls: EvalOutcome[];
  readonly instances: EvalInstance[];
  readonly intents: { domain: string; instance: string; effect: string; kind: string; key: string; args: unknown }[];
  readonly timers: { domain: string; instance: string; transition: string; dueAt: number; args: unknown }[];
  readonly failures: { domain: string; instance: string; transition: string; error: string }[];
};

export class EvalError extends LexumError {
  override name = "EvalError";
}

type Inst = {
  domainIdx: number;
  id: string;
  state: Rec;
  cycle: number;
  runHash: Uint8Array;
  offset: number;
  suspended: { frame: Frame; transition: number; effect: string; key: string; intentCycle: number; callIndex: number | null } | null;
};

type Msg = { domainIdx: number; instance: string; transition: number; args: Value[]; callIndex: number | null };

export function evalProgram(module: Module, calls: readonly EvalCall[], opts: EvalOptions = {}): EvalReport {
  const vm = new Machine(module);
  const instances = new Map<string, Inst>();
  const effectQueues = new Map<string, unknown[]>();
  for (const [k, v] of Object.entries(opts.effects ?? {})) effectQueues.set(k, [...v]);
  const report: EvalReport = { calls: [], instances: [], intents: [], timers: [], failures: [] };
  // `now` is advanced before each input, so the first input gets exactly `opts.now`.
  let now = (opts.now ?? 1_700_000_000_000) - 1;
  let budget = opts.maxSegments ?? 100_000;
  const queue: Msg[] = [];

  const key = (d: number, id: string): string => `${module.domains[d]!.name}\u0000${id}`;
  const inst = (d: number, id: string): Inst => {
    let x = instances.get(key(d, id));
    if (!x) {
      const dn = module.domains[d]!.name;
      x = { domainIdx: d, id, state: vm.initState(d, id), cycle: 0, runHash: initialRunHash(dn, id), offset: 0, suspended: null };
      instances.set(key(d, id), x);
    }
    return x;
  };

  // Validate every call first (nothing runs if one is malformed).
  const msgs: Msg[] = calls.map((c, i) => {
    const d = vm.domainIndex(c.domain);
    if (d < 0) throw new EvalError("LX-EVAL", `call ${i + 1}: unknown domain ${JSON.stringify(c.domain)}`, 1);
    const t = vm.transitionIndex(d, c.transition);
    if (t < 0) throw new EvalError("LX-EVAL", `call ${i + 1}: domain ${c.domain} has no transition ${JSON.stringify(c.transition)}`, 1);
    const problem = instanceIdProblem(c.instance);
    if (problem) throw new EvalError("LX-EVAL", `call ${i + 1}: ${problem}`, 1);
    const tr = module.domains[d]!.transitions[t]!;
    const given = new Set(Object.keys(c.args));
    const args = tr.params.map((p) => {
      if (!given.has(p.name)) throw new EvalError("LX-EVAL", `call ${i + 1}: missing argument ${p.name}`, 1);
      given.delete(p.name);
      try {
        return fromJson(vm.types, p.type, c.args[p.name], `/${p.name}`);
      } catch (e) {
        if (e instanceof JsonShapeError) throw new EvalError("LX-EVAL", `call ${i + 1}: argument ${e.pointer}: ${e.message}`, 1);
        throw e;
      }
    });
    if (given.size > 0) throw new EvalError("LX-EVAL", `call ${i + 1}: unknown argument ${[...given][0]}`, 1);
    return { domainIdx: d, instance: c.instance, transition: t, args, callIndex: i };
  });

  const callName = (m: Msg): string => `${module.domains[m.domainIdx]!.name}[${m.instance}].${module.domains[m.domainIdx]!.transitions[m.transition]!.name}`;

  const commit = (x: Inst, input: InputForDigest, r: SegmentResult): void => {
    const dom = module.domains[x.domainIdx]!;
    const outcome =
      r.kind === "done" ? { k: "reply" as const, value: r.reply } : r.kind === "failed" ? { k: "error" as const, code: r.trap.code, message: r.trap.message } : { k: "continue" as const };
    const od = outputsDigest({
      sends: r.out.sends.map((s) => ({ domain: module.domains[s.domain]!.name, instance: s.instance, transition: module.domains[s.domain]!.transitions[s.transition]!.name, args: s.args, delayMs: s.delayMs })),
      intents: r.out.intents.map((it) => ({ effect: module.effects[it.effect]!.name, kind: it.kind, key: it.key, args: it.args })),
      outcome,
      goalsDigest: ZERO32,
    });
    x.cycle++;
    x.state = r.state;
    x.runHash = nextRunHash(x.runHash, inputDigest(input), od, stateHash(r.state));
    for (const s of r.out.sends) {
      if (s.delayMs === null || s.delayMs <= 0) queue.push({ domainIdx: s.domain, instance: s.instance, transition: s.transition, args: [...s.args], callIndex: null });
      else {
        const td = module.domains[s.domain]!;
        report.timers.push({ domain: td.name, instance: s.instance, transition: td.transitions[s.transition]!.name, dueAt: now + s.delayMs, args: s.args.map(toTagged) });
      }
    }
    for (const it of r.out.intents) {
      report.intents.push({ domain: dom.name, instance: x.id, effect: module.effects[it.effect]!.name, kind: it.kind, key: it.key, args: it.args.map(toTagged) });
    }
  };

  /**
   * A stub's `{"$tag":"Ok","value":…}` or `{"$tag":"Err","error":{code, message, attempts}}` as a
   * `result<T>` value. Built from the effect's result type, so it does not need the module to
   * mention `result<T>` itself (an `await` used as a statement never does).
   */
  const effectErrorType = module.types.findIndex((t) => t.k === "record" && t.name === "EffectError");
  const stubResult = (json: unknown, okType: number): Value => {
    const o = json as Record<string, unknown> | null;
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw new Error("expected an object with $tag Ok or Err");
    const keys = Object.keys(o).sort().join(",");
    if (o.$tag === "Ok" && keys === "$tag,value") return ok(fromJson(vm.types, okType, o.value, "/result/value"));
    if (o.$tag === "Err" && keys === "$tag,error") {
      if (effectErrorType >= 0) return err(fromJson(vm.types, effectErrorType, o.error, "/result/error") as Rec);
      const e = o.error as Record<string, unknown> | null;
      if (e === null || typeof e !== "object" || typeof e.code !== "string" || typeof e.message !== "string" || !Number.isSafeInteger(e.attempts) || Object.keys(e).length !== 3) {
        throw new Error("an error is {code: string, message: string, attempts: int}");
      }
      return err(effectError(e.code, e.message, e.attempts as number));
    }
    throw new Error("expected {\"$tag\":\"Ok\",\"value\":…} or {\"$tag\":\"Err\",\"error\":{…}}");
  };

  const at = (t: Trap): string | null => (t.pos ? `${t.pos.file}:${t.pos.line}:${t.pos.col}` : null);

  /** Runs segments of one transition until it ends or waits for an effect with no stub. */
  const drive = (x: Inst, first: () => SegmentResult, firstInput: InputForDigest, callIndex: number | null, transition: number): void => {
    let r = first();
    let input = firstInput;
    while (true) {
      if (--budget < 0) throw new EvalError("LX-EVAL", "evaluation stopped: more than the allowed number of segments (a send loop?)", 1);
      const intentCycle = x.cycle + 1;
      commit(x, input, r);
      const dom = module.domains[x.domainIdx]!;
      const name = `${dom.name}[${x.id}].${dom.transitions[transition]!.name}`;
      if (r.kind === "done") {
        if (callIndex !== null) report.calls[callIndex] = { call: name, outcome: "ok", reply: toJson(vm.types, dom.transitions[transition]!.reply, r.reply), cycle: x.cycle };
        return;
      }
      if (r.kind === "failed") {
        const error = { code: r.trap.code, message: r.trap.message, at: at(r.trap) };
        if (callIndex !== null) report.calls[callIndex] = { call: name, outcome: "failed", error, cycle: x.cycle };
        else report.failures.push({ domain: dom.name, instance: x.id, transition: dom.transitions[transition]!.name, error: trapText(r.trap) });
        return;
      }
      now++;
      if (r.kind === "slice") {
        const frame = r.frame;
        const state = x.state;
        input = { k: "continue", time: now };
        const env = { instance: x.id, now, seed: x.runHash, cycle: x.cycle + 1 };
        r = vm.resume(x.domainIdx, frame, state, Machine.NO_VALUE, env);
        continue;
      }
      // await: the last intent is the awaited one.
      const intent = r.out.intents[r.out.intents.length - 1]!;
      const effName = module.effects[intent.effect]!.name;
      const q = effectQueues.get(effName);
      if (!q || q.length === 0) {
        x.suspended = { frame: r.frame, transition, effect: effName, key: intent.key, intentCycle, callIndex };
        if (callIndex !== null) report.calls[callIndex] = { call: name, outcome: "suspended", waitingFor: effName, cycle: x.cycle };
        return;
      }
      let result: Value;
      try {
        result = stubResult(q.shift(), module.effects[intent.effect]!.result);
      } catch (e) {
        throw new EvalError("LX-EVAL", `stub result for ${effName} does not match result<…>: ${e instanceof Error ? e.message : String(e)}`, 1);
      }
      input = { k: "result", intentCycle, time: now, key: intent.key, result };
      const env = { instance: x.id, now, seed: x.runHash, cycle: x.cycle + 1 };
      r = vm.resume(x.domainIdx, r.frame, x.state, result, env);
    }
  };

  const deliver = (m: Msg): void => {
    const x = inst(m.domainIdx, m.instance);
    if (x.suspended) {
      // The instance waits for an effect: in eval the message would queue behind it forever.
      report.failures.push({ domain: module.domains[m.domainIdx]!.name, instance: m.instance, transition: module.domains[m.domainIdx]!.transitions[m.transition]!.name, error: "not delivered: the instance is suspended on an effect with no stub result" });
      if (m.callIndex !== null) report.calls[m.callIndex] = { call: callName(m), outcome: "suspended", waitingFor: x.suspended.effect, cycle: x.cycle };
      return;
    }
    now++;
    x.offset++;
    const input: InputForDigest = { k: "message", offset: x.offset, time: now, transition: module.domains[m.domainIdx]!.transitions[m.transition]!.name, args: m.args };
    const env = { instance: x.id, now, seed: x.runHash, cycle: x.cycle + 1 };
    drive(x, () => vm.start(m.domainIdx, m.transition, m.args, x.state, env), input, m.callIndex, m.transition);
  };

  for (const m of msgs) {
    deliver(m);
    while (queue.length > 0) deliver(queue.shift()!);
  }

  const keys = [...instances.keys()].sort();
  for (const k of keys) {
    const x = instances.get(k)!;
    const dom = module.domains[x.domainIdx]!;
    report.instances.push({
      domain: dom.name,
      instance: x.id,
      cycle: x.cycle,
      run_hash: toHex0x(x.runHash),
      state: toJson(vm.types, dom.state, x.state),
      mailbox_offset: x.offset,
      status: x.suspended ? "SUSPENDED" : "ACTIVE",
    });
  }
  return report;
}

/**
 * Parses `Domain[id].Transition(args)` where args is a JSON object (`{"by": 5}`) or named
 * JSON values (`by: 5, item: {"sku": "a"}`). The id may be quoted (`Order["o 1"]`).
 */
export function parseCall(text: string): EvalCall {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\[\s*("(?:[^"\\]|\\.)*"|[^\]]*?)\s*\]\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!m) throw new EvalError("LX-EVAL", `cannot parse call ${JSON.stringify(text)}: expected Domain[id].Transition(args)`, 2);
  const [, domain, rawId, transition, rawArgs] = m;
  const instance = rawId!.startsWith('"') ? (JSON.parse(rawId!) as string) : rawId!;
  const body = rawArgs!.trim();
  let args: Record<string, unknown> = {};
  if (body.startsWith("{")) {
    try {
      const v = JSON.parse(body) as unknown;
      if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
      args = v as Record<string, unknown>;
    } catch (e) {
      throw new EvalError("LX-EVAL", `arguments of ${JSON.stringify(text)} are not a JSON object: ${e instanceof Error ? e.message : String(e)}`, 2);
    }
  } else if (body !== "") {
    args = parseNamedArgs(body, text);
  }
  return { domain: domain!, instance, transition: transition!, args };
}

function parseNamedArgs(body: string, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new EvalError("LX-EVAL", `cannot parse the arguments of ${JSON.stringify(text)}: ${why}`, 2);
  };
  while (i < body.length) {
    const nm = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*/.exec(body.slice(i));
    if (!nm) fail(`expected \`name: value\` at ${JSON.stringify(body.slice(i, i + 20))}`);
    i += nm![0].length;
    // Scan one JSON value: track brackets and strings until a top-level comma.
    let depth = 0;
    let j = i;
    let inStr = false;
    for (; j < body.length; j++) {
      const c = body[j]!;
      if (inStr) {
        if (c === "\\") j++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") depth--;
      else if (c === "," && depth === 0) break;
    }
    const raw = body.slice(i, j).trim();
    try {
      out[nm![1]!] = JSON.parse(raw);
    } catch {
      fail(`the value of ${nm![1]} (${raw}) is not JSON`);
    }
    i = j + 1;
  }
  return out;
}
