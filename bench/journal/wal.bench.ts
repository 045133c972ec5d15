/**
 * WAL throughput on a real disk: `npx tsx bench/journal/wal.bench.ts [seconds-per-case]`.
 *
 * Prints a table and writes bench/results/wal.json:
 * - the raw fdatasync rate of the disk under /tmp (100-byte write + fdatasync, preallocated
 *   file): the ceiling for acknowledged batches per second;
 * - appends/s with durability "fsync" for batches of 1, 100 and 1000 records of 100 bytes
 *   (append × N, then one flush);
 * - group commit at work: 100 concurrent clients each doing append + await flush.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { NodeDisk } from "../../src/base/node_disk.ts";
import { openWal } from "../../src/journal/index.ts";

const SECONDS = Number(process.argv[2] ?? 2);
const RECORD_BYTES = 100;

interface Row {
  case: string;
  records: number;
  batches: number;
  seconds: number;
  recordsPerSec: number;
  batchesPerSec: number;
  fsyncs: number;
}

async function rawFdatasync(dir: string): Promise<Row> {
  const file = path.join(dir, "raw.bin");
  const fh = await fs.promises.open(file, "w+");
  await fh.write(new Uint8Array(8 * 1024 * 1024), 0, 8 * 1024 * 1024, 0);
  await fh.sync();
  const rec = new Uint8Array(RECORD_BYTES).fill(1);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await fh.write(rec, 0, rec.length, (n * RECORD_BYTES) % (8 * 1024 * 1024 - RECORD_BYTES));
    await fh.datasync();
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  await fh.close();
  return { case: "raw write+fdatasync", records: n, batches: n, seconds: s, recordsPerSec: n / s, batchesPerSec: n / s, fsyncs: n };
}

async function batched(dir: string, batch: number): Promise<Row> {
  const { wal } = await openWal(new NodeDisk(), path.join(dir, `wal-batch-${batch}`));
  const payload = new Uint8Array(RECORD_BYTES).fill(7);
  let records = 0;
  let batches = 0;
  const s0 = wal.stats.syncs;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (let i = 0; i < batch; i++) wal.append(1, 1_700_000_000_000, payload);
    await wal.flush();
    records += batch;
    batches++;
  }
  const s = (performance.now() - t0) / 1000;
  const fsyncs = wal.stats.syncs - s0;
  await wal.close();
  return { case: `batch of ${batch}`, records, batches, seconds: s, recordsPerSec: records / s, batchesPerSec: batches / s, fsyncs };
}

async function concurrent(dir: string, clients: number): Promise<Row> {
  const { wal } = await openWal(new NodeDisk(), path.join(dir, `wal-clients-${clients}`));
  const payload = new Uint8Array(RECORD_BYTES).fill(9);
  let records = 0;
  const b0 = wal.stats.batches;
  const s0 = wal.stats.syncs;
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        wal.append(1, 1_700_000_000_000, payload);
        await wal.flush();
        records++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  const batches = wal.stats.batches - b0;
  const fsyncs = wal.stats.syncs - s0;
  await wal.close();
  return { case: `${clients} clients append+flush`, records, batches, seconds: s, recordsPerSec: records / s, batchesPerSec: batches / s, fsyncs };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-wal-bench-"));
  try {
    const rows: Row[] = [];
    rows.push(await rawFdatasync(dir));
    for (const b of [1, 100, 1000]) rows.push(await batched(dir, b));
    rows.push(await concurrent(dir, 100));

    const head = ["case", "records/s", "batches/s", "fsyncs", "records", "seconds"];
    const body = rows.map((r) => [r.case, fmt(r.recordsPerSec), fmt(r.batchesPerSec), fmt(r.fsyncs), fmt(r.records), r.seconds.toFixed(2)]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(`WAL bench: ${RECORD_BYTES}-byte records, durability fsync, disk under ${os.tmpdir()}, ${SECONDS}s per case`);
    console.log(line(head));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const b of body) console.log(line(b));

    const here = path.dirname(fileURLToPath(import.meta.url));
    const out = path.join(here, "..", "results", "wal.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const meta = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, tmpdir: os.tmpdir(), recordBytes: RECORD_BYTES, secondsPerCase: SECONDS };
    fs.writeFileSync(out, JSON.stringify({ bench: "wal", meta, rows }, null, 2) + "\n");
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
