// `random()` draws from a stream seeded by the run hash: the same program and inputs give these exact values.
// call: T[t].Run()
//   reply: [0.5491412150338821, 0.8811690342503429]
// call: T[t].Run()
//   reply: [0.6768103720913922, 0.34958291837073563]
domain T {
  state { x: int = 0 }
  transition Run() { return [random(), random()] }
}
