// `send … after d` is a durable timer due at now() + d; it is not delivered before then.
// now: 1700000000000
// call: T[t].Start()
// timers: 1
// timer: {"domain": "T", "instance": "t", "transition": "Ping", "dueAt": 1700000030000, "args": [3]}
// state: T[t] = {"pings": 0}
domain T {
  state { pings: int = 0 }
  transition Start() { send self.Ping(n: 3) after 30s }
  transition Ping(n: int) { pings += n }
}
