// An effect declaration may set retries, backoff and timeout (all optional).
// call: T[t].Run()
// intents: 3
effect A.op(n: int) -> int {
  capability net.x
  retries 5 backoff 200ms..10s
  timeout 15s
}
effect B.op() -> bool { timeout 1m }
effect C.op() -> bool
domain T {
  capability net.x
  state { x: int = 0 }
  transition Run() {
    emit A.op(n: 1)
    emit B.op()
    emit C.op()
  }
}
