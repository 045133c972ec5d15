// LX-CAST: a json value of the wrong shape.
// call: T[t].Run(j: "text")
//   trap: LX-CAST @ 6:36
domain T {
  state { x: int = 0 }
  transition Run(j: json) { return j as int }
}
