// Each instance has its own stream (seeded from its own run hash).
// call: T[a].Run()
//   reply: 371584
// call: T[b].Run()
//   reply: 48037
domain T {
  state { x: int = 0 }
  transition Run() { return random_int(0, 1000000) }
}
