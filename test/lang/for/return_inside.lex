// `return` inside a loop ends the transition.
// call: T[t].Run(target: 3)
//   reply: 2
domain T {
  state { x: int = 0 }
  transition Run(target: int) {
    let xs = [1, 2, 3, 4]
    for i in 0..len(xs) {
      if xs[i] == target { return i }
    }
    return -1
  }
}
