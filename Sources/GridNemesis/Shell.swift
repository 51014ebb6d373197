import Foundation

/// Runs the short system commands that build and cut the test network.
enum Shell {
    /// Runs `arguments` (looked up on PATH) and returns its output, or throws with it.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read before waiting: a full pipe would otherwise block the command forever.
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NemesisError.command(
                arguments.joined(separator: " "), output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return output
    }
}

public enum NemesisError: Error, CustomStringConvertible {
    case command(String, String)
    case nodeDidNotStart(host: Int, log: String)
    case noExecutable(String)

    public var description: String {
        switch self {
        case .command(let command, let output): "\(command) failed: \(output)"
        case .nodeDidNotStart(let host, let log): "node n\(host) did not start; its log:\n\(log)"
        case .noExecutable(let path): "no gossipgrid executable at \(path)"
        }
    }
}
