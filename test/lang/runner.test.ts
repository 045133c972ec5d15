/**
 * The language test runner (STYLE.md §11): every `test/lang/<feature>/<behaviour>.lex` states
 * its expectations in `//` comments, and this one runner checks them.
 *
 * Directives (one per line, anywhere in the file):
 *   // error: LX0301 @ 5:12          an expected diagnostic (code and 1-based line:col)
 *   // warning: LX0801 @ 3:7         an expected warning
 *   // call: Counter[c1].Increment(by: 5)     run a call (after all earlier calls)
 *   //   reply: 5                    the reply of the call above, as JSON
 *   //   trap: LX-DIV0 [@ 7:10]      the call above fails with this code (and position)
 *   //   suspended: Payments.charge  the call above waits for this effect
 *   // effect: Payments.charge = {"$tag":"Ok","value":…}   stub result for the next await
 *   // state: Counter[c1] = {"count": 5}      the instance state after all calls, as JSON
 *   // cycle: Counter[c1] = 3        the instance's cycle after all calls
 *   // intents: 2                    number of effect intents produced by all calls
 *   // timers: 1                     number of delayed sends produced by all calls
 *   // now: 1700000000000            logical time of the first input
 * Every diagnostic the compiler reports must be expected, and every expected one reported.
 * A file with no error/warning directive must compile cleanly.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileProgram } from "../../src/compiler/compile.ts";
import { diagnosticToJson } from "../../src/compiler/render.ts";
import { evalProgram, parseCall, type EvalOutcome } from "../../src/runtime/eval.ts";

const ROOT = path.dirname(new URL(import.meta.url).pathname);

type CallExpect = { text: string; reply?: unknown; trap?: { code: string; at?: string }; suspended?: string };
type Spec = {
  diagnostics: string[];
  calls: CallExpect[];
  effects: Record<string, unknown[]>;
  states: { target: string; json: unknown }[];
  cycles: { target: string; cycle: number }[];
  intents?: number;
  timers?: number;
  now?: number;
};

function parseSpec(file: string, text: string): Spec {
  const spec: Spec = { diagnostics: [], calls: [], effects: {}, states: [], cycles: [] };
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const m = /^\s*\/\/\s*(error|warning|call|reply|trap|suspended|effect|state|cycle|intents|timers|now):\s*(.*?)\s*$/.exec(line);
    if (!m) return;
    const [, kind, rest] = m as unknown as [string, string, string];
    const where = `${file}:${i + 1}`;
    const lastCall = (): CallExpect => {
      const c = spec.calls[spec.calls.length - 1];
      if (!c) throw new Error(`${where}: \`${kind}:\` must follow a \`call:\``);
      return c;
    };
    switch (kind) {
      case "error":
      case "warning": {
        const d = /^(LX\d{4})\s*@\s*(\d+):(\d+)$/.exec(rest);
        if (!d) throw new Error(`${where}: expected \`${kind}: LX0000 @ line:col\``);
        spec.diagnostics.push(`${kind} ${d[1]} @ ${d[2]}:${d[3]}`);
        break;
      }
      case "call":
        spec.calls.push({ text: rest });
        break;
      case "reply":
        lastCall().reply = JSON.parse(rest);
        break;
      case "trap": {
        const t = /^(LX-[A-Z0-9-]+)(?:\s*@\s*(\d+:\d+))?$/.exec(rest);
        if (!t) throw new Error(`${where}: expected \`trap: LX-CODE [@ line:col]\``);
        lastCall().trap = t[2] ? { code: t[1]!, at: t[2] } : { code: t[1]! };
        break;
      }
      case "suspended":
        lastCall().suspended = rest;
        break;
      case "effect": {
        const e = /^([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(rest);
        if (!e) throw new Error(`${where}: expected \`effect: Ns.name = <json>\``);
        (spec.effects[e[1]!] ??= []).push(JSON.parse(e[2]!));
        break;
      }
      case "state": {
        const s = /^(.+?\])\s*=\s*(.*)$/.exec(rest);
        if (!s) throw new Error(`${where}: expected \`state: Domain[id] = <json>\``);
        spec.states.push({ target: s[1]!.replace(/\s+/g, ""), json: JSON.parse(s[2]!) });
        break;
      }
      case "cycle": {
        const s = /^(.+?\])\s*=\s*(\d+)$/.exec(rest);
        if (!s) throw new Error(`${where}: expected \`cycle: Domain[id] = N\``);
        spec.cycles.push({ target: s[1]!.replace(/\s+/g, ""), cycle: Number(s[2]) });
        break;
      }
      case "intents":
        spec.intents = Number(rest);
        break;
      case "timers":
        spec.timers = Number(rest);
        break;
      case "now":
        spec.now = Number(rest);
        break;
    }
  });
  return spec;
}

function findPrograms(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findPrograms(p));
    else if (e.name.endsWith(".lex")) out.push(p);
  }
  return out;
}

const programs = findPrograms(ROOT);

describe("language programs", () => {
  test("there are programs to run", () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  for (const file of programs) {
    const rel = path.relative(ROOT, file);
    test(rel, () => {
      const text = fs.readFileSync(file, "utf8");
      const spec = parseSpec(rel, text);
      const r = compileProgram({ [rel]: text });
      const got = r.diagnostics.map((d) => {
        const j = diagnosticToJson(d, r.files);
        return `${d.severity} ${d.code} @ ${j.line}:${j.col}`;
      });
      const messages = r.diagnostics.map((d) => {
        const j = diagnosticToJson(d, r.files);
        return `${d.severity} ${d.code} @ ${j.line}:${j.col}: ${d.message}`;
      });
      expect.soft(got.sort(), `diagnostics of ${rel}:\n${messages.join("\n")}`).toEqual([...spec.diagnostics].sort());
      if (spec.calls.length === 0 && spec.states.length === 0) return;
      expect(r.module, `${rel} must compile to run its calls`).not.toBeNull();
      const report = evalProgram(r.module!, spec.calls.map((c) => parseCall(c.text)), { effects: spec.effects, now: spec.now });
      spec.calls.forEach((c, i) => {
        const o = report.calls[i] as EvalOutcome | undefined;
        expect(o, `call ${i + 1} (${c.text}) produced no outcome`).toBeDefined();
        const desc = `call ${i + 1} (${c.text}) → ${JSON.stringify(o)}`;
        if (c.trap) {
          expect(o!.outcome, desc).toBe("failed");
          if (o!.outcome === "failed") {
            expect(o!.error.code, desc).toBe(c.trap.code);
            if (c.trap.at) expect(o!.error.at?.replace(/^.*?:(\d+:\d+)$/, "$1"), desc).toBe(c.trap.at);
          }
        } else if (c.suspended) {
          expect(o!.outcome, desc).toBe("suspended");
          if (o!.outcome === "suspended") expect(o!.waitingFor, desc).toBe(c.suspended);
        } else {
          expect(o!.outcome, desc).toBe("ok");
          if ("reply" in c && o!.outcome === "ok") expect(o!.reply, desc).toEqual(c.reply);
        }
      });
      const byTarget = new Map(report.instances.map((x) => [`${x.domain}[${x.instance}]`, x]));
      for (const s of spec.states) {
        const x = byTarget.get(s.target);
        expect(x, `instance ${s.target} exists`).toBeDefined();
        expect(x!.state, `state of ${s.target}`).toEqual(s.json);
      }
      for (const s of spec.cycles) expect(byTarget.get(s.target)?.cycle, `cycle of ${s.target}`).toBe(s.cycle);
      if (spec.intents !== undefined) expect(report.intents.length, "intents").toBe(spec.intents);
      if (spec.timers !== undefined) expect(report.timers.length, "timers").toBe(spec.timers);
    });
  }
});
