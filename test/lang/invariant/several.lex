// Several invariants are all checked; the one that fails is named.
// call: T[t].Set(a: 1, b: 200)
//   trap: LX-INV
//   message: BSmall
// call: T[t].Set(a: 2, b: 3)
// state: T[t] = {"a": 2, "b": 3}
domain T {
  state { a: int = 0, b: int = 0 }
  invariant APositive { a >= 0 }
  invariant BSmall { b < 100 }
  transition Set(a: int, b: int) { state.a = a; state.b = b }
}
