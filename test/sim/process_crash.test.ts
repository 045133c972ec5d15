/** SimDisk.processCrash (added for the simulator): the process dies, the page cache does not. */
import { describe, expect, it } from "vitest";
import { SimDisk, seededRng } from "../../src/base/sim_disk.ts";

describe("SimDisk.processCrash", () => {
  it("keeps unsynced data readable and still queued; the old object dies", async () => {
    const d = new SimDisk({ rng: seededRng(1) });
    await d.mkdirp("/x");
    const f = await d.open("/x/a", "create");
    await f.write(new Uint8Array([1, 2, 3]), 0);
    await f.sync();
    await d.syncDir("/x");
    await f.write(new Uint8Array([9]), 3);
    const next = d.processCrash();
    await expect(d.readFile("/x/a")).rejects.toThrow(/crashed/);
    await expect(f.write(new Uint8Array([7]), 0)).rejects.toThrow(/crashed/);
    expect([...(await next.readFile("/x/a"))]).toEqual([1, 2, 3, 9]);
    // The unsynced byte is still only in the page cache: a power cut now may lose it …
    expect([...next.snapshotState().durable["/x/a"]!]).toEqual([1, 2, 3]);
    expect([...next.clone().crash("drop-all").snapshotState().durable["/x/a"]!]).toEqual([1, 2, 3]);
    // … and a sync by the next process makes it durable.
    const g = await next.open("/x/a", "rw");
    await g.sync();
    expect([...next.crash("drop-all").snapshotState().durable["/x/a"]!]).toEqual([1, 2, 3, 9]);
  });
});
