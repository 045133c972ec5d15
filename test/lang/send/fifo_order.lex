// Messages to one instance are consumed in order.
// call: A[a].Go()
// state: B[b] = {"seen": [1, 2, 3]}
domain A {
  state { x: int = 0 }
  transition Go() {
    send B["b"].Note(n: 1)
    send B["b"].Note(n: 2)
    send B["b"].Note(n: 3)
  }
}
domain B {
  state { seen: list<int> = [] }
  transition Note(n: int) { seen.push(n) }
}
