// `capability x` and `capability { x, y }` are both accepted, in domains and effects.
// call: T[t].Run()
// intents: 2
effect A.op() -> int { capability x.one }
effect B.op() -> int {
  capability { x.two, x.three }
}
domain T {
  capability x.one
  capability { x.two, x.three }
  state { x: int = 0 }
  transition Run() {
    emit A.op()
    emit B.op()
  }
}
