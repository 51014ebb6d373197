import Foundation
import GRDB
import GridCore

/// Conversions between rows and GridCore values.
enum SQLiteRows {
    static func blob(_ text: String) -> Data { Data(text.utf8) }

    static func text(_ row: Row, _ column: String) throws(StoreError) -> String {
        guard let data = row[column] as Data? else { throw .corrupt("\(column) is missing") }
        return try decode(data, column)
    }

    static func optionalText(_ row: Row, _ column: String) throws(StoreError) -> String? {
        guard let data = row[column] as Data? else { return nil }
        return try decode(data, column)
    }

    static func unsigned(_ row: Row, _ column: String) -> UInt64 {
        UInt64(bitPattern: row[column] as Int64? ?? 0)
    }

    static func signed(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }

    static func operation(_ mutation: Mutation) -> (name: String, value: Data?) {
        switch mutation {
        case .put(let value): ("put", blob(value))
        case .delete: ("delete", nil)
        case .deleteAll: ("delete_all", nil)
        }
    }

    static func entry(_ row: Row) throws(StoreError) -> LogEntry {
        let mutation: Mutation
        switch row["operation"] as String? {
        case "put": mutation = .put(try text(row, "value"))
        case "delete": mutation = .delete
        case "delete_all": mutation = .deleteAll
        case let other: throw .corrupt("unknown operation \(other ?? "NULL")")
        }
        return LogEntry(
            epoch: Epoch(rawValue: unsigned(row, "epoch")), lsn: unsigned(row, "lsn"),
            key: ItemKey(partitionKey: try text(row, "partition_key"), rangeKey: try optionalText(row, "range_key")),
            mutation: mutation, hlc: hlc(row))
    }

    static func item(_ row: Row) throws(StoreError) -> Item {
        let hasRangeKey = (row["has_range_key"] as Int64? ?? 0) != 0
        return Item(
            key: ItemKey(
                partitionKey: try text(row, "partition_key"), rangeKey: hasRangeKey ? try text(row, "range_key") : nil),
            value: try text(row, "value"), epoch: Epoch(rawValue: unsigned(row, "epoch")), lsn: unsigned(row, "lsn"),
            hlc: hlc(row))
    }

    private static func hlc(_ row: Row) -> HybridTimestamp {
        HybridTimestamp(
            wallMilliseconds: unsigned(row, "hlc_wall"),
            counter: UInt32(truncatingIfNeeded: row["hlc_counter"] as Int64? ?? 0))
    }

    private static func decode(_ data: Data, _ column: String) throws(StoreError) -> String {
        guard let text = String(validating: data, as: UTF8.self) else { throw .corrupt("\(column) is not UTF-8") }
        return text
    }
}
