/// Runs many seeds on a few cores, yielding results as they finish.
public enum SimulationRunner {
    public static func results(
        of seeds: [UInt64], options: SimulationOptions, parallel: Int
    ) -> AsyncStream<SimulationResult> {
        AsyncStream { continuation in
            let task = Task {
                await withTaskGroup(of: SimulationResult.self) { group in
                    var pending = seeds[...]
                    for _ in 0..<max(1, parallel) {
                        guard let seed = pending.popFirst() else { break }
                        group.addTask { Simulation.run(options: options, seed: seed) }
                    }
                    while let result = await group.next() {
                        continuation.yield(result)
                        if let seed = pending.popFirst() {
                            group.addTask { Simulation.run(options: options, seed: seed) }
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
