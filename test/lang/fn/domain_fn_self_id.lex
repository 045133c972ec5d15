// A domain `fn` sees `self.id`.
// call: T[abc].Run()
//   reply: "id=abc"
domain T {
  state { x: int = 0 }
  transition Run() { return label() }
  fn label() -> string { return "id={self.id}" }
}
