// Programs for bench/vm/vm.bench.ts. Each transition is one benchmark; the plain-TypeScript
// baselines in vm.bench.ts mirror them line by line.
@fuel(1000000000)

fn fib(n: int) -> int {
  if n < 2 { return n }
  return fib(n - 1) + fib(n - 2)
}

domain Bench {
  state {
    acc: int = 0
    entries: int = 0
  }

  // (a) integer arithmetic in a range loop
  transition Arith(n: int) {
    var acc2 = 0
    for i in 0..n { acc2 = (acc2 + i * 3) % 1000003 }
    acc = acc2
    return acc2
  }

  // (b) recursive calls
  transition Fib(n: int) {
    return fib(n)
  }

  // (c) building a map and a list
  transition Build(n: int) {
    var m: map<int, int> = {}
    var xs: list<int> = []
    for i in 0..n {
      m.insert(i, i * 2)
      xs.push(i)
    }
    entries = len(m) + len(xs)
    return entries
  }
}
