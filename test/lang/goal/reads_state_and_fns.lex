// Goal predicates may read state, `self.id` and call domain fns.
// call: T[t].Up()
// state: T[t] = {"n": 1}
domain T {
  state { n: int = 0 }
  goal G { big() && self.id != "" } via Up
  transition Up() { n += 1 }
  fn big() -> bool { return n > 3 }
}
