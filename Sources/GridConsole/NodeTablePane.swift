/// The node table: one row per node with slot, id, state code, HLC, partitions led,
/// `locked_partitions` compressed, items and how long ago it was last heard.
enum NodeTablePane {
    /// Column widths; `locked` takes what is left.
    struct Columns {
        static let pointer = 2
        static let slot = 4
        static let id = 8
        static let state = 5
        static let lead = 4
        static let items = 6
        static let heard = 6
        var hlc: Int
        var locked: Int

        init(width: Int) {
            let fixed = Self.pointer + Self.slot + Self.id + Self.state + Self.lead + Self.items + Self.heard + 8
            let remaining = max(0, width - fixed)
            hlc = remaining >= 27 ? 15 : max(4, remaining - 12)
            locked = max(1, remaining - hlc)
        }
    }

    static func draw(_ state: ConsoleState, layout: ConsoleLayout, on grid: inout CellGrid) {
        let view = state.view
        let rows = state.visibleNodes
        let focused = state.focus == .nodes
        let visible = layout.nodeVisibleRows
        let selectedRow = state.selectedNodeRow ?? 0
        let offset = ConsoleLayout.scrollOffset(selected: selectedRow, count: rows.count, visible: visible)
        var title = "Nodes (\(view.nodes.count))"
        if state.filter.isActive { title = "Nodes \(rows.count) of \(view.nodes.count) match '\(state.filter.text)'" }
        if rows.count > visible, visible > 0 {
            title += " \(offset + 1)-\(min(rows.count, offset + visible))"
        }
        let inner = grid.drawBox(layout.nodes, title: title, focused: focused, glyphs: state.glyphs)
        guard inner.height > 0 else { return }
        let columns = Columns(width: inner.width)
        drawHeading(columns, x: inner.x, y: inner.y, limit: inner.maxX, on: &grid)
        if rows.isEmpty {
            let text = state.hasSnapshot ? "no node matches" : "waiting for the first status\(state.glyphs.ellipsis)"
            grid.putFitted(text, x: inner.x + 2, y: inner.y + 1, limit: inner.maxX, role: .dim, glyphs: state.glyphs)
            return
        }
        for line in 0..<min(visible, rows.count - offset) {
            let row = offset + line
            let node = view.nodes[rows[row]]
            let y = inner.y + 1 + line
            let isSelected = row == selectedRow
            drawRow(
                node, columns: columns, x: inner.x, y: y, limit: inner.maxX, selected: isSelected, state: state,
                on: &grid)
            if isSelected && focused {
                grid.setRole(.selection, in: Rect(x: inner.x, y: y, width: inner.width, height: 1))
            }
        }
    }

    private static func drawHeading(_ columns: Columns, x: Int, y: Int, limit: Int, on grid: inout CellGrid) {
        var cursor = x + Columns.pointer
        func heading(_ text: String, _ width: Int, right: Bool = false) {
            grid.put(padded(text, toWidth: width, alignRight: right), x: cursor, y: y, role: .title, limit: limit)
            cursor += width + 1
        }
        heading("SLOT", Columns.slot)
        heading("ID", Columns.id)
        heading("STATE", Columns.state)
        heading("HLC", columns.hlc)
        heading("LEAD", Columns.lead, right: true)
        heading("LOCKED", columns.locked)
        heading("ITEMS", Columns.items, right: true)
        heading("HEARD", Columns.heard, right: true)
    }

    private static func drawRow(
        _ node: MergedNode, columns: Columns, x: Int, y: Int, limit: Int, selected: Bool, state: ConsoleState,
        on grid: inout CellGrid
    ) {
        let record = node.record
        let glyphs = state.glyphs
        let base: ColorRole = node.reachable ? .text : .dim
        if selected { grid.put(glyphs.pointer, x: x, y: y, role: .title, limit: limit) }
        var cursor = x + Columns.pointer
        func cell(_ text: String, _ width: Int, role: ColorRole, right: Bool = false) {
            grid.put(padded(text, toWidth: width, alignRight: right), x: cursor, y: y, role: role, limit: limit)
            cursor += width + 1
        }
        let stateCode = NodeStateCode(state: record.state, reachable: node.reachable)
        cell(String(record.slot), Columns.slot, role: base)
        cell(TextFormatting.shortID(record.id), Columns.id, role: base)
        cell(stateCode.code, Columns.state, role: stateCode.role)
        cell(
            TextFormatting.hybridClock(record.hlc, width: columns.hlc, ellipsis: glyphs.ellipsis), columns.hlc,
            role: base)
        cell(String(record.leading.count), Columns.lead, role: base, right: true)
        let locked = TextFormatting.compressedRanges(record.lockedPartitions, maxWidth: columns.locked)
        cell(locked, columns.locked, role: record.lockedPartitions.isEmpty ? .dim : .lock)
        cell(node.items.map(String.init) ?? "?", Columns.items, role: node.items == nil ? .dim : base, right: true)
        let heard = TextFormatting.duration(milliseconds: record.lastHeardMilliseconds)
        let heardRole: ColorRole = record.lastHeardMilliseconds > 5000 ? .warn : base
        cell(heard, Columns.heard, role: heardRole, right: true)
    }
}
