import GridCore

/// Draws the console: a pure function from state to a grid of cells. It never looks at a
/// terminal or a clock, so tests read exactly what an operator would see.
public enum Renderer {
    public static func render(_ state: ConsoleState) -> CellGrid {
        var grid = CellGrid(width: state.width, height: state.height)
        let layout = state.layout
        guard !layout.isTooSmall else {
            drawTooSmall(state, on: &grid)
            return grid
        }
        drawHeader(state, in: layout.header, on: &grid)
        drawBanner(state, in: layout.banner, on: &grid)
        switch state.mode {
        case .help(let scroll):
            HelpScreen.draw(state, scroll: scroll, in: layout.body, on: &grid)
        case .detail(let target):
            DetailScreen.draw(state, target: target, in: layout.body, on: &grid)
        default:
            NodeTablePane.draw(state, layout: layout, on: &grid)
            PartitionMapPane.draw(state, layout: layout, on: &grid)
            PartitionDetailPane.draw(state, in: layout.detail, on: &grid)
            TrafficPane.draw(state, in: layout.traffic, on: &grid)
            EventLogPane.draw(state, in: layout.events, on: &grid)
        }
        drawFlashLine(state, in: layout.flash, on: &grid)
        drawHints(state, in: layout.hints, on: &grid)
        return grid
    }

    // MARK: Frame rows

