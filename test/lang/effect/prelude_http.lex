// The prelude declares `Http.request` returning an `HttpResponse`.
// effect: Http.request = {"$tag": "Ok", "value": {"status": 200, "headers": {"a": "b"}, "body": "ok"}}
// call: T[t].Run()
//   reply: "200 ok b"
domain T {
  capability network.egress
  state { x: int = 0 }
  transition Run() {
    let r = await Http.request(method: "GET", url: "https://example.com", headers: {}, body: "")
    match r {
      Ok(resp) => { return "{resp.status} {resp.body} {resp.headers["a"]}" }
      Err(e) => { return e.message }
    }
  }
}
