// A `map<int, V>` is JSON as `[k, v]` pairs in ascending key order; `map<string, V>` as an object.
// call: T[t].Run()
// state: T[t] = {"byId": [[1, "one"], [3, "three"]], "byName": {"a": 1, "b": 2}}
domain T {
  state { byId: map<int, string> = {}, byName: map<string, int> = {"b": 2, "a": 1} }
  transition Run() {
    byId.insert(3, "three")
    byId.insert(1, "one")
  }
}
