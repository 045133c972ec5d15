// A delay ≤ 0 delivers immediately.
// call: T[t].Start()
// timers: 0
// state: T[t] = {"pings": 2}
domain T {
  state { pings: int = 0 }
  transition Start() {
    send self.Ping() after 0ms
    send self.Ping() after -5s
  }
  transition Ping() { pings += 1 }
}
