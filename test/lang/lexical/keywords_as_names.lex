// Keywords may be record field names, argument labels and names after `.`.
// call: T[t].Run()
//   reply: {"type": 1, "state": 2}
type Meta { type: int, state: int }
effect Mail.send(to: string) -> bool
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Mail.send(to: "a")
    let m = Meta { type: 1, state: 2 }
    assert m.type == 1
    return m
  }
}
