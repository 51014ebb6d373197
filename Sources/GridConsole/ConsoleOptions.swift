import Foundation

/// How the executable wants the console to look and behave.
public struct ConsoleOptions: Sendable {
    /// `--theme`: a theme name or a path to a `.theme` file.
    public var theme: String?
    /// `--no-color`; `NO_COLOR` in `environment` has the same effect.
    public var noColor: Bool
    /// ASCII glyphs only; nil decides from the locale (UTF-8 or not).
    public var ascii: Bool?
    /// How often the screen asks the source for a fresh snapshot.
    public var refreshInterval: Duration
    /// How often the demo load starts a round of writes.
    public var loadInterval: Duration
    /// The acknowledgment delay the cluster was started with, shown in the header until
    /// `:slowmo` changes it.
    public var acknowledgmentDelay: Int
    public var themes: ThemeCatalog
    public var environment: [String: String]

    public init(
        theme: String? = nil, noColor: Bool = false, ascii: Bool? = nil, refreshInterval: Duration = .milliseconds(200),
        loadInterval: Duration = .milliseconds(500), acknowledgmentDelay: Int = 0,
        themes: ThemeCatalog = .standard(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.theme = theme
        self.noColor = noColor
        self.ascii = ascii
        self.refreshInterval = refreshInterval
        self.loadInterval = loadInterval
        self.acknowledgmentDelay = acknowledgmentDelay
        self.themes = themes
        self.environment = environment
    }

    /// The theme to start with; a broken or missing theme file is an error here, before
    /// the terminal is touched, so its message reaches the operator intact.
    public func startingTheme() throws(ThemeError) -> Theme {
        let name = ThemeChoice.startingTheme(option: theme, noColor: noColor, environment: environment)
        return try themes.load(name)
    }

    public var isColorForcedOff: Bool { ThemeChoice.forcesMono(noColor: noColor, environment: environment) }
}
