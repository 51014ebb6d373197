import GridCore

/// The partition map: one cell per partition, coloured and numbered by its leader's slot,
/// a lock glyph and phase mark while a handshake moves it, and a list of the running
/// handshakes underneath.
enum PartitionMapPane {
    static func draw(_ state: ConsoleState, layout: ConsoleLayout, on grid: inout CellGrid) {
        let view = state.view
        let glyphs = state.glyphs
        let focused = state.focus == .partitions
        let count = view.partitionCount
        let columns = layout.mapColumns
        let selectedRow = state.selectedPartition / max(1, columns)
        let offset = ConsoleLayout.scrollOffset(
            selected: selectedRow, count: layout.mapRows, visible: layout.mapVisibleRows)
        var title =
            "Partitions (\(count)) \(glyphs.separator) number = leader slot \(glyphs.separator) \(glyphs.lock) locked"
        if layout.mapVisibleRows < layout.mapRows {
            let first = offset * columns
            title += " \(glyphs.separator) \(first)-\(min(count, first + layout.mapVisibleRows * columns) - 1)"
        }
        let inner = grid.drawBox(layout.map, title: title, focused: focused, glyphs: glyphs)
        guard inner.height > 0, count > 0 else {
            if inner.height > 0 {
                grid.putFitted(
                    "no partitions known yet", x: inner.x + 1, y: inner.y, limit: inner.maxX, role: .dim, glyphs: glyphs
                )
            }
            return
        }
        let cellWidth = layout.mapCellWidth
        for line in 0..<layout.mapVisibleRows {
            let row = offset + line
            for column in 0..<columns {
                let partition = row * columns + column
                guard partition < count else { break }
                drawCell(
                    partition, x: inner.x + column * cellWidth, y: inner.y + line, width: cellWidth, state: state,
                    focused: focused, on: &grid)
            }
        }
        drawHandshakes(
            state, lines: layout.handshakeLines, x: inner.x, y: inner.y + layout.mapVisibleRows,
            limit: inner.maxX, on: &grid)
    }

    private static func drawCell(
        _ partition: Int, x: Int, y: Int, width: Int, state: ConsoleState, focused: Bool, on grid: inout CellGrid
    ) {
        let record = state.view.partitions[partition]
        let glyphs = state.glyphs
        let matches = state.partitionMatches?[partition] ?? true
        let isSelected = partition == state.selectedPartition
        let attributes: CellAttributes = isSelected ? (focused ? [.reverse, .bold] : [.underline]) : []
        if record.locked {
            let handshake = state.view.handshake(partition: partition)
            let acknowledged = handshake?.acknowledged ?? 0
            let role: ColorRole = matches ? (acknowledged > 0 ? .acknowledged : .lock) : .dim
            grid.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", role: role, attributes: attributes))
            let end = grid.put(glyphs.lock, x: x, y: y, role: role, attributes: attributes, limit: x + width)
            if end < x + width {
                grid.put(phaseMark(handshake), x: end, y: y, role: role, attributes: attributes, limit: x + width)
            }
            return
        }
        guard let slot = record.leaderSlot else {
            grid.put(
                padded(glyphs.unledCell, toWidth: width, alignRight: true), x: x, y: y, role: .unled,
                attributes: attributes, limit: x + width)
            return
        }
        let role: ColorRole =
            !matches ? .dim : state.recentlyOpened[partition] != nil ? .opened : ColorRole.leader(slot: slot)
        grid.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", role: role, attributes: attributes))
        let limit = width == 2 ? 100 : 1000
        grid.putNumber(slot % limit, endingBefore: x + width, y: y, role: role, attributes: attributes)
    }

    /// One character for the phase: `L` locked with no acknowledgment yet, else how many
    /// nodes acknowledged (`+` beyond 9).
    static func phaseMark(_ handshake: ClusterStatus.Handshake?) -> String {
        guard let handshake, handshake.acknowledged > 0 else { return "L" }
        return handshake.acknowledged > 9 ? "+" : String(handshake.acknowledged)
    }

    /// `p7 acknowledged 1 of 2 · 9f8e7d6c → 1a2b3c4d · 1.4s · e2049 · waiting for 5e6f7a8b`.
    static func handshakeLine(_ handshake: ClusterStatus.Handshake, glyphs: Glyphs) -> String {
        let dot = " \(glyphs.separator) "
        let previous = handshake.previousLeader.map(TextFormatting.shortID) ?? "none"
        var text =
            "p\(handshake.partition) acknowledged \(handshake.acknowledged) of \(handshake.required)"
            + "\(dot)\(previous) \(glyphs.arrow) \(TextFormatting.shortID(handshake.newLeader))"
            + "\(dot)\(TextFormatting.duration(milliseconds: handshake.ageMilliseconds))\(dot)e\(handshake.epoch)"
        if !handshake.waitingFor.isEmpty {
            text += "\(dot)waiting for " + handshake.waitingFor.map(TextFormatting.shortID).joined(separator: ",")
        }
        return text
    }

    private static func drawHandshakes(
        _ state: ConsoleState, lines: Int, x: Int, y: Int, limit: Int, on grid: inout CellGrid
    ) {
        let handshakes = state.view.handshakes
        guard lines > 0, !handshakes.isEmpty else { return }
        let glyphs = state.glyphs
        // One line is better spent on a handshake than on counting them; the banner counts.
        let shown = handshakes.count > lines && lines > 1 ? lines - 1 : lines
        for (line, handshake) in handshakes.prefix(shown).enumerated() {
            let role: ColorRole = handshake.acknowledged > 0 ? .acknowledged : .lock
            let end = grid.put(glyphs.lock, x: x, y: y + line, role: role, limit: limit)
            grid.putFitted(
                " " + handshakeLine(handshake, glyphs: glyphs), x: end, y: y + line, limit: limit, role: .text,
                glyphs: glyphs)
        }
        if shown < lines {
            let more = handshakes.count - shown
            grid.putFitted(
                "+\(more) more handshake\(more == 1 ? "" : "s") (filter with /locked)", x: x, y: y + shown,
                limit: limit, role: .dim, glyphs: glyphs)
        }
    }
}
