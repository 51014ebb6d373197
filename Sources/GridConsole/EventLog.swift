import GridCore

/// One line of the event pane.
public struct LogEntry: Hashable, Sendable {
    /// Console time (monotonic milliseconds) when the console learned of it.
    public var time: Int64
    public var text: String
    public var role: ColorRole

    public init(time: Int64, text: String, role: ColorRole) {
        self.time = time
        self.text = text
        self.role = role
    }
}

/// The event pane's lines, newest first, bounded so a long run cannot grow without limit.
public struct EventLog: Hashable, Sendable {
    public private(set) var entries: [LogEntry] = []
    public let capacity: Int

    public init(capacity: Int = 500) { self.capacity = max(1, capacity) }

    public mutating func add(_ entry: LogEntry) {
        entries.insert(entry, at: 0)
        if entries.count > capacity { entries.removeLast(entries.count - capacity) }
    }

    public mutating func add(_ text: String, role: ColorRole, at time: Int64) {
        add(LogEntry(time: time, text: text, role: role))
    }
}

extension GridEvent {
    /// The event as a log line, and its colour; nil for events too frequent for the log
    /// (rejected writes are counted in the traffic pane instead).
    public var logLine: (text: String, role: ColorRole)? {
        let verb: String
        let role: ColorRole
        switch kind {
        case .joined: (verb, role) = ("joined", .ok)
        case .disconnected: (verb, role) = ("saw a node disconnect:", .error)
        case .refuted: (verb, role) = ("refuted a false disconnect", .warn)
        case .slotTaken: (verb, role) = ("found its slot taken", .warn)
        case .locked: (verb, role) = ("locked", .lock)
        case .acknowledged: (verb, role) = ("acknowledged", .acknowledged)
        case .opened: (verb, role) = ("opened", .ok)
        case .forcedOpen: (verb, role) = ("force-opened", .warn)
        case .abandoned: (verb, role) = ("abandoned", .warn)
        case .released: (verb, role) = ("released", .dim)
        case .resized: (verb, role) = ("resized", .ok)
        case .resizeRejected: (verb, role) = ("rejected a resize:", .error)
        case .configAdopted: (verb, role) = ("adopted config", .dim)
        case .snapshotInstalled: (verb, role) = ("installed a snapshot of", .dim)
        case .writeRejected: return nil
        }
        var text = "\(node.short) \(verb)"
        if let partition { text += " p\(partition)" }
        if let epoch { text += " e\(epoch)" }
        if let peer { text += " \(peer.short)" }
        if !detail.isEmpty { text += " \(detail)" }
        return (text, role)
    }
}
