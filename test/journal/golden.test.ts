/**
 * Golden file (STYLE.md §12): the exact bytes of a fresh WAL segment holding a few known
 * records. A change to the format shows up as a diff of fixtures/fresh_segment.hex; rerun
 * with LEXUM_UPDATE_GOLDEN=1 to accept it (and bump WAL_FORMAT_VERSION if old files would
 * no longer read).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { enc, open, readAll, segPath, simDisk, dec, WAL_DIR } from "./helpers.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, "fixtures", "fresh_segment.wal");
const HEX = path.join(here, "fixtures", "fresh_segment.hex");
const UPDATE = process.env.LEXUM_UPDATE_GOLDEN === "1";

function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  let lastZeroLine = false;
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    const zero = row.every((x) => x === 0);
    if (zero && lastZeroLine) continue; // like `xxd -a`: one line stands for a run of zero lines
    lastZeroLine = zero;
    const hex = [...row].map((x) => x.toString(16).padStart(2, "0")).join(" ");
    const txt = [...row].map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : ".")).join("");
    lines.push(`${off.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${txt}${zero ? "  *" : ""}`);
  }
  lines.push(`${b.length.toString(16).padStart(8, "0")}`);
  return lines.join("\n") + "\n";
}

async function freshSegment(): Promise<Uint8Array> {
  const disk = simDisk();
  const { wal } = await open(disk, { segmentBytes: 512 });
  wal.append(1, 1_700_000_000_000, enc("hello"));
  wal.append(2, 1_700_000_000_000, new Uint8Array(0));
  await wal.flush();
  wal.append(254, 1_700_000_000_250, Uint8Array.from({ length: 16 }, (_, i) => i));
  await wal.flush();
  await wal.close();
  return disk.readFile(segPath("00000000000000000001.wal"));
}

describe("golden: a fresh WAL segment", () => {
  it("matches fixtures/fresh_segment.wal byte for byte", async () => {
    const bytes = await freshSegment();
    if (UPDATE || !fs.existsSync(BIN)) {
      fs.writeFileSync(BIN, bytes);
      fs.writeFileSync(HEX, hexDump(bytes));
    }
    expect(hexDump(bytes)).toBe(fs.readFileSync(HEX, "utf8"));
    expect(Buffer.from(bytes).equals(fs.readFileSync(BIN))).toBe(true);
  });

  it("the stored fixture still reads back (old files stay readable)", async () => {
    const disk = simDisk();
    await disk.mkdirp(WAL_DIR);
    const f = await disk.open(segPath("00000000000000000001.wal"), "create-new");
    await f.write(new Uint8Array(fs.readFileSync(BIN)), 0);
    await f.close();
    const { wal, report } = await open(disk, { readOnly: true });
    expect(report.outcome).toBe("clean");
    const got = await readAll(wal);
    expect(got.map((r) => [r.lsn, r.type, r.time, r.payload.length])).toEqual([
      [1, 1, 1_700_000_000_000, 5],
      [2, 2, 1_700_000_000_000, 0],
      [3, 254, 1_700_000_000_250, 16],
    ]);
    expect(dec(got[0].payload)).toBe("hello");
  });
});
