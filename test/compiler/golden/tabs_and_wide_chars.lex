domain Tabs {
	state { x: int = 0 }
	transition Run() {
		let s = "😀😀"; x = s
		x = "日本"
	}
}
