// `upper` leaves non-ASCII letters alone (no locale rules).
// call: T[t].Run()
//   reply: ["É", "ß", "i"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [upper("É"), upper("ß"), lower("I")]
  }
}
