// bools compare with == and != (and are not ordered).
// call: T[t].Run(a: true)
//   reply: [true, false]
domain T {
  state { x: int = 0 }
  transition Run(a: bool) {
    return [a == true, a != true]
  }
}
