/// What a cell means, not how it looks: a theme maps each role to colours and attributes,
/// so the renderer never names a colour and the mono theme stays readable.
public enum ColorRole: UInt8, CaseIterable, Hashable, Sendable {
    case text
    case dim
    case header
    case title
    case border
    case focusedBorder
    case ok
    case warn
    case error
    case lock
    case acknowledged
    case opened
    case unled
    case selection
    case banner
    case flash
    case flashError
    case hint
    case hintKey
    case sparkAccepted
    case sparkRejected
    case leader0
    case leader1
    case leader2
    case leader3
    case leader4
    case leader5
    case leader6
    case leader7

    /// The palette that tells partition leaders apart.
    public static let leaderPalette: [ColorRole] = [
        .leader0, .leader1, .leader2, .leader3, .leader4, .leader5, .leader6, .leader7,
    ]

    /// The leader colour of a slot; slots beyond the palette reuse it in order.
    public static func leader(slot: Int) -> ColorRole {
        leaderPalette[((slot % leaderPalette.count) + leaderPalette.count) % leaderPalette.count]
    }

    /// The key that sets this role in a `.theme` file.
    public var themeKey: String {
        switch self {
        case .text: "text"
        case .dim: "dim"
        case .header: "header"
        case .title: "title"
        case .border: "border"
        case .focusedBorder: "focused-border"
        case .ok: "ok"
        case .warn: "warn"
        case .error: "error"
        case .lock: "lock"
        case .acknowledged: "acknowledged"
        case .opened: "opened"
        case .unled: "unled"
        case .selection: "selection"
        case .banner: "banner"
        case .flash: "flash"
        case .flashError: "flash-error"
        case .hint: "hint"
        case .hintKey: "hint-key"
        case .sparkAccepted: "spark-accepted"
        case .sparkRejected: "spark-rejected"
        case .leader0: "leader-0"
        case .leader1: "leader-1"
        case .leader2: "leader-2"
        case .leader3: "leader-3"
        case .leader4: "leader-4"
        case .leader5: "leader-5"
        case .leader6: "leader-6"
        case .leader7: "leader-7"
        }
    }

    public init?(themeKey: String) {
        guard let role = Self.allCases.first(where: { $0.themeKey == themeKey }) else { return nil }
        self = role
    }
}
