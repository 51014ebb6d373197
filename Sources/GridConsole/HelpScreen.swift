/// `?`: every key binding, printed from the key map, and the `:` commands.
enum HelpScreen {
    struct Line: Hashable {
        var keys: String
        var text: String
        var role: ColorRole
    }

    static let keyColumn = 14

    /// All help lines in order: a heading per context, then its bindings, then commands.
    static func lines(embedded: Bool, glyphs: Glyphs, keyMap: KeyMap = .standard) -> [Line] {
        var lines: [Line] = []
        for context in KeyContext.allCases {
            let bindings = keyMap.bindings(in: context)
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append(Line(keys: "", text: "", role: .text)) }
            lines.append(Line(keys: context.title, text: "", role: .title))
            for binding in bindings {
                let keys = binding.keys.map { $0.label(glyphs) }.joined(separator: "/")
                let note = binding.embeddedOnly ? " (embedded only)" : ""
                let role: ColorRole = binding.embeddedOnly && !embedded ? .dim : .text
                lines.append(Line(keys: keys, text: binding.summary + note, role: role))
            }
        }
        lines.append(Line(keys: "", text: "", role: .text))
        lines.append(Line(keys: "Commands (:)", text: "", role: .title))
        for command in TypedCommand.catalog {
            lines.append(Line(keys: ":" + command.usage, text: command.summary, role: .text))
        }
        return lines
    }

    /// Lines split into columns at section boundaries (a blank line starts a section),
    /// the first column taking sections until it holds about its share.
    static func columns(_ lines: [Line], count: Int) -> [[Line]] {
        guard count > 1 else { return [lines] }
        var sections: [[Line]] = [[]]
        for line in lines {
            if line.keys.isEmpty && line.text.isEmpty {
                sections.append([])
            } else {
                sections[sections.count - 1].append(line)
            }
        }
        let share = (lines.count + count - 1) / count
        var result: [[Line]] = [[]]
        for section in sections where !section.isEmpty {
            let current = result[result.count - 1]
            if !current.isEmpty, current.count + 1 + section.count > share, result.count < count {
                result.append(section)
            } else {
                result[result.count - 1] += (current.isEmpty ? [] : [Line(keys: "", text: "", role: .text)]) + section
            }
        }
        return result
    }

    /// How far help can scroll at the current size: the reducer stops there too.
    static func maximumScroll(_ state: ConsoleState) -> Int {
        let body = state.layout.body
        let tallest = columns(for: state, innerWidth: body.width - 2).map(\.count).max() ?? 0
        return max(0, tallest - (body.height - 2))
    }

    private static func columns(for state: ConsoleState, innerWidth: Int) -> [[Line]] {
        columns(
            lines(embedded: state.supportsMembershipChanges, glyphs: state.glyphs), count: innerWidth >= 100 ? 2 : 1)
    }

    static func draw(_ state: ConsoleState, scroll: Int, in rect: Rect, on grid: inout CellGrid) {
        let glyphs = state.glyphs
        let inner = grid.drawBox(rect, title: "Help \(glyphs.separator) Esc closes", focused: true, glyphs: glyphs)
        guard inner.height > 0 else { return }
        let columns = columns(for: state, innerWidth: inner.width)
        let columnWidth = inner.width / columns.count
        let maxScroll = maximumScroll(state)
        let start = min(scroll, maxScroll)
        for (column, lines) in columns.enumerated() {
            let x = inner.x + 1 + column * columnWidth
            let limit = min(inner.maxX, x + columnWidth - 1)
            for (row, line) in lines.dropFirst(start).prefix(inner.height).enumerated() {
                let y = inner.y + row
                if line.role == .title {
                    grid.putFitted(line.keys, x: x, y: y, limit: limit, role: .title, glyphs: glyphs, attributes: .bold)
                    continue
                }
                let keyRole: ColorRole = line.role == .dim ? .dim : .hintKey
                grid.put(padded(line.keys, toWidth: keyColumn), x: x, y: y, role: keyRole, limit: limit)
                grid.putFitted(line.text, x: x + keyColumn + 1, y: y, limit: limit, role: line.role, glyphs: glyphs)
            }
        }
        if maxScroll > 0 {
            let more = "\(glyphs.up)\(glyphs.down) scroll"
            grid.put(more, x: rect.maxX - displayWidth(more) - 2, y: rect.maxY - 1, role: .dim, limit: rect.maxX - 1)
        }
    }
}
