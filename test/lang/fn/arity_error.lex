// A fn call needs exactly its parameters' count.
// error: LX0214 @ 7:12
fn add(a: int, b: int) -> int { return a + b }
domain T {
  state { x: int = 0 }
  transition Run() {
    return add(1)
  }
}
