// Sends are fire-and-forget: a failure at the target is recorded there, the sender is unaffected.
// call: A[a].Go()
//   reply: "sent"
// failure: B[b].Boom LX-FAIL
// state: A[a] = {"sent": 1}
domain A {
  state { sent: int = 0 }
  transition Go() {
    sent += 1
    send B["b"].Boom()
    return "sent"
  }
}
domain B {
  state { x: int = 0 }
  transition Boom() { fail "boom" }
}
