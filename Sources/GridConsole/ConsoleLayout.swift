/// Where every pane of the main screen goes at a given terminal size. Pure, and shared by
/// the renderer (to draw) and the reducer (to move the selection by rows and pages).
public struct ConsoleLayout: Hashable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// From this width the node table and the partition map sit side by side.
    public static let wideWidth = 140
    /// Lines under the partition map kept for running handshakes; the wide layout adds any
    /// spare height. When there are more handshakes, the last line counts the rest.
    public static let reservedHandshakeLines = 4

    public var isTooSmall: Bool
    public var header: Rect
    public var banner: Rect
    public var body: Rect
    public var flash: Rect
    public var hints: Rect
    public var nodes: Rect
    public var map: Rect
    public var detail: Rect
    public var traffic: Rect
    public var events: Rect
    /// Columns per partition cell: 3 when the map fits that way, else 2.
    public var mapCellWidth: Int
    /// Partition cells per map row.
    public var mapColumns: Int
    /// Rows of cells the whole map needs.
    public var mapRows: Int
    /// Rows of cells the map box shows (it scrolls when fewer than `mapRows`).
    public var mapVisibleRows: Int
    /// Lines under the cells that list running handshakes.
    public var handshakeLines: Int
    /// Node rows the table shows below its heading.
    public var nodeVisibleRows: Int

    public init(width: Int, height: Int, nodeRows: Int, partitionCount: Int, handshakeCount: Int) {
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        header = Rect(x: 0, y: 0, width: width, height: 1)
        banner = Rect(x: 0, y: 1, width: width, height: 1)
        flash = Rect(x: 0, y: height - 2, width: width, height: 1)
        hints = Rect(x: 0, y: height - 1, width: width, height: 1)
        body = Rect(x: 0, y: 2, width: width, height: height - 4)
        let reserved = min(handshakeCount, Self.reservedHandshakeLines)
        let isWide = width >= Self.wideWidth
        let partitions = max(partitionCount, 1)

        let mapWidth: Int
        let mapBudget: Int
        let nodesHeight: Int
        if isWide {
            let leftWidth = max(76, width * 9 / 20)
            nodesHeight = Self.clamp(nodeRows + 3, 5, max(5, body.height * 3 / 5))
            nodes = Rect(x: 0, y: body.y, width: leftWidth, height: nodesHeight)
            events = Rect(x: 0, y: nodes.maxY, width: leftWidth, height: body.maxY - nodes.maxY)
            mapWidth = width - leftWidth
            mapBudget = body.height - 8 - (min(max(nodeRows, 1) + 1, 9) + 2) - 2
        } else {
            nodesHeight = Self.clamp(nodeRows + 3, 5, max(5, body.height / 3))
            nodes = Rect(x: 0, y: body.y, width: width, height: nodesHeight)
            mapWidth = width
            mapBudget = body.height - nodesHeight - 8 - 2
            events = .zero
        }
        nodeVisibleRows = max(0, nodes.height - 3)

        let innerWidth = max(1, mapWidth - 2)
        // The cell width must not depend on whether handshakes run, or the map would
        // reflow the moment one starts.
        let roomForCells = max(1, mapBudget - Self.reservedHandshakeLines)
        let wideCellsFit = (partitions + innerWidth / 3 - 1) / max(1, innerWidth / 3) <= roomForCells
        mapCellWidth = innerWidth >= 3 && wideCellsFit ? 3 : 2
        mapColumns = max(1, innerWidth / mapCellWidth)
        mapRows = (partitions + mapColumns - 1) / mapColumns
        // Every cell row first, then handshake lines (at least one); a map too big to fit
        // scrolls anyway, so then the handshakes keep their reserved lines.
        let wanted: Int
        if handshakeCount == 0 {
            wanted = 0
        } else if mapRows + reserved <= mapBudget {
            wanted = isWide ? min(handshakeCount, mapBudget - mapRows) : reserved
        } else if mapRows < mapBudget {
            wanted = min(handshakeCount, mapBudget - mapRows)
        } else {
            wanted = min(reserved, max(1, mapBudget / 4))
        }
        let mapInner = max(2, min(mapRows + wanted, max(2, mapBudget)))
        handshakeLines = min(wanted, mapInner - 1)
        mapVisibleRows = min(mapRows, mapInner - handshakeLines)

        if isWide {
            let left = nodes.width
            map = Rect(x: left, y: body.y, width: mapWidth, height: mapInner + 2)
            detail = Rect(x: left, y: map.maxY, width: mapWidth, height: 8)
            traffic = Rect(x: left, y: detail.maxY, width: mapWidth, height: body.maxY - detail.maxY)
        } else {
            map = Rect(x: 0, y: nodes.maxY, width: width, height: mapInner + 2)
            let bottom = Rect(x: 0, y: map.maxY, width: width, height: body.maxY - map.maxY)
            let half = width / 2
            detail = Rect(x: 0, y: bottom.y, width: half, height: bottom.height)
            let trafficHeight = min(5, bottom.height / 2)
            traffic = Rect(x: half, y: bottom.y, width: width - half, height: trafficHeight)
            events = Rect(
                x: half, y: bottom.y + trafficHeight, width: width - half, height: bottom.height - trafficHeight)
        }
    }

    /// The first visible item when `count` items scroll in `visible` rows and `selected`
    /// must be shown: the selection stays in the middle where it can.
    public static func scrollOffset(selected: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        return clamp(selected - visible / 2, 0, count - visible)
    }

    private static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { min(max(value, low), max(low, high)) }
}
