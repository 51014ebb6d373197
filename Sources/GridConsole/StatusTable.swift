import Foundation
import GridCore

/// The cluster as plain text for a pipe or a script: `gossipgrid status`, and the console
/// when stdout is not a terminal. ASCII only, columns aligned, full node ids.
public enum StatusTable {
    public static func render(_ snapshot: ClusterSnapshot, source: ClusterSourceKind? = nil) -> String {
        let view = ClusterView(snapshot)
        var out = ""
        if let cluster = view.cluster {
            var facts = [
                "cluster \(cluster.name)", "size \(cluster.size)", "partitions \(cluster.partitions)",
                "replication \(cluster.replication)", "config v\(cluster.configVersion)",
            ]
            if let source { facts.append(source.label) }
            out += facts.joined(separator: "  ") + "\n"
        } else {
            out += "no node answered" + (source.map { " (\($0.label))" } ?? "") + "\n"
        }
        let locked = view.lockedPartitions
        if view.handshakes.isEmpty && locked.isEmpty {
            out += "handshakes: none, all partitions open\n"
        } else {
            out +=
                "handshakes: \(view.handshakes.count) running, locked partitions: "
                + TextFormatting.compressedRanges(locked) + "\n"
        }
        if !view.unreachable.isEmpty { out += "unreachable: \(view.unreachable.sorted().joined(separator: ", "))\n" }
        if !view.laggingViews.isEmpty {
            out +=
                "on another config version: \(view.laggingViews.map(TextFormatting.shortID).joined(separator: ", "))\n"
        }

        out += "\n"
        var nodeRows = [["SLOT", "ID", "STATE", "HLC", "LEAD", "LOCKED", "ITEMS", "HEARD"]]
        for node in view.nodes {
            let record = node.record
            nodeRows.append([
                String(record.slot), record.id, NodeStateCode(state: record.state, reachable: node.reachable).code,
                record.hlc, String(record.leading.count), TextFormatting.compressedRanges(record.lockedPartitions),
                node.items.map(String.init) ?? "?", TextFormatting.duration(milliseconds: record.lastHeardMilliseconds),
            ])
        }
        out += table(nodeRows, rightAligned: [4, 6])

        if !view.handshakes.isEmpty {
            out += "\n"
            var rows = [["PARTITION", "EPOCH", "FROM", "TO", "ACKNOWLEDGED", "WAITING FOR", "AGE"]]
            for handshake in view.handshakes {
                rows.append([
                    "p\(handshake.partition)", String(handshake.epoch),
                    handshake.previousLeader.map(TextFormatting.shortID) ?? "-",
                    TextFormatting.shortID(handshake.newLeader),
                    "\(handshake.acknowledged) of \(handshake.required)",
                    handshake.waitingFor.isEmpty
                        ? "-" : handshake.waitingFor.map(TextFormatting.shortID).joined(separator: ","),
                    TextFormatting.duration(milliseconds: handshake.ageMilliseconds),
                ])
            }
            out += table(rows, rightAligned: [])
        }

        if view.partitionCount > 0 {
            out += "\n"
            var bySlot: [Int: [Int]] = [:]
            var unled: [Int] = []
            for partition in view.partitions {
                if let slot = partition.leaderSlot {
                    bySlot[slot, default: []].append(partition.id)
                } else {
                    unled.append(partition.id)
                }
            }
            var rows = [["LEADER", "SLOT", "PARTITIONS"]]
            for slot in bySlot.keys.sorted() {
                let id = view.node(slot: slot).map { TextFormatting.shortID($0.record.id) } ?? "?"
                rows.append([id, String(slot), TextFormatting.compressedRanges(bySlot[slot] ?? [])])
            }
            if !unled.isEmpty { rows.append(["none", "-", TextFormatting.compressedRanges(unled)]) }
            out += table(rows, rightAligned: [])
        }
        return out
    }

    public static func render(_ status: ClusterStatus, source: ClusterSourceKind? = nil) -> String {
        render(ClusterSnapshot(statuses: [status.node.id: status]), source: source)
    }

    /// Every reachable node's status, by slot, and the unreachable ones, as JSON.
    public static func json(_ snapshot: ClusterSnapshot) -> String {
        struct Document: Encodable {
            var statuses: [ClusterStatus]
            var unreachable: [String]
        }
        let document = Document(
            statuses: snapshot.statuses.values.sorted { ($0.node.slot, $0.node.id) < ($1.node.slot, $1.node.id) },
            unreachable: snapshot.unreachable.sorted())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Left-aligned columns (right-aligned where asked) two spaces apart.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columnCount = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columnCount)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], displayWidth(cell)) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                let isLast = column == row.count - 1
                let text =
                    isLast && !rightAligned.contains(column)
                    ? cell : padded(cell, toWidth: widths[column], alignRight: rightAligned.contains(column))
                line += text + (isLast ? "" : "  ")
            }
            out += line + "\n"
        }
        return out
    }
}
