import GridCore
import Testing

@testable import GridNode

/// What only the durable store promises.
@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test func aDataDirectoryServesOneNodeAtATime() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = try SQLiteStore(directory: directory.path)
        #expect(throws: StoreError.locked(path: directory.path)) { _ = try SQLiteStore(directory: directory.path) }
        first.close()
        let second = try SQLiteStore(directory: directory.path)
        second.close()
    }
}
