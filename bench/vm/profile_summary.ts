/**
 * Summarises V8 CPU profiles: the functions with the most self time, and by file.
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/vm/vm.bench.ts --quick --only a
 *   npx tsx bench/vm/profile_summary.ts /tmp/prof [--top 20]
 *
 * Reads every `*.cpuprofile` in the directory (tsx starts a loader thread that writes its
 * own small profile; it is merged in and shows up as tsx/esbuild frames).
 *
 * Under tsx every module is one long line, so per-line ticks say nothing; for a line-level
 * view of the interpreter loop profile an esbuild bundle instead (bench/README.md):
 *
 *   npx esbuild bench/vm/vm.bench.ts --bundle --platform=node --format=esm --outfile=.cache/bench/vm.mjs
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof .cache/bench/vm.mjs --quick --only a
 *   npx tsx bench/vm/profile_summary.ts /tmp/prof --lines
 */
import * as fs from "node:fs";
import * as path from "node:path";

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
};
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] };

const dir = process.argv[2];
if (!dir) {
  console.error("usage: profile_summary.ts <dir with .cpuprofile files> [--top N]");
  process.exit(2);
}
const topAt = process.argv.indexOf("--top");
const TOP = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
const LINES = process.argv.includes("--lines");
const lineTicks = new Map<string, number>();
let tickTotal = 0;
const sources = new Map<string, string[]>();
function sourceLine(url: string, line: number): string {
  let ls = sources.get(url);
  if (ls === undefined) {
    try {
      ls = fs.readFileSync(new URL(url), "utf8").split("\n");
    } catch {
      ls = [];
    }
    sources.set(url, ls);
  }
  return (ls[line - 1] ?? "").trim().slice(0, 110);
}

const self = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".cpuprofile")).sort()) {
  const p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // Weight each sample by the time since the previous one (more exact than hit counts).
  const weight = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) weight.set(samples[i]!, (weight.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  for (const n of p.nodes) {
    for (const t of n.positionTicks ?? []) {
      if (!n.callFrame.url.startsWith("file:")) continue;
      const k = `${n.callFrame.functionName || "(anonymous)"}\u0000${n.callFrame.url}\u0000${t.line}`;
      lineTicks.set(k, (lineTicks.get(k) ?? 0) + t.ticks);
      tickTotal += t.ticks;
    }
  }
  for (const [id, us] of weight) {
    const n = byId.get(id)!;
    const fn = n.callFrame.functionName || "(anonymous)";
    const file = n.callFrame.url ? path.relative(process.cwd(), new URL(n.callFrame.url, "file:///").pathname) : "";
    const key = file ? `${fn}  ${file}:${n.callFrame.lineNumber + 1}` : fn;
    self.set(key, (self.get(key) ?? 0) + us);
    const fk = file || fn;
    byFile.set(fk, (byFile.get(fk) ?? 0) + us);
    total += us;
  }
}

function print(title: string, m: Map<string, number>, n: number): void {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
}
print("self time by function", self, TOP);
print("self time by file", byFile, Math.min(TOP, 12));

if (LINES) {
  console.log("\nhot lines (share of ticks with a known line)");
  for (const [k, t] of [...lineTicks].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    const [fn, url, line] = k.split("\u0000") as [string, string, string];
    console.log(`${((100 * t) / tickTotal).toFixed(1).padStart(6)}%  ${fn}:${line}  ${sourceLine(url, Number(line))}`);
  }
}
