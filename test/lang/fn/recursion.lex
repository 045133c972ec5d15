// Functions may recurse; depth is bounded at run time, not compile time.
// call: T[t].Run(n: 20)
//   reply: 6765
fn fib(n: int) -> int {
  if n < 2 { return n }
  return fib(n - 1) + fib(n - 2)
}
domain T {
  state { x: int = 0 }
  transition Run(n: int) { return fib(n) }
}
