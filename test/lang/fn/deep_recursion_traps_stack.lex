// Recursion past the VM's call-depth limit traps LX-STACK (never a host crash).
// call: T[t].Run()
//   trap: LX-STACK
//   message: call depth
fn down(n: int) -> int {
  return down(n + 1) + 1
}
domain T {
  state { x: int = 0 }
  transition Run() { return down(0) }
}
