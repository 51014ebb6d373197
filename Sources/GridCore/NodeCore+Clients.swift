/// Client requests: routing, reads, writes, forwarding, resizes and their timeouts.
extension NodeCore {
    public func routingFacts(
        for kind: RequestKind, partition: PartitionID, forwarded: Bool, at instant: Instant? = nil
    ) -> RoutingFacts {
        let expected = expectedLeader(of: partition)
        let serving =
            kind == .read
            ? records.values.filter { $0.isLive && $0.id != id && $0.leading[partition] != nil }
                .max { ($0.leading[partition]!, $1.id) < ($1.leading[partition]!, $0.id) } : nil
        let owners = kind == .read ? placement.owners(of: partition).compactMap(holder(of:)) : []
        let lockedByExpected =
            expected.map { $0.id != id && $0.lockedPartitions[partition]?.leader == $0.id } ?? false
        return RoutingFacts(
            kind: kind,
            lockedLocally: me.lockedPartitions[partition] != nil || delayedAcknowledgments[partition] != nil,
            lockedByExpectedLeader: lockedByExpected,
            leadsOpen: me.leading[partition] != nil,
            hasWriteLease: hasWriteLease(at: instant ?? now),
            expectedLeader: expected.map(\.id).flatMap { $0 == id ? nil : $0 },
            servingLeader: serving?.id,
            isOwner: owners.contains { $0.id == id },
            otherOwner: owners.first { $0.id != id }?.id,
            forwarded: forwarded,
            retryAfterMilliseconds: Int(settings.retransmitInterval * 2 + settings.acknowledgmentDelay))
    }

    /// True while this node has heard, within one lease, from a majority of slots
    /// answering its own probes. Under `.seed` fencing there is no lease.
    public func hasWriteLease(at instant: Instant) -> Bool {
        guard settings.fencing == .lease else { return true }
        var heard = ownSlotIsHeld ? 1 : 0
        for (_, holder) in slotHolders where holder != id {
            if let echo = echoes[holder], instant - echo < settings.leaseDuration { heard += 1 }
        }
        return heard >= config.slotMajority
    }

    /// Whether this node would apply a write to `partition` at `instant` of its clock:
    /// the split-brain checker's question.
    public func acceptsWrites(to partition: PartitionID, at instant: Instant) -> Bool {
        guard me.leading[partition] != nil else { return false }
        let facts = routingFacts(for: .write, partition: partition, forwarded: false, at: max(now, instant))
        return decideRouting(facts) == .local
    }

    mutating func handle(_ request: ClientRequest, from requester: Requester, forwarded: Bool) {
        switch request {
        case .resize(let size, let expectedVersion):
            handleResize(size: size, expectedVersion: expectedVersion, from: requester, forwarded: forwarded)
        case .write(let key, let mutation):
            guard let partition = validPartition(for: key.partitionKey, requester: requester) else { return }
            switch decideRouting(routingFacts(for: .write, partition: partition, forwarded: forwarded)) {
            case .local: appendAsLeader(partition, key: key, mutation: mutation, requester: requester)
            case .forward(let leader):
                forward(request, to: leader, partition: partition, isWrite: true, requester: requester)
            case .locked(let retryAfter):
                respond(to: requester, with: .failed(.locked(partition: partition, retryAfterMilliseconds: retryAfter)))
            case .unavailable(let reason, let leader):
                respond(
                    to: requester, with: .failed(.unavailable(partition: partition, reason: reason, leader: leader)))
            }
        case .read(let partitionKey, let rangeKey):
            guard let partition = validPartition(for: partitionKey, requester: requester) else { return }
            switch decideRouting(routingFacts(for: .read, partition: partition, forwarded: forwarded)) {
            case .local:
                let items = logs[partition]?.items(partitionKey: partitionKey, rangeKey: rangeKey) ?? []
                let result = ReadResult(
                    partition: partition, node: id, epoch: me.leading[partition] ?? highestKnownEpoch(of: partition),
                    items: items)
                respond(to: requester, with: .read(result))
            case .forward(let node):
                forward(request, to: node, partition: partition, isWrite: false, requester: requester)
            case .locked, .unavailable:
                respond(
                    to: requester,
                    with: .failed(
                        .unavailable(partition: partition, reason: "no live replica of this partition", leader: nil)))
            }
        }
    }

