import Foundation
import GridConsole
import Testing

@Suite("Themes")
struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../themes").standardized.path
    static let shipped = ["default", "light", "mono", "high-contrast", "colorblind"]

    @Test("a style is a foreground, an optional background after 'on', and attributes")
    func parsing() throws {
        let file = try ThemeFile(
            parsing: """
                # comment
                header = 231 on 24/blue bold   # trailing comment

                lock = bright-yellow on red reverse underline
                dim = dim
                text = default
                """, file: "t.theme")
        #expect(
            file.styles[.header]
                == ThemeStyle(
                    foreground: .indexed(231, fallback: 15), background: .indexed(24, fallback: 4), attributes: .bold))
        #expect(
            file.styles[.lock]
                == ThemeStyle(
                    foreground: .indexed(11, fallback: 11), background: .indexed(1, fallback: 1),
                    attributes: [.reverse, .underline]))
        #expect(file.styles[.dim] == ThemeStyle(attributes: .dim))
        #expect(file.styles[.text] == ThemeStyle())
        #expect(file.styles.count == 4)
    }

    @Test(
        "a broken line is reported with its file and line",
        arguments: [
            ("text = default\nborder = purpel", 2, "unknown colour 'purpel'"),
            ("border", 1, "expected 'role = colours', found 'border'"),
            ("\n\nframe = red", 3, "unknown role 'frame'; roles are: text, dim, header"),
            ("ok = green\nok = red", 2, "role 'ok' is already set on line 1"),
            ("ok = 300", 1, "unknown colour '300'"),
            ("ok = 208/200", 1, "16-colour fallback in '208/200' must be 0-15 or a colour name"),
            ("ok = red green", 1, "unexpected 'green'"),
            ("ok = red on", 1, "'on' must be followed by a background colour"),
            ("ok =", 1, "missing value"),
        ])
    func brokenFiles(text: String, line: Int, message: String) {
        #expect {
            try ThemeFile(parsing: text, file: "themes/broken.theme")
        } throws: { error in
            guard let error = error as? ThemeError else { return false }
            return error.file == "themes/broken.theme" && error.line == line
                && error.description.hasPrefix("themes/broken.theme:\(line): \(message)")
        }
    }

    @Test("every shipped theme parses and sets every role", arguments: shipped)
    func shippedThemes(name: String) throws {
        let path = "\(Self.themesDirectory)/\(name).theme"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let file = try ThemeFile(parsing: text, file: path)
        #expect(Set(file.styles.keys) == Set(ColorRole.allCases))
        let theme = try ThemeCatalog(directories: [Self.themesDirectory]).load(name)
        #expect(theme.name == name)
        #expect(theme.usesColor == (name != "mono"))
    }

    @Test("default.theme and mono.theme say what the built-in themes say")
    func builtInsMatchFiles() throws {
        let catalog = ThemeCatalog(directories: [Self.themesDirectory])
        #expect(try catalog.load("default") == Theme.builtInDefault)
        #expect(try catalog.load("mono") == Theme.mono)
    }

    @Test("the leader palettes give eight distinct colours, also on 16-colour terminals")
    func distinctLeaders() throws {
        let catalog = ThemeCatalog(directories: [Self.themesDirectory])
        for name in Self.shipped where name != "mono" {
            let theme = try catalog.load(name)
            let backgrounds = ColorRole.leaderPalette.map { theme.style(for: $0).background }
            #expect(Set(backgrounds).count == 8, "\(name)")
            let fallbacks = backgrounds.compactMap { color -> UInt8? in
                if case .indexed(_, let fallback) = color { return fallback }
                return nil
            }
            #expect(Set(fallbacks).count == 8, "\(name) 16-colour fallbacks")
        }
    }

    @Test("without a fallback the nearest of the 16 standard colours is used")
    func nearestStandardColor() {
        #expect(ThemeColor.index(196) == .indexed(196, fallback: 9))
        #expect(ThemeColor.index(21) == .indexed(21, fallback: 4))
        #expect(ThemeColor.index(208) == .indexed(208, fallback: 3))
        #expect(ThemeColor.index(232) == .indexed(232, fallback: 0))
        #expect(ThemeColor.index(5) == .indexed(5, fallback: 5))
    }

    @Test("a missing theme names where it looked and what exists; the built-ins need no files")
    func catalogLookup() throws {
        let empty = ThemeCatalog(directories: ["/nonexistent/themes"])
        #expect(try empty.load("default") == Theme.builtInDefault)
        #expect(try empty.load("mono") == Theme.mono)
        #expect(empty.names() == ["default", "mono"])
        #expect {
            try empty.load("solarized")
        } throws: { error in
            (error as? ThemeError)?.description
                == "no theme named 'solarized' (looked for solarized.theme in /nonexistent/themes); available: default, mono"
        }
        let shipped = ThemeCatalog(directories: [Self.themesDirectory])
        #expect(shipped.names() == ["colorblind", "default", "high-contrast", "light", "mono"])
    }

    @Test("a broken file found by name or path reports its path and line")
    func brokenFileOnDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gg-themes-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.theme").path
        try "text = default\n\nlock = yelow on red\n".write(toFile: path, atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [directory.path])
        for reference in ["broken", path] {
            #expect {
                try catalog.load(reference)
            } throws: { error in
                (error as? ThemeError)?.description.hasPrefix("\(path):3: unknown colour 'yelow'") == true
            }
        }
    }

    @Test("NO_COLOR and --no-color force mono; else --theme, then GOSSIPGRID_THEME, then default")
    func startingTheme() {
        #expect(ThemeChoice.startingTheme(option: "light", noColor: false, environment: ["NO_COLOR": "1"]) == "mono")
        #expect(ThemeChoice.startingTheme(option: "light", noColor: true, environment: [:]) == "mono")
        #expect(ThemeChoice.startingTheme(option: "light", noColor: false, environment: ["NO_COLOR": ""]) == "light")
        #expect(
            ThemeChoice.startingTheme(option: nil, noColor: false, environment: ["GOSSIPGRID_THEME": "colorblind"])
                == "colorblind")
        #expect(
            ThemeChoice.startingTheme(option: "light", noColor: false, environment: ["GOSSIPGRID_THEME": "colorblind"])
                == "light")
        #expect(ThemeChoice.startingTheme(option: nil, noColor: false, environment: [:]) == "default")
        let options = ConsoleOptions(
            theme: "light", environment: ["NO_COLOR": "yes"])
        #expect(options.isColorForcedOff)
        #expect((try? options.startingTheme()) == Theme.mono)
    }
}
