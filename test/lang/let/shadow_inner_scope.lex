// An inner block may declare a name that shadows an outer one.
// call: T[t].Run()
//   reply: [2, 1]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1
    var inner = 0
    if true {
      let a = 2
      inner = a
    }
    return [inner, a]
  }
}
