// `Ok` and `Err` are constructors only in expression and pattern position: they may name fields and labels.
// call: T[t].Run()
//   reply: {"Ok": 1, "Err": 2}
type Pair { Ok: int, Err: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let p = Pair { Ok: 1, Err: 2 }
    assert p.Ok + 1 == p.Err
    return p
  }
}