    mutating func validPartition(for partitionKey: String, requester: Requester) -> PartitionID? {
        guard !partitionKey.isEmpty else {
            respond(to: requester, with: .failed(.invalid(reason: "partition key must not be empty")))
            return nil
        }
        return placement.partition(forKey: partitionKey)
    }

    /// Resizes are applied by one node, the joined node in the lowest slot, so that the
    /// compare-and-set on the config version has a single place to happen.
    mutating func handleResize(size: Int, expectedVersion: UInt64?, from requester: Requester, forwarded: Bool) {
        let coordinator = slotHolders.keys.sorted().lazy.compactMap(holder(of:)).first { $0.state == .joined }
        guard let coordinator else {
            respond(
                to: requester,
                with: .failed(.unavailable(partition: nil, reason: "no joined node to resize", leader: nil)))
            return
        }
        if coordinator.id != id {
            if forwarded {
                respond(
                    to: requester,
                    with: .failed(.unavailable(partition: nil, reason: "coordinator moved; retry", leader: nil)))
            } else {
                forward(
                    .resize(size: size, expectedVersion: expectedVersion), to: coordinator.id, partition: nil,
                    isWrite: false, requester: requester)
            }
            return
        }
        switch Resize.validate(
            size: size, expectedVersion: expectedVersion, config: config, view: records.values,
            leadershipHasSettled: leadershipHasSettled)
        {
        case .failure(let failure):
            if case .resizeRejected(_, let reason) = failure { event(.resizeRejected, detail: reason) }
            respond(to: requester, with: .failed(failure))
        case .success(let next):
            adopt(next)
            updateMe { $0.configVersion = next.version }
            event(.resized, detail: "size \(next.size), version \(next.version)")
            let everyone = records.values.filter(\.isLive).map(\.id).sorted()
            announce(to: everyone)
            respond(to: requester, with: .resized(next))
        }
    }

    mutating func forward(
        _ request: ClientRequest, to node: NodeID, partition: PartitionID?, isWrite: Bool, requester: Requester
    ) {
        let forwardID = nextForwardID
        nextForwardID += 1
        forwards[forwardID] = ForwardedRequest(
            requester: requester, partition: partition, isWrite: isWrite, deadline: now + settings.requestTimeout)
        send(.forward(id: forwardID, request: request), to: node)
    }

    mutating func handleForwardReply(_ forwardID: UInt64, _ response: ClientResponse) {
        guard let forwarded = forwards.removeValue(forKey: forwardID) else { return }
        respond(to: forwarded.requester, with: response)
    }

    mutating func respond(to requester: Requester, with response: ClientResponse) {
        switch requester {
        case .local(let requestID): emit(.respond(id: requestID, response))
        case .peer(let node, let forwardID): send(.forwardReply(id: forwardID, response: response), to: node)
        }
    }

    /// Writes whose outcome is unknown when leadership moves: they reached the log but
    /// not every replica, so they may yet survive.
    mutating func failPendingWrites(_ partition: PartitionID, reason: String) {
        guard let pending = pendingWrites.removeValue(forKey: partition) else { return }
        for write in pending {
            respond(to: write.requester, with: .failed(.indeterminate(partition: partition, reason: reason)))
        }
    }

    mutating func expireRequests() {
        for (partition, pending) in pendingWrites.sorted(by: { $0.key < $1.key }) {
            let expired = pending.filter { $0.deadline <= now }
            guard !expired.isEmpty else { continue }
            pendingWrites[partition] = pending.filter { $0.deadline > now }
            for write in expired {
                respond(
                    to: write.requester,
                    with: .failed(.indeterminate(partition: partition, reason: "replicas did not acknowledge in time")))
            }
        }
        for (forwardID, forwarded) in forwards.sorted(by: { $0.key < $1.key }) where forwarded.deadline <= now {
            forwards[forwardID] = nil
            let failure: ClientFailure =
                forwarded.isWrite
                ? .indeterminate(partition: forwarded.partition ?? 0, reason: "the leader did not answer in time")
                : .unavailable(
                    partition: forwarded.partition, reason: "the serving node did not answer in time", leader: nil)
            respond(to: forwarded.requester, with: .failed(failure))
        }
    }
}
