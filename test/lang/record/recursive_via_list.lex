// A record may contain itself through a collection or an optional.
// call: T[t].Run()
//   reply: {"name": "root", "children": [{"name": "leaf", "children": [], "parent": null}], "parent": null}
type Node { name: string, children: list<Node>, parent: Node? }
domain T {
  state { x: int = 0 }
  transition Run() {
    return Node { name: "root", children: [Node { name: "leaf", children: [], parent: none }], parent: none }
  }
}
