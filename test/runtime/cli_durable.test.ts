/**
 * The CLI over a data directory (interface.md; rules.md [7], [10], [35]): `exec` validation,
 * `state --data`, `snapshot ls|show`, `journal show|verify`, `replay --to-cycle` and
 * `replay --program` (the divergence report). Most commands run in-process through `main`
 * (the same code as bin/lexum.js, which some cases spawn for real exit codes). Every
 * read-only command is checked to leave the data directory byte-for-byte unchanged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { cli, EXAMPLES, fileTree, T0, tmpDir } from "./helpers.ts";

let root: string;
const COUNTER = path.join(EXAMPLES, "counter.lex");

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "lexum", ...argv], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function ndjson(file: string, lines: unknown[]): string {
  fs.writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}

const inc = (id: string, instance: string, by: number) => ({ id, domain: "Counter", instance, transition: "Increment", args: { by } });

let data: string;
beforeAll(async () => {
  root = tmpDir("cli");
  data = path.join(root, "d");
  const lines = [];
  for (let i = 1; i <= 30; i++) lines.push(inc(`m${i}`, `c${i % 3}`, i));
  lines.push({ id: "bad", domain: "Counter", instance: "c1", transition: "Increment", args: { by: -1 } }); // a failed transition is an outcome
  const r = await run("exec", COUNTER, "--data", data, "--input", ndjson(path.join(root, "ok.ndjson"), lines), "--logical-time", String(T0));
  expect(r.code, r.err).toBe(0);
  expect(r.out).toContain("failed: Counter[c1].Increment LX-ASSERT: increment must be positive");
  expect(r.out).toContain("exec: 31 inputs (31 journaled now, 0 already journaled)");
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe("exec validates the whole file before journaling anything (exit 1, nothing journaled)", () => {
  const cases: [string, unknown[], RegExp][] = [
    ["malformed JSON", [inc("a", "c", 1), '{"id": "b", "domain": "Counter",'], /ndjson:2: malformed JSON/],
    ["a line that is not an object", [inc("a", "c", 1), "[1, 2]"], /ndjson:2: a line must be a JSON object/],
    ["a missing id", [{ domain: "Counter", instance: "c", transition: "Increment", args: { by: 1 } }], /ndjson:1: "id" must be a non-empty string/],
    ["an unknown domain", [inc("a", "c", 1), { id: "b", domain: "Nope", instance: "c", transition: "Increment", args: { by: 1 } }], /ndjson:2: unknown domain "Nope"/],
    ["an unknown transition", [{ id: "b", domain: "Counter", instance: "c", transition: "Decrement", args: {} }], /ndjson:1: domain Counter has no transition "Decrement"/],
    ["an argument of the wrong type", [{ id: "b", domain: "Counter", instance: "c", transition: "Increment", args: { by: "one" } }], /ndjson:1: .*\(at \/by\)/],
    ["a missing argument", [{ id: "b", domain: "Counter", instance: "c", transition: "Increment", args: {} }], /ndjson:1: missing argument "by"/],
    ["an unknown argument", [{ id: "b", domain: "Counter", instance: "c", transition: "Increment", args: { by: 1, extra: 2 } }], /ndjson:1: Counter.Increment has no parameter "extra"/],
    ["a non-integral int", [{ id: "b", domain: "Counter", instance: "c", transition: "Increment", args: { by: 1.5 } }], /ndjson:1: .*\/by/],
    ["a bad instance id", [{ id: "b", domain: "Counter", instance: "a\u0001b", transition: "Increment", args: { by: 1 } }], /ndjson:1: /],
    ["duplicate ids", [inc("a", "c", 1), inc("b", "c", 2), inc("a", "c", 3)], /ndjson:3: duplicate id "a"/],
  ];
  for (const [what, lines, message] of cases) {
    it(what, async () => {
      const fresh = path.join(root, `bad-${what.replace(/\W+/g, "-")}`);
      const input = ndjson(path.join(root, `bad-${what.replace(/\W+/g, "-")}.ndjson`), lines);
      const r = await run("exec", COUNTER, "--data", fresh, "--input", input);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toContain("nothing was journaled");
      expect(fs.existsSync(fresh)).toBe(false);
      // On an existing directory: unchanged.
      const before = fileTree(data);
      const r2 = await run("exec", COUNTER, "--data", data, "--input", input);
      expect(r2.code).toBe(1);
      expect(fileTree(data)).toEqual(before);
    });
  }

  it("bad usage exits 2 and a missing input file exits 1 (real process)", () => {
    const u = cli(["exec", COUNTER, "--data", path.join(root, "u"), "--input", path.join(root, "ok.ndjson"), "--durability", "sometimes"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("--durability must be fsync or none");
    const m = cli(["exec", COUNTER, "--data", path.join(root, "u"), "--input", path.join(root, "nope.ndjson")]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain("cannot read");
  });

  it("a rerun of the same file journals nothing and repeats nothing", async () => {
    const before = await run("state", "Counter", "c1", "--data", data);
    const r = await run("exec", COUNTER, "--data", data, "--input", path.join(root, "ok.ndjson"), "--logical-time", String(T0));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("exec: 31 inputs (0 journaled now, 31 already journaled), 0 cycles");
    expect((await run("state", "Counter", "c1", "--data", data)).out).toBe(before.out);
  });
});

describe("read-only commands", () => {
  it("state --data prints the GET envelope", async () => {
    const before = fileTree(data);
    const r = await run("state", "Counter", "c1", "--data", data);
    expect(r.code, r.err).toBe(0);
    const e = JSON.parse(r.out);
    expect(Object.keys(e)).toEqual(["domain", "instance", "cycle", "run_hash", "state", "mailbox_offset", "status", "goals"]);
    // c1 got m1, m4, …, m28 (10 inputs) and the failed "bad" one (a cycle with the state unchanged).
    expect(e).toMatchObject({ domain: "Counter", instance: "c1", cycle: 11, mailbox_offset: 11, status: "ACTIVE", state: { count: 1 + 4 + 7 + 10 + 13 + 16 + 19 + 22 + 25 + 28 } });
    expect(e.run_hash).toMatch(/^0x[0-9a-f]{64}$/);
    const never = await run("state", "Counter", "nobody", "--data", data);
    expect(never.code).toBe(1);
    expect(never.err).toContain("was never messaged");
    const none = await run("state", "Counter", "c1", "--data", path.join(root, "missing"));
    expect(none.code).toBe(1);
    expect(fileTree(data)).toEqual(before);
  });

  it("snapshot ls and show", async () => {
    const before = fileTree(data);
    const ls = await run("snapshot", "ls", "--data", data);
    expect(ls.code).toBe(0);
    const rows = ls.out.split("\n");
    expect(rows.length).toBe(3);
    expect(rows[0]).toMatch(/^Counter\tc0\tcycle=10\tlsn=\d+\t.*\.snapshot\.json$/);
    const one = await run("snapshot", "ls", "Counter", "c2", "--data", data);
    expect(one.out.split("\n").length).toBe(1);
    const show = await run("snapshot", "show", "Counter", "c2", "--data", data);
    expect(show.code).toBe(0);
    const s = JSON.parse(show.out);
    for (const k of ["domain", "instance", "cycle", "run_hash", "state", "mailbox_offset", "lsn", "program_hash", "state_hash", "goals", "suspended", "timers", "pending_effects"]) expect(s).toHaveProperty(k);
    expect(s).toMatchObject({ domain: "Counter", instance: "c2", cycle: 10, state: { count: 2 + 5 + 8 + 11 + 14 + 17 + 20 + 23 + 26 + 29 } });
    const byPath = await run("snapshot", "show", rows[0]!.split("\t")[4]!, "--data", data);
    expect(JSON.parse(byPath.out).instance).toBe("c0");
    expect(fileTree(data)).toEqual(before);
    // A damaged snapshot: exit 3 with the reason.
    const copy = path.join(root, "snapdamage");
    fs.cpSync(data, copy, { recursive: true });
    const file = (await run("snapshot", "ls", "Counter", "c2", "--data", copy)).out.split("\t")[4]!;
    fs.truncateSync(file, 40);
    const bad = await run("snapshot", "show", file, "--data", copy);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain("is damaged");
  });

  it("journal show (text, --json, --from, --limit) and journal verify", async () => {
    const before = fileTree(data);
    const all = await run("journal", "show", "--data", data, "--json");
    expect(all.code).toBe(0);
    const recs = all.out.split("\n").map((l) => JSON.parse(l));
    expect(recs[0]).toMatchObject({ lsn: 1, type: "PROGRAM" });
    expect(recs.filter((r) => r.type === "INPUT").length).toBe(31);
    expect(recs.filter((r) => r.type === "COMMIT").length).toBe(31);
    const first = recs.find((r) => r.type === "INPUT");
    expect(first.record.r).toMatchObject({ domain: "Counter", instance: "c1", transition: "Increment", source: { k: "external", key: "exec:m1" } });
    const some = await run("journal", "show", "--data", data, "--from", "5", "--limit", "3");
    const lines = some.out.split("\n");
    expect(lines.map((l) => Number(l.split("\t")[0]))).toEqual([5, 6, 7]);
    expect(lines[0]).toMatch(/^5\t(INPUT|COMMIT)\t2023-11-14T22:13:20\.000Z\t\{/);
    const raw = await run("journal", "show", "--data", data, "--raw");
    expect(raw.out).toContain("segment 00000000000000000001.wal: first LSN 1");
    expect(raw.out).toMatch(/commit lsn=\d+\.\.\d+ records=\d+/);
    const v = await run("journal", "verify", "--data", data);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^journal ok: 1 segment\(s\), LSN 1\.\.\d+/);
    expect(fileTree(data)).toEqual(before);
  });

  it("replay --to-cycle recomputes the instance up to that cycle", async () => {
    const before = fileTree(data);
    for (const n of [0, 1, 5, 11]) {
      const r = await run("replay", "Counter", "c1", "--data", data, "--to-cycle", String(n));
      expect(r.code, r.err).toBe(0);
      const e = JSON.parse(r.out);
      expect(e.cycle).toBe(n);
      const expected = [1, 4, 7, 10, 13, 16, 19, 22, 25, 28].slice(0, Math.min(n, 10)).reduce((a, b) => a + b, 0);
      expect(e.state.count).toBe(expected);
    }
    const full = JSON.parse((await run("replay", "Counter", "c1", "--data", data)).out);
    const state = JSON.parse((await run("state", "Counter", "c1", "--data", data)).out);
    expect(full).toEqual(state);
    const bad = await run("replay", "Counter", "c1", "--data", data, "--to-cycle", "-1");
    expect(bad.code).toBe(2);
    expect(fileTree(data)).toEqual(before);
  });

  it("never truncate a torn tail (journal verify notes it and exits 0)", async () => {
    const copy = path.join(root, "torn");
    fs.cpSync(data, copy, { recursive: true });
    const seg = path.join(copy, "wal", fs.readdirSync(path.join(copy, "wal")).sort().at(-1)!);
    // Half a record after the end of the data: a write that was cut short.
    const raw = await run("journal", "show", "--data", copy, "--raw");
    const end = Number(/@(\d+) end of data/.exec(raw.out)![1]);
    const fd = fs.openSync(seg, "r+");
    fs.writeSync(fd, new Uint8Array([40, 0, 0, 0, 1, 2, 3, 4, 2, 9, 9]), 0, 11, end);
    fs.closeSync(fd);
    const before = fileTree(copy);
    const v = await run("journal", "verify", "--data", copy);
    expect(v.code, v.err).toBe(0);
    expect(v.out).toContain("torn tail");
    expect(v.out).toContain("ignored (read-only open never truncates)");
    expect((await run("state", "Counter", "c1", "--data", copy)).code).toBe(0);
    expect((await run("journal", "show", "--data", copy)).code).toBe(0);
    expect((await run("replay", "Counter", "c1", "--data", copy)).code).toBe(0);
    expect((await run("snapshot", "ls", "--data", copy)).code).toBe(0);
    expect(fileTree(copy)).toEqual(before);
  });
});

describe("replay --program: the divergence report", () => {
  it("names the first differing cycle, its input, both output sets and a state diff", async () => {
    const dir = path.join(root, "div");
    fs.mkdirSync(dir);
    const a = `
domain Counter {
  state { count: int = 0 }
  transition Increment(by: int) {
    count += by
    send Audit[self.id].Note(by: by)
    return count
  }
}
domain Audit {
  state { notes: int = 0 }
  transition Note(by: int) { notes += 1 }
}`;
    fs.writeFileSync(path.join(dir, "a.lex"), a);
    // The changed code behaves differently from the third input on (by == 3).
    fs.writeFileSync(path.join(dir, "b.lex"), a.replace("count += by\n", "if by == 3 { count += 2 * by } else { count += by }\n"));
    const input = ndjson(path.join(dir, "in.ndjson"), [1, 2, 3, 4].map((by) => ({ id: `i${by}`, domain: "Counter", instance: "c", transition: "Increment", args: { by } })));
    const d = path.join(dir, "d");
    expect((await run("exec", path.join(dir, "a.lex"), "--data", d, "--input", input)).code).toBe(0);
    const before = fileTree(d);
    const r = cli(["replay", "Counter", "c", "--data", d, "--program", path.join(dir, "b.lex")]);
    expect(r.code, r.stderr).toBe(1);
    const rep = JSON.parse(r.stdout).divergence;
    expect(rep).toMatchObject({
      domain: "Counter",
      instance: "c",
      cycle: 3,
      input: { consumed: { k: "mailbox", offset: 3 }, transition: "Increment", args: { by: 3 }, source: { k: "external", key: "exec:i3" } },
      recorded: { outcome: "done", transition: "Increment", outputs: { reply: 6, sends: [{ to: "Audit[c].Note", args: { by: 3 } }], intents: [] } },
      replayed: { outcome: "done", transition: "Increment", outputs: { reply: 9, sends: [{ to: "Audit[c].Note", args: { by: 3 } }], intents: [] } },
      state_before: { count: 3 },
      state_after: { recorded: { count: 6 }, replayed: { count: 9 } },
      state_diff: [{ path: "/count", recorded: 6, replayed: 9 }],
    });
    expect(rep.recorded.run_hash).not.toBe(rep.replayed.run_hash);
    // The same code replays without a divergence; the directory is never changed.
    const same = cli(["replay", "Counter", "c", "--data", d, "--program", path.join(dir, "a.lex")]);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ cycle: 4, state: { count: 10 } });
    expect(fileTree(d)).toEqual(before);
  });
});
