// An effect returning `json` hands over an untyped payload, read with casts.
// effect: Api.get = {"$tag": "Ok", "value": {"items": [{"n": 1}, {"n": 2}]}}
// call: T[t].Run()
//   reply: 3
effect Api.get(path: string) -> json
domain T {
  state { x: int = 0 }
  transition Run() {
    let r = await Api.get(path: "/items")
    match r {
      Ok(j) => {
        var t = 0
        for item in j.items as list<json> { t += item.n as int }
        return t
      }
      Err(_) => { return -1 }
    }
  }
}
