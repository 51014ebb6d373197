import Foundation

/// Where themes come from: `.theme` files in a list of directories, plus the built-in
/// `default` and `mono` that work with no files at all.
public struct ThemeCatalog: Hashable, Sendable {
    public var directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// `./themes`, then `themes` next to the executable, then `../share/gossipgrid/themes`
    /// relative to it (an installed layout). The executable's real path, not `argv[0]`,
    /// which is a bare name when the shell found it on `PATH`.
    public static func standard(executablePath: String? = Bundle.main.executablePath) -> ThemeCatalog {
        var directories = [FileManager.default.currentDirectoryPath + "/themes"]
        if let executablePath {
            let executable = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
            let folder = executable.deletingLastPathComponent()
            directories.append(folder.appendingPathComponent("themes").path)
            directories.append(folder.appendingPathComponent("../share/gossipgrid/themes").standardized.path)
        }
        var seen = Set<String>()
        return ThemeCatalog(directories: directories.filter { seen.insert($0).inserted })
    }

    /// Every theme name available, sorted; the built-in ones are always there.
    public func names() -> [String] {
        var names: Set<String> = ["default", "mono"]
        for directory in directories {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries where entry.hasSuffix(".theme") { names.insert(String(entry.dropLast(6))) }
        }
        return names.sorted()
    }

    /// Loads a theme by name (searched in `directories`) or by path (anything with a `/`
    /// or ending in `.theme`). Missing roles take the built-in default's look.
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme")
        let candidates = isPath ? [nameOrPath] : directories.map { "\($0)/\(nameOrPath).theme" }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ThemeError(file: path, line: nil, message: "cannot read the theme file (is it UTF-8 text?)")
            }
            let file = try ThemeFile(parsing: text, file: path)
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return Theme(name: name, styles: file.styles, base: name == "mono" ? .mono : .builtInDefault)
        }
        if nameOrPath == "default" { return .builtInDefault }
        if nameOrPath == "mono" { return .mono }
        if isPath { throw ThemeError(file: nameOrPath, line: nil, message: "no such theme file") }
        let searched = directories.joined(separator: ", ")
        throw ThemeError(
            file: nil, line: nil,
            message: "no theme named '\(nameOrPath)' (looked for \(nameOrPath).theme in \(searched)); "
                + "available: \(names().joined(separator: ", "))")
    }
}

/// Which theme the console starts with.
public enum ThemeChoice {
    /// `NO_COLOR` (set and not empty, per no-color.org) and `--no-color` force mono;
    /// otherwise `--theme`, then `GOSSIPGRID_THEME`, then `default`.
    public static func startingTheme(option: String?, noColor: Bool, environment: [String: String]) -> String {
        if forcesMono(noColor: noColor, environment: environment) { return "mono" }
        if let option, !option.isEmpty { return option }
        if let named = environment["GOSSIPGRID_THEME"], !named.isEmpty { return named }
        return "default"
    }

    public static func forcesMono(noColor: Bool, environment: [String: String]) -> Bool {
        noColor || !(environment["NO_COLOR"] ?? "").isEmpty
    }
}
