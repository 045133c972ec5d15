// LX-INV: an invariant violated at the end of a slice (reported at the predicate).
// call: T[t].Run()
//   trap: LX-INV @ 6:20
domain T {
  state { x: int = 0 }
  invariant Zero { x == 0 }
  transition Run() { x = 1 }
}
