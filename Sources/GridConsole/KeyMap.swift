/// A key press as the console understands it, whatever terminal produced it.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl plus a letter, lowercased (`.control("l")` for Ctrl-L).
    case control(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab

    /// How help and the hint bar print the key.
    public func label(_ glyphs: Glyphs) -> String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .control(let letter): "Ctrl-" + letter.uppercased()
        case .up: glyphs.up
        case .down: glyphs.down
        case .left: glyphs.left
        case .right: glyphs.right
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        }
    }
}

/// Which bindings apply: one per screen mode.
public enum KeyContext: Hashable, Sendable, CaseIterable {
    case normal, commandLine, filter, prompt, confirm, help, detail

    /// The heading of this context's section in help.
    public var title: String {
        switch self {
        case .normal: "Main screen"
        case .commandLine: "Command line (:)"
        case .filter: "Filter (/)"
        case .prompt: "Prompts"
        case .confirm: "Confirmations"
        case .help: "Help"
        case .detail: "Detail (Enter)"
        }
    }
}

/// What a key asks for, before the reducer decides what that means right now.
public enum KeyIntent: Hashable, Sendable {
    case showHelp, openCommandLine, startFilter, openDetail, back
    case togglePause, cycleTheme, toggleLoad, redraw, quit
    case resize, killSelected, killOldLeader, addNode, restartNode
    case moveUp, moveDown, moveLeft, moveRight, pageUp, pageDown, home, end, nextPane, previousPane
    case submit, cancel, historyPrevious, historyNext, deleteBackward
    case confirm, decline
}

/// One line of the key map: the keys, where they work, what they do, and how help and
/// the hint bar describe them.
public struct KeyBinding: Hashable, Sendable {
    public var keys: [Key]
    public var context: KeyContext
    public var intent: KeyIntent
    public var summary: String
    /// The word in the hint bar; nil keeps the binding out of it.
    public var hint: String?
    public var embeddedOnly: Bool

    public init(
        _ keys: [Key], _ context: KeyContext, _ intent: KeyIntent, _ summary: String, hint: String? = nil,
        embeddedOnly: Bool = false
    ) {
        self.keys = keys
        self.context = context
        self.intent = intent
        self.summary = summary
        self.hint = hint
        self.embeddedOnly = embeddedOnly
    }
}

/// The one key map: the reducer reads intents from it, help and the hint bar are printed
/// from it, so they cannot disagree.
public struct KeyMap: Hashable, Sendable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    public func intent(for key: Key, in context: KeyContext) -> KeyIntent? {
        bindings.first { $0.context == context && $0.keys.contains(key) }?.intent
    }

    public func bindings(in context: KeyContext) -> [KeyBinding] { bindings.filter { $0.context == context } }

    public static let standard = KeyMap(bindings: [
        KeyBinding([.character("?")], .normal, .showHelp, "show this help", hint: "help"),
        KeyBinding(
            [.character(":")], .normal, .openCommandLine, "command line (:resize N, :kill NODE, ...)", hint: "cmd"),
        KeyBinding([.character("/")], .normal, .startFilter, "filter nodes and partitions", hint: "filter"),
        KeyBinding([.enter], .normal, .openDetail, "detail of the selected node or partition"),
        KeyBinding([.escape], .normal, .back, "clear the filter"),
        KeyBinding([.up], .normal, .moveUp, "previous node / partition above"),
        KeyBinding([.down], .normal, .moveDown, "next node / partition below"),
        KeyBinding([.left], .normal, .moveLeft, "previous partition / go to the map"),
        KeyBinding([.right], .normal, .moveRight, "next partition / go to the map"),
        KeyBinding([.tab], .normal, .nextPane, "switch between node table and partition map"),
        KeyBinding([.backTab], .normal, .previousPane, "switch back"),
        KeyBinding([.pageUp], .normal, .pageUp, "a page up"),
        KeyBinding([.pageDown], .normal, .pageDown, "a page down"),
        KeyBinding([.home], .normal, .home, "first node / partition"),
        KeyBinding([.end], .normal, .end, "last node / partition"),
        KeyBinding([.character("r")], .normal, .resize, "resize the cluster (size, then y/n)", hint: "resize"),
        KeyBinding([.character("k")], .normal, .killSelected, "kill the selected node, as a crash (y/n)", hint: "kill"),
        KeyBinding(
            [.character("K")], .normal, .killOldLeader,
            "kill the old leader of a moving partition (y/n)", hint: "kill old leader"),
        KeyBinding([.character("a")], .normal, .addNode, "add a node", hint: "add", embeddedOnly: true),
        KeyBinding(
            [.character("R")], .normal, .restartNode, "restart the selected killed node (same id)",
            hint: "restart", embeddedOnly: true),
        KeyBinding(
            [.character("l")], .normal, .toggleLoad, "demo load on/off (writes to every partition)", hint: "load"),
        KeyBinding([.character("p")], .normal, .togglePause, "pause / resume refresh", hint: "pause"),
        KeyBinding([.character("t")], .normal, .cycleTheme, "next theme", hint: "theme"),
        KeyBinding([.control("l")], .normal, .redraw, "redraw the screen"),
        KeyBinding([.character("q")], .normal, .quit, "quit", hint: "quit"),

        KeyBinding([.enter], .commandLine, .submit, "run the command", hint: "run"),
        KeyBinding([.escape], .commandLine, .cancel, "cancel", hint: "cancel"),
        KeyBinding([.up], .commandLine, .historyPrevious, "previous command in history", hint: "history"),
        KeyBinding([.down], .commandLine, .historyNext, "next command in history"),
        KeyBinding([.backspace, .delete], .commandLine, .deleteBackward, "delete a character"),

        KeyBinding([.enter], .filter, .submit, "keep the filter", hint: "keep"),
        KeyBinding([.escape], .filter, .cancel, "clear the filter", hint: "clear"),
        KeyBinding([.backspace, .delete], .filter, .deleteBackward, "delete a character"),

        KeyBinding([.enter], .prompt, .submit, "accept", hint: "accept"),
        KeyBinding([.escape], .prompt, .cancel, "cancel", hint: "cancel"),
        KeyBinding([.backspace, .delete], .prompt, .deleteBackward, "delete a character"),

        KeyBinding([.character("y"), .character("Y")], .confirm, .confirm, "yes, do it", hint: "yes"),
        KeyBinding([.character("n"), .character("N"), .escape], .confirm, .decline, "no, cancel", hint: "no"),

        KeyBinding([.escape, .character("q"), .character("?")], .help, .back, "close help", hint: "close"),
        KeyBinding([.up], .help, .moveUp, "scroll up"),
        KeyBinding([.down], .help, .moveDown, "scroll down"),
        KeyBinding([.pageUp], .help, .pageUp, "a page up"),
        KeyBinding([.pageDown], .help, .pageDown, "a page down"),

        KeyBinding([.escape, .enter, .character("q")], .detail, .back, "back to the main screen", hint: "back"),
        KeyBinding([.left, .up], .detail, .moveLeft, "previous node / partition", hint: "previous"),
        KeyBinding([.right, .down], .detail, .moveRight, "next node / partition", hint: "next"),
        KeyBinding([.character("k")], .detail, .killSelected, "kill this node (y/n)"),
        KeyBinding([.character("K")], .detail, .killOldLeader, "kill this partition's old leader (y/n)"),
    ])
}
