import Foundation
import GridNemesis
import Synchronization
import Testing

/// Short nemesis runs on real `gossipgrid node` processes: every fault, then the checker.
/// Longer runs are `gossipgrid nemesis --runs K --seconds S`.
@Suite("nemesis on real processes", .serialized)
struct NemesisRunTests {
    /// The gossipgrid executable `swift build` put beside the test bundle.
    static var executable: String {
        get throws {
            var candidates: [String] = []
            if let path = Bundle.main.executablePath {
                candidates.append(
                    URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("gossipgrid").path)
            }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            candidates.append(root.appendingPathComponent(".build/debug/gossipgrid").path)
            return try #require(
                candidates.first(where: FileManager.default.isExecutableFile(atPath:)),
                "no gossipgrid executable at \(candidates); run swift build first")
        }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func aShortRunWithEveryFaultKeepsEveryPromise(seed: UInt64) async throws {
        var options = NemesisOptions(executable: try Self.executable)
        options.seed = seed
        options.faultMilliseconds = 15_000
        options.settleMilliseconds = 90_000
        let lines = LineLog()
        options.log = { lines.append($0) }
        let result = try await NemesisRun.run(options)
        let verdict = result.verdict
        let context =
            (result.faults + lines.all + verdict.sharedEpochs + verdict.staleLeaderWrites + verdict.lostWrites)
            .joined(separator: "\n")
        #expect(!result.faults.isEmpty, "no fault was injected")
        #expect(verdict.acknowledged > 0, "no write was acknowledged")
        #expect(verdict.splitBrains == 0, "\(context)")
        #expect(verdict.lostWrites.isEmpty, "\(context)")
        #expect(verdict.phantomWrites.isEmpty, "\(context)")
        #expect(verdict.stuckPartitions.isEmpty, "\(context)")
    }
}

/// Lines a run logs, kept for a failure's message.
final class LineLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
