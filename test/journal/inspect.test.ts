/** The raw inspector (journal show) and verifyWal (journal verify). */
import { describe, expect, it } from "vitest";
import { formatInspectEntry, inspectWal, verifyWal, type InspectEntry } from "../../src/journal/index.ts";
import { WAL_DIR, dec, enc, open, overwrite, segPath, simDisk } from "./helpers.ts";

async function all(disk: Parameters<typeof inspectWal>[0]): Promise<InspectEntry[]> {
  const out: InspectEntry[] = [];
  for await (const e of inspectWal(disk, WAL_DIR)) out.push(e);
  return out;
}

describe("inspectWal", () => {
  it("lists headers, records and markers with segment names and byte offsets", async () => {
    const disk = simDisk();
    const { wal } = await open(disk);
    wal.append(1, 5, enc("Order/o-1|a"));
    wal.append(2, 6, enc("Order/o-2|b"));
    await wal.flush();
    wal.append(3, 7, enc("Order/o-1|c"));
    await wal.flush();
    const es = await all(disk);
    expect(es.map((e) => e.kind)).toEqual(["segment", "record", "record", "marker", "record", "marker", "stop"]);
    expect(es[1]).toMatchObject({ segment: "00000000000000000001.wal", offset: 48, lsn: 1, type: 1, time: 5, committed: true });
    expect(es[3]).toMatchObject({ kind: "marker", firstLsn: 1, lastLsn: 2, count: 2, afterDefect: false });
    expect(es[6]).toMatchObject({ kind: "stop", clean: true });
    const text = es.map((e) => formatInspectEntry(e, (_t, p) => dec(p).split("|")[0])).join("\n");
    expect(text).toContain("segment 00000000000000000001.wal: first LSN 1, 1024 bytes");
    expect(text).toContain("00000000000000000001.wal@48 lsn=1 type=1 time=5 bytes=11 Order/o-1");
    expect(text).toContain("commit lsn=1..2 records=2");
  });

  it("shows uncommitted records, where parsing stopped, and markers found after a defect", async () => {
    const disk = simDisk();
    const { wal } = await open(disk);
    wal.append(1, 5, enc("aaaa"));
    wal.append(1, 5, enc("bbbb"));
    await wal.flush();
    wal.append(1, 5, enc("cccc"));
    await wal.flush();
    const es0 = await all(disk);
    const m1 = es0.find((e) => e.kind === "marker")!;
    disk.flipBit(segPath("00000000000000000001.wal"), (m1 as { offset: number }).offset + 10, 0);
    const es = await all(disk);
    expect(es.filter((e) => e.kind === "record" && !e.committed).length).toBe(2);
    const stop = es.find((e) => e.kind === "stop")!;
    expect(stop).toMatchObject({ clean: false, reason: "frame checksum mismatch" });
    expect(es.filter((e) => e.kind === "marker" && e.afterDefect).length).toBe(1);
    expect(formatInspectEntry(stop)).toContain("STOP: frame checksum mismatch");
  });
});

describe("verifyWal", () => {
  it("reports a torn tail as a note and never truncates it", async () => {
    const disk = simDisk();
    const { wal } = await open(disk);
    wal.append(1, 5, enc("kept"));
    await wal.flush();
    wal.append(1, 5, enc("torn"));
    await wal.flush();
    await wal.close();
    // Tear the second batch from inside its record through its marker.
    const start = 48 + 29 + 53 + 20;
    await overwrite(disk, segPath("00000000000000000001.wal"), start, new Uint8Array(48 + 2 * (29 + 53) - start));
    const before = disk.snapshotState();
    const v = await verifyWal(disk, WAL_DIR);
    expect(v.report.outcome).toBe("torn-tail");
    expect(v.report.applied).toBe(false);
    expect(v.report.notes[0]).toContain("ignored (read-only open never truncates)");
    expect(v.records).toBe(1);
    expect(disk.snapshotState()).toEqual(before);
  });
});
