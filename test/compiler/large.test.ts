/**
 * A generated program of more than 20,000 lines — many records, enums, effects, functions and
 * domains with slices, awaits, sends, matches, loops, goals and invariants — compiles without
 * a diagnostic. The compile time of each stage is printed (not asserted: machines differ); a
 * time past a few seconds means a hot spot to profile (`node --cpu-prof`).
 */
import { describe, expect, test } from "vitest";
import { compileProgram } from "../../src/compiler/compile.ts";
import { checkProgram } from "../../src/compiler/checker.ts";
import { generate } from "../../src/compiler/codegen.ts";
import { DiagnosticBag } from "../../src/compiler/diagnostics.ts";
import { lex } from "../../src/compiler/lexer.ts";
import { parseFile } from "../../src/compiler/parser.ts";
import { PRELUDE_FILE_ID, PRELUDE_PATH, PRELUDE_SOURCE } from "../../src/compiler/prelude.ts";
import { SourceFile } from "../../src/compiler/source.ts";

/** One unit of the program: a realistic order/stock pair of domains with their types. */
function unit(i: number): string {
  return `// ---- unit ${i}
type Item${i} { sku: string, qty: int, price: int, tags: list<string> }
type Receipt${i} { id: string, amount: int }
enum Status${i} {
  Open
  Pending(since: int)
  Paid(receipt: string)
  Failed(reason: string, code: int)
}

effect Svc${i}.charge(order: string, amount: int) -> Receipt${i} {
  capability network.egress
  retries 3 backoff 100ms..2s
  timeout 5s
}

fn total${i}(items: list<Item${i}>) -> int {
  var t = 0
  for it in items {
    t += it.qty * it.price
  }
  return t
}

fn describe${i}(s: Status${i}) -> string {
  match s {
    Open => { return "open" }
    Pending(since) => { return "pending since {since}" }
    Paid(r) => { return "paid {r}" }
    Failed(reason, code) => { return "failed: {reason} ({code})" }
  }
}

fn tags${i}(items: list<Item${i}>) -> set<string> {
  var out: set<string> = {}
  for it in items {
    for t in it.tags { out.insert(lower(trim(t))) }
  }
  return out
}

domain Order${i} {
  capability { network.egress }
  priority normal

  state {
    status: Status${i} = Open
    items: list<Item${i}> = []
    index: map<string, int> = {}
    seen: set<string> = {}
    total: int = 0
    receipt: Receipt${i}? = none
    history: list<string> = []
  }

  invariant NonNegative { total >= 0 }
  goal Settled priority low { status != Open || len(items) == 0 } via Close

  transition Add(item: Item${i}) {
    assert status == Open, "order {self.id} is closed"
    if seen.has(item.sku) {
      fail "duplicate {item.sku}"
    }
    items.push(item)
    index.insert(item.sku, len(items) - 1)
    seen.insert(item.sku)
    total = total${i}(items)
    history.push("add {item.sku} x{item.qty}")
  }

  transition Bump(sku: string, by: int) {
    if let at = index.get(sku) {
      items[at].qty += by
      total = total${i}(items)
    } else {
      fail "unknown {sku}"
    }
  }

  @priority(high)
  transition Checkout() {
    slice reserve {
      status = Pending(since: now())
      for it in items {
        send Stock${i}[it.sku].Hold(order: self.id, qty: it.qty)
      }
    }
    slice charge {
      let r = await Svc${i}.charge(order: self.id, amount: total, key: "charge-{self.id}")
      match r {
        Ok(rc) => {
          receipt = rc
          status = Paid(receipt: rc.id)
        }
        Err(e) => { status = Failed(reason: e.message, code: e.attempts) }
      }
    }
    history.push(describe${i}(status))
    return describe${i}(status)
  }

  transition Close() {
    match status {
      Open => { status = Failed(reason: "closed", code: 0) }
      _ => { history.push("already settled") }
    }
  }

  transition Summary() {
    var parts: list<string> = []
    for k, v in index { parts.push("{k}@{v}") }
    return "{count()} items, {len(tags${i}(items))} tags: {join(parts, ", ")}"
  }

  fn count() -> int { return len(items) }
}

domain Stock${i} {
  state { held: map<string, int> = {}, log: list<string> = [] }
  transition Hold(order: string, qty: int) {
    held.insert(order, (held.get(order) ?? 0) + qty)
    log.push(order)
    if len(log) > 100 { log = slice(log, 50, len(log)) }
  }
  transition Release(order: string) {
    held.remove(order)
  }
}
`;
}

function program(minLines: number): { text: string; lines: number; units: number } {
  const parts: string[] = [];
  let lines = 0;
  let i = 0;
  while (lines < minLines) {
    const u = unit(i++);
    parts.push(u);
    lines += u.split("\n").length - 1;
  }
  return { text: parts.join("\n"), lines, units: i };
}

function ms(t0: number): string {
  return `${(performance.now() - t0).toFixed(0)} ms`;
}

describe("a large generated program", () => {
  const p = program(20_000);

  test(`compiles without diagnostics (${p.lines} lines, ${p.units} units)`, () => {
    expect(p.lines).toBeGreaterThanOrEqual(20_000);
    const t0 = performance.now();
    const r = compileProgram({ "large.lex": p.text });
    const total = ms(t0);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(r.module).not.toBeNull();
    expect(r.module!.domains.length).toBe(2 * p.units);

    // The same pipeline stage by stage, for the timing report.
    const diags = new DiagnosticBag();
    const prelude = new SourceFile(PRELUDE_FILE_ID, PRELUDE_PATH, PRELUDE_SOURCE);
    const src = new SourceFile(0, "large.lex", p.text);
    let t = performance.now();
    const toks = lex(p.text, 0, diags);
    const tLex = ms(t);
    t = performance.now();
    const asts = [parseFile(lex(PRELUDE_SOURCE, PRELUDE_FILE_ID, diags), prelude, diags, { prelude: true }), parseFile(toks, src, diags)];
    const tParse = ms(t);
    t = performance.now();
    const checked = checkProgram(asts, diags);
    const tCheck = ms(t);
    t = performance.now();
    generate(checked, [prelude, src], diags);
    const tGen = ms(t);
    expect(diags.items).toEqual([]);
    console.log(`large program: ${p.lines} lines, compileProgram ${total} (lex ${tLex}, parse ${tParse}, check ${tCheck}, codegen ${tGen}; the rest is hashing)`);
  }, 60_000);
});
