/// Why a theme could not be used: which file, which line, what is wrong there.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(file: String?, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (file, line) {
        case (let file?, let line?): "\(file):\(line): \(message)"
        case (let file?, nil): "\(file): \(message)"
        default: message
        }
    }
}

/// The roles a `.theme` file sets. The format is documented at the top of
/// `themes/default.theme`.
public struct ThemeFile: Hashable, Sendable {
    public var styles: [ColorRole: ThemeStyle]

    /// Parses the text of a theme file; `file` only names it in errors.
    public init(parsing text: String, file: String) throws(ThemeError) {
        var styles: [ColorRole: ThemeStyle] = [:]
        var firstLine: [ColorRole: Int] = [:]
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let line = content.trimmingSpaces
            if line.isEmpty { continue }
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: number, message: message) }
            guard let equals = line.firstIndex(of: "=") else {
                throw fail("expected 'role = colours', found '\(line)'")
            }
            let key = line[..<equals].trimmingSpaces.lowercased()
            let value = line[line.index(after: equals)...].trimmingSpaces
            guard let role = ColorRole(themeKey: key) else {
                let known = ColorRole.allCases.map(\.themeKey).joined(separator: ", ")
                throw fail("unknown role '\(key)'; roles are: \(known)")
            }
            if let earlier = firstLine[role] {
                throw fail("role '\(key)' is already set on line \(earlier)")
            }
            do {
                styles[role] = try Self.style(from: value)
            } catch {
                throw fail(error.message)
            }
            firstLine[role] = number
        }
        self.styles = styles
    }

    private struct ValueError: Error {
        var message: String
    }

    private static let attributeNames: [String: CellAttributes] = [
        "bold": .bold, "dim": .dim, "underline": .underline, "reverse": .reverse,
    ]

    private static func style(from value: String) throws(ValueError) -> ThemeStyle {
        var style = ThemeStyle()
        var sawForeground = false
        var tokens = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }[...]
        guard !tokens.isEmpty else {
            throw ValueError(message: "missing value: give a colour, 'on' and a background, or attributes")
        }
        while let token = tokens.popFirst() {
            if let attribute = attributeNames[token] {
                style.attributes.insert(attribute)
            } else if token == "on" {
                guard let background = tokens.popFirst() else {
                    throw ValueError(message: "'on' must be followed by a background colour")
                }
                style.background = try color(from: background)
            } else if !sawForeground {
                style.foreground = try color(from: token)
                sawForeground = true
            } else {
                throw ValueError(message: "unexpected '\(token)' (one foreground, 'on BACKGROUND', attributes)")
            }
        }
        return style
    }

    private static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "grey": 8, "gray": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    private static func color(from token: String) throws(ValueError) -> ThemeColor {
        if token == "default" { return .terminalDefault }
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw ValueError(message: "colour '\(token)' has more than one '/'") }
        let main = try paletteIndex(from: String(parts[0]), whole: token)
        guard parts.count == 2 else { return .index(main) }
        let fallback = try paletteIndex(from: String(parts[1]), whole: token)
        guard fallback < 16 else {
            throw ValueError(message: "16-colour fallback in '\(token)' must be 0-15 or a colour name")
        }
        return .indexed(main, fallback: fallback)
    }

    private static func paletteIndex(from token: String, whole: String) throws(ValueError) -> UInt8 {
        if let named = colorNames[token] { return named }
        if let number = Int(token), (0...255).contains(number) { return UInt8(number) }
        throw ValueError(
            message: "unknown colour '\(whole)': use default, a name (red, bright-blue, ...), 0-255, or 208/yellow")
    }
}
