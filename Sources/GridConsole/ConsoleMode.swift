/// What the keyboard is doing right now.
public enum ConsoleMode: Hashable, Sendable {
    case normal
    case commandLine(LineEditor)
    /// Typing a filter; `ConsoleState.filter` follows every key.
    case filter
    case prompt(Prompt, text: String)
    case confirm(PendingAction)
    case help(scroll: Int)
    case detail(DetailTarget)

    public var keyContext: KeyContext {
        switch self {
        case .normal: .normal
        case .commandLine: .commandLine
        case .filter: .filter
        case .prompt: .prompt
        case .confirm: .confirm
        case .help: .help
        case .detail: .detail
        }
    }
}

/// A question that needs typed input before an action.
public enum Prompt: Hashable, Sendable {
    case resizeSize(current: Int)

    public var question: String {
        switch self {
        case .resizeSize(let current): "Resize to how many slots (now \(current))? "
        }
    }
}

/// A destructive action waiting for y/n.
public enum PendingAction: Hashable, Sendable {
    case resize(from: Int, to: Int)
    /// `context` says why this node, e.g. "old leader of p7".
    case kill(node: String, context: String?)

    public var question: String {
        switch self {
        case .resize(let from, let to):
            "Resize the cluster from \(from) to \(to) slots?"
        case .kill(let node, let context):
            "Kill node \(TextFormatting.shortID(node))\(context.map { ", \($0)," } ?? "") as a crash?"
        }
    }

    /// Why this target, for the log.
    public var context: String? {
        if case .kill(_, let context) = self { return context }
        return nil
    }

    public var request: ConsoleRequest {
        switch self {
        case .resize(_, let to): .resize(to: to)
        case .kill(let node, _): .kill(node: node)
        }
    }
}

/// What the full-screen detail shows.
public enum DetailTarget: Hashable, Sendable {
    case node(String)
    case partition(Int)
}

/// The two selectable panes of the main screen.
public enum Pane: Hashable, Sendable {
    case nodes, partitions
}

/// A one-line message under the panes that clears itself.
public struct Flash: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case info, error
    }

    public var text: String
    public var kind: Kind
    /// Console time after which it is gone.
    public var expiresAt: Int64

    public init(_ text: String, kind: Kind, expiresAt: Int64) {
        self.text = text
        self.kind = kind
        self.expiresAt = expiresAt
    }
}
