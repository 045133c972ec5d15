// `now()` is the logical time of the input being processed (here set by `// now:`).
// now: 1700000000000
// call: T[t].Run()
//   reply: 1700000000000
// call: T[t].Run()
//   reply: 1700000000001
domain T {
  state { x: int = 0 }
  transition Run() { return now() }
}
