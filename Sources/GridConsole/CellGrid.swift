/// How a cell is drawn on top of its role's colours.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = CellAttributes(rawValue: 1 << 0)
    public static let dim = CellAttributes(rawValue: 1 << 1)
    public static let underline = CellAttributes(rawValue: 1 << 2)
    public static let reverse = CellAttributes(rawValue: 1 << 3)
}

/// One terminal column: a scalar, what it means, how it is emphasised. Eight bytes, no
/// heap, so a whole frame is one flat array.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var role: ColorRole
    public var attributes: CellAttributes

    public init(_ scalar: Unicode.Scalar, role: ColorRole = .text, attributes: CellAttributes = []) {
        self.scalar = scalar
        self.role = role
        self.attributes = attributes
    }

    public static let blank = Cell(" ")
    /// The right half of a wide scalar; terminals draw nothing there themselves.
    public static let continuationScalar: Unicode.Scalar = "\u{0}"

    public var isContinuation: Bool { scalar == Self.continuationScalar }
}

/// A cell position: column, then row.
public struct GridPoint: Hashable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// A rectangle of cells in grid coordinates.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The rectangle inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
}

/// A frame: what every terminal column should show. The renderer produces it; the
/// terminal backend draws it; tests read it.
public struct CellGrid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal should show its cursor (an input line), or nil to hide it.
    public var cursor: GridPoint?

    public init(width: Int, height: Int, filling cell: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: cell, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `text` from column `x` of row `y`, clipped at `limit` (exclusive) and the
    /// grid's edge. A wide scalar that would straddle the limit becomes a space. Returns
    /// the column after the last one written.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol, x: Int, y: Int, role: ColorRole = .text, attributes: CellAttributes = [],
        limit: Int? = nil
    ) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        var column = x
        let base = y * width
        for scalar in text.unicodeScalars {
            if column >= end { break }
            let columns = displayWidth(of: scalar)
            if columns == 0 { continue }
            if column < 0 {
                column += columns
                continue
            }
            if columns == 2 {
                if column + 1 >= end {
                    cells[base + column] = Cell(" ", role: role, attributes: attributes)
                    column += 1
                    break
                }
                cells[base + column] = Cell(scalar, role: role, attributes: attributes)
                cells[base + column + 1] = Cell(Cell.continuationScalar, role: role, attributes: attributes)
                column += 2
            } else {
                cells[base + column] = Cell(scalar, role: role, attributes: attributes)
                column += 1
            }
        }
        return column
    }

    /// Writes one scalar (no width check: callers pass narrow scalars).
    public mutating func put(scalar: Unicode.Scalar, x: Int, y: Int, role: ColorRole, attributes: CellAttributes = []) {
        guard contains(x: x, y: y) else { return }
        cells[y * width + x] = Cell(scalar, role: role, attributes: attributes)
    }

    /// Writes a non-negative number right-aligned to end just before column `end`.
    public mutating func putNumber(
        _ number: Int, endingBefore end: Int, y: Int, role: ColorRole, attributes: CellAttributes = []
    ) {
        var value = max(0, number)
        var column = end - 1
        repeat {
            let digit = Unicode.Scalar(UInt8(48 + value % 10))
            put(scalar: digit, x: column, y: y, role: role, attributes: attributes)
            value /= 10
            column -= 1
        } while value > 0
    }

    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let x0 = max(0, rect.x)
        let x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y)
        let y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            let base = y * width
            for x in x0..<x1 { cells[base + x] = cell }
        }
    }

    /// Adds attributes to every cell of a rectangle (selection, emphasis).
    public mutating func addAttributes(_ attributes: CellAttributes, in rect: Rect) {
        let x0 = max(0, rect.x)
        let x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y)
        let y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { cells[y * width + x].attributes.formUnion(attributes) }
        }
    }

    /// Gives every cell of a rectangle one role, keeping its scalar.
    public mutating func setRole(_ role: ColorRole, in rect: Rect) {
        let x0 = max(0, rect.x)
        let x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y)
        let y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { cells[y * width + x].role = role }
        }
    }

    // MARK: Reading, for tests and plain-text captures

    /// The text of one row as a terminal would show it (wide scalars once).
    public func text(row y: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for x in 0..<width where !self[x, y].isContinuation { scalars.append(self[x, y].scalar) }
        return String(scalars)
    }

    /// Every row, trailing spaces removed.
    public var lines: [String] {
        (0..<height).map { row in
            var line = text(row: row)
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole frame as text, one line per row.
    public var plainText: String { lines.joined(separator: "\n") }

    /// The grid position of the first occurrence of `needle`, searching row by row.
    public func locate(_ needle: String) -> GridPoint? {
        let target = Array(needle.unicodeScalars)
        guard !target.isEmpty else { return nil }
        for y in 0..<height {
            var columns: [Int] = []
            var scalars: [Unicode.Scalar] = []
            for x in 0..<width where !self[x, y].isContinuation {
                columns.append(x)
                scalars.append(self[x, y].scalar)
            }
            guard scalars.count >= target.count else { continue }
            for start in 0...(scalars.count - target.count)
            where scalars[start..<start + target.count].elementsEqual(target) {
                return GridPoint(x: columns[start], y: y)
            }
        }
        return nil
    }
}
