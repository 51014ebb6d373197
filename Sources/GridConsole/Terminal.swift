import CNcurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the terminal could not be used.
public struct TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// What the keyboard (or the window) did.
enum TerminalInput: Hashable {
    case key(Key)
    case resized(width: Int, height: Int)
}

/// The ncurses backend: the only code that touches the terminal. One owner (the main
/// actor) does all input and drawing; it polls with a zero timeout and never blocks.
@MainActor
final class Terminal {
    private var screen: OpaquePointer?
    private var previous: CellGrid?
    private var styles: [(attributes: attr_t, pair: Int16)] = []
    private var colorStarted = false
    private var closed = false
    private(set) var width: Int
    private(set) var height: Int
    /// Whether the locale can show UTF-8; without it the console uses ASCII glyphs.
    let isUTF8: Bool

    private init(screen: OpaquePointer, isUTF8: Bool) {
        self.screen = screen
        self.isUTF8 = isUTF8
        var rows: Int32 = 0
        var columns: Int32 = 0
        gg_getmaxyx(gg_stdscr(), &rows, &columns)
        width = Int(columns)
        height = Int(rows)
    }

    /// Takes over the terminal: locale first (or wide characters break), then `newterm`.
    static func open(theme: Theme) throws(TerminalError) -> Terminal {
        _ = gg_setlocale()
        let isUTF8 = gg_locale_is_utf8() != 0
        guard let screen = gg_newterm() else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TerminalError(
                message: "cannot start the terminal (TERM=\(term)); set TERM to your terminal type, "
                    + "or use `gossipgrid status` for a plain table")
        }
        let terminal = Terminal(screen: screen, isUTF8: isUTF8)
        cbreak()
        noecho()
        keypad(gg_stdscr(), true)
        nodelay(gg_stdscr(), true)
        set_escdelay(50)
        curs_set(0)
        terminal.apply(theme)
        return terminal
    }

    /// Sets up colour pairs for a theme; the next draw repaints everything.
    func apply(_ theme: Theme) {
        // COLORS and COLOR_PAIRS read 0 until start_color has run.
        if theme.usesColor && has_colors() && !colorStarted {
            start_color()
            use_default_colors()
            colorStarted = true
        }
        let colors = Int(gg_colors())
        let useColor = theme.usesColor && colorStarted && colors >= 8
        styles = ColorRole.allCases.map { role in
            let style = theme.style(for: role)
            var attributes = Self.attributes(style.attributes)
            guard useColor, Int(role.rawValue) + 1 < Int(gg_color_pairs()) else { return (attributes, 0) }
            let pair = Int16(role.rawValue) + 1
            let foreground = Self.colorNumber(style.foreground, colors: colors)
            let background = Self.colorNumber(style.background, colors: colors)
            init_pair(pair, foreground.number, background.number)
            if foreground.bright { attributes |= gg_a_bold() }
            return (attributes, pair)
        }
        previous = nil
    }

    /// Reads one pending input, or nil when there is none.
    func readInput() -> TerminalInput? {
        var value: UInt32 = 0
        switch gg_read_key(&value) {
        case Int32(GG_INPUT_CHARACTER):
            return Self.key(forCharacter: value).map { .key($0) } ?? readInput()
        case Int32(GG_INPUT_KEY):
            if value == UInt32(GG_KEY_RESIZE) {
                var rows: Int32 = 0
                var columns: Int32 = 0
                gg_getmaxyx(gg_stdscr(), &rows, &columns)
                width = Int(columns)
                height = Int(rows)
                previous = nil
                return .resized(width: width, height: height)
            }
            return Self.key(forCode: value).map { .key($0) } ?? readInput()
        default:
            return nil
        }
    }

    /// Draws a frame, sending only the cells that changed since the last one.
    func draw(_ grid: CellGrid) {
        guard !closed else { return }
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(gg_stdscr()) }
        let columns = min(grid.width, width)
        var buffer: [wchar_t] = []
        buffer.reserveCapacity(columns)
        for y in 0..<min(grid.height, height) {
            var x = 0
            while x < columns {
                guard full || changed(grid, x: x, y: y), !grid[x, y].isContinuation else {
                    x += 1
                    continue
                }
                let start = x
                let role = grid[x, y].role
                let attributes = grid[x, y].attributes
                buffer.removeAll(keepingCapacity: true)
                while x < columns, grid[x, y].role == role, grid[x, y].attributes == attributes,
                    full || changed(grid, x: x, y: y) || grid[x, y].isContinuation
                {
                    if !grid[x, y].isContinuation { buffer.append(wchar_t(bitPattern: grid[x, y].scalar.value)) }
                    x += 1
                }
                setStyle(role: role, attributes: attributes)
                buffer.withUnsafeBufferPointer { pointer in
                    _ = gg_put(Int32(y), Int32(start), pointer.baseAddress, Int32(pointer.count))
                }
            }
        }
        if let cursor = grid.cursor, cursor.x < width, cursor.y < height {
            curs_set(1)
            wmove(gg_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wrefresh(gg_stdscr())
        previous = grid
    }

    /// Clears the physical screen so the next frame repaints every cell (Ctrl-L).
    func forceRedraw() {
        clearok(gg_curscr(), true)
        previous = nil
    }

    /// Gives the terminal back. Safe to call more than once; only the first call acts.
    func close() {
        guard !closed else { return }
        closed = true
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        fflush(nil)
    }

    // MARK: Helpers

    private func changed(_ grid: CellGrid, x: Int, y: Int) -> Bool {
        guard let previous else { return true }
        if grid[x, y] != previous[x, y] { return true }
        return x + 1 < grid.width && grid[x + 1, y].isContinuation && grid[x + 1, y] != previous[x + 1, y]
    }

    private func setStyle(role: ColorRole, attributes: CellAttributes) {
        let style = styles[Int(role.rawValue)]
        var combined = style.attributes | Self.attributes(attributes.subtracting(.reverse))
        if attributes.contains(.reverse) { combined ^= gg_a_reverse() }
        _ = gg_set_style(combined, style.pair)
    }

    private static func attributes(_ attributes: CellAttributes) -> attr_t {
        var result = gg_a_normal()
        if attributes.contains(.bold) { result |= gg_a_bold() }
        if attributes.contains(.dim) { result |= gg_a_dim() }
        if attributes.contains(.underline) { result |= gg_a_underline() }
        if attributes.contains(.reverse) { result |= gg_a_reverse() }
        return result
    }

    /// The colour number for this terminal: the 256-colour index, its 16-colour fallback,
    /// or on 8-colour terminals the low eight with bold standing in for "bright".
    private static func colorNumber(_ color: ThemeColor, colors: Int) -> (number: Int16, bright: Bool) {
        switch color {
        case .terminalDefault:
            return (-1, false)
        case .indexed(let index, let fallback):
            if colors >= 256 { return (Int16(index), false) }
            if colors >= 16 { return (Int16(fallback), false) }
            return (Int16(fallback % 8), fallback >= 8)
        }
    }

    private static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    private static func key(forCode value: UInt32) -> Key? {
        switch Int32(value) {
        case Int32(GG_KEY_UP): .up
        case Int32(GG_KEY_DOWN): .down
        case Int32(GG_KEY_LEFT): .left
        case Int32(GG_KEY_RIGHT): .right
        case Int32(GG_KEY_PAGE_UP): .pageUp
        case Int32(GG_KEY_PAGE_DOWN): .pageDown
        case Int32(GG_KEY_HOME): .home
        case Int32(GG_KEY_END): .end
        case Int32(GG_KEY_ENTER): .enter
        case Int32(GG_KEY_BACKSPACE): .backspace
        case Int32(GG_KEY_DELETE): .delete
        case Int32(GG_KEY_BACK_TAB): .backTab
        default: nil
        }
    }
}
