// `??` is right-associative: `a ?? b ?? c` tries a, then b, then c.
// call: T[t].Run()
//   reply: [2, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: int? = none
    let b: int? = 2
    let c: int? = none
    return [a ?? b ?? 3, a ?? c ?? 3]
  }
}
