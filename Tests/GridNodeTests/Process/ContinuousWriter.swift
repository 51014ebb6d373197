import Foundation
import Synchronization
import Testing

/// Writes unique keys through the live nodes, one after another, for as long as a scenario
/// runs, and keeps every answer: the evidence for "no acknowledged write is lost and no two
/// nodes acknowledged writes for one partition at one epoch".
final class ContinuousWriter: Sendable {
    struct Acknowledged: Sendable {
        var key: String
        var value: String
        var partition: Int
        var epoch: UInt64
        var node: String
    }

    private struct State {
        var targets: [NodeProcess]
        var acknowledged: [Acknowledged] = []
        var refused = 0
        var unknown = 0
    }

    private let state: Mutex<State>
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(through targets: [NodeProcess]) {
        state = Mutex(State(targets: targets))
    }

    /// Changes which nodes take the writes (a killed node is left out, a new one added).
    func write(through targets: [NodeProcess]) { state.withLock { $0.targets = targets } }

    var acknowledgedCount: Int { state.withLock { $0.acknowledged.count } }

    func start() {
        let writing = Task { [self] in
            var number = 0
            while !Task.isCancelled {
                number += 1
                let targets = state.withLock { $0.targets }
                guard !targets.isEmpty else {
                    try? await Task.sleep(for: .milliseconds(20))
                    continue
                }
                let node = targets[number % targets.count]
                await write(number: number, via: node)
            }
        }
        task.withLock { $0 = writing }
    }

    private func write(number: Int, via node: NodeProcess) async {
        let key = "cw-\(number)"
        let value = "v\(number)"
        let reply = try? await HTTPTestClient.post(
            "\(node.baseURL)/items", #"{"partition_key":"\#(key)","range_key":"r","message":"\#(value)"}"#)
        state.withLock { state in
            guard let reply else { return state.unknown += 1 }
            let json = reply.json
            if reply.status == 200, let partition = json["partition"] as? Int, let epoch = json["epoch"] as? Int,
                let by = json["node"] as? String
            {
                state.acknowledged.append(
                    Acknowledged(key: key, value: value, partition: partition, epoch: UInt64(epoch), node: by))
            } else if reply.status == 503 {
                state.refused += 1
            } else {
                state.unknown += 1
            }
        }
        // Refusals come back at once; pacing keeps the writer from drowning a 2-core machine.
        try? await Task.sleep(for: .milliseconds(20))
    }

    /// Stops writing, then checks both promises against the nodes in `readers`.
    func stopAndVerify(readers: [NodeProcess]) async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
        let acknowledged = state.withLock { $0.acknowledged }
        #expect(!acknowledged.isEmpty, "the writer got no write acknowledged at all")

        let writers = Dictionary(grouping: acknowledged) { "\($0.partition)/\($0.epoch)" }
            .mapValues { Set($0.map(\.node)) }
        for (slot, nodes) in writers where nodes.count > 1 {
            Issue.record("partition/epoch \(slot) was acknowledged by \(nodes.sorted())")
        }

        var missing = acknowledged
        let found = await eventually(timeout: .seconds(60), interval: .milliseconds(200)) {
            var stillMissing: [Acknowledged] = []
            for (index, write) in missing.enumerated() {
                let reader = readers[index % readers.count]
                let reply = try? await HTTPTestClient.get("\(reader.baseURL)/items/\(write.key)/r")
                let items = reply?.json["items"] as? [[String: Any]]
                if items?.first?["message"] as? String != write.value { stillMissing.append(write) }
            }
            missing = stillMissing
            return missing.isEmpty
        }
        #expect(
            found,
            "acknowledged writes not readable: \(missing.prefix(5).map { "\($0.key)@p\($0.partition)e\($0.epoch)" })")
    }
}
