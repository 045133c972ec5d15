// A trap in a later slice keeps what earlier slices committed and discards only the failing slice.
// call: T[t].Run(d: 0)
//   trap: LX-DIV0

// call: T[t].Get()
//   reply: 1
domain T {
  state { x: int = 0 }
  transition Run(d: int) {
    slice a { x = 1 }
    slice b { x = 10 / d }
  }
  transition Get() { return x }
}
