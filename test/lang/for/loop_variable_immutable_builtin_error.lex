// A loop variable cannot be changed by a mutating built-in either.
// error: LX0405 @ 8:7
//   note: declared here
domain T {
  state { x: int = 0 }
  transition Run() {
    for xs in [[1]] {
      xs.push(2)
    }
  }
}
