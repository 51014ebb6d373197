/// The event log, newest first, with the local time each event reached the console.
enum EventLogPane {
    static func draw(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        guard !rect.isEmpty else { return }
        let glyphs = state.glyphs
        let inner = grid.drawBox(rect, title: "Events (newest first)", glyphs: glyphs)
        guard inner.height > 0 else { return }
        let entries = state.log.entries
        if entries.isEmpty {
            grid.putFitted("nothing yet", x: inner.x + 1, y: inner.y, limit: inner.maxX, role: .dim, glyphs: glyphs)
            return
        }
        for (line, entry) in entries.prefix(inner.height).enumerated() {
            let y = inner.y + line
            let time = TextFormatting.clockTime(milliseconds: entry.time + state.clockOffset)
            let end = grid.put(time, x: inner.x + 1, y: y, role: .dim, limit: inner.maxX)
            grid.putFitted(entry.text, x: end + 1, y: y, limit: inner.maxX, role: entry.role, glyphs: glyphs)
        }
    }
}
