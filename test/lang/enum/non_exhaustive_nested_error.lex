// Exhaustiveness looks inside variant fields: a missing inner variant is named.
// error: LX0401 @ 10:5
//   note: `Wrap(B)`
enum Inner { A, B }
enum Outer { Wrap(i: Inner), Empty }
domain T {
  state { o: Outer = Empty }
  transition Run() {
    var n = 0
    match o {
      Wrap(A) => { n = 1 }
      Empty => { n = 2 }
    }
    return n
  }
}
