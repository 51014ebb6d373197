/// What the client's history and the final reads say about the cluster's promises.
///
/// Pure: the history, what each key read back as once the faults had stopped, and the
/// partitions still locked then. `NemesisRun` gathers them; tests feed it by hand.
public struct HistoryVerdict: Hashable, Sendable {
    /// Partitions at one epoch whose writes more than one node acknowledged.
    public var sharedEpochs: [String] = []
    /// Writes a leader acknowledged although the client had, before sending them, already
    /// seen the same partition acknowledge a write at a higher epoch: an old leader writing
    /// after a new one opened.
    public var staleLeaderWrites: [String] = []
    /// Acknowledged writes missing (or holding another value) after the faults stopped.
    public var lostWrites: [String] = []
    /// Refused writes (a definite 503) that were applied after all.
    public var phantomWrites: [String] = []
    public var stuckPartitions: [Int] = []
    public var acknowledged = 0
    public var attempted = 0

    /// Both kinds of two writers at once.
    public var splitBrains: Int { sharedEpochs.count + staleLeaderWrites.count }

    public var availability: Double { attempted == 0 ? 0 : Double(acknowledged) / Double(attempted) }

    public var passed: Bool {
        splitBrains == 0 && lostWrites.isEmpty && phantomWrites.isEmpty && stuckPartitions.isEmpty
    }
}

public enum HistoryChecker {
    public static func verdict(
        of history: [ClientOperation], finalValues: [String: String?], stuckPartitions: [Int]
    ) -> HistoryVerdict {
        var verdict = HistoryVerdict()
        verdict.attempted = history.count
        verdict.stuckPartitions = stuckPartitions.sorted()
        var writers: [String: Set<String>] = [:]
        var acknowledgments: [Int: [(epoch: UInt64, operation: ClientOperation)]] = [:]
        for operation in history {
            switch operation.outcome {
            case .acknowledged(let partition, let epoch, let node):
                verdict.acknowledged += 1
                writers["p\(partition)@e\(epoch)", default: []].insert(node)
                acknowledgments[partition, default: []].append((epoch, operation))
                if finalValues[operation.key] != .some(operation.value) {
                    verdict.lostWrites.append("\(operation.key) (p\(partition) e\(epoch) by \(node))")
                }
            case .refused:
                if case .some(.some) = finalValues[operation.key] { verdict.phantomWrites.append(operation.key) }
            case .indeterminate:
                break
            }
        }
        verdict.sharedEpochs = writers.filter { $0.value.count > 1 }
            .map { "\($0.key) by \($0.value.sorted().joined(separator: ", "))" }.sorted()
        for (partition, acknowledged) in acknowledgments {
            verdict.staleLeaderWrites += staleWrites(in: acknowledged).map { "\($0) (p\(partition))" }
        }
        verdict.lostWrites.sort()
        verdict.phantomWrites.sort()
        verdict.staleLeaderWrites.sort()
        return verdict
    }

    /// Writes at an epoch below one whose acknowledgment the client had received before it
    /// sent them: sorted by completion with a running maximum of the epoch, each write
    /// looks up what had completed before it was sent.
    static func staleWrites(in acknowledged: [(epoch: UInt64, operation: ClientOperation)]) -> [String] {
        let byCompletion = acknowledged.sorted { $0.operation.completed < $1.operation.completed }
        var highestSoFar: [UInt64] = []
        for write in byCompletion { highestSoFar.append(max(highestSoFar.last ?? 0, write.epoch)) }
        var stale: [String] = []
        for write in acknowledged {
            var low = 0
            var high = byCompletion.count
            while low < high {
                let middle = (low + high) / 2
                if byCompletion[middle].operation.completed < write.operation.invoked {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            guard low > 0, highestSoFar[low - 1] > write.epoch else { continue }
            stale.append("\(write.operation.key) at e\(write.epoch) after e\(highestSoFar[low - 1])")
        }
        return stale
    }
}
