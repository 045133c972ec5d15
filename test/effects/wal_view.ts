/**
 * Reads a data directory's WAL the way an operator would (`lexum journal show --json`, run
 * in-process: read-only, no lock, so it works beside a live or a just-killed runtime).
 */
import { main } from "../../src/cli/main.ts";

export type WalLine = { lsn: number; type: string; time: number; record: { t: number; r?: Record<string, unknown> } };

export async function walLines(dataDir: string): Promise<WalLine[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "lexum", "journal", "show", "--json", "--data", dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  if (code !== 0) throw new Error(`journal show exited ${code}: ${err.join("\n")}`);
  return out.flatMap((chunk) => chunk.split("\n")).filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as WalLine);
}

export type IntentView = { lsn: number; domain: string; instance: string; cycle: number; index: number; kind: string; effect: string; key: string; result: unknown; resultLsn: number | null; attempts: number | null };

/** Every effect intent with its journaled result (null when none was journaled). */
export function intents(lines: readonly WalLine[]): IntentView[] {
  const byId = new Map<string, IntentView>();
  for (const l of lines) {
    const r = l.record.r;
    if (!r) continue;
    const id = `${r["domain"]}\u0000${r["instance"]}\u0000${r["cycle"]}\u0000${r["index"]}`;
    if (l.type === "INTENT") {
      byId.set(id, { lsn: l.lsn, domain: r["domain"] as string, instance: r["instance"] as string, cycle: r["cycle"] as number, index: r["index"] as number, kind: r["kind"] as string, effect: r["effect"] as string, key: r["key"] as string, result: null, resultLsn: null, attempts: null });
    } else if (l.type === "RESULT") {
      const it = byId.get(id);
      if (it) {
        it.result = r["result"];
        it.resultLsn = l.lsn;
        it.attempts = r["attempts"] as number;
      }
    }
  }
  return [...byId.values()];
}

/** External inputs by idempotency key. */
export function inputsByKey(lines: readonly WalLine[]): Map<string, { lsn: number; offset: number; instance: string; transition: string }[]> {
  const m = new Map<string, { lsn: number; offset: number; instance: string; transition: string }[]>();
  for (const l of lines) {
    if (l.type !== "INPUT") continue;
    const r = l.record.r!;
    const src = r["source"] as { k: string; key?: string };
    if (src.k !== "external" || !src.key) continue;
    const list = m.get(src.key) ?? [];
    list.push({ lsn: l.lsn, offset: r["offset"] as number, instance: r["instance"] as string, transition: r["transition"] as string });
    m.set(src.key, list);
  }
  return m;
}
