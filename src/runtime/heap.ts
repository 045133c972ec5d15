/**
 * A binary min-heap with positions stored on the items, so an item can be removed or
 * re-keyed in O(log n). Deterministic: ties are broken only by the comparator.
 */
export interface HeapItem {
  heapPos: number;
}

export class Heap<T extends HeapItem> {
  private readonly a: T[] = [];

  constructor(private readonly less: (x: T, y: T) => boolean) {}

  get size(): number {
    return this.a.length;
  }

  peek(): T | undefined {
    return this.a[0];
  }

  push(x: T): void {
    x.heapPos = this.a.length;
    this.a.push(x);
    this.up(x.heapPos);
  }

  pop(): T | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      last.heapPos = 0;
      this.down(0);
    }
    top.heapPos = -1;
    return top;
  }

  remove(x: T): void {
    const i = x.heapPos;
    if (i < 0) return;
    const a = this.a;
    const last = a.pop()!;
    if (i < a.length) {
      a[i] = last;
      last.heapPos = i;
      this.down(i);
      this.up(i);
    }
    x.heapPos = -1;
  }

  private up(i: number): void {
    const a = this.a;
    const x = a[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const y = a[p]!;
      if (!this.less(x, y)) break;
      a[i] = y;
      y.heapPos = i;
      i = p;
    }
    a[i] = x;
    x.heapPos = i;
  }

  private down(i: number): void {
    const a = this.a;
    const n = a.length;
    const x = a[i]!;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(a[r]!, a[l]!) ? r : l;
      const y = a[c]!;
      if (!this.less(y, x)) break;
      a[i] = y;
      y.heapPos = i;
      i = c;
    }
    a[i] = x;
    x.heapPos = i;
  }
}
