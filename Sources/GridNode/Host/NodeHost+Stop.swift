import GridCore

/// Stopping: gracefully (answer, flush, close) or as a crash (close, persist nothing more).
extension NodeHost {
    /// Stops the node and returns once its sockets are closed. Calling it again, or while
    /// a stop runs, waits for that stop; a crash overtakes a graceful stop in progress.
    public func stop(mode: StopMode) async {
        switch lifecycle {
        case .running:
            if mode == .graceful {
                lifecycle = .draining
                await drain()
                guard case .draining = lifecycle else {
                    _ = await waitUntilStopped()
                    return
                }
                flushMetadata()
            }
            halt(mode)
            await shutDown(mode)
        case .draining where mode == .crash:
            halt(.crash)
            await shutDown(.crash)
        case .draining, .halted, .stopped:
            _ = await waitUntilStopped()
        }
    }

    /// Returns how the node stopped, once it has.
    public func waitUntilStopped() async -> StopMode {
        if case .stopped(let mode) = lifecycle { return mode }
        return await withCheckedContinuation { stopWaiters.append($0) }
    }

    /// Waits until every request in flight is answered, for at most the core's request
    /// timeout: the core keeps running meanwhile, so replication and forwarding finish.
    private func drain() async {
        guard !waiters.isEmpty else { return }
        drainDeadline = clock.now() + core.settings.requestTimeout + 500
        await withCheckedContinuation { drainWaiter = $0 }
    }

    /// Makes the core's metadata durable once more, in case no input since the last
    /// change drained it (a node stopped right after it started, say).
    private func flushMetadata() {
        guard core.durable else { return }
        do {
            try store.saveMetadata(core.metadata)
        } catch {
            logger.error("could not save metadata on the way out", metadata: ["error": "\(error)"])
        }
    }

    func finishDrain() {
        drainDeadline = nil
        drainWaiter?.resume()
        drainWaiter = nil
    }

    /// From here on no effect runs, so nothing more is sent or persisted.
    func halt(_ mode: StopMode) {
        lifecycle = .halted(mode)
        for loop in loops { loop.cancel() }
        inbox.finish()
        waiters.failAll(reason: "node \(id.short) stopped before answering")
        finishDrain()
        broadcaster.finish()
    }

    func shutDown(_ mode: StopMode) async {
        let started = clock.now()
        await io.close(mode, logger: logger)
        logger.debug("sockets closed", metadata: ["ms": "\(clock.now() - started)"])
        if ownsStore { store.close() }
        lifecycle = .stopped(mode)
        let waiting = stopWaiters
        stopWaiters = []
        for waiter in waiting { waiter.resume(returning: mode) }
        logger.info("node stopped", metadata: ["mode": "\(mode.rawValue)"])
    }
}
