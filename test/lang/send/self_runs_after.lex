// `send self.X()` joins the instance's own mailbox and runs after the current transition.
// call: T[t].Run()
//   reply: ["run"]
// state: T[t] = {"log": ["run", "run-end", "next"]}
domain T {
  state { log: list<string> = [] }
  transition Run() {
    log.push("run")
    send self.Next()
    let snapshot = log
    log.push("run-end")
    return snapshot
  }
  transition Next() { log.push("next") }
}
