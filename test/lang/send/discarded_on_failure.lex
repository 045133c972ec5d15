// A send in a failed segment is discarded with it.
// call: A[a].Go()
//   trap: LX-FAIL
// call: A[a].Count()
//   reply: 0
domain A {
  state { got: int = 0 }
  transition Go() {
    send self.Got()
    fail "no"
  }
  transition Got() { got += 1 }
  transition Count() { return got }
}
