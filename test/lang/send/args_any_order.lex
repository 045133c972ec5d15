// Transition arguments are named and may come in any order.
// call: A[a].Go()
// state: B[b] = {"s": "x-2"}
domain A {
  state { x: int = 0 }
  transition Go() { send B["b"].Set(n: 2, tag: "x") }
}
domain B {
  state { s: string = "" }
  transition Set(tag: string, n: int) { s = "{tag}-{n}" }
}
