// `??` binds tighter than comparison and looser than `+`.
// call: T[t].Run()
//   reply: [1, 5]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: int? = none
    let b = a ?? 2 + 3 == 5
    let c = a ?? 2 + 3
    return [if_i(b), c]
  }
  fn if_i(b: bool) -> int { if b { return 1 }; return 0 }
}
