/**
 * Micro benchmark of the value model's hot paths. Run: npx tsx bench/values/values.bench.ts
 * Prints ops/s; each case runs a few times and reports the best (JIT warm-up, GC noise).
 */
import {
  PList,
  PMap,
  Rec,
  TypeTable,
  encodeValue,
  hashStats,
  hashValue,
  makeRecordShape,
  stateHash,
  toJsonChunks,
  toJsonText,
} from "../../src/vm/values/index.ts";

const N = 100_000;
const RUNS = 5;

function bench(name: string, ops: number, fn: () => void): void {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  const perSec = (ops / best) * 1000;
  console.log(`${name.padEnd(44)} ${best.toFixed(2).padStart(9)} ms  ${Math.round(perSec).toLocaleString("en-US").padStart(14)} ops/s`);
}

let list = PList.empty;
bench(`PList.push x${N}`, N, () => {
  let l = PList.empty;
  for (let i = 0; i < N; i++) l = l.push(i);
  list = l;
});
bench(`PList.get x${N}`, N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += list.get(i) as number;
  if (s < 0) throw new Error();
});
bench(`PList.set x${N}`, N, () => {
  let l = list;
  for (let i = 0; i < N; i++) l = l.set((i * 7919) % N, i);
});

let map = PMap.empty;
bench(`PMap.set (insert, int keys) x${N}`, N, () => {
  let m = PMap.empty;
  for (let i = 0; i < N; i++) m = m.set((i * 7919) % 100_003, i);
  map = m;
});
bench(`PMap.set (insert, string keys) x${N}`, N, () => {
  let m = PMap.empty;
  for (let i = 0; i < N; i++) m = m.set("order-" + ((i * 7919) % 100_003), i);
});
bench(`PMap.get x${N}`, N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += (map.get((i * 7919) % 100_003) as number) ?? 0;
  if (s < 0) throw new Error();
});

const shape = makeRecordShape("Bench.state", ["m", "n"], [0, 1]);
bench(`full hash of a ${N}-entry map (cold)`, 1, () => {
  const fresh = PMap.fromSorted(map.keys(), map.values());
  hashValue(fresh);
});
hashValue(map);
let state = new Rec(shape, [map, 0]);
stateHash(state);
const UPDATES = 10_000;
const calls0 = hashStats.sha256Calls;
let tick = 0;
bench(`1 update + re-hash of state (${N}-entry map)`, UPDATES, () => {
  for (let i = 0; i < UPDATES; i++) {
    // A fresh value each time, so every update really changes the map.
    state = state.withField(0, (state.f[0] as PMap).set((i * 31) % 100_003, -++tick));
    stateHash(state);
  }
});
console.log(`  sha256 calls per update: ${((hashStats.sha256Calls - calls0) / (UPDATES * RUNS)).toFixed(1)}`);

const tt = new TypeTable([{ k: "int" }, { k: "map", key: 0, val: 0 }]);
bench(`toJsonText of a ${N}-entry map<int,int>`, N, () => {
  toJsonText(tt, 1, map);
});
bench(`encodeValue of a ${N}-entry map`, N, () => {
  encodeValue(map);
});

const tt2 = new TypeTable([
  { k: "string" },
  { k: "int" },
  { k: "record", name: "Item", fields: [{ name: "sku", type: 0 }, { name: "qty", type: 1 }] },
  { k: "list", elem: 2 },
]);
const itemShape = tt2.recordShape(2);
const items = PList.from(Array.from({ length: N }, (_, i) => new Rec(itemShape, ["sku-" + i, i])));
bench(`toJsonChunks of ${N} records (64 KiB pieces)`, N, () => {
  let n = 0;
  for (const piece of toJsonChunks(tt2, 3, items)) n += piece.length;
  if (n === 0) throw new Error();
});
