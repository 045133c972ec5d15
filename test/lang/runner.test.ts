/**
 * The language test runner (STYLE.md §11): every `test/lang/<feature>/<behaviour>.lex` states
 * its expectations in `//` comments, and this one runner checks them. The first line of each
 * program is a comment saying what it proves.
 *
 * Directives (one per line, anywhere in the file):
 *   // error: LX0301 @ 5:12          an expected diagnostic (code and 1-based line:col)
 *   // warning: LX0801 @ 3:7         an expected warning
 *   //   message: text               the diagnostic above has a message containing `text`
 *   //   note: text                  the diagnostic above has a note containing `text`
 *   //   note: @ 4:3 text            … and that note points at line 4, column 3
 *   // call: Counter[c1].Increment(by: 5)     run a call (after all earlier calls)
 *   //   reply: 5                    the reply of the call above, as JSON
 *   //   trap: LX-DIV0 [@ 7:10]      the call above fails with this code (and position)
 *   //   message: text               the call above failed with a message containing `text`
 *   //   suspended: Payments.charge  the call above waits for this effect
 *   // effect: Payments.charge = {"$tag":"Ok","value":…}   stub result for the next await
 *   // state: Counter[c1] = {"count": 5}      the instance state after all calls, as JSON
 *   // cycle: Counter[c1] = 3        the instance's cycle after all calls
 *   // intents: 2                    number of effect intents produced by all calls
 *   // intent: {"effect": "Log.write", "kind": "emit", "key": "…", "args": […]}
 *                                    the next intent (in order) has these keys and values
 *                                    (any subset of domain, instance, effect, kind, key, args)
 *   // timers: 1                     number of delayed sends produced by all calls
 *   // timer: {"transition": "Summary", "dueAt": 1700000060000}   the next timer (subset)
 *   // failure: Alerts[global].Check LX-FAIL   a transition started by a send (not a call)
 *                                    failed with this code; every such failure must be expected
 *   // now: 1700000000000            logical time of the first input (each input adds 1 ms)
 * Every diagnostic the compiler reports must be expected, and every expected one reported.
 * A file with no error/warning directive must compile cleanly. Files are compiled from their
 * bytes, so a program may hold invalid UTF-8 (LX0007).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileProgram } from "../../src/compiler/compile.ts";
import { diagnosticToJson } from "../../src/compiler/render.ts";
import { evalProgram, parseCall, type EvalOutcome } from "../../src/runtime/eval.ts";

const ROOT = path.dirname(new URL(import.meta.url).pathname);

type CallExpect = { text: string; reply?: unknown; trap?: { code: string; at?: string }; suspended?: string; messages: string[] };
type DiagExpect = { key: string; messages: string[]; notes: { text: string; at?: string }[] };
type Spec = {
  diagnostics: DiagExpect[];
  calls: CallExpect[];
  effects: Record<string, unknown[]>;
  states: { target: string; json: unknown }[];
  cycles: { target: string; cycle: number }[];
  intents?: number;
  intentList: Record<string, unknown>[];
  timers?: number;
  timerList: Record<string, unknown>[];
  failures: string[];
  now?: number;
};

const DIRECTIVE = /^\s*\/\/\s*(error|warning|call|reply|trap|suspended|effect|state|cycle|intents|intent|timers|timer|failure|now|message|note):\s*(.*?)\s*$/;

function parseSpec(file: string, text: string): Spec {
  const spec: Spec = { diagnostics: [], calls: [], effects: {}, states: [], cycles: [], intentList: [], timerList: [], failures: [] };
  // `message:` and `note:` attach to the directive they follow (a diagnostic or a call).
  let last: { kind: "diag"; d: DiagExpect } | { kind: "call"; c: CallExpect } | null = null;
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const [, kind, rest] = m as unknown as [string, string, string];
    const where = `${file}:${i + 1}`;
    const lastCall = (): CallExpect => {
      if (last?.kind !== "call") throw new Error(`${where}: \`${kind}:\` must follow a \`call:\``);
      return last.c;
    };
    const json = (s: string): unknown => {
      try {
        return JSON.parse(s);
      } catch {
        throw new Error(`${where}: \`${kind}:\` needs JSON, got ${s}`);
      }
    };
    switch (kind) {
      case "error":
      case "warning": {
        const d = /^(LX\d{4})\s*@\s*(\d+):(\d+)$/.exec(rest);
        if (!d) throw new Error(`${where}: expected \`${kind}: LX0000 @ line:col\``);
        const de: DiagExpect = { key: `${kind} ${d[1]} @ ${d[2]}:${d[3]}`, messages: [], notes: [] };
        spec.diagnostics.push(de);
        last = { kind: "diag", d: de };
        break;
      }
      case "message":
        if (last === null) throw new Error(`${where}: \`message:\` must follow an \`error:\`, \`warning:\` or \`call:\``);
        if (last.kind === "diag") last.d.messages.push(rest);
        else last.c.messages.push(rest);
        break;
      case "note": {
        if (last?.kind !== "diag") throw new Error(`${where}: \`note:\` must follow an \`error:\` or \`warning:\``);
        const n = /^@\s*(\d+:\d+)\s+(.*)$/.exec(rest);
        last.d.notes.push(n ? { text: n[2]!, at: n[1]! } : { text: rest });
        break;
      }
      case "call": {
        const c: CallExpect = { text: rest, messages: [] };
        spec.calls.push(c);
        last = { kind: "call", c };
        break;
      }
      case "reply":
        lastCall().reply = json(rest);
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
        (spec.effects[e[1]!] ??= []).push(json(e[2]!));
        break;
      }
      case "state": {
        const s = /^(.+?\])\s*=\s*(.*)$/.exec(rest);
        if (!s) throw new Error(`${where}: expected \`state: Domain[id] = <json>\``);
        spec.states.push({ target: s[1]!.replace(/\s+/g, ""), json: json(s[2]!) });
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
      case "intent":
        spec.intentList.push(json(rest) as Record<string, unknown>);
        break;
      case "timers":
        spec.timers = Number(rest);
        break;
      case "timer":
        spec.timerList.push(json(rest) as Record<string, unknown>);
        break;
      case "failure": {
        const f = /^([A-Za-z_]\w*\[[^\]]*\]\.[A-Za-z_]\w*)\s+(LX-[A-Z0-9-]+)$/.exec(rest);
        if (!f) throw new Error(`${where}: expected \`failure: Domain[id].Transition LX-CODE\``);
        spec.failures.push(`${f[1]} ${f[2]}`);
        break;
      }
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

/** The keys of `want` have equal values in `got`. */
function subset(got: Record<string, unknown>, want: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]));
}

