/// A terminal colour: the terminal's own default, or an xterm palette index with the
/// 16-colour value to use where only 16 (or 8) colours exist.
public enum ThemeColor: Hashable, Sendable {
    case terminalDefault
    case indexed(UInt8, fallback: UInt8)

    /// A palette index whose 16-colour fallback is the nearest standard colour.
    public static func index(_ value: UInt8) -> ThemeColor {
        .indexed(value, fallback: value < 16 ? value : XtermPalette.nearestStandard(to: value))
    }
}

/// How one role looks.
public struct ThemeStyle: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: CellAttributes

    public init(
        foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
        attributes: CellAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public var usesColor: Bool { foreground != .terminalDefault || background != .terminalDefault }
}

/// Colours and attributes for every `ColorRole`.
public struct Theme: Hashable, Sendable {
    public var name: String
    private var styles: [ThemeStyle]

    /// Every role not in `styles` takes its look from `base`.
    public init(name: String, styles: [ColorRole: ThemeStyle], base: Theme? = nil) {
        self.name = name
        self.styles = ColorRole.allCases.map { role in
            styles[role] ?? base?.style(for: role) ?? ThemeStyle()
        }
    }

    public func style(for role: ColorRole) -> ThemeStyle { styles[Int(role.rawValue)] }

    /// False for a theme made of attributes only; the terminal then starts no colour at all.
    public var usesColor: Bool { styles.contains { $0.usesColor } }

    /// The look when no theme file is found; `themes/default.theme` says the same.
    public static let builtInDefault = Theme(
        name: "default",
        styles: [
            .text: ThemeStyle(),
            .dim: ThemeStyle(foreground: .index(244)),
            .header: ThemeStyle(foreground: .index(231), background: .index(24), attributes: .bold),
            .title: ThemeStyle(foreground: .index(81), attributes: .bold),
            .border: ThemeStyle(foreground: .index(240)),
            .focusedBorder: ThemeStyle(foreground: .index(81)),
            .ok: ThemeStyle(foreground: .index(78)),
            .warn: ThemeStyle(foreground: .index(214)),
            .error: ThemeStyle(foreground: .index(203), attributes: .bold),
            .lock: ThemeStyle(foreground: .index(226), background: .index(88), attributes: .bold),
            .acknowledged: ThemeStyle(foreground: .index(16), background: .index(214), attributes: .bold),
            .opened: ThemeStyle(foreground: .index(16), background: .index(120), attributes: .bold),
            .unled: ThemeStyle(foreground: .index(240)),
            .selection: ThemeStyle(foreground: .index(16), background: .index(81)),
            .banner: ThemeStyle(foreground: .index(16), background: .index(214), attributes: .bold),
            .flash: ThemeStyle(foreground: .index(81)),
            .flashError: ThemeStyle(foreground: .index(231), background: .index(160), attributes: .bold),
            .hint: ThemeStyle(foreground: .index(250), background: .index(236)),
            .hintKey: ThemeStyle(foreground: .index(81), background: .index(236), attributes: .bold),
            .sparkAccepted: ThemeStyle(foreground: .index(78)),
            .sparkRejected: ThemeStyle(foreground: .index(203)),
            .leader0: ThemeStyle(foreground: .index(16), background: .indexed(39, fallback: 12)),
            .leader1: ThemeStyle(foreground: .index(16), background: .indexed(170, fallback: 5)),
            .leader2: ThemeStyle(foreground: .index(16), background: .indexed(114, fallback: 2)),
            .leader3: ThemeStyle(foreground: .index(16), background: .indexed(215, fallback: 3)),
            .leader4: ThemeStyle(foreground: .index(16), background: .indexed(147, fallback: 13)),
            .leader5: ThemeStyle(foreground: .index(16), background: .indexed(44, fallback: 6)),
            .leader6: ThemeStyle(foreground: .index(16), background: .indexed(222, fallback: 11)),
            .leader7: ThemeStyle(foreground: .index(16), background: .indexed(210, fallback: 9)),
        ])

    /// Attributes only: what `NO_COLOR` and `--no-color` get, readable on any terminal.
    public static let mono = Theme(
        name: "mono",
        styles: [
            .text: ThemeStyle(),
            .dim: ThemeStyle(attributes: .dim),
            .header: ThemeStyle(attributes: [.bold, .reverse]),
            .title: ThemeStyle(attributes: .bold),
            .border: ThemeStyle(),
            .focusedBorder: ThemeStyle(attributes: .bold),
            .ok: ThemeStyle(),
            .warn: ThemeStyle(attributes: .bold),
            .error: ThemeStyle(attributes: [.bold, .underline]),
            .lock: ThemeStyle(attributes: [.bold, .reverse]),
            .acknowledged: ThemeStyle(attributes: [.bold, .underline]),
            .opened: ThemeStyle(attributes: .underline),
            .unled: ThemeStyle(attributes: .dim),
            .selection: ThemeStyle(attributes: .reverse),
            .banner: ThemeStyle(attributes: [.bold, .reverse]),
            .flash: ThemeStyle(attributes: .bold),
            .flashError: ThemeStyle(attributes: [.bold, .reverse]),
            .hint: ThemeStyle(),
            .hintKey: ThemeStyle(attributes: .bold),
            .sparkAccepted: ThemeStyle(),
            .sparkRejected: ThemeStyle(attributes: .bold),
            .leader0: ThemeStyle(),
            .leader1: ThemeStyle(),
            .leader2: ThemeStyle(),
            .leader3: ThemeStyle(),
            .leader4: ThemeStyle(),
            .leader5: ThemeStyle(),
            .leader6: ThemeStyle(),
            .leader7: ThemeStyle(),
        ])
}

/// The xterm 256-colour palette, to pick a 16-colour fallback a theme did not give.
enum XtermPalette {
    private static let standard: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    private static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(_ index: UInt8) -> (Int, Int, Int) {
        let value = Int(index)
        if value < 16 { return standard[value] }
        if value >= 232 {
            let grey = 8 + 10 * (value - 232)
            return (grey, grey, grey)
        }
        let cube = value - 16
        return (cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
    }

    static func nearestStandard(to index: UInt8) -> UInt8 {
        let (r, g, b) = rgb(index)
        var best = 0
        var bestDistance = Int.max
        for (candidate, colour) in standard.enumerated() {
            let distance =
                (r - colour.0) * (r - colour.0) + (g - colour.1) * (g - colour.1) + (b - colour.2) * (b - colour.2)
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return UInt8(best)
    }
}
