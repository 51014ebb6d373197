import GridCore
import Logging

/// Executing what the core asks for, strictly in order.
extension NodeHost {
    /// Consecutive persist effects are committed as one transaction, always before the
    /// next effect that leaves the node: nothing is sent or answered before what precedes
    /// it is durable.
    func execute(_ effects: [Effect]) {
        var writes: [StoreWrite] = []
        for effect in effects {
            guard executesEffects else { return }
            switch effect {
            case .persistMetadata(let metadata):
                writes.append(.metadata(metadata))
            case .persistLog(let partition, let change):
                writes.append(.log(partition: partition, change))
            case .send(let message, let destination):
                guard persist(&writes) else { return }
                send(message, to: destination)
            case .respond(let requestID, let response):
                guard persist(&writes) else { return }
                respond(requestID, response)
            case .event(let event):
                guard persist(&writes) else { return }
                publish(event)
            }
        }
        _ = persist(&writes)
    }

    private func persist(_ writes: inout [StoreWrite]) -> Bool {
        guard !writes.isEmpty else { return true }
        defer { writes = [] }
        do {
            try store.commit(writes)
            return true
        } catch {
            // Memory would run ahead of what a restart recovers; stop as a crash would.
            logger.critical("storage failed; stopping the node", metadata: ["error": "\(error)"])
            halt(.crash)
            Task { await self.shutDown(.crash) }
            return false
        }
    }

    private func send(_ message: PeerMessage, to destination: Destination) {
        let address: String
        switch destination {
        case .node(let node):
            guard let record = core.records[node], !record.gossipAddress.isEmpty else {
                metrics.failedSend(.unknownNode)
                return
            }
            address = record.gossipAddress
        case .address(let text):
            address = text
        }
        guard let socketAddress = io.resolver.resolve(address) else {
            metrics.failedSend(.badAddress)
            logger.warning("cannot resolve a peer address", metadata: ["address": "\(address)"])
            return
        }
        let payload = WireCodec.encode(message)
        guard payload.count <= WireCodec.byteLimit(for: message) else {
            metrics.failedSend(.tooLarge)
            logger.warning("a peer message is over the wire limit", metadata: ["bytes": "\(payload.count)"])
            return
        }
        let packet = io.codec.seal(payload, from: id)
        if message.travelsOnStream {
            io.links.send(FrameDecoder.frame(packet), to: destination, address: socketAddress)
        } else {
            metrics.sent(packet.count, on: .gossip)
            io.sockets.gossip.send(packet, to: socketAddress)
        }
    }

    private func respond(_ requestID: UInt64, _ response: ClientResponse) {
        guard let waiter = waiters.resume(requestID, with: response) else { return }
        if waiter.isWrite, case .failed(let failure) = response {
            switch failure {
            case .locked: metrics.rejected(.locked)
            case .unavailable: metrics.rejected(.unavailable)
            default: break
            }
        }
        if waiters.isEmpty { finishDrain() }
    }

    private func publish(_ event: GridEvent) {
        metrics.observe(event)
        if let partition = event.partition {
            let now = clock.now()
            switch event.kind {
            case .locked:
                lockStarts[partition] = now
            case .opened, .forcedOpen:
                if let start = lockStarts.removeValue(forKey: partition) {
                    metrics.handshakeCompleted(afterMilliseconds: now - start)
                }
            case .abandoned:
                lockStarts[partition] = nil
            default:
                break
            }
        }
        let level: Logger.Level = event.kind == .writeRejected ? .debug : .info
        logger.log(level: level, "\(event)")
        let wall = MonotonicClock.wall()
        broadcaster.publish { NodeEvent(event: event, wallMilliseconds: wall, sequence: $0) }
    }
}
