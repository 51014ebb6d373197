/// The simulated network between nodes: latency, loss, duplication and cut links.
struct NetworkConditions {
    var baseDelay: ClosedRange<Int64> = 1...4
    /// Added on top of the base delay while a delay fault runs; spread wide enough to reorder.
    var extraDelay: Int64 = 0
    var lossProbability = 0.0
    var duplicationProbability = 0.0
    /// Directed links that drop everything: `blocked.contains([from, to])`.
    var blocked: Set<[Int]> = []

    /// The delays at which copies of one message arrive: none when lost or cut, two when duplicated.
    func deliveries(from: Int, to: Int, random: inout SeededRandom) -> [Int64] {
        if blocked.contains([from, to]) || random.chance(lossProbability) { return [] }
        var delays = [delay(random: &random)]
        if random.chance(duplicationProbability) { delays.append(delay(random: &random)) }
        return delays
    }

    private func delay(random: inout SeededRandom) -> Int64 {
        Int64.random(in: baseDelay, using: &random)
            + (extraDelay > 0 ? Int64.random(in: 0...extraDelay, using: &random) : 0)
    }

    var isHealthy: Bool { extraDelay == 0 && lossProbability == 0 && duplicationProbability == 0 && blocked.isEmpty }
}
