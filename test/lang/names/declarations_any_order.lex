// Top-level declarations are visible everywhere, in any order.
// call: T[t].Run()
//   reply: {"s": {"$tag": "B"}, "n": 3}
domain T {
  state { x: int = 0 }
  transition Run() { return make() }
}
fn make() -> Out { return Out { s: B, n: three() } }
fn three() -> int { return 3 }
type Out { s: E, n: int }
enum E { A, B }
