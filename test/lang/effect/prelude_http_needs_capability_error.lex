// The prelude's `Http.request` needs `network.egress`.
// error: LX0503 @ 7:5
//   note: requires `network.egress`
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Http.request(method: "GET", url: "https://example.com", headers: {}, body: "")
  }
}