const programs = findPrograms(ROOT);

describe("language programs", () => {
  test("there are programs to run", () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  for (const file of programs) {
    const rel = path.relative(ROOT, file);
    test(rel, () => {
      const bytes = fs.readFileSync(file);
      const text = new TextDecoder().decode(bytes);
      expect(text.split("\n")[0], `${rel}: the first line is a comment saying what the program proves`).toMatch(/^\/\/ \S/);
      const spec = parseSpec(rel, text);
      const r = compileProgram({ [rel]: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
      const got = r.diagnostics.map((d) => {
        const j = diagnosticToJson(d, r.files);
        return { key: `${d.severity} ${d.code} @ ${j.line}:${j.col}`, json: j };
      });
      const messages = got.map((g) => `${g.key}: ${g.json.message}${g.json.notes.map((n) => `\n    note${n.line ? ` @ ${n.line}:${n.col}` : ""}: ${n.message}`).join("")}`);
      const desc = `diagnostics of ${rel}:\n${messages.join("\n")}`;
      expect.soft(got.map((g) => g.key).sort(), desc).toEqual(spec.diagnostics.map((d) => d.key).sort());
      for (const d of spec.diagnostics) {
        const g = got.find((x) => x.key === d.key);
        if (!g) continue;
        for (const m of d.messages) expect.soft(g.json.message, `${d.key}: message\n${desc}`).toContain(m);
        for (const n of d.notes) {
          const hit = g.json.notes.some((x) => x.message.includes(n.text) && (n.at === undefined || `${x.line}:${x.col}` === n.at));
          expect.soft(hit, `${d.key}: a note${n.at ? ` @ ${n.at}` : ""} containing ${JSON.stringify(n.text)}\n${desc}`).toBe(true);
        }
      }
      const runs = spec.calls.length > 0 || spec.states.length > 0;
      if (!runs) return;
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
            for (const m of c.messages) expect(o!.error.message, desc).toContain(m);
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
      if (spec.intents !== undefined) expect(report.intents.length, `intents: ${JSON.stringify(report.intents)}`).toBe(spec.intents);
      spec.intentList.forEach((want, i) => {
        const got = report.intents[i];
        expect(got, `intent ${i + 1} exists`).toBeDefined();
        expect(subset(got as Record<string, unknown>, want), `intent ${i + 1}: ${JSON.stringify(got)}`).toEqual(want);
      });
      if (spec.timers !== undefined) expect(report.timers.length, `timers: ${JSON.stringify(report.timers)}`).toBe(spec.timers);
      spec.timerList.forEach((want, i) => {
        const got = report.timers[i];
        expect(got, `timer ${i + 1} exists`).toBeDefined();
        expect(subset(got as Record<string, unknown>, want), `timer ${i + 1}: ${JSON.stringify(got)}`).toEqual(want);
      });
      const failures = report.failures.map((f) => `${f.domain}[${f.instance}].${f.transition} ${f.error.split(":")[0]}`);
      expect(failures, `failures of sent messages: ${JSON.stringify(report.failures)}`).toEqual(spec.failures);
    });
  }
});
