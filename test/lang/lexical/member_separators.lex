// Members of state, type, enum, capability and effect bodies may be separated by newlines, `,` or `;`.
// call: T[t].Run()
//   reply: {"a": 1, "b": 2, "c": 3}
type R { a: int; b: int
  c: int }
enum E { A, B; C
  D }
effect Ns.op(x: int) -> int { retries 1, timeout 5s; backoff 10ms..20ms }
domain T {
  capability { network.egress, domain.spawn; x.y
  }
  state { n: int = 0, m: int = 0; k: int = 0 }
  transition Run() {
    return R { a: 1, b: 2, c: 3 }
  }
}
