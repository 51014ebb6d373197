import Foundation
import GridConsole
import GridCore
import Testing

@Suite("Status table")
struct StatusTableTests {
    @Test("the plain table has the cluster line, aligned node rows, handshakes and leaders")
    func table() {
        let text = StatusTable.render(Fixtures.handshakeSnapshot(), source: .embedded)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "cluster demo  size 3  partitions 16  replication 2  config v2  embedded")
        #expect(lines[1] == "handshakes: 4 running, locked partitions: 3,7-9")
        #expect(lines.contains("SLOT  ID                STATE  HLC              LEAD  LOCKED  ITEMS  HEARD"))
        #expect(lines.contains("2     e5e5e5e5f6f6f6f6  UP     1732370000123.2     0  3,7-9       0  150ms"))
        #expect(lines.contains("p3         2050   c3c3c3c3  e5e5e5e5  1 of 2        a1a1a1a1           1.4s"))
        #expect(lines.contains("a1a1a1a1  0     0,2,4,6,10,12,14"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.hasSuffix("\n"))
    }

    @Test("a settled cluster says every partition is open; one status renders alone")
    func settled() {
        let text = StatusTable.render(Fixtures.settledSnapshot())
        #expect(text.contains("handshakes: none, all partitions open\n"))
        #expect(!text.contains("PARTITION  EPOCH"))
        let single = StatusTable.render(Fixtures.status(of: 1, items: 7))
        #expect(single.contains("1     c3c3c3c3d4d4d4d4  UP"))
        #expect(single.contains("  7  150ms"))
        #expect(single.contains("0     a1a1a1a1b2b2b2b2  UP?"))
    }

    @Test("with nobody answering it says so")
    func nobody() {
        let text = StatusTable.render(
            ClusterSnapshot(unreachable: ["127.0.0.1:8000"]), source: .remote(addresses: ["127.0.0.1:8000"]))
        #expect(text.hasPrefix("no node answered (remote 127.0.0.1:8000)\n"))
        #expect(text.contains("unreachable: 127.0.0.1:8000"))
    }

    @Test("JSON carries every status in snake_case, by slot")
    func json() throws {
        let text = StatusTable.json(Fixtures.handshakeSnapshot())
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let statuses = try #require(object?["statuses"] as? [[String: Any]])
        #expect(statuses.count == 3)
        #expect((statuses[0]["node"] as? [String: Any])?["id"] as? String == Fixtures.n0)
        #expect(text.contains("\"locked_partitions\""))
    }
}
