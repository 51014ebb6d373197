/// Commands typed so far, oldest first, without consecutive repeats.
public struct CommandHistory: Hashable, Sendable {
    public private(set) var entries: [String] = []
    public let capacity: Int

    public init(capacity: Int = 100) { self.capacity = max(1, capacity) }

    public mutating func record(_ line: String) {
        guard !line.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }
}

/// The text being typed on the command line, and where ↑/↓ stand in the history.
public struct LineEditor: Hashable, Sendable {
    public var text: String
    /// The history entry shown, or nil while editing a new line.
    public private(set) var historyIndex: Int?
    /// The new line put aside while browsing the history.
    private var draft = ""

    public static let maximumLength = 200

    public init(text: String = "") { self.text = text }

    public mutating func insert(_ character: Character) {
        guard text.count < Self.maximumLength else { return }
        text.append(character)
        historyIndex = nil
    }

    public mutating func deleteBackward() {
        if !text.isEmpty { text.removeLast() }
        historyIndex = nil
    }

    public mutating func showPrevious(in history: CommandHistory) {
        guard !history.entries.isEmpty else { return }
        if let index = historyIndex {
            historyIndex = max(0, index - 1)
        } else {
            draft = text
            historyIndex = history.entries.count - 1
        }
        text = history.entries[historyIndex ?? 0]
    }

    public mutating func showNext(in history: CommandHistory) {
        guard let index = historyIndex else { return }
        if index + 1 < history.entries.count {
            historyIndex = index + 1
            text = history.entries[index + 1]
        } else {
            historyIndex = nil
            text = draft
        }
    }
}
