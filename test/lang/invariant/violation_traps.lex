// A transition that leaves an invariant false fails with LX-INV; the state is unchanged.
// call: T[t].Take(n: 3)
// call: T[t].Take(n: 8)
//   trap: LX-INV
//   message: NonNegative
// state: T[t] = {"balance": 7}
domain T {
  state { balance: int = 10 }
  invariant NonNegative { balance >= 0 }
  transition Take(n: int) { balance -= n }
}
