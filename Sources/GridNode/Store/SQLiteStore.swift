import Foundation
import GRDB
import GridCore
import Synchronization

/// The durable store of a named node: one SQLite database in WAL mode in the data
/// directory, written through GRDB.
public final class SQLiteStore: Store {
    public static let fileName = "gossipgrid.sqlite"

    private let database: Mutex<DatabasePool?>
    private let lock: DataDirectoryLock

    /// Opens (creating if needed) the database in `directory`, which is locked against
    /// every other node until `close()`.
    public init(directory: String) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(directory): \(error)")
        }
        let lock = try DataDirectoryLock(directory: directory)
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                // A write is acknowledged to clients once committed, so it must reach the
                // disk at commit, not at the next checkpoint.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            let pool = try DatabasePool(path: directory + "/" + Self.fileName, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
            self.database = Mutex(pool)
            self.lock = lock
        } catch {
            lock.release()
            throw .io("cannot open the database in \(directory): \(error)")
        }
    }

    public func commit(_ writes: [StoreWrite]) throws(StoreError) {
        guard !writes.isEmpty else { return }
        try perform { pool in
            try pool.write { db in
                for write in writes {
                    switch write {
                    case .metadata(let metadata): try Self.save(metadata, in: db)
                    case .log(let partition, let change): try Self.apply(change, partition: partition, in: db)
                    }
                }
            }
        }
    }

    public func loadMetadata() throws(StoreError) -> NodeMetadata? {
        let encoded = try perform { pool in
            try pool.read { db in try Data.fetchOne(db, sql: "SELECT encoded FROM node_metadata WHERE id = 1") }
        }
        guard let encoded else { return nil }
        do {
            return try WireCodec.decodeMetadata(encoded)
        } catch {
            throw .corrupt("node metadata: \(error)")
        }
    }

    public func loadLogs() throws(StoreError) -> [PartitionID: PartitionLog] {
        try perform { pool in
            try pool.read { db in
                var bases: [PartitionID: LogPosition] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT * FROM partition_bases") {
                    bases[row["partition"] as Int] = LogPosition(
                        epoch: Epoch(rawValue: SQLiteRows.unsigned(row, "epoch")), lsn: SQLiteRows.unsigned(row, "lsn"))
                }
                var baseItems: [PartitionID: [Item]] = [:]
                let items = try Row.fetchCursor(db, sql: "SELECT * FROM base_items")
                while let row = try items.next() {
                    baseItems[row["partition"] as Int, default: []].append(try SQLiteRows.item(row))
                }
                var entries: [PartitionID: [LogEntry]] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM log_entries ORDER BY partition, lsn")
                while let row = try rows.next() {
                    entries[row["partition"] as Int, default: []].append(try SQLiteRows.entry(row))
                }
                var logs: [PartitionID: PartitionLog] = [:]
                for partition in Set(bases.keys).union(entries.keys) {
                    logs[partition] = PartitionLog(
                        base: bases[partition] ?? .start, baseItems: baseItems[partition] ?? [],
                        entries: entries[partition] ?? [])
                }
                return logs.filter { !$0.value.isEmpty }
            }
        }
    }

    public func items(partition: PartitionID, partitionKey: String, rangeKey: String?) throws(StoreError) -> [Item] {
        let items = try perform { pool in
            try pool.read { db in
                var sql = "SELECT * FROM items WHERE partition = ? AND partition_key = ?"
                var arguments: StatementArguments = [partition, SQLiteRows.blob(partitionKey)]
                if let rangeKey {
                    sql += " AND has_range_key = 1 AND range_key = ?"
                    arguments += [SQLiteRows.blob(rangeKey)]
                }
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row throws(StoreError) in
                    try SQLiteRows.item(row)
                }
            }
        }
        // The log's order, not SQLite's byte order, so both stores list items alike.
        return items.sorted { $0.key < $1.key }
    }

    public func close() {
        let pool = database.withLock { database in
            defer { database = nil }
            return database
        }
        guard let pool else { return }
        try? pool.close()
        lock.release()
    }

    /// Runs `body` against the open database, mapping every failure to a `StoreError`.
    private func perform<T>(_ body: (DatabasePool) throws -> T) throws(StoreError) -> T {
        guard let pool = database.withLock({ $0 }) else { throw .closed }
        do {
            return try body(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .io(String(describing: error))
        }
    }

    private static func save(_ metadata: NodeMetadata, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO node_metadata (id, node_id, incarnation, encoded) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    node_id = excluded.node_id, incarnation = excluded.incarnation, encoded = excluded.encoded
                """,
            arguments: [
                metadata.nodeID.description, SQLiteRows.signed(metadata.incarnation), Data(WireCodec.encode(metadata)),
            ])
    }

    /// The same change `PartitionLog.apply` makes in memory: entries, with the items they
    /// change; a compaction, folding entries into `base_items`; or a snapshot's items.
    private static func apply(_ change: LogChange, partition: PartitionID, in db: Database) throws {
        let base = try Self.base(of: partition, in: db)
        let newest = try Int64.fetchOne(
            db, sql: "SELECT MAX(lsn) FROM log_entries WHERE partition = ?", arguments: [partition])
        let last = max(base.lsn, UInt64(bitPattern: newest ?? 0))
        try LogContinuity.check(change, partition: partition, base: base.lsn, last: last)
        switch change {
        case .entries(let after, let entries):
            if after < base.lsn { try clear(partition: partition, in: db) }
            let truncates = after < last && after >= base.lsn
            if truncates {
                try db.execute(
                    sql: "DELETE FROM log_entries WHERE partition = ? AND lsn > ?",
                    arguments: [partition, SQLiteRows.signed(after)])
            }
            for entry in entries { try insert(entry, partition: partition, in: db) }
            if truncates {
                try rebuildItems(partition: partition, in: db)
            } else {
                for entry in entries { try apply(entry, partition: partition, to: "items", in: db) }
            }
        case .compaction(let through):
            let folded = try Row.fetchAll(
                db, sql: "SELECT * FROM log_entries WHERE partition = ? AND lsn <= ? ORDER BY lsn",
                arguments: [partition, SQLiteRows.signed(through.lsn)])
            for row in folded { try apply(try SQLiteRows.entry(row), partition: partition, to: "base_items", in: db) }
            try db.execute(
                sql: "DELETE FROM log_entries WHERE partition = ? AND lsn <= ?",
                arguments: [partition, SQLiteRows.signed(through.lsn)])
            try setBase(through, partition: partition, in: db)
        case .snapshot(let snapshot):
            try clear(partition: partition, in: db)
            for item in snapshot.items {
                for table in ["items", "base_items"] {
                    try put(
                        item.key, item.value, epoch: item.epoch, lsn: item.lsn, hlc: item.hlc, partition: partition,
                        into: table, in: db)
                }
            }
            try setBase(snapshot.position, partition: partition, in: db)
        }
    }

    private static func base(of partition: PartitionID, in db: Database) throws -> LogPosition {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM partition_bases WHERE partition = ?", arguments: [partition])
        else { return .start }
        return LogPosition(
            epoch: Epoch(rawValue: SQLiteRows.unsigned(row, "epoch")), lsn: SQLiteRows.unsigned(row, "lsn"))
    }

    private static func setBase(_ position: LogPosition, partition: PartitionID, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO partition_bases (partition, epoch, lsn) VALUES (?, ?, ?)",
            arguments: [partition, SQLiteRows.signed(position.epoch.rawValue), SQLiteRows.signed(position.lsn)])
    }

    private static func clear(partition: PartitionID, in db: Database) throws {
        for table in ["log_entries", "items", "base_items", "partition_bases"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE partition = ?", arguments: [partition])
        }
    }

    private static func insert(_ entry: LogEntry, partition: PartitionID, in db: Database) throws {
        let operation = SQLiteRows.operation(entry.mutation)
        try db.execute(
            sql: """
                INSERT INTO log_entries
                    (partition, lsn, epoch, partition_key, range_key, operation, value, hlc_wall, hlc_counter)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                partition, SQLiteRows.signed(entry.lsn), SQLiteRows.signed(entry.epoch.rawValue),
                SQLiteRows.blob(entry.key.partitionKey), entry.key.rangeKey.map(SQLiteRows.blob), operation.name,
                operation.value, SQLiteRows.signed(entry.hlc.wallMilliseconds), Int64(entry.hlc.counter),
            ])
    }

    /// The item change one entry makes, exactly as `PartitionLog` makes it in memory, to
    /// `items` (the items at the log's end) or `base_items` (at its base).
    private static func apply(_ entry: LogEntry, partition: PartitionID, to table: String, in db: Database) throws {
        let key = entry.key
        let rangeKey = SQLiteRows.blob(key.rangeKey ?? "")
        let hasRangeKey = key.rangeKey == nil ? 0 : 1
        switch entry.mutation {
        case .put(let value):
            try put(
                key, value, epoch: entry.epoch, lsn: entry.lsn, hlc: entry.hlc, partition: partition, into: table,
                in: db)
        case .delete:
            try db.execute(
                sql: """
                    DELETE FROM \(table)
                    WHERE partition = ? AND partition_key = ? AND has_range_key = ? AND range_key = ?
                    """,
                arguments: [partition, SQLiteRows.blob(key.partitionKey), hasRangeKey, rangeKey])
        case .deleteAll:
            try db.execute(
                sql: "DELETE FROM \(table) WHERE partition = ? AND partition_key = ?",
                arguments: [partition, SQLiteRows.blob(key.partitionKey)])
        }
    }

    private static func put(
        _ key: ItemKey, _ value: String, epoch: Epoch, lsn: LSN, hlc: HybridTimestamp, partition: PartitionID,
        into table: String, in db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO \(table)
                    (partition, partition_key, has_range_key, range_key, value, epoch, lsn, hlc_wall, hlc_counter)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                partition, SQLiteRows.blob(key.partitionKey), key.rangeKey == nil ? 0 : 1,
                SQLiteRows.blob(key.rangeKey ?? ""), SQLiteRows.blob(value), SQLiteRows.signed(epoch.rawValue),
                SQLiteRows.signed(lsn), SQLiteRows.signed(hlc.wallMilliseconds), Int64(hlc.counter),
            ])
    }

    /// After a suffix of the log was replaced (rare: a deposed leader's unacknowledged
    /// tail), the partition's items are the base's items with what the log still holds
    /// replayed on top.
    private static func rebuildItems(partition: PartitionID, in db: Database) throws {
        try db.execute(sql: "DELETE FROM items WHERE partition = ?", arguments: [partition])
        try db.execute(
            sql: "INSERT INTO items SELECT * FROM base_items WHERE partition = ?", arguments: [partition])
        let rows = try Row.fetchCursor(
            db, sql: "SELECT * FROM log_entries WHERE partition = ? ORDER BY lsn", arguments: [partition])
        while let row = try rows.next() {
            try apply(try SQLiteRows.entry(row), partition: partition, to: "items", in: db)
        }
    }
}
