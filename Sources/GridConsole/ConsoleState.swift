import GridCore

/// The whole screen as a value: what the cluster looks like, what the operator is doing,
/// and what the console has seen. The reducer changes it; the renderer draws it.
public struct ConsoleState: Hashable, Sendable {
    // MARK: The cluster

    public var snapshot: ClusterSnapshot = .empty
    /// `snapshot` merged for drawing; recomputed only when a snapshot arrives.
    public private(set) var view: ClusterView = .empty
    public var hasSnapshot = false
    public var sourceKind: ClusterSourceKind
    public var supportsMembershipChanges: Bool
    /// Partitions that opened recently, with the console time they opened, so the map
    /// can mark "open" for a moment after a handshake.
    public var recentlyOpened: [Int: Int64] = [:]

    // MARK: The operator

    public var mode: ConsoleMode = .normal
    public var focus: Pane = .nodes
    public var selectedNodeID: String?
    public var selectedPartition = 0
    public var history = CommandHistory()
    public private(set) var filter = ConsoleFilter("")
    /// Indices into `view.nodes` that pass the filter.
    public private(set) var visibleNodes: [Int] = []
    /// Per partition: passes the filter; nil when no filter is set.
    public private(set) var partitionMatches: [Bool]?
    public var flash: Flash?
    public var isPaused = false
    public var isDemoLoadOn = false
    /// The acknowledgment delay the console last set (0: off).
    public var acknowledgmentDelay = 0

    // MARK: What the console has seen

    public var log = EventLog()
    public var traffic = TrafficCounters()

    // MARK: Terminal and looks

    public var width: Int
    public var height: Int
    public var themeName: String
    public var themeNames: [String]
    /// `NO_COLOR` or `--no-color`: theme changes stay mono.
    public var isColorForcedOff: Bool
    public var isASCII: Bool
    public var glyphs: Glyphs { isASCII ? .ascii : .unicode }

    // MARK: Time

    /// Console time: monotonic milliseconds since the console started.
    public var now: Int64 = 0
    /// Added to console time to get local wall-clock time, for log timestamps.
    public var clockOffset: Int64
    /// Bumped by the reducer on every visible change, so the app redraws only then.
    public var revision: UInt64 = 0

    public init(
        sourceKind: ClusterSourceKind, supportsMembershipChanges: Bool, width: Int, height: Int,
        themeName: String = "default", themeNames: [String] = ["default", "mono"], isColorForcedOff: Bool = false,
        isASCII: Bool = false, clockOffset: Int64 = 0
    ) {
        self.sourceKind = sourceKind
        self.supportsMembershipChanges = supportsMembershipChanges
        self.width = width
        self.height = height
        self.themeName = themeName
        self.themeNames = themeNames
        self.isColorForcedOff = isColorForcedOff
        self.isASCII = isASCII
        self.clockOffset = clockOffset
    }

    /// Replaces the snapshot and everything derived from it.
    public mutating func setSnapshot(_ snapshot: ClusterSnapshot) {
        self.snapshot = snapshot
        view = ClusterView(snapshot)
        hasSnapshot = true
        refilter()
    }

    public mutating func setFilter(_ text: String) {
        filter = ConsoleFilter(text)
        refilter()
    }

    /// The selected node's row among the visible ones.
    public var selectedNodeRow: Int? {
        guard let id = selectedNodeID else { return nil }
        return visibleNodes.firstIndex { view.nodes[$0].record.id == id }
    }

    public var selectedNode: MergedNode? { selectedNodeID.flatMap { view.node(id: $0) } }

    /// The layout of the main screen at the current size.
    public var layout: ConsoleLayout {
        ConsoleLayout(
            width: width, height: height, nodeRows: visibleNodes.count, partitionCount: view.partitionCount,
            handshakeCount: view.handshakes.count)
    }

    private mutating func refilter() {
        visibleNodes = filter.visibleNodes(in: view)
        partitionMatches = filter.partitionMatches(in: view)
        if selectedNodeRow == nil { selectedNodeID = visibleNodes.first.map { view.nodes[$0].record.id } }
        if view.partitionCount > 0 {
            selectedPartition = min(max(0, selectedPartition), view.partitionCount - 1)
        }
    }
}
