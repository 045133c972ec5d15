/**
 * The byte form of a minimal snapshot, reviewed as a diff (STYLE.md §12). Regenerate with
 * `LEXUM_UPDATE_GOLDEN=1 npx vitest run test/snapshot/golden.test.ts` and review the change:
 * any difference is a format change (bump `format`, update docs/formats_snapshot.md).
 */
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SnapshotDamage } from "../../src/snapshot/index.ts";
import { hash, header, memStore } from "./helpers.ts";

const GOLDEN = fileURLToPath(new URL("./golden/minimal.snapshot.json", import.meta.url));
const update = process.env.LEXUM_UPDATE_GOLDEN === "1";

const goldenHeader = header({
  domain: "MetricsAggregator",
  instance: "eu-1",
  cycle: 4092,
  run_hash: hash(0x9f8b4a2e),
  mailbox_offset: 142,
  lsn: 981233,
  program_hash: hash(0xabc),
  state_hash: hash(0xdef),
  goals: [],
  suspended: null,
  timers: [],
  pending_effects: [],
});
const goldenState = { status: { $tag: "Active" }, nodes: 12 };

describe("golden snapshot", () => {
  it("a minimal snapshot has exactly the golden bytes", async () => {
    const { disk, store } = await memStore();
    const w = await store.write(goldenHeader, ['{"status":{"$tag":"Active"},', '"nodes":12}']);
    const bytes = disk.peek(w.path)!;
    if (update) fs.writeFileSync(GOLDEN, bytes);
    const golden = new Uint8Array(fs.readFileSync(GOLDEN));
    expect(new TextDecoder().decode(bytes)).toBe(new TextDecoder().decode(golden));
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(golden))).toBe(0);
  });

  it("the golden file reads back as its header and state", async () => {
    const { disk, store } = await memStore();
    const path = store.pathFor("MetricsAggregator", "eu-1", 4092, 981233);
    await disk.mkdirp(store.instanceDir("MetricsAggregator", "eu-1"));
    const f = await disk.open(path, "create-new");
    await f.write(new Uint8Array(fs.readFileSync(GOLDEN)), 0);
    await f.close();
    const r = await store.read(path);
    if (r instanceof SnapshotDamage) throw new Error(r.reason);
    expect(r).toEqual({ ...goldenHeader, state: goldenState, path, bytes: fs.statSync(GOLDEN).size });
  });
});
