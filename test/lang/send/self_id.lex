// `self.id` is the instance id.
// call: T["order-9"].Run()
//   reply: "order-9"
domain T {
  state { x: int = 0 }
  transition Run() { return self.id }
}
