/// Demo-load writes, accepted against refused (503), per second: overall and per node,
/// so one can watch writes pause while a handshake runs.
enum TrafficPane {
    static func draw(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        guard !rect.isEmpty else { return }
        let glyphs = state.glyphs
        let title = "Writes \(glyphs.separator) demo load \(state.isDemoLoadOn ? "on" : "off (l starts it)")"
        let inner = grid.drawBox(rect, title: title, glyphs: glyphs)
        guard inner.height > 0 else { return }
        let traffic = state.traffic
        if traffic.isEmpty {
            let text = state.isDemoLoadOn ? "waiting for the first writes" : "press l to write to every partition"
            grid.putFitted(text, x: inner.x + 1, y: inner.y, limit: inner.maxX, role: .dim, glyphs: glyphs)
            return
        }
        let labelWidth = 13
        let numberWidth = 7
        let sparkWidth = min(TrafficSeries.length, max(0, (inner.width - labelWidth - 2 * (numberWidth + 5) - 2) / 2))
        let second = state.now / 1000
        var rows: [(String, TrafficSeries)] = [("all", traffic.overall)]
        for node in state.view.nodes {
            guard let series = traffic.byNode[node.record.id] else { continue }
            rows.append(("s\(node.record.slot) \(TextFormatting.shortID(node.record.id))", series))
        }
        let scale = max(
            traffic.overall.acceptedHistory(endingAt: second, count: sparkWidth).max() ?? 0,
            traffic.overall.rejectedHistory(endingAt: second, count: sparkWidth).max() ?? 0)
        for (line, row) in rows.prefix(inner.height).enumerated() {
            let y = inner.y + line
            var x = grid.put(padded(row.0, toWidth: labelWidth), x: inner.x + 1, y: y, role: .text, limit: inner.maxX)
            x = grid.put("ok ", x: x, y: y, role: .dim, limit: inner.maxX)
            x = drawBars(
                row.1.acceptedHistory(endingAt: second, count: sparkWidth), scale: scale, x: x, y: y,
                role: .sparkAccepted, glyphs: glyphs, limit: inner.maxX, on: &grid)
            x = grid.put(
                padded(String(row.1.accepted), toWidth: numberWidth, alignRight: true), x: x, y: y,
                role: .sparkAccepted, limit: inner.maxX)
            x = grid.put("  503 ", x: x, y: y, role: .dim, limit: inner.maxX)
            x = drawBars(
                row.1.rejectedHistory(endingAt: second, count: sparkWidth), scale: scale, x: x, y: y,
                role: .sparkRejected, glyphs: glyphs, limit: inner.maxX, on: &grid)
            grid.put(
                padded(String(row.1.rejected), toWidth: numberWidth, alignRight: true), x: x, y: y,
                role: row.1.rejected > 0 ? .sparkRejected : .dim, limit: inner.maxX)
        }
    }

    private static func drawBars(
        _ values: [UInt32], scale: UInt32, x: Int, y: Int, role: ColorRole, glyphs: Glyphs, limit: Int,
        on grid: inout CellGrid
    ) -> Int {
        var column = x
        for bar in sparkline(values, levels: glyphs.levels, scale: scale) where column < limit {
            grid.put(scalar: bar, x: column, y: y, role: role)
            column += 1
        }
        return column
    }
}
