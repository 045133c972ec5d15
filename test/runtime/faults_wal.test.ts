/**
 * WAL faults in a real runtime data directory (docs/recovery.md, rows W1–W3).
 *
 * W1 torn tail: the last batch of a data directory (one acknowledged-later input) is torn at
 *    every byte offset of its record and marker, the rest of the batch reading as zeros
 *    (preallocated space) or as garbage. `journal verify` exits 0 with a note, read-only and
 *    without touching the files; `Runtime.open` discards the tail; every input acknowledged
 *    before it is intact and the next input reuses the torn LSN.
 * W2 a flipped bit in each field of a committed record (length, checksum, type, LSN, time,
 *    payload) with another batch after it: corruption, not a torn tail. `lexum journal
 *    verify` and `Runtime.open` refuse with exit code 3, naming the segment, the byte offset
 *    and the repair command; nothing is changed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDamagedError } from "../../src/base/errors.ts";
import { NodeDisk } from "../../src/base/node_disk.ts";
import { journalVerify } from "../../src/cli/durable.ts";
import { inspectWal, type InspectEntry } from "../../src/journal/index.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { cli, compileSource, fileTree, tmpDir } from "./helpers.ts";

const COUNTER = `
domain Counter {
  state { count: int = 0, seen: list<string> = [] }
  transition Add(id: string, by: int) { count += by; seen.push(id) }
}`;
const program = compileSource(COUNTER);

let root: string;
beforeAll(() => {
  root = tmpDir("faults-wal");
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

type Rec = Extract<InspectEntry, { kind: "record" }>;
type Marker = Extract<InspectEntry, { kind: "marker" }>;

async function layout(data: string): Promise<{ records: Rec[]; markers: Marker[] }> {
  const records: Rec[] = [];
  const markers: Marker[] = [];
  for await (const e of inspectWal(new NodeDisk(), path.join(data, "wal"))) {
    if (e.kind === "record") records.push(e);
    if (e.kind === "marker") markers.push(e);
  }
  return { records, markers };
}

function copyImage(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  // The image is what a crash leaves: the writer is gone (its LOCK would name a live pid, ours).
  fs.rmSync(path.join(to, "LOCK"), { force: true });
}

function patch(file: string, at: number, bytes: Uint8Array): void {
  const fd = fs.openSync(file, "r+");
  fs.writeSync(fd, bytes, 0, bytes.length, at);
  fs.closeSync(fd);
}



function captureIo() {
  const lines: string[] = [];
  return { io: { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) }, lines };
}

async function counterStates(rt: Runtime): Promise<unknown[]> {
  return Promise.all(["c1", "c2", "c3"].map((id) => rt.state("Counter", id)));
}

describe("W1 torn tail at every byte offset of the last WAL record", () => {
  it("is discarded (writable) or ignored (read-only); every acknowledged input survives", async () => {
    const data = path.join(root, "torn-src");
    const rt = await Runtime.open({ program, dataDir: data, durability: "fsync" });
    for (let i = 0; i < 12; i++) await rt.send("Counter", `c${(i % 3) + 1}`, "Add", { id: `a${i}`, by: i });
    await rt.quiescent();
    const acknowledged = await counterStates(rt);
    // The last batch: one input, journaled while execution is held (so nothing follows it).
    rt.hold();
    const last = await rt.send("Counter", "c1", "Add", { id: "last", by: 1000 });
    const image = path.join(root, "torn-image");
    copyImage(data, image);
    rt.release();
    await rt.close();

    const { records, markers } = await layout(image);
    const rec = records.at(-1)!;
    const marker = markers.at(-1)!;
    expect(rec.lsn).toBe(last.lsn);
    expect(marker.firstLsn).toBe(last.lsn); // a batch of its own
    const segFile = path.join(image, "wal", rec.segment);
    const end = marker.offset + 53;
    let torn = 0;
    let clean = 0;
    const work = path.join(root, "torn-work");
    for (let at = rec.offset; at < end; at++) {
      for (const fill of [0x00, 0xa5]) {
        copyImage(image, work);
        patch(path.join(work, "wal", rec.segment), at, new Uint8Array(end - at).fill(fill));
        const where = `tear at ${rec.segment} byte ${at} (record at ${rec.offset}, marker at ${marker.offset}), rest 0x${fill.toString(16)}`;

        // Read-only: a note, exit 0, nothing changed.
        const before = fileTree(work);
        const { io, lines } = captureIo();
        expect(await journalVerify(work, io), `${where}: ${lines.join(" | ")}`).toBe(0);
        expect(fileTree(work), where).toEqual(before);
        if (lines.some((l) => l.includes("torn tail"))) torn++;
        else clean++;

        // Writable: the tail is discarded, acknowledged inputs are intact, the LSN is reused.
        const rt2 = await Runtime.open({ program, dataDir: work, durability: "none" });
        expect(await counterStates(rt2), where).toEqual(acknowledged);
        expect(rt2.engine.get("Counter", "c1")!.nextOffset, where).toBe(last.mailbox_offset - 1);
        const again = await rt2.send("Counter", "c1", "Add", { id: "again", by: 1 });
        expect(again.lsn, where).toBe(last.lsn);
        await rt2.close();
      }
    }
    console.log(`W1: ${end - rec.offset} offsets × 2 fills in ${segFile.split("/").slice(-1)[0]}: ${torn} reported as a torn tail, ${clean} as a clean end (all zeros from the frame start)`);
    expect(torn).toBeGreaterThan(0);
  }, 240_000);
});

describe("W2 a flipped bit in each field of a committed record, with a batch after it", () => {
  let image: string;
  let target: Rec;

  beforeAll(async () => {
    const data = path.join(root, "flip-src");
    const rt = await Runtime.open({ program, dataDir: data, durability: "fsync" });
    for (let i = 0; i < 6; i++) await rt.send("Counter", `c${(i % 3) + 1}`, "Add", { id: `a${i}`, by: i });
    await rt.quiescent();
    // The target: an input in a batch of its own, followed by more batches.
    rt.hold();
    await rt.send("Counter", "c2", "Add", { id: "target", by: 7 });
    rt.release();
    await rt.quiescent();
    for (let i = 0; i < 3; i++) await rt.send("Counter", "c3", "Add", { id: `b${i}`, by: 1 });
    await rt.quiescent();
    image = path.join(root, "flip-image");
    copyImage(data, image);
    await rt.close();
    const { records } = await layout(image);
    target = records.find((r) => new TextDecoder().decode(r.payload).includes("target"))!;
    expect(target).toBeDefined();
  });

  const fields: [string, number][] = [
    ["length", 0],
    ["checksum", 4],
    ["type", 8],
    ["LSN", 9],
    ["time", 17],
    ["payload", -1], // its last byte (the first ones spell the instance's name)
  ];
  for (const [field, off] of fields) {
    it(`${field}: journal verify and Runtime.open exit 3 naming segment and offset`, async () => {
      const work = path.join(root, `flip-${field}`);
      copyImage(image, work);
      const file = path.join(work, "wal", target.segment);
      const buf = fs.readFileSync(file);
      buf[off >= 0 ? target.offset + off : target.offset + target.length - 1]! ^= 0x04;
      fs.writeFileSync(file, buf);
      const before = fileTree(work);

      const v = cli(["journal", "verify", "--data", work]);
      expect(v.code, v.stdout + v.stderr).toBe(3);
      expect(v.stderr).toContain(target.segment);
      expect(v.stderr).toMatch(/byte \d+/);
      expect(v.stderr).toContain(`lexum journal repair --data ${work}`);

      let err: unknown = null;
      try {
        const rt = await Runtime.open({ program, dataDir: work, durability: "none" });
        await rt.close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataDamagedError);
      const e = err as DataDamagedError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toContain(target.segment);
      expect(e.message).toContain(`byte ${target.offset}`);
      expect(e.message).toContain("Counter[c2]");
      // Refusing changed nothing (the LOCK file of the failed open is released and removed).
      expect(fileTree(work)).toEqual(before);
    });
  }
});


