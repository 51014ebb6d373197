import GridCore

/// The selected partition: leader, epoch, owners, phase, the handshake moving it and who
/// it still waits for, and its demo-load writes.
enum PartitionDetailPane {
    static func draw(_ state: ConsoleState, in rect: Rect, on grid: inout CellGrid) {
        guard !rect.isEmpty else { return }
        let view = state.view
        let glyphs = state.glyphs
        guard view.partitionCount > 0 else {
            let inner = grid.drawBox(rect, title: "Partition", glyphs: glyphs)
            if inner.height > 0 {
                grid.putFitted(
                    "no partition selected", x: inner.x + 1, y: inner.y, limit: inner.maxX, role: .dim, glyphs: glyphs)
            }
            return
        }
        let partition = min(state.selectedPartition, view.partitionCount - 1)
        let inner = grid.drawBox(rect, title: "Partition \(partition)", glyphs: glyphs)
        let lines = lines(for: partition, state: state, valueWidth: inner.width - 12)
        for (index, line) in lines.prefix(inner.height).enumerated() {
            let y = inner.y + index
            let end = grid.put(padded(line.label, toWidth: 10), x: inner.x + 1, y: y, role: .dim, limit: inner.maxX)
            grid.putFitted(line.value, x: end, y: y, limit: inner.maxX, role: line.role, glyphs: glyphs)
        }
    }

    struct Line {
        var label: String
        var value: String
        var role: ColorRole
    }

    static func lines(for partition: Int, state: ConsoleState, valueWidth: Int) -> [Line] {
        let view = state.view
        let glyphs = state.glyphs
        let dot = " \(glyphs.separator) "
        let record = view.partitions[partition]
        var lines: [Line] = []
        let epoch = Epoch(rawValue: record.epoch)
        let epochText = "epoch \(record.epoch) (round \(epoch.round), slot \(epoch.slot))"
        if let leader = record.leader {
            let slot = record.leaderSlot.map { "slot \($0)" } ?? "slot ?"
            lines.append(
                Line(
                    label: "leader", value: "\(TextFormatting.shortID(leader))\(dot)\(slot)\(dot)\(epochText)",
                    role: .text))
        } else {
            lines.append(Line(label: "leader", value: "none (no live owner)\(dot)\(epochText)", role: .warn))
        }
        let owners = record.owners.map { slot in
            "s\(slot) " + (view.node(slot: slot).map { TextFormatting.shortID($0.record.id) } ?? "(empty)")
        }
        lines.append(Line(label: "owners", value: owners.isEmpty ? "-" : owners.joined(separator: ", "), role: .text))
        if let handshake = view.handshake(partition: partition) {
            let phase = "\(record.phase)\(dot)acknowledged \(handshake.acknowledged) of \(handshake.required)"
            lines.append(Line(label: "phase", value: phase, role: handshake.acknowledged > 0 ? .acknowledged : .lock))
            let previous = handshake.previousLeader.map(TextFormatting.shortID) ?? "none"
            let moving =
                "\(previous) \(glyphs.arrow) \(TextFormatting.shortID(handshake.newLeader))\(dot)e\(handshake.epoch)"
                + "\(dot)age \(TextFormatting.duration(milliseconds: handshake.ageMilliseconds))"
            lines.append(Line(label: "handshake", value: moving, role: .text))
            let waiting = handshake.waitingFor.map(TextFormatting.shortID).joined(separator: ", ")
            lines.append(Line(label: "waiting", value: waiting.isEmpty ? "nobody (opening)" : waiting, role: .warn))
        } else if record.locked {
            lines.append(Line(label: "phase", value: "\(record.phase) (locked in some view)", role: .lock))
        } else if let opened = state.recentlyOpened[partition] {
            let ago = TextFormatting.duration(milliseconds: state.now - opened)
            lines.append(Line(label: "phase", value: "\(record.phase)\(dot)opened \(ago) ago", role: .ok))
        } else {
            lines.append(Line(label: "phase", value: record.phase, role: record.phase == "open" ? .ok : .warn))
        }
        lines.append(
            Line(
                label: "writes",
                value: writesText(state.traffic.byPartition[partition], state: state, width: valueWidth), role: .text))
        return lines
    }

    /// `120 ok · 4 refused (503)`, followed by both sparklines when `width` leaves room.
    static func writesText(_ series: TrafficSeries?, state: ConsoleState, width: Int) -> String {
        guard let series, series.total > 0 else {
            return state.isDemoLoadOn ? "none yet" : "none (l starts the demo load)"
        }
        let dot = " \(state.glyphs.separator) "
        var text = "\(series.accepted) ok\(dot)\(series.rejected) refused (503)"
        if series.failed > 0 { text += "\(dot)\(series.failed) failed" }
        let sparkWidth = min(16, (width - displayWidth(text) - 11) / 2)
        guard sparkWidth >= 4 else { return text }
        let second = state.now / 1000
        let accepted = series.acceptedHistory(endingAt: second, count: sparkWidth)
        let rejected = series.rejectedHistory(endingAt: second, count: sparkWidth)
        let scale = max(accepted.max() ?? 0, rejected.max() ?? 0)
        func bars(_ values: [UInt32]) -> String {
            String(String.UnicodeScalarView(sparkline(values, levels: state.glyphs.levels, scale: scale)))
        }
        return text + "  ok " + bars(accepted) + " 503 " + bars(rejected)
    }
}
