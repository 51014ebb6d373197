/// A command typed after `:`.
public enum TypedCommand: Hashable, Sendable {
    case resize(Int)
    case kill(String)
    case slowMotion(milliseconds: Int)
    /// nil: list the themes.
    case theme(String?)
    case addNode
    case restart(String)
    /// nil: toggle.
    case load(Bool?)
    case help
    case quit

    /// Usage and summary of every command, for help.
    public static let catalog: [(usage: String, summary: String)] = [
        ("resize N", "resize the cluster to N slots (y/n)"),
        ("kill NODE", "kill a node by slot or id prefix (y/n)"),
        ("slowmo MS", "delay every acknowledgment by MS ms (0/off: normal)"),
        ("theme [NAME]", "switch theme, or list them"),
        ("add", "add a node (embedded only)"),
        ("restart NODE", "restart a killed node, same id (embedded only)"),
        ("load [on|off]", "demo load: writes to every partition"),
        ("help", "show help"),
        ("q, quit", "quit"),
    ]

    /// Parses the text after `:`; the error is a sentence for the flash line.
    public static func parse(_ line: String) -> Result<TypedCommand, TypedCommandError> {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let name = words.first?.lowercased() else { return .failure(.empty) }
        let arguments = Array(words.dropFirst())
        func single() -> String? { arguments.count == 1 ? arguments[0] : nil }
        switch name {
        case "resize":
            guard let text = single(), let size = Int(text) else { return .failure(.usage("resize N")) }
            guard (1...1024).contains(size) else { return .failure(.invalid("size must be 1 to 1024, not \(size)")) }
            return .success(.resize(size))
        case "kill":
            guard let node = single() else { return .failure(.usage("kill NODE")) }
            return .success(.kill(node))
        case "slowmo", "slow":
            guard let text = single() else { return .failure(.usage("slowmo MS")) }
            if text.lowercased() == "off" { return .success(.slowMotion(milliseconds: 0)) }
            guard let milliseconds = Int(text.hasSuffix("ms") ? String(text.dropLast(2)) : text),
                (0...600_000).contains(milliseconds)
            else { return .failure(.invalid("slowmo takes milliseconds from 0 to 600000, or off")) }
            return .success(.slowMotion(milliseconds: milliseconds))
        case "theme":
            guard arguments.count <= 1 else { return .failure(.usage("theme [NAME]")) }
            return .success(.theme(arguments.first))
        case "add":
            guard arguments.isEmpty else { return .failure(.usage("add")) }
            return .success(.addNode)
        case "restart":
            guard let node = single() else { return .failure(.usage("restart NODE")) }
            return .success(.restart(node))
        case "load":
            switch arguments.map({ $0.lowercased() }) {
            case []: return .success(.load(nil))
            case ["on"]: return .success(.load(true))
            case ["off"]: return .success(.load(false))
            default: return .failure(.usage("load [on|off]"))
            }
        case "help", "h", "?":
            return .success(.help)
        case "q", "quit", "exit":
            return .success(.quit)
        default:
            return .failure(.unknown(name))
        }
    }
}

/// Why a typed command cannot run.
public enum TypedCommandError: Error, Hashable, Sendable, CustomStringConvertible {
    case empty
    case unknown(String)
    case usage(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .empty: "type a command, for example resize 4 (? lists them)"
        case .unknown(let name): "unknown command ':\(name)' (? lists the commands)"
        case .usage(let usage): "usage: :\(usage)"
        case .invalid(let reason): reason
        }
    }
}
