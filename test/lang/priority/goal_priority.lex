// A goal may have its own priority.
// call: T[t].Up()
// state: T[t] = {"n": 1}
domain T {
  state { n: int = 0 }
  goal AtLeastOne priority critical { n >= 1 } via Up
  transition Up() { n += 1 }
}
