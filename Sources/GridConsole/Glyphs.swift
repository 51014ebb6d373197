/// The non-ASCII symbols the screen uses, with an ASCII set for terminals or locales that
/// cannot show them. Every glyph is one column wide except the Unicode `lock` (two): a
/// map cell holds the lock and, where a column is left, the handshake's phase mark.
public struct Glyphs: Hashable, Sendable {
    public var lock: String
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar
    /// Sparkline levels, lowest first.
    public var levels: [Unicode.Scalar]
    public var ellipsis: String
    public var pointer: String
    public var arrow: String
    public var separator: String
    public var unledCell: String
    public var up: String
    public var down: String
    public var left: String
    public var right: String
    public var times: String

    public static let unicode = Glyphs(
        lock: "🔒", horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], ellipsis: "…", pointer: "▶",
        arrow: "→", separator: "·", unledCell: "··", up: "↑", down: "↓", left: "←",
        right: "→", times: "×")

    public static let ascii = Glyphs(
        lock: "#", horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", levels: ["_", ".", ":", "-", "=", "+", "*", "#"], ellipsis: "~", pointer: ">",
        arrow: "->", separator: "|", unledCell: "..", up: "Up", down: "Down", left: "Left",
        right: "Right", times: "x")

    public var isASCII: Bool { self == .ascii }
}
