/// Runs many seeds on a few cores, yielding results as they finish.
public enum SimulationRunner {
    public static func results(
        of seeds: [UInt64], options: SimulationOptions, parallel: Int
    ) -> AsyncStream<SimulationResult> {
        results(of: seeds, parallel: parallel) { Simulation.run(options: options, seed: $0) }
    }

    /// Runs `work` on every input, `parallel` at a time, yielding outputs as they finish.
    public static func results<Input: Sendable, Output: Sendable>(
        of inputs: [Input], parallel: Int, _ work: @escaping @Sendable (Input) -> Output
    ) -> AsyncStream<Output> {
        AsyncStream { continuation in
            let task = Task {
                await withTaskGroup(of: Output.self) { group in
                    var pending = inputs[...]
                    for _ in 0..<max(1, parallel) {
                        guard let input = pending.popFirst() else { break }
                        group.addTask { work(input) }
                    }
                    while let output = await group.next() {
                        continuation.yield(output)
                        if let input = pending.popFirst() {
                            group.addTask { work(input) }
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
