import GridCore

/// Client requests submitted to NodeCore and not yet answered, keyed by request id.
///
/// NodeCore answers every request itself, within its request timeout. The deadline here
/// is only a safety net so that a bug can never leave an HTTP client hanging; answering
/// from it is counted, and a write answered from it is reported as indeterminate, never
/// as refused, because it may have been applied.
struct RequestWaiters {
    struct Waiter {
        var continuation: CheckedContinuation<ClientResponse, Never>
        var request: ClientRequest
        var partition: PartitionID?
        var deadline: Instant

        var isWrite: Bool {
            if case .write = request { return true }
            return false
        }
    }

    private var waiters: [UInt64: Waiter] = [:]

    var isEmpty: Bool { waiters.isEmpty }

    mutating func add(_ requestID: UInt64, _ waiter: Waiter) {
        waiters[requestID] = waiter
    }

    /// Answers one request; returns it, or nil if it was already answered.
    mutating func resume(_ requestID: UInt64, with response: ClientResponse) -> Waiter? {
        guard let waiter = waiters.removeValue(forKey: requestID) else { return nil }
        waiter.continuation.resume(returning: response)
        return waiter
    }

    /// Answers every request whose deadline passed; returns how many.
    mutating func expire(at now: Instant) -> Int {
        let expired = waiters.filter { $0.value.deadline <= now }
        for (requestID, waiter) in expired {
            waiters[requestID] = nil
            waiter.continuation.resume(returning: Self.unanswered(waiter, reason: "the node did not answer in time"))
        }
        return expired.count
    }

    mutating func failAll(reason: String) {
        let all = waiters
        waiters = [:]
        for waiter in all.values { waiter.continuation.resume(returning: Self.unanswered(waiter, reason: reason)) }
    }

    /// What to tell a client whose request the node stopped answering: a write may have
    /// happened, anything else is simply unavailable.
    static func unanswered(_ waiter: Waiter, reason: String) -> ClientResponse {
        switch waiter.request {
        case .write:
            .failed(.indeterminate(partition: waiter.partition ?? 0, reason: reason))
        case .read:
            .failed(.unavailable(partition: waiter.partition, reason: reason, leader: nil))
        case .resize:
            .failed(
                .unavailable(partition: nil, reason: reason + "; the resize may or may not have applied", leader: nil))
        }
    }
}
