import GRDB

/// The tables of a node's database.
///
/// Keys and values are BLOBs of UTF-8: SQLite text read back through C strings would cut a
/// key at its first NUL, and a key must come back exactly as it was written. The partition
/// key and the range key are separate columns, never joined (the seed joined them with `_`
/// and split them wrongly). Unsigned 64-bit numbers are stored by bit pattern.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE node_metadata (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        node_id TEXT NOT NULL,
                        incarnation INTEGER NOT NULL,
                        encoded BLOB NOT NULL
                    );
                    CREATE TABLE log_entries (
                        partition INTEGER NOT NULL,
                        lsn INTEGER NOT NULL,
                        epoch INTEGER NOT NULL,
                        partition_key BLOB NOT NULL,
                        range_key BLOB,
                        operation TEXT NOT NULL CHECK (operation IN ('put', 'delete', 'delete_all')),
                        value BLOB,
                        hlc_wall INTEGER NOT NULL,
                        hlc_counter INTEGER NOT NULL,
                        PRIMARY KEY (partition, lsn)
                    ) WITHOUT ROWID;
                    CREATE TABLE items (
                        partition INTEGER NOT NULL,
                        partition_key BLOB NOT NULL,
                        has_range_key INTEGER NOT NULL,
                        range_key BLOB NOT NULL,
                        value BLOB NOT NULL,
                        epoch INTEGER NOT NULL,
                        lsn INTEGER NOT NULL,
                        hlc_wall INTEGER NOT NULL,
                        hlc_counter INTEGER NOT NULL,
                        PRIMARY KEY (partition, partition_key, has_range_key, range_key)
                    ) WITHOUT ROWID;
                    """)
        }
        // Log compaction: each partition's log starts after its base, and `base_items` holds
        // the items at the base, which a replaced suffix is rebuilt from.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE partition_bases (
                        partition INTEGER PRIMARY KEY,
                        epoch INTEGER NOT NULL,
                        lsn INTEGER NOT NULL
                    );
                    CREATE TABLE base_items (
                        partition INTEGER NOT NULL,
                        partition_key BLOB NOT NULL,
                        has_range_key INTEGER NOT NULL,
                        range_key BLOB NOT NULL,
                        value BLOB NOT NULL,
                        epoch INTEGER NOT NULL,
                        lsn INTEGER NOT NULL,
                        hlc_wall INTEGER NOT NULL,
                        hlc_counter INTEGER NOT NULL,
                        PRIMARY KEY (partition, partition_key, has_range_key, range_key)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
