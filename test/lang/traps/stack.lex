// LX-STACK: recursion deeper than the VM's call-depth limit.
// call: T[t].Run()
//   trap: LX-STACK
fn deep(n: int) -> int {
  if n == 0 { return 0 }
  return 1 + deep(n - 1)
}
domain T {
  state { x: int = 0 }
  transition Run() { return deep(100000) }
}
