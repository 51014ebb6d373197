import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the embedded nodes' logs go: appended to a file, and the notable lines to the
/// console's event pane. Nothing reaches the terminal, which ncurses owns.
final class EmbeddedLogSink: Sendable {
    /// The file, or nil when none could be opened (the event pane still gets the lines).
    let path: String?
    private let descriptor: Mutex<Int32>
    private let hub: ClusterEventHub
    /// Lines at or above this level go to the event pane too.
    private let paneLevel: Logger.Level

    /// Nodes log every protocol event at info, and the pane gets those as events already,
    /// so by default only notices, warnings and errors are copied there.
    init(path: String?, hub: ClusterEventHub, paneLevel: Logger.Level = .notice) {
        var opened: Int32 = -1
        if let path { opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        self.path = opened >= 0 ? path : nil
        descriptor = Mutex(opened)
        self.hub = hub
        self.paneLevel = paneLevel
    }

    func record(level: Logger.Level, message: String, metadata: Logger.Metadata, label: String) {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line =
            "\(Self.timestamp()) \(level.rawValue.uppercased()) \(label) \(message)"
            + (fields.isEmpty ? "" : " " + fields) + "\n"
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            let bytes = Array(line.utf8)
            var written = 0
            while written < bytes.count {
                let result = bytes[written...].withUnsafeBytes { writeBytes(descriptor, $0) }
                if result <= 0 { break }
                written += result
            }
        }
        guard level >= paneLevel else { return }
        let node = metadata["node"].map { "\($0) " } ?? ""
        let shown = metadata.filter { $0.key != "node" && $0.key != "member" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let severity: ClusterEvent.Severity =
            switch level {
            case .trace, .debug, .info, .notice: .info
            case .warning: .warning
            case .error, .critical: .error
            }
        hub.note("\(node)\(message)" + (shown.isEmpty ? "" : " " + shown), severity)
    }

    /// A line from the source itself, in the same file.
    func note(_ message: String) {
        record(level: .notice, message: message, metadata: [:], label: "gossipgrid.console")
    }

    func close() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { closeDescriptor(descriptor) }
            descriptor = -1
        }
    }

    /// UTC, to the millisecond, without a date formatter (they are slow to create).
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        let fraction = String(repeating: "0", count: 3 - String(milliseconds).count) + String(milliseconds)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}

/// A swift-log handler that writes into an `EmbeddedLogSink`.
struct EmbeddedLogHandler: LogHandler {
    let label: String
    let sink: EmbeddedLogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var message = "\(event.message)"
        if let error = event.error { message += " (\(error))" }
        sink.record(level: event.level, message: message, metadata: merged, label: label)
    }
}

private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    write(descriptor, bytes.baseAddress, bytes.count)
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
