import GridCore

/// Enter: everything the console knows about one node or one partition.
enum DetailScreen {
    static func draw(_ state: ConsoleState, target: DetailTarget, in rect: Rect, on grid: inout CellGrid) {
        let glyphs = state.glyphs
        let (title, lines) = content(state, target: target, width: rect.width - 16)
        let inner = grid.drawBox(rect, title: title, focused: true, glyphs: glyphs)
        guard inner.height > 0 else { return }
        for (index, line) in lines.prefix(inner.height).enumerated() {
            let y = inner.y + index
            let end = grid.put(padded(line.label, toWidth: 14), x: inner.x + 1, y: y, role: .dim, limit: inner.maxX)
            grid.putFitted(line.value, x: end, y: y, limit: inner.maxX, role: line.role, glyphs: glyphs)
        }
    }

    static func content(
        _ state: ConsoleState, target: DetailTarget, width: Int
    ) -> (title: String, lines: [PartitionDetailPane.Line]) {
        typealias Line = PartitionDetailPane.Line
        switch target {
        case .partition(let partition):
            guard partition < state.view.partitionCount else {
                return ("Partition \(partition)", [Line(label: "", value: "not in the current view", role: .dim)])
            }
            var lines = PartitionDetailPane.lines(for: partition, state: state, valueWidth: width)
            let record = state.view.partitions[partition]
            lines.append(
                Line(label: "locked", value: record.locked ? "yes" : "no", role: record.locked ? .lock : .text))
            let holders = state.view.nodes.filter { $0.record.lockedPartitions.contains(partition) }
                .map { TextFormatting.shortID($0.record.id) }
            lines.append(
                Line(label: "locked by", value: holders.isEmpty ? "-" : holders.joined(separator: ", "), role: .text))
            return ("Partition \(partition)", lines)
        case .node(let id):
            guard let node = state.view.node(id: id) else {
                return (
                    "Node \(TextFormatting.shortID(id))", [Line(label: "", value: "no longer in any view", role: .dim)]
                )
            }
            let record = node.record
            let code = NodeStateCode(state: record.state, reachable: node.reachable)
            let traffic = PartitionDetailPane.writesText(state.traffic.byNode[id], state: state, width: width)
            let lines = [
                Line(label: "id", value: record.id, role: .text),
                Line(label: "slot", value: String(record.slot), role: .text),
                Line(label: "state", value: "\(code.code) (\(record.state))", role: code.role),
                Line(
                    label: "reachable", value: node.reachable ? "yes" : "no (record from its peers)",
                    role: node.reachable ? .text : .warn),
                Line(label: "incarnation", value: String(record.incarnation), role: .text),
                Line(label: "heartbeat", value: String(record.heartbeat), role: .text),
                Line(label: "hlc", value: record.hlc, role: .text),
                Line(label: "gossip", value: record.gossip, role: .text),
                Line(label: "http", value: record.http, role: .text),
                Line(
                    label: "last heard", value: TextFormatting.duration(milliseconds: record.lastHeardMilliseconds),
                    role: .text),
                Line(label: "items", value: node.items.map(String.init) ?? "unknown", role: .text),
                Line(label: "lease", value: node.leaseValid.map { $0 ? "valid" : "expired" } ?? "unknown", role: .text),
                Line(
                    label: "leading",
                    value: "\(record.leading.count): "
                        + TextFormatting.compressedRanges(record.leading, maxWidth: width), role: .text),
                Line(
                    label: "locked", value: TextFormatting.compressedRanges(record.lockedPartitions, maxWidth: width),
                    role: record.lockedPartitions.isEmpty ? .text : .lock),
                Line(label: "writes", value: traffic, role: .text),
            ]
            return ("Node \(TextFormatting.shortID(id)) \(state.glyphs.separator) slot \(record.slot)", lines)
        }
    }
}
