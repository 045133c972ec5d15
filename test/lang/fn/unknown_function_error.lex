// An unknown function is an error with a suggestion.
// error: LX0207 @ 7:29
//   message: did you mean `subtotal`
fn subtotal(a: int) -> int { return a }
domain T {
  state { x: int = 0 }
  transition Run() { return subtotl(1) }
}