    static func drawTooSmall(_ state: ConsoleState, on grid: inout CellGrid) {
        let times = state.glyphs.times
        let need =
            "need \(ConsoleLayout.minimumWidth)\(times)\(ConsoleLayout.minimumHeight), "
            + "have \(state.width)\(times)\(state.height)"
        let lines: [(String, ColorRole)] = [
            ("terminal too small", .error), (need, .text),
            ("enlarge the window, or q to quit", .dim),
        ]
        let top = max(0, (state.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let text = truncated(line.0, toWidth: state.width, ellipsis: state.glyphs.ellipsis)
            grid.put(text, x: max(0, (state.width - displayWidth(text)) / 2), y: top + offset, role: line.1)
        }
    }

    /// The cluster's name, size, config version, the source and the pause and slow-motion
    /// flags always show; on a narrow terminal the theme, the cluster's shape, the load
    /// flag and then the product name give way to them, whole, in that order.
    static func drawHeader(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        grid.fill(rect, with: Cell(" ", role: .header))
        let dot = " \(state.glyphs.separator) "
        var header = HeaderParts(brand: " GossipGrid ")
        if let cluster = state.view.cluster {
            header.facts = ["cluster \(cluster.name)", "size \(cluster.size)", "config v\(cluster.configVersion)"]
            header.shape = ["\(cluster.partitions) partitions", "replication \(cluster.replication)"]
        } else {
            header.facts = [state.hasSnapshot ? "no node reachable" : "connecting\(state.glyphs.ellipsis)"]
        }
        header.facts.append(state.sourceKind.label)
        if state.isPaused { header.flags.append("PAUSED") }
        header.load = state.isDemoLoadOn ? "load on" : nil
        if state.acknowledgmentDelay > 0 { header.flags.append("slowmo \(state.acknowledgmentDelay)ms") }
        header.theme = "theme \(state.themeName)"
        while header.width(dot) > rect.width, header.dropOne() {}

        var x = rect.x
        if let brand = header.brand {
            x = grid.put(brand, x: x, y: rect.y, role: .header, attributes: .bold, limit: rect.maxX)
        } else {
            x += 1
        }
        let right = header.right(dot)
        let rightX = rect.maxX - displayWidth(right)
        let left = truncated(header.left(dot), toWidth: max(0, rightX - x - 1), ellipsis: state.glyphs.ellipsis)
        let end = grid.put(left, x: x, y: rect.y, role: .header, limit: rightX)
        if rightX > end {
            grid.put(right, x: rightX, y: rect.y, role: .header, attributes: state.isPaused ? .bold : [])
        }
    }

    /// What the header line may hold, and what it gives up first when it does not fit.
    struct HeaderParts {
        var brand: String?
        var facts: [String] = []
        var shape: [String] = []
        var flags: [String] = []
        var load: String?
        var theme: String?

        func left(_ dot: String) -> String { (facts + shape).joined(separator: dot) }

        func right(_ dot: String) -> String {
            let parts = ([load].compactMap { $0 } + flags + [theme].compactMap { $0 })
            return parts.isEmpty ? "" : parts.joined(separator: dot) + " "
        }

        func width(_ dot: String) -> Int {
            displayWidth(brand ?? " ") + displayWidth(left(dot)) + 1 + displayWidth(right(dot))
        }

        /// Gives up the least important part; false when nothing is left to give up.
        mutating func dropOne() -> Bool {
            if theme != nil {
                theme = nil
            } else if !shape.isEmpty {
                shape.removeLast()
            } else if load != nil {
                load = nil
            } else if brand != nil {
                brand = nil
            } else {
                return false
            }
            return true
        }
    }

    static func drawBanner(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        let view = state.view
        let dot = " \(state.glyphs.separator) "
        if !view.handshakes.isEmpty {
            grid.fill(rect, with: Cell(" ", role: .banner))
            let locked = view.lockedPartitions
            let count = view.handshakes.count
            let text =
                " \(state.glyphs.lock) HANDSHAKE IN PROGRESS\(dot)\(count) partition\(count == 1 ? "" : "s") "
                + "moving, locked: \(TextFormatting.compressedRanges(locked, maxWidth: 40))"
                + "\(dot)writes to them get 503\(dot)resize refused until they open"
            grid.put(
                truncated(text, toWidth: rect.width, ellipsis: state.glyphs.ellipsis), x: rect.x, y: rect.y,
                role: .banner, attributes: .bold, limit: rect.maxX)
            return
        }
        guard state.hasSnapshot else { return }
        let up = view.nodes.count(where: { $0.record.state == "joined" })
        var parts = ["all partitions open", "\(up) of \(view.nodes.count) nodes up"]
        var role = ColorRole.dim
        let stillLocked = view.lockedPartitions
        if !stillLocked.isEmpty {
            parts[0] = "locked: \(TextFormatting.compressedRanges(stillLocked, maxWidth: 30))"
            role = .warn
        }
        if !view.unreachable.isEmpty {
            parts.append("\(view.unreachable.count) unreachable")
            role = .warn
        }
        if !view.laggingViews.isEmpty {
            parts.append("\(view.laggingViews.count) node(s) on another config version")
            role = .warn
        }
        let text = " " + parts.joined(separator: dot)
        grid.put(
            truncated(text, toWidth: rect.width, ellipsis: state.glyphs.ellipsis), x: rect.x, y: rect.y, role: role)
    }

    static func drawFlashLine(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        let ellipsis = state.glyphs.ellipsis
        func input(_ prefix: String, _ text: String, role: ColorRole = .text) {
            let end = grid.put(prefix, x: rect.x, y: rect.y, role: .title, limit: rect.maxX)
            let room = max(0, rect.maxX - end - 1)
            let shown = displayWidth(text) > room ? String(text.suffix(room)) : text
            let cursor = grid.put(shown, x: end, y: rect.y, role: role, limit: rect.maxX)
            grid.cursor = GridPoint(x: min(cursor, rect.maxX - 1), y: rect.y)
        }
        switch state.mode {
        case .commandLine(let editor):
            input(":", editor.text)
        case .filter:
            input("/", state.filter.text)
        case .prompt(let prompt, let text):
            input(prompt.question, text)
        case .confirm(let pending):
            let text = truncated(pending.question + " (y/n)", toWidth: rect.width, ellipsis: ellipsis)
            grid.fill(rect, with: Cell(" ", role: .banner))
            grid.put(text, x: rect.x, y: rect.y, role: .banner, attributes: .bold)
        default:
            if let flash = state.flash {
                let role: ColorRole = flash.kind == .error ? .flashError : .flash
                grid.put(
                    " " + truncated(flash.text, toWidth: rect.width - 2, ellipsis: ellipsis) + " ",
                    x: rect.x, y: rect.y, role: role)
            } else if state.filter.isActive {
                grid.put(
                    " filter: \(state.filter.text)  (Esc clears)", x: rect.x, y: rect.y, role: .dim, limit: rect.maxX)
            }
        }
    }

    static func drawHints(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        grid.fill(rect, with: Cell(" ", role: .hint))
        var x = rect.x + 1
        for binding in KeyMap.standard.bindings(in: state.mode.keyContext) {
            guard let hint = binding.hint else { continue }
            if binding.embeddedOnly && !state.supportsMembershipChanges { continue }
            let key = binding.keys[0].label(state.glyphs)
            let width = displayWidth(key) + 1 + displayWidth(hint) + 2
            guard x + width <= rect.maxX else { break }
            x = grid.put(key, x: x, y: rect.y, role: .hintKey)
            x = grid.put(" " + hint + "  ", x: x, y: rect.y, role: .hint)
        }
    }
}

extension CellGrid {
    /// A bordered box with a title in its top edge; returns the inside.
    @discardableResult
    mutating func drawBox(_ rect: Rect, title: String, focused: Bool = false, glyphs: Glyphs) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return .zero }
        let role: ColorRole = focused ? .focusedBorder : .border
        let top = rect.y
        let bottom = rect.maxY - 1
        for x in rect.x + 1..<rect.maxX - 1 {
            put(scalar: glyphs.horizontal, x: x, y: top, role: role)
            put(scalar: glyphs.horizontal, x: x, y: bottom, role: role)
        }
        for y in top + 1..<bottom {
            put(scalar: glyphs.vertical, x: rect.x, y: y, role: role)
            put(scalar: glyphs.vertical, x: rect.maxX - 1, y: y, role: role)
        }
        put(scalar: glyphs.topLeft, x: rect.x, y: top, role: role)
        put(scalar: glyphs.topRight, x: rect.maxX - 1, y: top, role: role)
        put(scalar: glyphs.bottomLeft, x: rect.x, y: bottom, role: role)
        put(scalar: glyphs.bottomRight, x: rect.maxX - 1, y: bottom, role: role)
        if rect.width > 6 {
            let text = " " + truncated(title, toWidth: rect.width - 6, ellipsis: glyphs.ellipsis) + " "
            put(text, x: rect.x + 2, y: top, role: .title, attributes: focused ? .bold : [], limit: rect.maxX - 2)
        }
        return rect.inner
    }

    /// Writes `text` cut to fit between `x` and `limit`.
    @discardableResult
    mutating func putFitted(
        _ text: String, x: Int, y: Int, limit: Int, role: ColorRole, glyphs: Glyphs, attributes: CellAttributes = []
    ) -> Int {
        put(
            truncated(text, toWidth: max(0, limit - x), ellipsis: glyphs.ellipsis), x: x, y: y, role: role,
            attributes: attributes, limit: limit)
    }
}
