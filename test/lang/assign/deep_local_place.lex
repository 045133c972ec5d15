// A deep place on a local: a record in a list in a record.
// call: T[t].Run()
//   reply: {"rows": [{"cells": [1, 2]}, {"cells": [3, 40]}]}
type Row { cells: list<int> }
type Grid { rows: list<Row> }
domain T {
  state { x: int = 0 }
  transition Run() {
    var g = Grid { rows: [Row { cells: [1, 2] }, Row { cells: [3, 4] }] }
    g.rows[1].cells[1] *= 10
    return g
  }
}
